"""Entropy-weight TOPSIS (熵权TOPSIS), a cross-check of the official ranking.

The official ranking uses the Ministry's weights; this one lets the data weigh itself
(indicators on which cities differ more weigh more) and ranks by closeness to the ideal
city. Broad agreement (Spearman ρ near 1) says the official result is not an artefact of
the weights; cities selected by one method and not the other deserve a second look.

Conventions match pymcdm 1.4 (the tests check it): entropy weights from column shares
p_ij = x_ij / Σ_i x_ij, E_j = −Σ_i p_ij ln p_ij / ln m, w_j = (1 − E_j) / Σ(1 − E_j);
TOPSIS with min–max normalisation (a constant column normalises to 1), positive ideal =
column max of the weighted matrix, negative ideal = column min, closeness D⁻ / (D⁺ + D⁻).
Unlike pymcdm, zero values are allowed (0 · ln 0 = 0), a column of zeros weighs nothing,
and a city equally far from both ideals (all columns constant) gets closeness 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .types import BatchResult


def entropy_weights(matrix) -> np.ndarray:
    """Entropy weights of the columns of a non-negative [alternatives, criteria] matrix."""
    x = np.asarray(matrix, dtype=float)
    m, n = x.shape
    if m < 2:
        return np.full(n, 1.0 / n)
    sums = x.sum(axis=0)
    p = np.divide(x, sums, out=np.full_like(x, 1.0 / m), where=sums > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    divergence = 1.0 - (-plogp.sum(axis=0) / np.log(m))
    total = divergence.sum()
    return divergence / total if total > 0 else np.full(n, 1.0 / n)


def _minmax(x: np.ndarray, cost: np.ndarray) -> np.ndarray:
    low, high = x.min(axis=0), x.max(axis=0)
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    share = np.where(cost, high - x, x - low) / safe
    return np.where(span > 0, share, 1.0)


def _vector(x: np.ndarray, cost: np.ndarray) -> np.ndarray:
    norm = np.sqrt((x**2).sum(axis=0))
    share = x / np.where(norm > 0, norm, 1.0)
    return np.where(cost, 1.0 - share, share)


def topsis(matrix, weights, types=None, normalization: str = "minmax") -> np.ndarray:
    """Closeness to the ideal in [0, 1] per alternative; ``types`` 1 = profit, −1 = cost."""
    x = np.asarray(matrix, dtype=float)
    cost = np.zeros(x.shape[1], dtype=bool) if types is None else np.asarray(types) < 0
    normalised = {"minmax": _minmax, "vector": _vector}[normalization](x, cost)
    weighted = normalised * np.asarray(weights, dtype=float)
    d_plus = np.sqrt(((weighted - weighted.max(axis=0)) ** 2).sum(axis=1))
    d_minus = np.sqrt(((weighted - weighted.min(axis=0)) ** 2).sum(axis=1))
    total = d_plus + d_minus
    return np.divide(d_minus, total, out=np.full_like(total, 0.5), where=total > 0)


def spearman(rank_a: np.ndarray, rank_b: np.ndarray) -> float:
    """Spearman's ρ of two rankings without ties (permutations of 1..n)."""
    n = len(rank_a)
    if n < 2:
        return 1.0
    d = np.asarray(rank_a, dtype=float) - np.asarray(rank_b, dtype=float)
    return float(1.0 - 6.0 * (d**2).sum() / (n * (n**2 - 1)))


@dataclass(frozen=True)
class CrossCheck:
    """Entropy-weight TOPSIS on one track, beside the official ranking."""

    track: str
    weights: dict[str, float]  # entropy weight per criterion (indicators, then "defence")
    closeness: dict[str, float]  # city code → closeness
    ranking: tuple[str, ...]  # best first; ties by city code
    spearman: float  # against the official ranking
    selection_differs: tuple[str, ...]  # selected officially xor in TOPSIS's top as many


def cross_check(result: BatchResult) -> tuple[CrossCheck, ...]:
    """Entropy-weight TOPSIS per track on indicator points plus the defence score."""
    codes = [spec.code for spec in result.indicators]
    criteria = [*codes, "defence"]
    checks = []
    for track in result.tracks:
        cities = sorted((c for c in result.cities if c.track == track.track), key=lambda c: c.city_code)
        matrix = np.array([[c.indicator_points[k] for k in codes] + [c.defence] for c in cities])
        matrix = matrix.reshape(len(cities), len(criteria))
        weights = entropy_weights(matrix)
        closeness = topsis(matrix, weights) if len(cities) else np.zeros(0)
        order = np.lexsort((np.arange(len(cities)), -closeness))
        ranking = tuple(cities[i].city_code for i in order)
        topsis_rank = np.empty(len(cities), dtype=np.int64)
        topsis_rank[order] = np.arange(1, len(cities) + 1)
        official_top, topsis_top = set(track.selected), set(ranking[:len(track.selected)])
        checks.append(CrossCheck(
            track=track.track, weights=dict(zip(criteria, map(float, weights), strict=True)),
            closeness={c.city_code: float(v) for c, v in zip(cities, closeness, strict=True)},
            ranking=ranking, spearman=spearman(np.array([c.rank for c in cities]), topsis_rank),
            selection_differs=tuple(sorted(official_top ^ topsis_top)),
        ))
    return tuple(checks)
