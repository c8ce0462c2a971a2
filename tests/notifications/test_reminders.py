"""Reminders go out once however often the scheduler runs: remind_once, the provider registry,
``manage.py send_reminders`` and its task; two schedulers at once on PostgreSQL give one reminder."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from icdc.accounts.models import Role
from icdc.notifications import reminders, tasks
from icdc.notifications.models import Notification, Reminder
from icdc.notifications.selectors import users_of_division
from icdc.notifications.services import remind_once
from tests.races import race

DEADLINE = dt.datetime(2026, 3, 31, 17, 0, tzinfo=dt.UTC)


def _deadline_reminder(city, days):
    return dict(key=f"batch:12:city_deadline:{days}d:city:{city.pk}",
                recipients=users_of_division(city, Role.CITY_APPLICANT), kind="batches.batch.city_deadline",
                title=f"{city.name}：申报截止还有 {days} 天", link="/home/city/")


@pytest.fixture
def deadline_provider(jinan_city):
    """What the batches app will register: the city deadline, 7 and 3 days before."""
    calls = []

    def city_deadline(*, now):
        calls.append(now)
        for days in (7, 3):
            if now >= DEADLINE - dt.timedelta(days=days):
                yield reminders.Due(**_deadline_reminder(jinan_city, days))

    reminders.register(city_deadline)
    yield calls
    reminders.unregister(city_deadline)


@pytest.mark.django_db
def test_a_reminder_goes_out_once(people, jinan_city, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_once(**_deadline_reminder(jinan_city, 3)) is True
        assert remind_once(**_deadline_reminder(jinan_city, 3)) is False
    reminder = Reminder.objects.get()
    assert (reminder.key, reminder.kind, reminder.recipient_count) == (
        f"batch:12:city_deadline:3d:city:{jinan_city.pk}", "batches.batch.city_deadline", 2)
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == sorted(
        [people["jinan1"].username, people["jinan2"].username])
    assert [m.to for m in mailoutbox] == [["jinan1@example.gov.cn"]]


@pytest.mark.django_db
def test_with_nobody_to_remind_nothing_is_recorded(jinan_city):
    assert remind_once(**_deadline_reminder(jinan_city, 3)) is False
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_the_scheduler_runs_every_provider_and_sends_each_reminder_once(people, deadline_provider):
    early = reminders.reminders_send(now=DEADLINE - dt.timedelta(days=10))
    assert early.as_dict() == {"sent": 0, "already": 0, "failed": []}
    week = reminders.reminders_send(now=DEADLINE - dt.timedelta(days=6))
    again = reminders.reminders_send(now=DEADLINE - dt.timedelta(days=6, hours=-1))
    three = reminders.reminders_send(now=DEADLINE - dt.timedelta(days=2))
    assert (len(week.sent), again.already, len(three.sent), three.already) == (1, 1, 1, 1)
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(recipient=people["jinan1"]).count() == 2
    assert not Notification.objects.filter(recipient=people["qingdao"]).exists()
    assert len(deadline_provider) == 4


@pytest.mark.django_db
def test_a_failing_provider_does_not_stop_the_others(people, deadline_provider, caplog):
    def broken(*, now):
        raise LookupError("no such batch")

    reminders.register(broken)
    try:
        summary = reminders.reminders_send(now=DEADLINE)
    finally:
        reminders.unregister(broken)
    assert len(summary.sent) == 2 and summary.failed == [f"{__name__}.{broken.__qualname__}"]
    assert "reminder provider" in caplog.text and "no such batch" in caplog.text


@pytest.mark.django_db
def test_registering_twice_keeps_one(deadline_provider):
    provider = reminders.providers()[-1]
    reminders.register(provider)
    assert reminders.providers().count(provider) == 1


@pytest.mark.django_db
def test_the_command_and_the_task_run_the_providers(people, deadline_provider, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: DEADLINE - dt.timedelta(days=1))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "已发送 2 条提醒，0 条此前已发送" in out.getvalue()
    assert tasks.send_reminders.call() == {"sent": 0, "already": 2, "failed": []}
    assert Reminder.objects.count() == 2


@pytest.mark.django_db
def test_the_command_exits_non_zero_when_a_provider_fails(db):
    def broken(*, now):
        raise LookupError("boom")

    reminders.register(broken)
    try:
        with pytest.raises(SystemExit) as exit_info:
            call_command("send_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    finally:
        reminders.unregister(broken)
    assert exit_info.value.code == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_send_one_reminder(people, jinan_city, mailoutbox):
    """The second scheduler's insert waits on the first one's uncommitted key, then finds it."""
    def scheduler():
        return remind_once(**_deadline_reminder(jinan_city, 3))

    first, second = race(scheduler, scheduler)
    assert second.error is None, second.error
    assert (first.value, second.value) == (True, False)
    assert Reminder.objects.count() == 1
    assert Notification.objects.count() == 2  # jinan1 and jinan2, once each
    assert [m.to for m in mailoutbox] == [["jinan1@example.gov.cn"]]
