"""score_batch: points, totals, composite, flags and ranking within each track (SPEC §3–4)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from icdc.scoring import CityInput, input_hash, result_bytes, score_batch
from tests.scoring.builders import city, draft_system, params, random_batch, small_system


def test_material_is_the_sum_of_indicator_points_and_composite_uses_the_batch_weights():
    result = score_batch(small_system(), [city("A", 50, 60, [20, 22, 24], [10, 12, 14], defence=90)], params())
    a = result.city("A")
    assert a.indicator_points == {"A1": 15.0, "A2": 20.0, "B1": 22.0, "B2": 12.0}
    assert a.dimension_points == {"A": 35.0, "B": 34.0}
    assert (a.quantitative_total, a.qualitative_total, a.material) == (35.0, 34.0, 69.0)
    assert a.composite == pytest.approx(69 * 0.7 + 90 * 0.3)
    assert a.flags == ()


def test_draft_system_totals_add_up_for_every_city():
    specs = draft_system()
    assert sum(s.weight for s in specs) == 100
    result = score_batch(specs, random_batch(specs, 25, seed=3), params(quotas={"COMP": 5}))
    for c in result.cities:
        assert sum(c.indicator_points.values()) == pytest.approx(c.material)
        assert sum(c.dimension_points.values()) == pytest.approx(c.material)
        assert 0 <= c.material <= 100
        for spec in specs:
            assert 0 <= c.indicator_points[spec.code] <= spec.weight


def test_a_missing_figure_scores_zero_and_is_flagged():
    result = score_batch(small_system(), [city("A", None, 60, [20, 22, 24])], params())
    assert result.city("A").indicator_points["A1"] == 0.0
    assert "missing_figure" in result.city("A").flags


def test_missing_defence_and_missing_experts_count_zero_and_are_flagged():
    nobody = CityInput(city_code="B", track="COMP", figures={"A1": 100, "A2": 60}, expert_scores={})
    result = score_batch(small_system(), [city("A", 50, 60, [20, 22, 24], defence=None), nobody], params())
    assert result.city("A").defence == 0.0 and "missing_defence" in result.city("A").flags
    assert result.city("B").qualitative_total == 0.0 and "no_expert_scores" in result.city("B").flags


def test_trimmed_experts_and_outliers_are_recorded_per_indicator():
    result = score_batch(small_system(), [city("A", 50, 60, [24, 25, 24, 26, 5], [16, 16, 16, 16, 16])], params())
    a = result.city("A")
    assert a.trimmed["B1"] == ("E5", "E4")  # lowest, highest
    assert a.indicator_points["B1"] == pytest.approx((24 + 25 + 24) / 3)
    assert [(o.indicator, o.expert_id, o.score) for o in a.outliers] == [("B1", "E5", 5.0)]
    assert "expert_outlier" in a.flags


def test_quota_and_pass_mark_decide_selection_within_the_track():
    cities = [
        city("C1", 100, 60, [30, 30, 30], defence=100),   # composite 100
        city("C2", 80, 60, [25, 25, 25], defence=90),
        city("C3", 60, 60, [20, 20, 20], defence=80),
        city("C4", 0, 0, [5, 5, 5], defence=40),          # below the pass mark
    ]
    result = score_batch(small_system(), cities, params(quotas={"COMP": 3}, pass_mark=60))
    assert result.tracks[0].ranking == ("C1", "C2", "C3", "C4")
    assert result.tracks[0].selected == ("C1", "C2", "C3")
    assert not result.city("C4").eligible and "below_pass_mark" in result.city("C4").flags
    strict = score_batch(small_system(), cities, params(quotas={"COMP": 3}, pass_mark=80))
    assert strict.tracks[0].selected == ("C1", "C2")  # quota left unfilled rather than lowering the bar


def test_ties_are_broken_by_material_then_qualitative_total_then_city_code():
    half = params(w_material=0.5, w_defence=0.5, quotas={"COMP": 1}, pass_mark=0)
    # Equal composite 70: X has the higher material score.
    x = city("X", 100, 60, [15, 15, 15], [15, 15, 15], defence=60)  # material 30+20+15+15 = 80
    y = city("Y", 100, 60, [5, 5, 5], [5, 5, 5], defence=80)         # material 60
    assert score_batch(small_system(), [y, x], half).tracks[0].ranking == ("X", "Y")
    # Equal composite and material: P has the higher qualitative total.
    p = city("P", 50, 0, [25, 25, 25], [20, 20, 20], defence=60)     # 15 + 45 = 60
    q = city("Q", 100, 60, [5, 5, 5], [5, 5, 5], defence=60)         # 50 + 10 = 60
    assert score_batch(small_system(), [q, p], half).tracks[0].ranking == ("P", "Q")
    # Everything equal: city code ascending, and the tie at the cut-off is flagged.
    twins = [city(code, 50, 60, [20, 20, 20]) for code in ("330200", "110000")]
    result = score_batch(small_system(), twins, half)
    assert result.tracks[0].ranking == ("110000", "330200")
    assert result.tracks[0].selected == ("110000",)
    assert all("tied_at_cutoff" in c.flags for c in result.cities)


def test_each_track_is_ranked_on_its_own_and_a_city_may_apply_in_two_domains():
    cities = [
        city("110000", 90, 60, [25, 25, 25], track="LIFE"),
        city("110000", 90, 60, [25, 25, 25], track="PUBLIC"),
        city("310000", 80, 60, [20, 20, 20], track="LIFE"),
        city("440300", 70, 60, [28, 28, 28], track="COMP"),
    ]
    result = score_batch(small_system(), cities, params(quotas={"COMP": 1, "LIFE": 1, "PUBLIC": 1}))
    tracks = {t.track: t for t in result.tracks}
    assert tracks["LIFE"].ranking == ("110000", "310000") and tracks["LIFE"].selected == ("110000",)
    assert tracks["PUBLIC"].selected == ("110000",) and tracks["COMP"].selected == ("440300",)
    assert result.city("110000", "PUBLIC").rank == 1 and result.city("310000").rank == 2
    assert [(c.track, c.city_code) for c in result.cities] == sorted((c.track, c.city_code) for c in result.cities)


def test_decimals_from_the_database_score_and_hash_like_floats():
    specs = [replace(s, weight=Decimal(str(s.weight)), floor=None if s.floor is None else Decimal(str(s.floor)),
                     target=None if s.target is None else Decimal(str(s.target))) for s in small_system()]
    as_decimals = CityInput(city_code="A", track="COMP", figures={"A1": Decimal("50.0"), "A2": Decimal("60")},
                            expert_scores={"E1": {"B1": Decimal("20.5"), "B2": Decimal("10")}},
                            defence_score=Decimal("90"))
    as_floats = city("A", 50, 60, [20.5], [10], defence=90)
    run = params(w_material=Decimal("0.7"), w_defence=Decimal("0.3"), pass_mark=Decimal("60"), draws=10)
    assert result_bytes(score_batch(specs, [as_decimals], run)) == result_bytes(
        score_batch(small_system(), [as_floats], params(draws=10)))


def test_an_absent_figure_is_the_same_as_a_missing_one():
    absent = replace(city("A", 50, 60, [20]), figures={"A2": 60})
    assert input_hash(small_system(), [absent]) == input_hash(small_system(), [city("A", None, 60, [20])])
