"""Dimension totals are the indicator points added in system order, to the last bit, on any processor.

A stored run must recompute to the same bytes elsewhere (tests/rankings/test_stored_runs_still_reproduce.py).
``points @ member`` gave totals whose last bit depended on the BLAS kernel the processor selects
(16.200000000000003 here where the run was stored with 16.2)."""

import dataclasses

import numpy as np

from icdc.scoring.composite import totals
from icdc.scoring.types import IndicatorSpec


def test_each_dimension_total_is_the_left_to_right_sum_of_its_points():
    # few cities and tens of indicators, as a batch's run has: where the BLAS kernel chose differed
    rng = np.random.default_rng(1)
    for trial in range(60):
        n_cities, n_indicators = int(rng.integers(1, 6)), int(rng.integers(12, 31))
        n_dimensions = int(rng.integers(1, 7))  # some with 8 or more indicators in one dimension
        dimensions = [f"D{int(d)}" for d in rng.integers(1, n_dimensions + 1, size=n_indicators)]
        specs = tuple(_spec_objects(dimensions))
        points = np.round(rng.uniform(0, 6, size=(n_cities, n_indicators)) * 10) / 10  # one decimal, as sheets
        result = totals(specs, points, (), tuple(range(n_indicators)))
        assert result.dimensions == tuple(dict.fromkeys(dimensions))
        for c in range(n_cities):
            for j, d in enumerate(result.dimensions):
                expected = 0.0
                for k, s in enumerate(specs):
                    if s.dimension == d:
                        expected += float(points[c, k])
                assert result.dimension_points[c, j] == expected, (trial, c, d)  # bit for bit


def _spec_objects(dimensions):
    defaults = {}
    for f in dataclasses.fields(IndicatorSpec):
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            defaults[f.name] = None
    return [IndicatorSpec(**{**defaults, "code": f"{d}.{k}", "dimension": d}) for k, d in enumerate(dimensions)]
