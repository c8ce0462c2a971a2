"""notify(): rows in the caller's transaction, one e-mail task after commit, nothing on rollback."""

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from icdc.notifications.models import Notification
from icdc.notifications.services import notify
from icdc.notifications.tasks import send_notification_emails


class Refused(Exception):
    """The change that a test rolls back."""


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_notifies_no_one(people, enqueued, mailoutbox):
    with pytest.raises(Refused), transaction.atomic():
        notify(recipients=[people["jinan1"], people["shandong"]], kind="applications.application.returned",
               title="济南市的申报被退回", link="/applications/1/")
        raise Refused  # the change that notify() reported fails after it

    assert Notification.objects.count() == 0
    assert enqueued == []
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_after_commit_rows_one_task_and_the_mail(people, enqueued, mailoutbox):
    recipients = [people["jinan1"], people["jinan2"], people["shandong"]]
    with transaction.atomic():
        rows = notify(recipients=recipients, kind="applications.application.returned", title="济南市的申报被退回",
                      body="请补充申报书第三章。", link="/applications/1/", obj=people["jinan1"].division)
        assert enqueued == []  # nothing leaves before the change is committed

    assert [r.recipient for r in rows] == recipients
    saved = Notification.objects.order_by("recipient_id")
    assert [(n.recipient_id, n.title, n.body, n.link, n.object_type, n.object_id, n.read_at) for n in saved] == [
        (p.pk, "济南市的申报被退回", "请补充申报书第三章。", "/applications/1/", "divisions.division", "370100", None)
        for p in recipients
    ]
    assert len(enqueued) == 1  # one task for the whole batch
    assert enqueued[0].task.func is send_notification_emails.func
    assert sorted(enqueued[0].args[0]) == sorted(n.pk for n in saved if n.recipient.email)
    # jinan2 has no e-mail address: in the message centre only
    assert sorted(m.to[0] for m in mailoutbox) == ["jinan1@example.gov.cn", "sd@example.gov.cn"]
    message = next(m for m in mailoutbox if m.to == ["jinan1@example.gov.cn"])
    assert message.subject == "【信息消费示范城市建设管理平台】济南市的申报被退回"
    assert "请补充申报书第三章。" in message.body and "http://127.0.0.1:8000/applications/1/" in message.body
    assert set(Notification.objects.exclude(emailed_at=None).values_list("recipient__email", flat=True)) == {
        "jinan1@example.gov.cn", "sd@example.gov.cn"}


def test_outside_a_transaction_notify_refuses(people, monkeypatch):
    monkeypatch.setattr(transaction.get_connection(), "in_atomic_block", False)  # as in autocommit
    with pytest.raises(RuntimeError, match="inside the transaction"):
        notify(recipients=[people["jinan1"]], kind="test.event", title="x")
    monkeypatch.undo()
    assert Notification.objects.count() == 0


def test_inactive_and_repeated_recipients_get_one_or_none(people, django_capture_on_commit_callbacks, mailoutbox):
    people["officer2"].is_active = False
    people["officer2"].save()
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(recipients=[people["officer1"], people["officer1"], people["officer2"], None],
                      kind="test.event", title="专家评审已完成")
    assert [r.recipient for r in rows] == [people["officer1"]]
    assert [m.to for m in mailoutbox] == [["officer1@miit.example.gov.cn"]]


def test_nobody_with_an_address_queues_no_task(people, django_capture_on_commit_callbacks, enqueued):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[people["jinan2"]], kind="test.event", title="仅站内")
    assert callbacks == [] and enqueued == []
    assert Notification.objects.get().recipient == people["jinan2"]


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)",
                                  "applications/1/", "/a b/", "/\\evil.example"])
def test_a_link_off_the_platform_is_a_programming_error(people, link):
    with pytest.raises(ValueError, match="path inside the platform"):
        notify(recipients=[people["jinan1"]], kind="test.event", title="x", link=link)
    assert Notification.objects.count() == 0


def test_lazy_texts_are_written_in_the_platform_language_not_the_actors(people):
    title = format_lazy("{}：{}", gettext_lazy("消息中心"), "济南市")
    with translation.override("en"):
        notify(recipients=[people["jinan1"]], kind="test.event", title=title, body=gettext_lazy("暂无消息。"))
    assert Notification.objects.values_list("title", "body").get() == ("消息中心：济南市", "暂无消息。")


def test_a_long_title_is_cut_not_refused(people):
    notify(recipients=[people["jinan1"]], kind="test.event", title="长" * 300)
    title = Notification.objects.get().title
    assert len(title) == 200 and title.endswith("…")


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_sends_the_mail(settings, people, mailoutbox):
    """The embedded default: one queued row after commit, sent when ``manage.py db_worker`` runs."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        notify(recipients=[people["jinan1"], people["officer1"]], kind="test.event", title="评审结果已公示")
        assert not DBTaskResult.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "icdc.notifications.tasks.send_notification_emails"
    assert mailoutbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(m.to[0] for m in mailoutbox) == ["jinan1@example.gov.cn", "officer1@miit.example.gov.cn"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
