"""The rankings contract (``submitted_scores``, ``expert_labels``), the progress matrix and spread,
the officer's reminders, the task-queue reminders and the score matrix export."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from icdc.audit.models import AuditRecord
from icdc.notifications.models import Notification
from icdc.review import progress, scores
from icdc.review.models import ScoreSheet

from .helpers import full_scores, scoring_world

pytestmark = pytest.mark.django_db


def _submit(sw, member, app=0, fraction=0.5, **extra):
    values = {**full_scores(sw["specs"], fraction), **extra}
    return scores.score_sheet_submit(panel=sw["panel"], application=sw["applications"][app],
                                     user=sw["members"][member].account, scores=values, version=0)


def test_submitted_scores_has_only_submitted_sheets_of_current_panels(sw):
    _submit(sw, 0, fraction=1)
    _submit(sw, 1, app=1, fraction=0.5)
    scores.score_sheet_save(panel=sw["panel"], application=sw["applications"][0], user=sw["members"][2].account,
                            scores={"D1.4": "1"}, version=0)  # a draft: not in
    out = scores.submitted_scores(sw["batch"])
    a0, a1 = sw["applications"][0].pk, sw["applications"][1].pk
    key0, key1 = str(sw["members"][0].pk), str(sw["members"][1].pk)
    assert set(out) == {a0, a1}
    assert list(out[a0]) == ["COMP"] and list(out[a0]["COMP"]) == [key0]
    assert out[a0]["COMP"][key0]["D1.4"] == 4.0 and out[a0]["COMP"][key0]["D6.3"] == 5.0
    assert out[a1]["COMP"][key1]["D3.5"] == 1.5 and len(out[a1]["COMP"][key1]) == 10
    assert all(isinstance(v, float) for v in out[a1]["COMP"][key1].values())
    labels = scores.expert_labels(sw["batch"])
    assert labels[key0] == sw["members"][0].masked_name and len(labels) == 5


def test_a_redraw_drops_the_replaced_panels_sheets(sw):
    from icdc.review.panels import panel_draw

    _submit(sw, 0)
    panel_draw(batch=sw["batch"], group="COMP", size=5, reserves=1, user=sw["officer"], seed="again")
    assert scores.submitted_scores(sw["batch"]) == {}


@pytest.mark.parametrize("size", [2, 6])
def test_submitted_scores_runs_in_a_constant_number_of_queries(draft_version, django_assert_num_queries, size):
    sw = scoring_world(draft_version, size=size, experts=8)
    for n in range(size):
        for app in (0, 1):
            _submit(sw, n, app=app)
    with django_assert_num_queries(2):
        out = scores.submitted_scores(sw["batch"])
    assert sum(len(t["COMP"]) for t in out.values()) == 2 * size


def test_the_progress_matrix_and_the_spread(sw, settings):
    settings.ICDC_SCORE_SPREAD_RANGE, settings.ICDC_SCORE_SPREAD_STDEV = 10, 100
    _submit(sw, 0, fraction=1)  # total 42
    _submit(sw, 1, fraction=0.5)  # total 21
    scores.score_sheet_save(panel=sw["panel"], application=sw["applications"][0], user=sw["members"][2].account,
                            scores={}, version=0)
    _submit(sw, 0, app=1, fraction=0.5)
    _submit(sw, 1, app=1, fraction=0.6)  # 21 and 25.2
    [panel] = progress.batch_progress(sw["batch"])
    first, second = panel["rows"]
    assert [c["status"] for c in first["cells"]] == ["submitted", "submitted", "draft", "none", "none"]
    assert [float(c["total"]) if c["total"] is not None else None for c in first["cells"]] == [42, 21, None, None, None]
    assert first["spread"]["range"] == 21 and first["spread"]["flagged"] is True
    assert first["spread"]["stdev"] == pytest.approx(14.85, abs=0.01)
    assert second["spread"]["range"] == pytest.approx(4.2) and second["spread"]["flagged"] is False
    settings.ICDC_SCORE_SPREAD_RANGE, settings.ICDC_SCORE_SPREAD_STDEV = 100, 2
    assert progress.batch_progress(sw["batch"])[0]["rows"][1]["spread"]["flagged"] is True  # stdev 2.97 > 2


def test_spread_of_nothing_and_of_one_sheet():
    assert progress.spread([]) == {"range": None, "stdev": None, "flagged": False}
    assert progress.spread([30]) == {"range": 0, "stdev": None, "flagged": False}


def test_the_progress_page_queries_do_not_grow(draft_version, client):
    """The same number of queries for a panel of 2 and of 6 experts (with more applications too)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.applications import factories_review as fr

    counts = []
    for size, extra in ((2, 0), (6, 3)):
        sw = scoring_world(draft_version, size=size)
        for n in range(extra):
            sw["panel"].application_ids.append(fr.recommended(batch_obj=sw["batch"], city_obj=fr.city(
                f"4401{n}1", f"城市{n}")).pk)
        sw["panel"].save(update_fields=["application_ids"])
        for n in range(size):
            _submit(sw, n)
        client.force_login(sw["officer"])
        url = reverse("scoring:progress", args=[sw["batch"].pk])
        client.get(url)  # warm the session and the programme cache
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.content.decode().count('data-status="submitted"') == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_officers_reminder_notifies_each_late_expert_once_per_press(sw):
    for n in range(5):
        _submit(sw, n, app=0)
    _submit(sw, 0, app=1)
    reminded = progress.reminders_send_now(batch=sw["batch"], user=sw["officer"])
    assert [e.pk for e in reminded] == sorted(m.pk for m in sw["members"][1:])
    assert Notification.objects.filter(kind=progress.REMINDER_KIND).count() == 4
    assert not Notification.objects.filter(recipient=sw["members"][0].account).exists()
    assert "1 份评分表未提交" in Notification.objects.filter(recipient=sw["members"][1].account).get().title
    progress.reminders_send_now(batch=sw["batch"], user=sw["officer"])
    assert Notification.objects.filter(kind=progress.REMINDER_KIND).count() == 8
    records = AuditRecord.objects.filter(action="review.reminder.send")
    assert records.count() == 2 and records.first().after["sheets"] == 4


