"""Score sheets: drafts, the version check, submit and its refusals, the window, others' scores, the opinion."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.review import scores
from icdc.review.models import PanelOpinion, ScoreEntry, ScoreSheet

from .helpers import full_scores

pytestmark = pytest.mark.django_db


def _save(sw, member=0, app=0, **kwargs):
    kwargs.setdefault("scores", {})
    return scores.score_sheet_save(panel=sw["panel"], application=sw["applications"][app],
                                   user=sw["members"][member].account, **kwargs)


def _submit(sw, member=0, app=0, **kwargs):
    kwargs.setdefault("scores", full_scores(sw["specs"]))
    return scores.score_sheet_submit(panel=sw["panel"], application=sw["applications"][app],
                                     user=sw["members"][member].account, **kwargs)


def test_the_form_has_the_qualitative_indicators_of_the_version(sw):
    assert [s.code for s in sw["specs"]] == ["D1.4", "D2.4", "D3.5", "D4.2", "D5.1", "D5.2", "D5.3", "D6.1", "D6.2",
                                             "D6.3"]
    assert {s.weight for s in sw["specs"]} == {3.0, 4.0, 5.0}


def test_a_draft_saves_partial_scores_and_comments(sw):
    sheet = _save(sw, scores={"D1.4": "3.5"}, comments={"D1.4": "基础较好"}, overall_comment="总体良好", version=0)
    assert sheet.status == ScoreSheet.Status.DRAFT and sheet.version == 1 and sheet.track == "COMP"
    entries = {e.indicator_code: (e.score, e.comment) for e in sheet.entries.all()}
    assert entries["D1.4"] == (Decimal("3.50"), "基础较好") and entries["D2.4"] == (None, "")
    assert sheet.overall_comment == "总体良好"
    record = AuditRecord.objects.get(action="review.score_sheet.save")
    assert record.after["scores"]["D1.4"] == "3.50" and record.after["version"] == 1


def test_a_second_tab_with_an_older_version_is_refused_naming_when(sw):
    _save(sw, scores={"D1.4": "1"}, version=0)
    _save(sw, scores={"D1.4": "2"}, version=1)
    with pytest.raises(Refusal) as refused:
        _save(sw, scores={"D1.4": "4"}, version=1)
    assert "已于" in str(refused.value) and "版本 2" in str(refused.value)
    assert ScoreEntry.objects.get(indicator_code="D1.4").score == Decimal("2.00")


@pytest.mark.parametrize("value, message", [("4.5", "须在 0 到 4 之间"), ("-1", "须在 0 到 4 之间"),
                                            ("abc", "不是数字"), ("1.234", "两位小数"), ("NaN", "须在 0 到 4 之间")])
def test_a_score_outside_0_to_weight_is_refused_and_nothing_saved(sw, value, message):
    with pytest.raises(Refusal) as refused:
        _submit(sw, scores={**full_scores(sw["specs"]), "D1.4": value})
    assert message in str(refused.value) and "D1.4" in str(refused.value)
    assert not ScoreSheet.objects.exists() and not ScoreEntry.objects.exists()


def test_submit_refuses_missing_indicators_and_saves_nothing(sw):
    _save(sw, scores={"D1.4": "2"}, version=0)
    partial = full_scores(sw["specs"])
    del partial["D6.3"], partial["D5.1"]
    with pytest.raises(Refusal) as refused:
        _submit(sw, scores=partial, version=1)
    assert "尚未打分" in str(refused.value) and "D6.3" in str(refused.value) and "D5.1" in str(refused.value)
    sheet = ScoreSheet.objects.get()
    assert sheet.status == "draft" and sheet.version == 1
    assert ScoreEntry.objects.get(sheet=sheet, indicator_code="D1.4").score == Decimal("2.00")


def test_submit_locks_the_sheet(sw):
    sheet = _submit(sw, overall_comment="同意", version=0)
    assert sheet.status == "submitted" and sheet.submitted_at is not None
    assert sum(e.score for e in sheet.entries.all()) == Decimal(str(sum(s.weight for s in sw["specs"]) / 2))
    with pytest.raises(Refusal, match="已于 .* 提交"):
        _save(sw, scores={"D1.4": "1"}, version=sheet.version)
    with pytest.raises(Refusal, match="提交"):
        _submit(sw, version=sheet.version)
    assert AuditRecord.objects.filter(action="review.score_sheet.submit").count() == 1


def test_nothing_changes_outside_the_window(sw):
    window = sw["window"]
    window.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    window.save()
    with pytest.raises(Refusal, match="关闭"):
        _submit(sw, version=0)
    window.opens_at, window.closes_at = (timezone.now() + datetime.timedelta(days=1),
                                         timezone.now() + datetime.timedelta(days=2))
    window.save()
    with pytest.raises(Refusal, match="尚未开放"):
        _save(sw, scores={"D1.4": "1"}, version=0)
    assert not ScoreSheet.objects.exists()


def test_an_early_close_refuses_every_later_change(sw):
    _save(sw, scores={"D1.4": "1"}, version=0)
    scores.review_window_close(batch=sw["batch"], user=sw["officer"])
    with pytest.raises(Refusal, match="关闭"):
        _save(sw, scores={"D1.4": "2"}, version=1)
    assert ScoreEntry.objects.get(indicator_code="D1.4").score == Decimal("1.00")


def test_others_scores_are_visible_only_after_ones_own_submit(sw):
    member, other = sw["members"][0], sw["members"][1]
    _submit(sw, member=1, version=0, scores=full_scores(sw["specs"], 0.8))
    panel, app = sw["panel"], sw["applications"][0]
    assert scores.others_scores(panel=panel, application=app, expert=member) == []
    _save(sw, member=0, scores={"D1.4": "1"}, version=0)
    assert scores.others_scores(panel=panel, application=app, expert=member) == []
    _submit(sw, member=0, version=1)
    seen = scores.others_scores(panel=panel, application=app, expert=member)
    assert [o["expert"].pk for o in seen] == [other.pk]
    assert seen[0]["scores"]["D1.4"] == Decimal("3.20")


def test_only_the_leader_writes_the_opinion_once_everyone_submitted(sw):
    panel, app = sw["panel"], sw["applications"][0]
    leader = next(m for m in sw["members"] if m.pk == panel.leader)
    index = sw["members"].index(leader)
    with pytest.raises(Refusal, match="尚未全部提交"):
        scores.panel_opinion_write(panel=panel, application=app, text="同意推荐", user=leader.account)
    for n in range(len(sw["members"])):
        _submit(sw, member=n, version=0)
    non_leader = sw["members"][(index + 1) % len(sw["members"])]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        scores.panel_opinion_write(panel=panel, application=app, text="越权", user=non_leader.account)
    opinion = scores.panel_opinion_write(panel=panel, application=app, text="同意推荐", user=leader.account)
    assert opinion.written_by == leader and PanelOpinion.objects.get().text == "同意推荐"
    assert AuditRecord.objects.get(action="review.panel_opinion.write").after["text"] == "同意推荐"


def test_a_replaced_member_cannot_score_and_the_substitute_can(sw):
    from icdc.review.panels import panel_member_decline

    gone = sw["members"][0]
    panel = panel_member_decline(draw_record=sw["panel"], expert=gone, reason="回避", user=sw["officer"])
    with pytest.raises(Refusal) as refused:
        scores.score_sheet_save(panel=panel, application=sw["applications"][0], user=gone.account,
                                scores={}, version=0)
    assert refused.value.code == "replaced" and "您已被替换" in str(refused.value)
    from icdc.review.models import Expert

    substitute = Expert.objects.get(pk=panel.members[0])
    from .helpers import sign

    sign(substitute, sw["batch"])
    sheet = scores.score_sheet_save(panel=panel, application=sw["applications"][0], user=substitute.account,
                                    scores={"D1.4": "2"}, version=0)
    assert sheet.expert == substitute


def test_the_quantitative_rows_show_figure_source_and_the_engines_points(sw, officer):
    from icdc.indicators.models import StatisticFigure
    from icdc.scoring.rules import indicator_points

    app = sw["applications"][0]
    StatisticFigure.objects.create(city=app.city, year=sw["batch"].year - 1, indicator_code="D1.1", value=50,
                                   unit="亿元", source="nbs", entered_by=officer, entered_at=timezone.now())
    specs = scores.track_specs(sw["batch"], "COMP")
    rows = {r["spec"].code: r for r in scores.quantitative_rows(app, specs)}
    assert "D1.4" not in rows and len(rows) == 13
    d11 = rows["D1.1"]
    assert d11["figure"] == 50.0 and "国家统计局" in d11["source"]
    assert d11["points"] == indicator_points(d11["spec"], 50.0)
    assert rows["D1.2"]["figure"] is None and rows["D1.2"]["points"] == 0.0
