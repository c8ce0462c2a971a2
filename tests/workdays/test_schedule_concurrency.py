"""Two officers saving one year's schedule at once (PostgreSQL, threads): one save, one audit record,
the other refused. Fails if the compare-and-set on ``revision`` in ``year_schedule_save`` becomes a
plain update (the second officer would silently overwrite the first) or if the unique year goes."""

import datetime

import pytest
from django.db import connection

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.workdays import services
from icdc.workdays.models import YearSchedule
from tests.factories import make_user
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]
D = datetime.date


def _save(user, note, revision=None):
    return lambda: services.year_schedule_save(year=2027, holidays=[D(2027, 1, 1)], working_days=[], note=note,
                                               user=user, revision=revision)


def test_two_officers_entering_a_new_year_at_once_give_one_entry():
    a, b = make_user("ministry"), make_user("ministry")
    _first, second = race(_save(a, "甲"), _save(b, "乙"))
    assert isinstance(second.error, Refusal) and second.error.code == "stale", second.error
    assert YearSchedule.objects.get(year=2027).note == "甲"
    assert AuditRecord.objects.filter(action="workdays.schedule.create").count() == 1


def test_two_officers_editing_the_same_revision_at_once_give_one_update():
    a, b = make_user("ministry"), make_user("ministry")
    entry = _save(a, "原")()
    _first, second = race(_save(a, "甲", entry.revision), _save(b, "乙", entry.revision))
    assert isinstance(second.error, Refusal) and second.error.code == "stale", second.error
    saved = YearSchedule.objects.get(year=2027)
    assert (saved.note, saved.revision) == ("甲", 2)
    assert list(AuditRecord.objects.filter(action="workdays.schedule.update").values_list(
        "actor_username", flat=True)) == [a.username]
