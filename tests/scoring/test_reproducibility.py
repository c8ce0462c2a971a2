"""A scoring run stores its inputs' hash, parameters and seed; re-running gives identical bytes."""

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from icdc.scoring import input_hash, result_bytes, result_hash, robustness, score_batch
from tests.scoring.builders import draft_system, params, random_batch

ROOT = Path(__file__).resolve().parents[2]
RUN = params(quotas={"COMP": 3, "LIFE": 2, "PRODUCT": 1}, draws=200, calibrate=True, seed=20240601)


def shuffled(cities, random):
    """The same batch listed in another order: cities, experts and figures all reordered."""
    out = []
    for c in cities:
        experts = list(c.expert_scores.items())
        random.shuffle(experts)
        figures = list(c.figures.items())
        random.shuffle(figures)
        sheets = {e: dict(sorted(s.items(), key=lambda _: random.random())) for e, s in experts}
        out.append(replace(c, expert_scores=sheets, figures=dict(figures)))
    random.shuffle(out)
    return out


def test_the_same_run_twice_gives_byte_identical_results():
    specs = draft_system()
    cities = random_batch(specs, 30, seed=8, tracks=("COMP", "LIFE", "PRODUCT"))
    first = result_bytes(score_batch(specs, cities, RUN))
    second = result_bytes(score_batch(specs, cities, RUN))
    assert first == second
    stored = json.loads(first)
    assert stored["params"]["seed"] == 20240601 and stored["params"]["draws"] == 200
    assert stored["input_hash"] == input_hash(specs, cities)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 12), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_cities_experts_or_figures(seed, n, random):
    specs = draft_system()
    cities = random_batch(specs, n, seed=seed, tracks=("COMP", "LIFE", "PRODUCT"))
    run = replace(RUN, draws=50)
    assert result_bytes(score_batch(specs, cities, run)) == result_bytes(score_batch(specs, shuffled(cities, random),
                                                                                     run))


def test_the_input_hash_changes_with_any_score_and_not_with_the_seed():
    specs = draft_system()
    cities = random_batch(specs, 5, seed=2)
    base = score_batch(specs, cities, RUN)
    reseeded = score_batch(specs, cities, replace(RUN, seed=7))
    assert base.input_hash == reseeded.input_hash and result_bytes(base) != result_bytes(reseeded)
    expert = next(iter(cities[0].expert_scores))
    sheet = dict(cities[0].expert_scores[expert], **{"D1.4": 0.5})
    edited = [replace(cities[0], expert_scores={**cities[0].expert_scores, expert: sheet}), *cities[1:]]
    assert input_hash(specs, edited) != base.input_hash


def test_equal_numbers_hash_alike_and_sm3_is_available():
    specs = draft_system()
    cities = random_batch(specs, 3, seed=4)
    as_ints = [replace(c, defence_score=int(c.defence_score)) for c in cities]
    as_floats = [replace(c, defence_score=float(int(c.defence_score))) for c in cities]
    assert input_hash(specs, as_ints) == input_hash(specs, as_floats)
    sm3 = input_hash(specs, cities, algorithm="sm3")
    assert sm3.startswith("sm3:") and len(sm3) == 4 + 64


def test_chunking_of_the_robustness_draws_does_not_change_the_result(monkeypatch):
    specs = draft_system()
    cities = random_batch(specs, 20, seed=9, tracks=("COMP", "LIFE", "PRODUCT"))
    reference = result_bytes(score_batch(specs, cities, RUN))
    for block in (1, 30_000, 10**9):
        monkeypatch.setattr(robustness, "BLOCK_ELEMENTS", block)
        assert result_bytes(score_batch(specs, cities, RUN)) == reference


SCRIPT = """
from icdc.scoring import result_hash, score_batch
from tests.scoring.builders import draft_system, params, random_batch
specs = draft_system()
cities = random_batch(specs, 20, seed=12, tracks=("COMP", "LIFE"))
print(result_hash(score_batch(specs, cities, params(quotas={"COMP": 3, "LIFE": 2}, draws=100, calibrate=True))))
"""


def test_a_fresh_process_with_another_hash_seed_reproduces_the_result():
    specs = draft_system()
    cities = random_batch(specs, 20, seed=12, tracks=("COMP", "LIFE"))
    here = result_hash(score_batch(specs, cities, params(quotas={"COMP": 3, "LIFE": 2}, draws=100, calibrate=True)))
    for hash_seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                             check=True)
        assert out.stdout.strip() == here
