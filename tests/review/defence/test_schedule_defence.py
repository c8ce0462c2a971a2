"""The officer schedules a defence per application of a panel (Beijing time, place or link); the city
is told; overlapping slots of one panel are refused in Chinese; a final slot cannot be moved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.batches.models import SHANGHAI
from icdc.lib.refusals import Refusal
from icdc.notifications.models import Notification
from icdc.review.defence import defence_schedule
from icdc.review.models import DefenceSlot
from tests.applications import factories_review as fr
from tests.factories import make_user
from tests.review.defence.conftest import slot

pytestmark = pytest.mark.django_db


def _at(hour, minute=0):
    return datetime.datetime(2027, 3, 15, hour, minute, tzinfo=SHANGHAI)


def _schedule(world, application=None, start=(9, 0), end=(9, 40), **kwargs):
    kwargs.setdefault("mode", DefenceSlot.Mode.ONLINE)
    kwargs.setdefault("meeting_link", "https://meeting.example.cn/room/1")
    return defence_schedule(panel=world["panel"], application=application or world["applications"][0],
                            starts_at=_at(*start), ends_at=_at(*end), user=world["officer"], **kwargs)


def test_an_online_defence_is_scheduled_the_city_told_and_audited(world):
    jinan = world["applications"][0]
    city_user = fr.applicant(jinan.city)
    other_city = fr.applicant(world["applications"][1].city)
    created = _schedule(world)
    assert (created.panel, created.application, created.mode, created.status) == (
        world["panel"], jinan, "online", "scheduled")
    assert created.meeting_link == "https://meeting.example.cn/room/1" and created.place == ""
    assert created.starts_at == _at(9) and created.ends_at == _at(9, 40)
    told = Notification.objects.get(recipient=city_user, kind="review.defence.schedule")
    assert "2027-03-15 09:00（北京时间）" in told.title and told.link == f"/applications/{jinan.pk}/"
    assert not Notification.objects.filter(recipient=other_city).exists()
    record = AuditRecord.objects.get(action="review.defence.schedule")
    assert record.after["starts_at"] == "2027-03-15 09:00" and record.after["application"] == jinan.pk
    assert record.before is None


def test_an_on_site_defence_needs_a_place_and_an_online_one_a_link(world):
    with pytest.raises(Refusal, match="答辩地点"):
        _schedule(world, mode=DefenceSlot.Mode.ON_SITE, meeting_link="")
    with pytest.raises(Refusal, match="会议链接"):
        _schedule(world, meeting_link="")
    with pytest.raises(Refusal, match="https://"):
        _schedule(world, meeting_link="javascript:alert(1)")
    on_site = _schedule(world, mode=DefenceSlot.Mode.ON_SITE, place="工信部 301 会议室",
                        meeting_link="https://ignored.example")
    assert on_site.place == "工信部 301 会议室" and on_site.meeting_link == ""
    assert DefenceSlot.objects.count() == 1


def test_overlapping_slots_of_one_panel_are_refused_in_chinese(world):
    _schedule(world)
    with pytest.raises(Refusal) as refused:
        _schedule(world, world["applications"][1], start=(9, 30), end=(10, 10))
    assert refused.value.code == "overlap"
    assert "济南市" in str(refused.value) and "2027-03-15 09:00—2027-03-15 09:40" in str(refused.value)
    assert DefenceSlot.objects.count() == 1
    back_to_back = _schedule(world, world["applications"][1], start=(9, 40), end=(10, 20))
    assert back_to_back.application == world["applications"][1]


def test_end_before_start_and_an_application_outside_the_group_are_refused(world):
    with pytest.raises(Refusal, match="结束时间"):
        _schedule(world, start=(10, 0), end=(9, 0))
    stranger = fr.recommended(batch_obj=world["batch"], city_obj=fr.city("330100", "杭州市"))
    with pytest.raises(Refusal, match="不属于本评审组"):
        _schedule(world, stranger)
    assert DefenceSlot.objects.count() == 0


def test_a_scheduled_slot_is_moved_and_a_held_one_is_final(world):
    first = _schedule(world)
    moved = _schedule(world, start=(14, 0), end=(14, 30))
    assert moved.pk == first.pk and moved.starts_at == _at(14)
    assert AuditRecord.objects.filter(action="review.defence.schedule").order_by("seq").last().before["starts_at"] == "2027-03-15 09:00"
    DefenceSlot.objects.filter(pk=first.pk).update(status="held")
    with pytest.raises(Refusal, match="不能再改期"):
        _schedule(world, start=(16, 0), end=(16, 30))


def test_only_the_officer_schedules(world):
    with pytest.raises(PermissionDenied):
        defence_schedule(panel=world["panel"], application=world["applications"][0], starts_at=_at(9),
                         ends_at=_at(10), mode="online", meeting_link="https://x.example", user=world["members"][0].account)
    with pytest.raises(PermissionDenied):
        defence_schedule(panel=world["panel"], application=world["applications"][0], starts_at=_at(9),
                         ends_at=_at(10), mode="online", meeting_link="https://x.example",
                         user=make_user(Role.CITY_APPLICANT))
    assert DefenceSlot.objects.count() == 0


def test_the_city_sees_its_slot_on_its_application_page(world, client):
    jinan = world["applications"][0]
    city_user = fr.applicant(jinan.city)
    slot(world, jinan, place="", meeting_link="https://meeting.example.cn/jinan")
    client.force_login(city_user)
    page = client.get(f"/applications/{jinan.pk}/").content.decode()
    assert "答辩安排" in page and "https://meeting.example.cn/jinan" in page and "线上答辩" in page
