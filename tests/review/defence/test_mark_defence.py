"""The officer records that a defence was held, or that the city did not appear (未到场): through the
declared lifecycle, audited, final; not before the slot's time; the panel is told when it was held."""

import pytest
from django.core.exceptions import PermissionDenied

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.notifications.models import Notification
from icdc.review.defence import defence_mark
from tests.review.defence.conftest import slot

pytestmark = pytest.mark.django_db


def test_held_is_recorded_audited_and_the_panel_told(world):
    s = slot(world)
    marked = defence_mark(slot=s, outcome="held", user=world["officer"])
    assert marked.status == "held"
    record = AuditRecord.objects.get(action="review.defence.held")
    assert record.before == {"status": "scheduled"} and record.after["status"] == "held"
    told = set(Notification.objects.filter(kind="review.defence.held").values_list("recipient_id", flat=True))
    assert told == {e.account_id for e in world["members"]}
    assert Notification.objects.filter(kind="review.defence.held").first().link == f"/review/defence/slots/{s.pk}/score/"


def test_no_show_is_recorded_and_final(world):
    s = slot(world)
    defence_mark(slot=s, outcome="no_show", user=world["officer"], note="未接入会议")
    s.refresh_from_db()
    assert s.status == "no_show"
    record = AuditRecord.objects.get(action="review.defence.no_show")
    assert record.detail == "未接入会议" and record.after["status"] == "no_show"
    with pytest.raises(Refusal) as refused:
        defence_mark(slot=s, outcome="held", user=world["officer"])
    assert refused.value.code == "wrong_state"
    s.refresh_from_db()
    assert s.status == "no_show"


def test_nothing_is_recorded_before_the_defence_starts(world):
    s = slot(world, hours_ago=-3)
    with pytest.raises(Refusal, match="尚未开始"):
        defence_mark(slot=s, outcome="no_show", user=world["officer"])
    s.refresh_from_db()
    assert s.status == "scheduled" and not AuditRecord.objects.filter(action__startswith="review.defence.").exists()


def test_only_the_officer_records(world):
    s = slot(world)
    with pytest.raises(PermissionDenied):
        defence_mark(slot=s, outcome="held", user=world["members"][0].account)
    s.refresh_from_db()
    assert s.status == "scheduled"
