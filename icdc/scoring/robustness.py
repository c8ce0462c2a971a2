"""Robustness of the ranking: how often would each city fall within its track's quota if
the weights or the expert panels had been a little different?

Each draw does both at once:

* Weights: a Dirichlet draw around the official weights, scaled to the same total. The
  concentration κ = (K − 1) / cv² − 1 makes an indicator of average weight (1/K of the
  total) vary with coefficient of variation ``cv``; heavier indicators vary relatively
  less, as they would under honest disagreement about weights.
* Experts: each city's panel resampled with replacement (same size as the real panel),
  one resample per city per draw shared by all its qualitative indicators — an expert is
  the unit that could have been drawn differently — and aggregated by the same trimmed
  mean rule as the official result.
* Defence: where the panel members scored the defence one by one (``defence_scores``), each
  city's defence panel is resampled the same way, from a third stream, independently of its
  material panel (the two may differ: a member may miss the defence). A city with one
  aggregated defence score keeps it in every draw, and a run without per-expert defence scores
  draws nothing from that stream, so its results are what they were before it existed.

Then composite, pass mark and quota as in the official ranking; ties within a draw go to
the city ranked higher officially. Randomness comes from ``Generator(PCG64(seed))`` spawned
into one stream for weights and one for experts, consumed in canonical city order, so a
run is reproducible and independent of input order and of the chunking below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.random import PCG64, Generator

from .aggregate import TRIM_FROM
from .ranking import score_key

# Draws per chunk are chosen so one gathered block stays near this many floats (~4 MB):
# large enough that per-chunk overhead vanishes, small enough to stay in cache.
BLOCK_ELEMENTS = 500_000


@dataclass(frozen=True)
class Model:
    """What a draw needs, in canonical city order."""

    weights: np.ndarray  # [K] official weights in system order
    quant: np.ndarray  # positions of quantitative indicators in the system
    qual: np.ndarray  # positions of qualitative indicators
    quant_share: np.ndarray  # [C, Kq] share of the weight earned by the figure
    qual_scores: np.ndarray  # [C, Q, slots] expert points, NaN = no expert
    qual_mean: np.ndarray  # [C, Q] official aggregated points
    panel_size: np.ndarray  # [C]
    defence: np.ndarray  # [C] defence score, 0 when missing
    w_material: float
    w_defence: float
    pass_mark: float
    tracks: tuple[str, ...]
    quotas: Mapping[str, int]
    order: Mapping[str, np.ndarray]  # official order per track, best first
    defence_scores: np.ndarray | None = None  # [C, slots] per-expert defence scores, NaN = none


@dataclass(frozen=True)
class Simulation:
    p_in_quota: np.ndarray  # [C]
    rank_quantiles: np.ndarray  # [C, 3]: 5 %, 50 %, 95 % of the rank over draws


def weight_draws(rng: Generator, weights: np.ndarray, draws: int, cv: float, perturb: bool) -> np.ndarray:
    """[draws, K] weights summing to the official total."""
    total, k = weights.sum(), len(weights)
    if not perturb or k < 2:
        return np.broadcast_to(weights, (draws, k))
    concentration = (k - 1) / cv**2 - 1
    return total * rng.dirichlet(concentration * weights / total, size=draws)


def _chunk(cities: int, slots: int, indicators: int) -> int:
    return max(1, BLOCK_ELEMENTS // max(1, cities * slots * indicators))


def resampled_means(rng: Generator, scores: np.ndarray, draws: int) -> np.ndarray:
    """Trimmed means [C, draws, Q] over panels of one size, resampled with replacement.

    ``scores`` is [C, n, Q]. Each panel is gathered once per draw into a block laid out
    [n, C, d, Q], so sum, min and max over the resampled experts are element-wise passes
    over contiguous slabs; the trimmed mean then needs no sorting."""
    cities, n, indicators = scores.shape
    picks = rng.integers(0, n, size=(draws, cities, n), dtype=np.int16)
    flat = scores.reshape(cities * n, indicators)
    base = (np.arange(cities) * n)[None, :, None]
    out = np.empty((cities, draws, indicators))
    step = _chunk(cities, n, indicators)
    for start in range(0, draws, step):
        block = np.take(flat, base + picks[start:start + step].transpose(2, 1, 0), axis=0)  # [n, C, d, Q]
        total = block.sum(axis=0)
        if n >= TRIM_FROM:
            total -= block.min(axis=0)
            total -= block.max(axis=0)
            total /= n - 2
        else:
            total /= n
        out[:, start:start + step] = total
    return out


def _products(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b.T`` ([C, K] by [D, K] → [C, D]) added term by term, k = 0, 1, …: element-wise
    operations only, so every processor gives the same bits. A BLAS product picks its kernel (and
    its order of additions) by processor, and two cities with the same figures could then differ
    in the last bit and be ranked apart differently on another machine."""
    out = np.zeros((a.shape[0], b.shape[0]))
    for k in range(a.shape[1]):
        out += np.multiply.outer(a[:, k], b[:, k])
    return out


