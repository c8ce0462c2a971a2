"""Properties of whole runs on arbitrary small systems and batches (hypothesis)."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from icdc.scoring import CityInput, IndicatorSpec, RunParams, result_bytes, score_batch

weights = st.sampled_from([1.0, 2.5, 4.0, 10.0, 30.0])
figure = st.one_of(st.none(), st.floats(-50, 250, allow_nan=False))


@st.composite
def systems(draw):
    specs = []
    for k in range(draw(st.integers(0, 4))):
        rule = draw(st.sampled_from(["linear", "reverse_linear", "threshold"]))
        floor, target = (None, 50.0) if rule == "threshold" else (0.0, 100.0) if rule == "linear" else (100.0, 0.0)
        specs.append(IndicatorSpec(code=f"Q{k}", dimension=f"D{k % 2}", kind="quantitative", weight=draw(weights),
                                   rule=rule, floor=floor, target=target))
    for k in range(draw(st.integers(0 if specs else 1, 4))):
        specs.append(IndicatorSpec(code=f"E{k}", dimension="D9", kind="qualitative", weight=draw(weights)))
    return specs


@st.composite
def batches(draw):
    specs = draw(systems())
    cities = []
    for n in range(draw(st.integers(0, 8))):
        experts = draw(st.lists(st.sampled_from([f"X{i}" for i in range(9)]), max_size=7, unique=True))
        sheets = {e: {s.code: draw(st.floats(0, s.weight)) for s in specs if s.kind == "qualitative"}
                  for e in experts}
        figures = {s.code: draw(figure) for s in specs if s.kind == "quantitative"}
        cities.append(CityInput(city_code=f"C{n}", track=draw(st.sampled_from(["COMP", "LIFE"])), figures=figures,
                                expert_scores=sheets, defence_score=draw(st.one_of(st.none(), st.floats(0, 100)))))
    run = RunParams(w_material=0.6, w_defence=0.4, pass_mark=draw(st.floats(0, 60)),
                    quotas={"COMP": draw(st.integers(0, 3)), "LIFE": draw(st.integers(0, 3))},
                    seed=draw(st.integers(0, 99)), draws=draw(st.integers(0, 20)), calibrate=draw(st.booleans()))
    return specs, cities, run


@settings(max_examples=80, deadline=None)
@given(batches())
def test_points_ranks_and_selection_are_consistent(batch):
    specs, cities, run = batch
    result = score_batch(specs, cities, run)
    for c in result.cities:
        for spec in specs:
            assert 0.0 <= c.indicator_points[spec.code] <= spec.weight
        if c.robustness:
            assert 0.0 <= c.robustness.p_in_quota <= 1.0
    for track in result.tracks:
        members = [c for c in result.cities if c.track == track.track]
        assert sorted(c.rank for c in members) == list(range(1, len(members) + 1))
        selected = [c for c in members if c.selected]
        assert len(selected) <= track.quota and all(c.eligible for c in selected)
        passed_over = [c for c in members if c.eligible and not c.selected]
        assert all(s.rank < p.rank for s in selected for p in passed_over)
        assert not passed_over or len(selected) == track.quota


@settings(max_examples=40, deadline=None)
@given(batches(), st.randoms(use_true_random=False))
def test_any_batch_scores_the_same_in_any_order(batch, random):
    specs, cities, run = batch
    reordered = [replace(c, expert_scores=dict(reversed(list(c.expert_scores.items())))) for c in cities]
    random.shuffle(reordered)
    assert result_bytes(score_batch(specs, cities, run)) == result_bytes(score_batch(specs, reordered, run))
