"""Two writers at once (PostgreSQL, threads; see tests/races.py).

- The same expert submitting a defence score twice at once: one score lands, the other is refused
  with the Chinese message. Fails without the slot row lock in ``defence_score_submit`` (the second
  would not see the first and hit the unique constraint: an IntegrityError, a 500 for the user).
- Two officers scheduling overlapping defences of one panel at once: one slot, the other refused.
  Fails without the panel row lock in ``defence_schedule`` (both would see no clash and both land).
"""

import datetime

import pytest
from django.db import connection

from icdc.audit.models import AuditRecord
from icdc.batches.models import SHANGHAI
from icdc.lib.refusals import Refusal
from icdc.review.defence import defence_schedule, defence_score_submit
from icdc.review.models import DefenceScore, DefenceSlot
from tests.applications import factories_review as fr
from tests.races import race
from tests.review import factories
from tests.review.defence.conftest import sign, slot

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def test_two_submissions_of_the_same_expert_give_one_score_and_a_refusal():
    world = factories.drawn_panel()
    member = world["members"][0]
    sign(member, world["batch"])
    held = slot(world, status="held")
    page_b = DefenceSlot.objects.get(pk=held.pk)
    first, second = race(lambda: defence_score_submit(slot=held, user=member.account, score="80"),
                         lambda: defence_score_submit(slot=page_b, user=member.account, score="90"))
    assert isinstance(second.error, Refusal) and second.error.code == "already_scored", second.error
    assert list(DefenceScore.objects.values_list("score", flat=True)) == [first.value.score]
    assert AuditRecord.objects.filter(action="review.defence.score").count() == 1


def test_two_overlapping_schedules_of_one_panel_give_one_slot():
    world = factories.drawn_panel()
    second_officer = fr.ministry()
    jinan, nanjing = world["applications"]

    def schedule(application, user, hour):
        return defence_schedule(panel=world["panel"], application=application, user=user, mode="online",
                                meeting_link="https://meeting.example.cn/1",
                                starts_at=datetime.datetime(2027, 3, 15, hour, 0, tzinfo=SHANGHAI),
                                ends_at=datetime.datetime(2027, 3, 15, hour + 1, 0, tzinfo=SHANGHAI))

    _first, second = race(lambda: schedule(jinan, world["officer"], 9), lambda: schedule(nanjing, second_officer, 9))
    assert isinstance(second.error, Refusal) and second.error.code == "overlap", second.error
    assert list(DefenceSlot.objects.values_list("application_id", flat=True)) == [jinan.pk]
