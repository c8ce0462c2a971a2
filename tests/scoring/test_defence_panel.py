"""Each panel member scores the defence: aggregated by the sheets' trimmed mean, bootstrapped by the
robustness analysis like the sheets, explained member by member (issue 14 item 7)."""

from dataclasses import replace

import numpy as np
import pytest

from icdc.scoring import ScoringInputError, explain, input_hash, result_bytes, score_batch
from icdc.scoring.aggregate import trimmed_mean
from icdc.scoring.robustness import defence_draws, resampled_means
from tests.scoring.builders import city, params, small_system


def _cities(defences):
    """Three cities of ``small_system`` with identical material, each with the given defence."""
    base = [city("110000", 80, 60, [24, 24, 24]), city("120000", 80, 60, [24, 24, 24]),
            city("130000", 80, 60, [24, 24, 24])]
    return [replace(c, defence_score=None, defence_scores=d) if isinstance(d, dict) else replace(c, defence_score=d)
            for c, d in zip(base, defences, strict=True)]


def test_five_or_more_defence_scores_drop_the_highest_and_the_lowest():
    panel = {"E1": 70, "E2": 95, "E3": 80, "E4": 60, "E5": 85}
    result = score_batch(small_system(), _cities([panel, 80.0, 50.0]), params(quotas={"COMP": 1}))
    first = result.city("110000")
    assert first.defence == pytest.approx((70 + 80 + 85) / 3)
    assert first.defence_trimmed == ("E4", "E2")
    assert result.city("120000").defence == 80.0 and result.city("120000").defence_trimmed is None


def test_fewer_than_five_defence_scores_are_averaged_untrimmed():
    result = score_batch(small_system(), _cities([{"A": 70, "B": 90, "C": 80}, 80.0, 50.0]), params())
    assert result.city("110000").defence == pytest.approx(80.0)
    assert result.city("110000").defence_trimmed is None


def test_the_defence_aggregate_is_the_same_rule_as_the_material_sheets():
    scores = np.array([[70.0, 95.0, 80.0, 60.0, 85.0, 91.0]])
    panel = {f"E{k}": float(v) for k, v in enumerate(scores[0])}
    result = score_batch(small_system(), _cities([panel, 80.0, 50.0]), params())
    assert result.city("110000").defence == pytest.approx(float(trimmed_mean(scores).mean[0]))


def test_a_city_that_did_not_appear_has_no_defence_and_is_flagged():
    result = score_batch(small_system(), _cities([{}, 80.0, 50.0]), params())
    no_show = result.city("110000")
    assert no_show.defence == 0.0 and "missing_defence" in no_show.flags


def test_the_composite_uses_the_aggregated_defence():
    panel = {"E1": 70, "E2": 95, "E3": 80, "E4": 60, "E5": 85}
    result = score_batch(small_system(), _cities([panel, 80.0, 50.0]), params())
    first = result.city("110000")
    assert first.composite == pytest.approx(first.material * 0.7 + (235 / 3) * 0.3)


def test_the_order_of_the_defence_panel_does_not_change_hash_or_bytes():
    panel = {"E1": 70, "E2": 95, "E3": 80, "E4": 60, "E5": 85}
    reordered = dict(reversed(list(panel.items())))
    run = params(draws=100)
    one = score_batch(small_system(), _cities([panel, 80.0, 50.0]), run)
    two = score_batch(small_system(), _cities([reordered, 80.0, 50.0]), run)
    assert one.input_hash == two.input_hash and result_bytes(one) == result_bytes(two)
    assert one.input_hash == input_hash(small_system(), _cities([reordered, 80.0, 50.0]))


def test_per_expert_defence_scores_change_the_input_hash():
    single = input_hash(small_system(), _cities([80.0, 80.0, 50.0]))
    panel = input_hash(small_system(), _cities([{"E1": 80.0}, 80.0, 50.0]))
    assert single != panel


@pytest.mark.parametrize("bad", [{"E1": 101}, {"E1": -1}, {"E1": float("nan")}, {"E1": "abc"}])
def test_a_defence_score_outside_0_to_100_is_refused_naming_city_and_expert(bad):
    with pytest.raises(ScoringInputError) as caught:
        score_batch(small_system(), _cities([bad, 80.0, 50.0]), params())
    assert "110000" in caught.value.message and "E1" in caught.value.message


