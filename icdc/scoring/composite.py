"""From indicator points to dimension totals, material-review score and composite.

Composite = material-review score × w₁ + defence score × w₂ (SPEC §4, ranking), with the
batch's weights; a missing defence counts 0 and is flagged by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .types import IndicatorSpec


@dataclass(frozen=True)
class Totals:
    points: np.ndarray  # [C, K] indicator points in system order
    dimensions: tuple[str, ...]  # dimension codes in order of first appearance
    dimension_points: np.ndarray  # [C, dimensions]
    quantitative: np.ndarray  # [C]
    qualitative: np.ndarray  # [C]
    material: np.ndarray  # [C]


def indicator_matrix(n_cities: int, quant: tuple[int, ...], qual: tuple[int, ...], quant_points: np.ndarray,
                     qual_points: np.ndarray) -> np.ndarray:
    """Points [C, K] in system order from the quantitative and qualitative blocks."""
    points = np.zeros((n_cities, len(quant) + len(qual)))
    points[:, list(quant)] = quant_points
    points[:, list(qual)] = qual_points
    return points


def totals(specs: tuple[IndicatorSpec, ...], points: np.ndarray, quant: tuple[int, ...],
           qual: tuple[int, ...]) -> Totals:
    """Dimension totals and the material-review score (the sum of all indicator points)."""
    dimensions = tuple(dict.fromkeys(s.dimension for s in specs))
    # each dimension's points added left to right in system order (vectorised over cities): not
    # ``points @ member``, whose BLAS kernel (and so the last bit of a total) depends on the processor;
    # a stored run must recompute to the same bytes on any machine
    # (tests/rankings/test_stored_runs_still_reproduce.py, tests/scoring/test_processor_independent_sums.py)
    dimension_points = np.zeros((points.shape[0], len(dimensions)))
    for k, spec in enumerate(specs):
        j = dimensions.index(spec.dimension)
        dimension_points[:, j] = dimension_points[:, j] + points[:, k]
    return Totals(
        points=points, dimensions=dimensions, dimension_points=dimension_points,
        quantitative=points[:, list(quant)].sum(axis=1), qualitative=points[:, list(qual)].sum(axis=1),
        material=points.sum(axis=1),
    )


def composite(material: np.ndarray, defence: np.ndarray, w_material: float, w_defence: float) -> np.ndarray:
    """Composite score; ``defence`` has NaN for missing, counted as 0."""
    return material * w_material + np.nan_to_num(defence, nan=0.0) * w_defence
