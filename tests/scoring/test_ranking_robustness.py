"""Robustness of the ranking: Dirichlet weight perturbation and bootstrap of experts."""

from dataclasses import replace

import numpy as np
import pytest
from numpy.random import PCG64, Generator

from icdc.scoring import score_batch
from icdc.scoring.robustness import resampled_means, weight_draws
from tests.scoring.builders import city, draft_system, params, random_batch, small_system


def test_resampled_trimmed_means_match_a_brute_force_bootstrap():
    scores = Generator(PCG64(1)).uniform(0, 5, size=(4, 6, 3))  # 4 cities, 6 experts, 3 indicators
    means = resampled_means(Generator(PCG64(99)), scores, draws=25)
    picks = Generator(PCG64(99)).integers(0, 6, size=(25, 4, 6), dtype=np.int16)
    for d in range(25):
        for c in range(4):
            panel = np.sort(scores[c, picks[d, c]], axis=0)  # the resampled experts, sorted per indicator
            assert np.allclose(means[c, d], panel[1:-1].mean(axis=0))


def test_weight_draws_centre_on_the_official_weights_and_keep_the_total():
    weights = np.array([s.weight for s in draft_system()], dtype=float)
    draws = weight_draws(Generator(PCG64(3)), weights, 20_000, cv=0.10, perturb=True)
    assert np.allclose(draws.sum(axis=1), 100.0)
    assert np.allclose(draws.mean(axis=0), weights, rtol=0.01)
    average = np.argmin(np.abs(weights - weights.mean()))  # an indicator of about average weight
    assert draws[:, average].std() / weights[average] == pytest.approx(0.10, rel=0.1)


def test_without_perturbation_or_resampling_every_draw_repeats_the_official_decision():
    specs = draft_system()
    cities = random_batch(specs, 30, seed=6, tracks=("COMP", "LIFE"))
    run = params(quotas={"COMP": 4, "LIFE": 3}, draws=20, perturb_weights=False, resample_experts=False)
    for c in score_batch(specs, cities, run).cities:
        assert c.robustness.p_in_quota == (1.0 if c.selected else 0.0)
        assert c.robustness.rank_median == c.rank and not c.robustness.close_call


def test_clear_winners_are_safe_clear_losers_out_and_near_ties_are_close_calls():
    cities = [
        city("A", 100, 60, [29, 30, 28, 30, 29], defence=98),
        city("B", 70, 60, [22, 20, 25, 19, 21], defence=80),   # neck and neck with C for the last place
        city("C", 72, 60, [21, 24, 19, 20, 22], defence=80),
        city("D", 10, 0, [5, 6, 4, 5, 6], defence=50),
    ]
    result = score_batch(small_system(), cities, params(quotas={"COMP": 2}, pass_mark=0, draws=2000))
    a, b, c, d = (result.city(code).robustness for code in "ABCD")
    assert a.p_in_quota == 1.0 and not a.close_call and a.rank_median == 1
    assert d.p_in_quota == 0.0 and not d.close_call and d.rank_median == 4
    assert 0.1 < b.p_in_quota < 0.9 and 0.1 < c.p_in_quota < 0.9
    assert b.close_call and c.close_call
    assert "close_call" in result.city("B").flags
    assert b.p_in_quota + c.p_in_quota == pytest.approx(1.0)  # exactly one of them takes the second place
    for r in (a, b, c, d):
        assert 1 <= r.rank_p05 <= r.rank_median <= r.rank_p95 <= 4


def test_no_draws_means_no_robustness_section():
    result = score_batch(small_system(), [city("A", 1, 1, [1, 1, 1])], params(draws=0))
    assert result.city("A").robustness is None


def test_the_same_seed_gives_the_same_probabilities_and_another_seed_may_not():
    specs = draft_system()
    cities = random_batch(specs, 40, seed=7)
    run = params(quotas={"COMP": 8}, draws=300)
    one, two = score_batch(specs, cities, run), score_batch(specs, cities, run)
    other = score_batch(specs, cities, replace(run, seed=12345))
    probabilities = [c.robustness.p_in_quota for c in one.cities]
    assert probabilities == [c.robustness.p_in_quota for c in two.cities]
    assert probabilities != [c.robustness.p_in_quota for c in other.cities]
