"""Two experts submitting and an officer closing the window at the same moment (PostgreSQL, threads):
every sheet is either in (committed before the close, counted by it) or refused (nothing written).

Both the submit and the close lock the batch's ``ReviewWindow`` row. Each test fails without the
lock in ``scores._locked_open_window``: the expert's transaction would read the window as open
before the close committed and write a submitted sheet after the window had closed.
"""

import pytest
from django.db import connection

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.review import scores
from icdc.review.models import ReviewWindow, ScoreEntry, ScoreSheet
from tests.races import race

from .helpers import full_scores, scoring_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def _submit(sw, member):
    return lambda: scores.score_sheet_submit(panel=sw["panel"], application=sw["applications"][0],
                                             user=sw["members"][member].account,
                                             scores=full_scores(sw["specs"]), version=0)


def _close(sw):
    return lambda: scores.review_window_close(batch=sw["batch"], user=sw["officer"])


def test_a_submit_racing_a_close_that_went_first_is_refused_and_writes_nothing(draft_version):
    sw = scoring_world(draft_version)
    _first, second = race(_close(sw), _submit(sw, 0))
    assert isinstance(second.error, Refusal) and second.error.code == "window_closed", second.error
    assert not ScoreSheet.objects.exists() and not ScoreEntry.objects.exists()
    assert AuditRecord.objects.get(action="review.window.close").after["submitted_sheets"] == 0


def test_two_submits_and_a_close_every_sheet_in_or_refused(draft_version):
    sw = scoring_world(draft_version)
    first, second = race(_submit(sw, 0), _close(sw))  # expert A holds; the close waits for A's commit
    assert first.error is None and second.error is None, second.error
    late = None
    try:
        _submit(sw, 1)()  # expert B, a moment later: the window is closed
    except Refusal as refusal:
        late = refusal
    assert late is not None and late.code == "window_closed"
    window = ReviewWindow.objects.get()
    sheets = list(ScoreSheet.objects.all())
    assert [s.expert_id for s in sheets] == [sw["members"][0].pk]
    assert all(s.status == "submitted" and s.submitted_at <= window.closed_at for s in sheets)
    assert ScoreEntry.objects.filter(sheet=sheets[0], score__isnull=False).count() == len(sw["specs"])
    assert AuditRecord.objects.get(action="review.window.close").after["submitted_sheets"] == 1


def _save(sw, member, app=1, panel=None):
    return lambda: scores.score_sheet_save(panel=panel or sw["panel"], application=sw["applications"][app],
                                           user=sw["members"][member].account, scores={"D1.4": "2"}, version=0)


def _decline(sw, member):
    from icdc.review.panels import panel_member_decline

    return lambda: panel_member_decline(draw_record=sw["panel"], expert=sw["members"][member], reason="回避",
                                        user=sw["officer"])


def test_a_save_racing_the_replacement_that_went_first_is_refused_and_writes_nothing(draft_version):
    """The save's page read the member list before the replacement committed (its own copy of the
    panel): the service re-reads it under the window's lock."""
    from icdc.review.models import PanelDraw

    sw = scoring_world(draft_version)
    stale = PanelDraw.objects.get(pk=sw["panel"].pk)
    first, second = race(_decline(sw, 0), _save(sw, 0, panel=stale))
    assert first.error is None, first.error
    assert isinstance(second.error, Refusal) and second.error.code == "replaced", second.error
    assert not ScoreSheet.objects.filter(expert=sw["members"][0]).exists()


def test_a_draft_saved_while_the_replacement_waited_is_withdrawn_by_it(draft_version):
    """Without the window lock in the replacement it would not see the draft committing meanwhile:
    a live draft of a replaced member would be left behind."""
    sw = scoring_world(draft_version)
    first, second = race(_save(sw, 0), _decline(sw, 0))
    assert first.error is None and second.error is None, (first.error, second.error)
    sheet = ScoreSheet.objects.get(expert=sw["members"][0])
    assert sheet.status == ScoreSheet.Status.WITHDRAWN
    assert AuditRecord.objects.get(action="review.score_sheet.withdraw").object_id == str(sheet.pk)


def test_a_draft_saved_while_a_redraw_waited_is_withdrawn_by_it(draft_version):
    """The redraw takes the window's lock before reading the old panel's sheets: without it, it would
    not see a draft committing meanwhile, and a live draft of a member who left would stay behind on
    the superseded panel (counted nowhere, blocking that member's sheet if they came back)."""
    from icdc.review.panels import panel_draw

    sw = scoring_world(draft_version)
    leaving = sw["members"][0]
    leaving.conflict_cities.add(sw["applications"][1].city)  # declared since: the redraw excludes them
    first, second = race(_save(sw, 0), lambda: panel_draw(batch=sw["batch"], group=sw["panel"].group, size=5,
                                                          reserves=0, user=sw["officer"], seed="again"))
    assert first.error is None and second.error is None, (first.error, second.error)
    assert leaving.pk not in second.value.members
    sheet = ScoreSheet.objects.get(expert=leaving)
    assert sheet.status == ScoreSheet.Status.WITHDRAWN and sheet.panel_id == sw["panel"].pk
    record = AuditRecord.objects.get(action="review.score_sheet.withdraw")
    assert record.object_id == str(sheet.pk) and record.after["redraw"] == second.value.pk
