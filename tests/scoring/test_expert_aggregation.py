"""Qualitative scores across experts: trimmed mean, outlier flags (SPEC §4, expert review)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from icdc.scoring.aggregate import outliers, trimmed_mean

scores = st.lists(st.sampled_from([0, 0.5, 1, 2, 2.5, 3, 4, 4.5, 5]), min_size=1, max_size=15)


def aggregate_one(values):
    agg = trimmed_mean(np.array([values], dtype=float))
    return float(agg.mean[0]), int(agg.low[0]), int(agg.high[0]), bool(agg.trimmed[0])


@given(scores)
def test_trimmed_mean_ignores_exactly_one_highest_and_one_lowest(values):
    mean, low, high, trimmed = aggregate_one(values)
    if len(values) >= 5:
        kept = sorted(values)[1:-1]  # one instance of each extreme, even when tied
        assert trimmed and low != high
        assert values[low] == min(values) and values[high] == max(values)
        assert mean == pytest.approx(sum(kept) / len(kept))
    else:
        assert not trimmed
        assert mean == pytest.approx(sum(values) / len(values))


@given(scores, st.randoms(use_true_random=False))
def test_trimmed_mean_does_not_depend_on_expert_order(values, random):
    shuffled = list(values)
    random.shuffle(shuffled)
    assert aggregate_one(values)[0] == pytest.approx(aggregate_one(shuffled)[0])


def test_ties_drop_one_instance_each_the_first_lowest_and_the_last_highest():
    # Positions are experts in id order: E1..E6.
    mean, low, high, trimmed = aggregate_one([3, 1, 1, 5, 5, 4])
    assert (low, high) == (1, 4)  # E2 (first of the two 1s), E5 (last of the two 5s)
    assert mean == pytest.approx((3 + 1 + 5 + 4) / 4)


def test_all_equal_scores_still_drop_two_different_experts():
    mean, low, high, trimmed = aggregate_one([4, 4, 4, 4, 4])
    assert trimmed and low != high and mean == 4


def test_four_experts_plain_mean_and_no_experts_zero():
    assert aggregate_one([1, 2, 3, 10])[0] == 4.0
    agg = trimmed_mean(np.full((1, 3), np.nan))
    assert agg.mean[0] == 0.0 and agg.count[0] == 0


def test_absent_panel_slots_are_ignored():
    agg = trimmed_mean(np.array([[2, 4, 6, 8, 10, np.nan, np.nan]]))
    assert agg.mean[0] == 6.0 and agg.count[0] == 5 and (agg.low[0], agg.high[0]) == (0, 4)


def test_outlier_rule_flags_a_lone_dissenter_not_a_tight_panel():
    # Weight 5: limit = max(2 × 1.4826 × MAD, 1.25).
    values = np.array([[[4, 4, 4.5, 4, 1]]], dtype=float)
    mask, median = outliers(values, np.array([5.0]))
    assert mask[0, 0].tolist() == [False, False, False, False, True]
    assert median[0, 0] == 4.0
    tight = np.array([[[4, 4, 4, 4, 3]]], dtype=float)  # 1 point off on a 5-point indicator: within 25 %
    assert not outliers(tight, np.array([5.0]))[0].any()


def test_outlier_rule_adapts_to_a_scattered_panel_and_needs_three_experts():
    scattered = np.array([[[1, 2, 3, 4, 5]]], dtype=float)  # MAD = 1 → limit 2.97
    assert not outliers(scattered, np.array([5.0]))[0].any()
    pair = np.array([[[0, 5]]], dtype=float)
    assert not outliers(pair, np.array([5.0]))[0].any()
