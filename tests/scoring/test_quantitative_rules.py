"""Quantitative indicators scored by rule (yaml header): linear, reverse_linear, threshold."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from icdc.scoring import IndicatorSpec, ScoringInputError, indicator_points
from icdc.scoring.rules import check_rule, points, rule_arrays

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
weights = st.floats(min_value=0.01, max_value=100, allow_nan=False)


def spec(rule, floor=None, target=None, weight=6.0):
    return IndicatorSpec(code="D1.1", dimension="D1", kind="quantitative", weight=weight, rule=rule, floor=floor,
                         target=target)


@st.composite
def specs(draw):
    rule = draw(st.sampled_from(["linear", "reverse_linear", "threshold"]))
    a, b = draw(finite), draw(finite)
    if rule == "threshold":
        return spec(rule, target=a, weight=draw(weights))
    if a == b:
        b = a + 1.0
    if rule == "linear":
        a, b = min(a, b), max(a, b)
    return spec(rule, floor=a, target=b, weight=draw(weights))


@given(specs(), st.one_of(st.none(), finite))
def test_points_stay_within_zero_and_weight(indicator, figure):
    value = indicator_points(indicator, figure)
    assert 0.0 <= value <= indicator.weight


@given(specs(), finite, finite)
def test_a_better_figure_never_lowers_linear_or_raises_reverse(indicator, x, y):
    low, high = min(x, y), max(x, y)
    at_low, at_high = indicator_points(indicator, low), indicator_points(indicator, high)
    if indicator.rule == "reverse_linear":
        assert at_high <= at_low
    else:  # linear, threshold: higher is better
        assert at_low <= at_high


def test_linear_matches_the_yaml_formula_on_the_draft_indicator():
    # D1.1 信息消费规模: weight 6, floor 200, target 2000.
    d11 = spec("linear", floor=200, target=2000)
    assert indicator_points(d11, 1100) == pytest.approx(3.0)
    assert indicator_points(d11, 200) == 0.0
    assert indicator_points(d11, 150) == 0.0
    assert indicator_points(d11, 2000) == 6.0
    assert indicator_points(d11, 5000) == 6.0


def test_reverse_linear_gives_full_points_at_the_low_end_whatever_the_order_of_floor_and_target():
    for floor, target in ((10, 2), (2, 10)):
        rate = spec("reverse_linear", floor=floor, target=target, weight=4)
        assert indicator_points(rate, 1) == 4.0
        assert indicator_points(rate, 2) == 4.0
        assert indicator_points(rate, 6) == pytest.approx(2.0)
        assert indicator_points(rate, 10) == 0.0
        assert indicator_points(rate, 12) == 0.0


def test_threshold_full_points_at_or_above_target_else_zero():
    # D5.4 消费者投诉处理及时率: threshold 95, weight 3.
    d54 = spec("threshold", target=95, weight=3)
    assert indicator_points(d54, 95) == 3.0
    assert indicator_points(d54, 99.5) == 3.0
    assert indicator_points(d54, 94.99) == 0.0


def test_missing_figure_scores_zero():
    assert indicator_points(spec("linear", floor=0, target=10), None) == 0.0
    values = points(np.array([[np.nan, 5.0]]), rule_arrays((spec("linear", 0, 10), spec("threshold", target=5))))
    assert values.tolist() == [[0.0, 6.0]]


@pytest.mark.parametrize("bad", [
    spec("linear", floor=10, target=10),
    spec("linear", floor=10, target=2),
    spec("reverse_linear", floor=None, target=2),
    spec("threshold", target=math.inf),
    spec("cubic", floor=0, target=1),
])
def test_unusable_rule_parameters_are_refused_with_the_indicator_named(bad):
    with pytest.raises(ScoringInputError) as refused:
        check_rule(bad)
    assert "D1.1" in refused.value.message
