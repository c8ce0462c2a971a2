"""E-mail of notifications: files under var/mail in the embedded default, failures logged and
never raised into the request, nothing e-mailed twice."""

import logging
import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django_tasks.backends.dummy import DummyBackend

from icdc.notifications import tasks
from icdc.notifications.models import Notification
from icdc.notifications.services import notify

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "icdc" / "settings.py"


class RefusingOneAddress(LocmemBackend):
    """A relay that refuses the Shandong official's address and accepts the rest."""

    def send_messages(self, messages):
        if any("sd@" in address for message in messages for address in message.to):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


class RelayDown(LocmemBackend):
    def open(self):
        raise ConnectionRefusedError("relay down")


class QueueDown(DummyBackend):
    def enqueue(self, task, args, kwargs):
        raise ConnectionError("redis down")


def _notify_committed(recipients, title="初审推荐已提交", capture=None):
    with capture(execute=True):
        return notify(recipients=recipients, kind="test.event", title=title, link="/home/city/")


def test_the_embedded_default_writes_mail_files_under_var_mail(monkeypatch, tmp_path, settings, people,
                                                               django_capture_on_commit_callbacks):
    for name in ("EMAIL_URL", "ICDC_MAIL_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ICDC_VAR_DIR", str(tmp_path))
    embedded = runpy.run_path(str(SETTINGS_FILE))  # the settings module as a fresh process reads it
    assert embedded["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert embedded["EMAIL_FILE_PATH"] == tmp_path / "mail"

    settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH = embedded["EMAIL_BACKEND"], embedded["EMAIL_FILE_PATH"]
    _notify_committed([people["jinan1"]], capture=django_capture_on_commit_callbacks)
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1
    text = files[0].read_text("utf-8")
    assert "To: jinan1@example.gov.cn" in text and "初审推荐已提交" in text
    assert "http://127.0.0.1:8000/home/city/" in text


def test_email_url_configures_smtp_instead(monkeypatch, tmp_path):
    monkeypatch.setenv("ICDC_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://icdc:secret@mail.example.gov.cn:587")
    configured = runpy.run_path(str(SETTINGS_FILE))
    assert configured["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (configured["EMAIL_HOST"], configured["EMAIL_PORT"], configured["EMAIL_USE_TLS"]) == (
        "mail.example.gov.cn", 587, True)
    assert not (tmp_path / "mail").exists()


def test_a_refused_address_is_logged_and_the_others_still_go(settings, people, caplog, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingOneAddress"
    with caplog.at_level(logging.ERROR, logger="icdc.notifications"):
        _notify_committed([people["jinan1"], people["shandong"], people["officer1"]],
                          capture=django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == ["jinan1@example.gov.cn", "officer1@miit.example.gov.cn"]
    failed = Notification.objects.get(recipient=people["shandong"])
    assert failed.emailed_at is None  # still in the message centre, not marked e-mailed
    assert [r.getMessage() for r in caplog.records] == [
        f"e-mail for notification {failed.pk} (account {people['shandong'].pk}) failed"]
    assert "sd@example.gov.cn" not in caplog.text  # no address in the log


def test_a_relay_that_is_down_does_not_fail_the_request(settings, people, caplog,
                                                        django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.RelayDown"
    with caplog.at_level(logging.ERROR, logger="icdc.notifications"):
        rows = _notify_committed([people["jinan1"]], capture=django_capture_on_commit_callbacks)
    assert "mail connection failed" in caplog.text
    assert Notification.objects.get(pk=rows[0].pk).emailed_at is None
    assert tasks.send_notification_emails.call([rows[0].pk]) == 0  # the task itself returns, logged


def test_a_task_queue_that_is_down_is_logged_and_the_notification_kept(settings, people, caplog,
                                                                       django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.QueueDown"}}
    with caplog.at_level(logging.ERROR, logger="icdc.notifications"):
        _notify_committed([people["jinan1"]], capture=django_capture_on_commit_callbacks)
    assert "could not queue e-mail for notifications" in caplog.text
    assert Notification.objects.filter(recipient=people["jinan1"]).exists()


def test_a_task_run_twice_sends_each_mail_once(people, mailoutbox, django_capture_on_commit_callbacks):
    rows = _notify_committed([people["jinan1"], people["officer1"]], capture=django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    assert tasks.send_notification_emails.call([r.pk for r in rows]) == 0
    assert len(mailoutbox) == 2


def test_a_deactivated_account_gets_no_mail(people, mailoutbox):
    with transaction.atomic():
        rows = notify(recipients=[people["jinan1"]], kind="test.event", title="x")
    people["jinan1"].is_active = False
    people["jinan1"].save()
    assert tasks.send_notification_emails.call([rows[0].pk]) == 0 and mailoutbox == []



def _production_site_url(**env):
    """ICDC_SITE_URL as the production profile reads it, in a fresh interpreter (importing the
    profile here would change the settings of the running tests)."""
    env = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "icdc.example.gov.cn,localhost",
           "ICDC_AUDIT_KEY": "11" * 32, "ICDC_DATA_KEYS": "k1=" + "33" * 16, **env}
    code = "import icdc.settings_production as s; print(s.ICDC_SITE_URL)"
    return subprocess.run([sys.executable, "-c", code], env={k: v for k, v in env.items() if v is not None},
                          cwd=SETTINGS_FILE.parents[1], capture_output=True, text=True, check=True).stdout.strip()


def test_production_links_point_to_the_allowed_host_unless_told():
    assert _production_site_url(ICDC_SITE_URL=None) == "https://icdc.example.gov.cn"
    assert _production_site_url(ICDC_SITE_URL="https://xxf.miit.example.gov.cn/") == "https://xxf.miit.example.gov.cn"
