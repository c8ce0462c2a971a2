"""A scoring run built from a batch's real review data: panels, submitted sheets, defence scores,
official or declared figures, the batch's parameters (issue 14 item 8)."""

import pytest

from icdc.audit.models import AuditRecord
from icdc.rankings import batch_inputs
from icdc.rankings.adapters import RunInputError
from icdc.rankings.models import ScoringRun, ScoringRunCity
from icdc.rankings.services import create_run_for_batch, reproduce_run
from icdc.review.defence import defence_scores
from icdc.review.scores import submitted_scores

from . import batch_world


@pytest.fixture
def tiny(db):
    return batch_world.tiny_version()


@pytest.fixture
def case(tiny):
    return batch_world.hand_case(tiny)


def test_the_ranking_is_the_one_computed_by_hand(case):
    """济南: figure 50 (official; its declared 99 is ignored) → 40 × 50/100 = 20; P1 = mean(20, 25, 30) = 25;
    P2 = mean(10, 20, 30) = 20; material 65; defence mean(80, 90, 70) = 80; composite 65 × 0.7 + 80 × 0.3
    = 69.5. 南京: figure 80 (declared) → 32; P1 = mean(15, 15) = 15, P2 = 12 (the draft sheet of the third
    expert does not count); material 59; did not appear → defence 0; composite 41.3 < pass mark 50."""
    run = create_run_for_batch(batch=case["batch"], user=case["officer"], seed=5)
    rows = {r.city_id: r for r in ScoringRunCity.objects.filter(run=run)}
    jinan, nanjing = rows["370100"], rows["320100"]
    assert jinan.material == pytest.approx(65) and jinan.defence == pytest.approx(80)
    assert jinan.composite == pytest.approx(69.5)
    assert (jinan.rank, jinan.eligible, jinan.selected) == (1, True, True)
    assert nanjing.material == pytest.approx(59) and nanjing.defence == 0
    assert nanjing.composite == pytest.approx(41.3)
    assert (nanjing.rank, nanjing.eligible, nanjing.selected) == (2, False, False)
    assert "missing_defence" in nanjing.flags and "below_pass_mark" in nanjing.flags
    assert run.batch_id == case["batch"].pk and run.year == batch_world.YEAR and run.seed == 5
    assert run.params["quotas"] == {"COMP": 1}
    assert (run.params["w_material"], run.params["w_defence"], run.params["pass_mark"]) == (0.7, 0.3, 50.0)
    assert run.params["calibrate"] is True and run.params["draws"] == batch_inputs.DRAWS


def test_the_snapshot_keeps_each_members_defence_score_and_the_figures_sources(case):
    run = create_run_for_batch(batch=case["batch"], user=case["officer"], seed=5)
    a, b, c = (str(e.pk) for e in case["members"])
    cities = {city["city_code"]: city for city in run.snapshot["parts"][0]["cities"]}
    assert cities["370100"]["defence_scores"] == {a: 80.0, b: 90.0, c: 70.0}
    assert cities["370100"]["defence_score"] is None
    assert "defence_scores" not in cities["320100"]  # did not appear: an empty panel, stored as missing
    assert set(cities["320100"]["expert_scores"]) == {a, b}
    assert cities["370100"]["figures"] == {"Q1": 50.0} and cities["320100"]["figures"] == {"Q1": 80.0}
    sources = run.snapshot["figure_sources"]
    assert sources["370100"]["Q1"]["source"] == "nbs" and sources["320100"]["Q1"]["source"] == "application"


def test_the_run_reproduces_to_the_byte(case):
    run = create_run_for_batch(batch=case["batch"], user=case["officer"], seed=5)
    assert reproduce_run(user=case["officer"], run=run) is True


def test_the_creation_is_audited_with_the_batch(case):
    run = create_run_for_batch(batch=case["batch"], user=case["officer"], seed=5)
    record = AuditRecord.objects.get(action="rankings.scoring_run.create")
    assert record.object_id == str(run.pk)
    assert record.after["batch"] == case["batch"].pk and record.after["applications"] == 2
    assert record.after["result_hash"] == run.result_hash


def test_submitted_scores_and_defence_scores_read_the_orm_rows(case):
    jinan, nanjing = case["applications"]
    a, b, c = (str(e.pk) for e in case["members"])
    scores = submitted_scores(case["batch"])
    assert scores[jinan.pk]["COMP"][c] == {"P1": 30.0, "P2": 30.0}
    assert set(scores[nanjing.pk]["COMP"]) == {a, b}
    assert defence_scores(case["batch"]) == {jinan.pk: {"COMP": {a: 80.0, b: 90.0, c: 70.0}},
                                             nanjing.pk: {"COMP": {}}}


def test_the_preview_says_what_goes_in(case):
    data = batch_inputs.collect(batch=case["batch"])
    rows = {r.city_code: r for r in data.rows}
    assert (rows["370100"].sheets, rows["370100"].panel_size, rows["370100"].defence) == (3, 3, "scored")
    assert rows["370100"].defence_count == 3 and rows["370100"].missing_figures == []
    assert (rows["320100"].sheets, rows["320100"].defence) == (2, "no_show")
    assert rows["320100"].declared_figures == ["Q1"]
    assert (data.n_applications, data.n_sheets, data.n_defence_scores, data.n_no_shows) == (2, 5, 3, 1)
    assert data.year == batch_world.YEAR and data.system_code == "COMP"


