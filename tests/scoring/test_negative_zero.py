"""A reverse-linear figure at its worst end scores 0.0, never −0.0 (issue 10, item 14): −0.0
went into the canonical result bytes as "-0.0" and onto the explanation page as "-0.00"."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from icdc.scoring import IndicatorSpec, indicator_points
from icdc.scoring.rules import points, rule_arrays


def reverse(floor, target, weight=4.0):
    return IndicatorSpec(code="D2.1", dimension="D2", kind="quantitative", weight=weight, rule="reverse_linear",
                         floor=floor, target=target)


def test_worst_end_of_a_reverse_rule_is_positive_zero():
    # Lower is better: full points at or below 10, none at or above 30.
    for spec in (reverse(10, 30), reverse(30, 10)):
        value = indicator_points(spec, 30)
        assert value == 0.0
        assert math.copysign(1.0, value) == 1.0
        assert f"{value:.2f}" == "0.00"


def test_batch_points_hold_no_negative_zero():
    specs = (reverse(10, 30), reverse(0, 5))
    figures = np.array([[30.0, 5.0], [40.0, 9.0], [10.0, 0.0]])
    values = points(figures, rule_arrays(specs))
    assert not np.signbit(values).any()
    assert values.tolist() == [[0.0, 0.0], [0.0, 0.0], [4.0, 4.0]]


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_no_figure_gives_a_negative_zero(a, figure):
    spec = reverse(a, a + 10)
    assert not math.copysign(1.0, indicator_points(spec, figure)) < 0