def material_draws(model: Model, weights: np.ndarray, rng: Generator, resample: bool) -> np.ndarray:
    """Material-review scores [C, draws] under the drawn weights and panels."""
    w_quant, w_qual = weights[:, model.quant], weights[:, model.qual]
    material = _products(model.quant_share, w_quant)
    qual_scale = w_qual / model.weights[model.qual]  # points on 0..w → points on 0..w'
    if not resample or model.qual.size == 0:
        return material + _products(model.qual_mean, qual_scale)
    for n in np.unique(model.panel_size):
        members = np.flatnonzero(model.panel_size == n)
        if n == 0:
            continue
        panel = np.ascontiguousarray(model.qual_scores[members, :, :n].transpose(0, 2, 1))
        means = resampled_means(rng, panel, len(weights))
        material[members] += np.einsum("cdq,dq->cd", means, qual_scale)
    return material


def defence_draws(model: Model, draws: int, rng: Generator, resample: bool) -> np.ndarray:
    """Defence scores [C, draws]: the official ones, with per-expert panels resampled."""
    out = np.repeat(model.defence[:, None], draws, axis=1)
    scores = model.defence_scores
    if not resample or scores is None:
        return out
    size = (~np.isnan(scores)).sum(axis=1)
    for n in np.unique(size):
        if n == 0:
            continue
        members = np.flatnonzero(size == n)
        panel = np.ascontiguousarray(scores[members, :n, None])  # [c, n, 1]: experts ascending, then padding
        out[members] = resampled_means(rng, panel, draws)[:, :, 0]
    return out


def _track_outcomes(composite: np.ndarray, quota: int, pass_mark: float) -> tuple[np.ndarray, np.ndarray]:
    """(in quota [c, d], rank [c, d]) for composites whose rows are in official order."""
    key = score_key(composite)
    order = np.argsort(-key, axis=0, kind="stable")  # ties keep the official order
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(len(key))[:, None], axis=0)
    return (rank < quota) & (key >= pass_mark), rank + 1


def simulate(model: Model, *, seed: int, draws: int, cv: float, perturb: bool, resample: bool) -> Simulation:
    """Probability of falling within quota and rank spread for every city."""
    # Spawned children depend only on their index, so the first two streams are those of runs
    # made before the third (defence) stream existed.
    weight_rng, expert_rng, defence_rng = Generator(PCG64(seed)).spawn(3)
    weights = weight_draws(weight_rng, model.weights, draws, cv, perturb)
    material = material_draws(model, weights, expert_rng, resample)
    composite = model.w_material * material + model.w_defence * defence_draws(model, draws, defence_rng, resample)
    p = np.zeros(len(composite))
    quantiles = np.zeros((len(composite), 3), dtype=np.int64)
    for track in model.tracks:
        rows = model.order[track]
        inside, rank = _track_outcomes(composite[rows], model.quotas[track], model.pass_mark)
        p[rows] = inside.mean(axis=1)
        quantiles[rows] = np.quantile(rank, [0.05, 0.5, 0.95], axis=1, method="inverted_cdf").T
    return Simulation(p_in_quota=p, rank_quantiles=quantiles)