def test_a_figure_declared_for_another_year_is_missing(case):
    jinan, nanjing = case["applications"]
    batch_world.declare_figures(nanjing, {"Q1": 80}, year=2021)
    data = batch_inputs.collect(batch=case["batch"], year=2022)
    assert next(r for r in data.rows if r.city_code == "320100").missing_figures == ["Q1"]
    run = create_run_for_batch(batch=case["batch"], user=case["officer"], year=2022, seed=1)
    assert "missing_figure" in ScoringRunCity.objects.get(run=run, city_id="320100").flags


def test_a_withdrawn_application_leaves_the_ranking(case):
    from icdc.applications.models import Application

    Application.objects.filter(pk=case["applications"][1].pk).update(status="withdrawn")
    run = create_run_for_batch(batch=case["batch"], user=case["officer"], seed=5)
    assert list(ScoringRunCity.objects.filter(run=run).values_list("city_id", flat=True)) == ["370100"]


def test_a_redrawn_panels_sheets_do_not_count(case, tiny):
    """Sheets belong to the panel they were written for: after a redraw, only the new panel's count."""
    from icdc.review.panels import panel_draw

    panel_draw(batch=case["batch"], group="COMP", size=3, reserves=0, user=case["officer"], seed="again")
    with pytest.raises(RunInputError) as caught:
        create_run_for_batch(batch=case["batch"], user=case["officer"])
    assert "尚无专家提交评分表" in caught.value.message


# --- refusals: a message, nothing stored --------------------------------------------------------


def _refused(batch, user, **kwargs):
    before = AuditRecord.objects.count()
    with pytest.raises(RunInputError) as caught:
        create_run_for_batch(batch=batch, user=user, **kwargs)
    assert not ScoringRun.objects.exists() and not ScoringRunCity.objects.exists()
    assert AuditRecord.objects.count() == before
    return caught.value.message


def test_a_batch_without_panels_is_refused(tiny):
    from tests.applications import factories_review as fr

    batch = fr.batch(indicator_version=tiny, quotas={"COMP": 1})
    assert "尚未抽取评审专家组" in _refused(batch, fr.ministry())


def test_a_batch_without_submitted_sheets_is_refused(tiny):
    data = batch_world.world(version=tiny)
    batch_world.official_figure(data["applications"][0].city, "Q1", 50)
    batch_world.sheet(data["panel"], data["applications"][0], data["members"][0], {"P1": 1, "P2": 1},
                      submitted=False)
    assert "尚无专家提交评分表" in _refused(data["batch"], data["officer"])


def test_a_batch_without_an_indicator_version_is_refused(case):
    from icdc.batches.models import Batch

    Batch.objects.filter(pk=case["batch"].pk).update(indicator_version=None)
    case["batch"].refresh_from_db()
    assert "未锁定评价指标体系版本" in _refused(case["batch"], case["officer"])


def test_an_unknown_statistics_year_is_refused(case):
    assert "1999 年既没有这些城市的统计数据" in _refused(case["batch"], case["officer"], year=1999)


def test_a_year_that_cannot_be_found_is_refused(tiny):
    data = batch_world.world(version=tiny)
    batch_world.sheet(data["panel"], data["applications"][0], data["members"][0], {"P1": 1, "P2": 1})
    assert "无法确定统计数据年份" in _refused(data["batch"], data["officer"])


def test_a_track_without_a_quota_is_refused(case):
    from icdc.batches.models import Batch

    Batch.objects.filter(pk=case["batch"].pk).update(quotas={})
    case["batch"].refresh_from_db()
    assert "未设置“综合型”的名额" in _refused(case["batch"], case["officer"])


def test_an_incomplete_sheet_is_refused_naming_city_and_expert(case):
    from icdc.review.models import ScoreEntry

    ScoreEntry.objects.filter(sheet__application=case["applications"][0], sheet__expert=case["members"][0],
                              indicator_code="P2").delete()
    message = _refused(case["batch"], case["officer"])
    assert "370100" in message and str(case["members"][0].pk) in message and "P2" in message


def test_an_unknown_type_is_refused(case):
    assert "还没有评审专家组" in _refused(case["batch"], case["officer"], system_code="SPEC")


def test_other_roles_may_not_create(case, role_users):
    from django.core.exceptions import PermissionDenied

    from icdc.accounts.models import Role

    for role in (Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.EXPERT, Role.SYSTEM_ADMIN):
        with pytest.raises(PermissionDenied):
            create_run_for_batch(batch=case["batch"], user=role_users[role])
    assert not ScoringRun.objects.exists()


def test_a_batch_with_panels_for_two_types_asks_which_one(case):
    """A panel for a 特色型 domain beside the 综合型 one: the page must name the type."""
    from icdc.review.models import PanelDraw

    comp = case["panel"]
    PanelDraw.objects.create(batch=case["batch"], group="LIFE", size=1, reserve_count=0, seed="x", pool_hash="0",
                             snapshot={}, application_ids=[], members=comp.members[:1], drawn_by=case["officer"],
                             drawn_at=comp.drawn_at)
    assert [code for code, _label in batch_inputs.systems(case["batch"])] == ["COMP", "SPEC"]
    assert "请选择要计分的类型" in _refused(case["batch"], case["officer"])
    run = create_run_for_batch(batch=case["batch"], user=case["officer"], system_code="COMP", seed=5)
    assert run.system_code == "COMP" and run.tracks == ["COMP"]