def test_the_task_queue_reminds_2_days_and_1_day_before_the_close_once_each(sw):
    from icdc.notifications.reminders import reminders_send
    from icdc.review.reminders import KIND

    window = sw["window"]
    for n in range(5):
        _submit(sw, n, app=0)
        if n:
            _submit(sw, n, app=1)
    closes = window.closes_at
    reminders_send(now=closes - datetime.timedelta(days=3))
    assert not Notification.objects.filter(kind=KIND).exists()
    reminders_send(now=closes - datetime.timedelta(days=2))
    reminders_send(now=closes - datetime.timedelta(days=1, hours=12))
    [note] = Notification.objects.filter(kind=KIND)
    assert note.recipient == sw["members"][0].account and "2 天内截止" in note.title
    reminders_send(now=closes - datetime.timedelta(hours=5))
    reminders_send(now=closes - datetime.timedelta(hours=1))
    assert Notification.objects.filter(kind=KIND).count() == 2
    scores.review_window_close(batch=sw["batch"], user=sw["officer"])
    assert Notification.objects.filter(kind=KIND).count() == 2


def test_the_score_matrix_export(sw):
    _submit(sw, 0, fraction=1)
    scores.score_sheet_save(panel=sw["panel"], application=sw["applications"][0], user=sw["members"][1].account,
                            scores={"D1.4": "2"}, version=0)
    content, filename = progress.score_matrix_export(panel=sw["panel"], user=sw["officer"])
    assert filename.endswith(".xlsx") and "评分矩阵" in filename
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "申报城市")
    header, data = rows[header_at], rows[header_at + 1:]
    assert header[4].startswith("D1.4") and header[-2] == "合计" and len(header) == 4 + 10 + 2
    assert len(data) == 2 * 5
    first = data[0]
    assert first[0] == sw["applications"][0].city.name and first[2] == sw["members"][0].masked_name
    assert first[3] == "已提交" and first[4] == 4 and first[-2] == 42
    assert data[1][3] == "草稿" and data[1][4] is None and data[1][-2] is None  # a draft's figures stay private
    assert data[2][3] == "未开始"
    assert AuditRecord.objects.filter(action="review.score_matrix.export").count() == 1


def test_setting_and_closing_the_window_is_audited(sw):
    now = timezone.now()
    from icdc.lib.refusals import Refusal

    with pytest.raises(Refusal, match="晚于"):
        scores.review_window_set(batch=sw["batch"], opens_at=now, closes_at=now, user=sw["officer"])
    scores.review_window_set(batch=sw["batch"], opens_at=now - datetime.timedelta(hours=1),
                             closes_at=now + datetime.timedelta(days=5), user=sw["officer"])
    scores.review_window_close(batch=sw["batch"], user=sw["officer"])
    with pytest.raises(Refusal, match="提前关闭"):
        scores.review_window_set(batch=sw["batch"], opens_at=now, closes_at=now + datetime.timedelta(days=9),
                                 user=sw["officer"])
    with pytest.raises(Refusal, match="未开放"):
        scores.review_window_close(batch=sw["batch"], user=sw["officer"])
    assert list(AuditRecord.objects.filter(action__startswith="review.window").order_by("seq")
                .values_list("action", flat=True)) == ["review.window.set", "review.window.close"]
    assert ScoreSheet.objects.count() == 0
