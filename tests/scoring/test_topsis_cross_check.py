"""Entropy-weight TOPSIS cross-check, verified independently against pymcdm 1.4."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.random import PCG64, Generator
from pymcdm import normalizations
from pymcdm.methods import TOPSIS
from pymcdm.weights import entropy_weights as pymcdm_entropy_weights

from icdc.scoring import cross_check, entropy_weights, score_batch, topsis
from tests.scoring.builders import draft_system, params, random_batch


@pytest.mark.filterwarnings("ignore:Alternatives with indices:UserWarning")  # pymcdm's data advice
@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 40), st.integers(1, 12))
def test_entropy_weights_and_topsis_rankings_agree_with_pymcdm_on_random_data(seed, m, n):
    rng = Generator(PCG64(seed))
    matrix = rng.uniform(0.5, 100.0, size=(m, n))  # pymcdm's entropy needs strictly positive data
    types = rng.choice([1, -1], size=n)

    ours = entropy_weights(matrix)
    theirs = pymcdm_entropy_weights(matrix)
    assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-12)

    for name, function in (("minmax", normalizations.minmax_normalization),
                           ("vector", normalizations.vector_normalization)):
        closeness = topsis(matrix, ours, types, normalization=name)
        reference = TOPSIS(normalization_function=function)(matrix, theirs, types)
        assert np.allclose(closeness, reference, rtol=1e-9, atol=1e-12)
        assert np.argsort(-closeness, kind="stable").tolist() == np.argsort(-reference, kind="stable").tolist()


def test_zeros_are_allowed_and_a_constant_column_weighs_nothing():
    matrix = np.array([[0.0, 5.0, 1.0], [2.0, 5.0, 3.0], [4.0, 5.0, 0.0]])
    weights = entropy_weights(matrix)
    assert weights[1] == pytest.approx(0.0, abs=1e-12) and weights.sum() == pytest.approx(1.0)
    assert np.isfinite(topsis(matrix, weights)).all()


def test_cross_check_on_a_batch_ranks_every_city_and_reports_agreement():
    specs = draft_system()
    cities = random_batch(specs, 40, seed=5, tracks=("COMP", "LIFE"))
    result = score_batch(specs, cities, params(quotas={"COMP": 4, "LIFE": 3}))
    checks = {c.track: c for c in cross_check(result)}
    assert set(checks) == {"COMP", "LIFE"}
    for track in result.tracks:
        check = checks[track.track]
        assert sorted(check.ranking) == sorted(track.ranking)
        assert sum(check.weights.values()) == pytest.approx(1.0)
        # Different weights, same data: the two methods should broadly agree on random cities.
        assert 0.5 < check.spearman <= 1.0
        assert set(check.selection_differs) <= set(track.ranking)