def test_both_an_aggregated_and_per_expert_defence_is_refused():
    both = replace(_cities([80.0, 80.0, 50.0])[0], defence_scores={"E1": 80})
    with pytest.raises(ScoringInputError) as caught:
        score_batch(small_system(), [both, *_cities([80.0, 80.0, 50.0])[1:]], params())
    assert "同时给出了答辩得分和各专家的答辩评分" in caught.value.message


def test_the_bootstrap_resamples_the_defence_panel():
    """Same material for all three; 110000's defence panel is split between very high and very low
    scores, the others are fixed. Resampling the panel makes its decision uncertain; an
    aggregated score with the same mean is never uncertain."""
    panel = {"E1": 100, "E2": 100, "E3": 0, "E4": 0, "E5": 100, "E6": 0, "E7": 60}
    mean = float(trimmed_mean(np.array([[100, 100, 0, 0, 100, 0, 60.0]])).mean[0])
    run = params(quotas={"COMP": 1}, draws=400, perturb_weights=False)
    resampled = score_batch(small_system(), _cities([panel, mean - 1, 10.0]), run).city("110000").robustness
    fixed = score_batch(small_system(), _cities([mean, mean - 1, 10.0]), run).city("110000").robustness
    assert fixed.p_in_quota == 1.0
    assert 0.2 < resampled.p_in_quota < 0.8 and resampled.close_call


def test_no_resampling_keeps_the_defence_fixed():
    panel = {"E1": 100, "E2": 100, "E3": 0, "E4": 0, "E5": 100, "E6": 0, "E7": 60}
    run = params(quotas={"COMP": 1}, draws=200, perturb_weights=False, resample_experts=False)
    result = score_batch(small_system(), _cities([panel, 10.0, 10.0]), run)
    assert result.city("110000").robustness.p_in_quota == 1.0


def test_defence_draws_are_trimmed_means_of_resampled_panels():
    """Directly: the draws for a five-member panel are trimmed means of five picks with
    replacement, drawn from the defence stream alone."""
    from icdc.scoring.robustness import Model

    scores = np.array([[10.0, 20.0, 30.0, 40.0, 50.0], [np.nan] * 5])
    model = Model(weights=np.ones(1), quant=np.zeros(0, dtype=np.int64), qual=np.zeros(0, dtype=np.int64),
                  quant_share=np.zeros((2, 0)), qual_scores=np.zeros((2, 0, 1)), qual_mean=np.zeros((2, 0)),
                  panel_size=np.zeros(2, dtype=np.int64), defence=np.array([30.0, 77.0]), w_material=0.5,
                  w_defence=0.5, pass_mark=0.0, tracks=("COMP",), quotas={"COMP": 1},
                  order={"COMP": np.array([0, 1])}, defence_scores=scores)
    draws = defence_draws(model, 50, np.random.default_rng(3), resample=True)
    expected = resampled_means(np.random.default_rng(3), scores[:1, :, None], 50)[0, :, 0]
    assert np.allclose(draws[0], expected) and np.all(draws[1] == 77.0)
    assert np.all((draws[0] >= 10) & (draws[0] <= 50)) and len(set(draws[0].round(6))) > 3


def test_the_explanation_lists_each_members_defence_score():
    panel = {"E1": 70, "E2": 95, "E3": 80, "E4": 60, "E5": 85}
    result = score_batch(small_system(), _cities([panel, 80.0, {}]), params())
    tree = explain(result, "110000").to_dict()
    assert tree["defence_aggregation"] == "trimmed_mean"
    assert [(e["expert_id"], e["score"], e["trimmed"]) for e in tree["defence_experts"]] == [
        ("E1", 70.0, None), ("E2", 95.0, "highest"), ("E3", 80.0, None), ("E4", 60.0, "lowest"), ("E5", 85.0, None)]
    assert "5 位专家答辩评分" in tree["defence_aggregation_text"]
    assert explain(result, "120000").defence_aggregation == "single"
    assert explain(result, "130000").defence_aggregation == "none"
