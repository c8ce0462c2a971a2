"""Verification as a django-tasks task: queued, progress stored batch by batch, result stored
and recorded; the progress page refreshes itself without JavaScript (issue 12.2)."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit import verification
from icdc.audit.models import AuditRecord, VerificationRun
from icdc.audit.verify_runs import verification_run_execute, verification_run_start
from icdc.lib.refusals import Refusal

from .conftest import write_events

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def auditor(role_users):
    return role_users[Role.AUDIT_ADMIN]


@pytest.fixture
def queued_only(settings):
    settings.TASKS = DUMMY_TASKS  # enqueued, not run: the test plays the worker


def test_a_queued_run_shows_a_page_that_refreshes_itself(client, auditor, queued_only):
    write_events(2)
    client.force_login(auditor)
    run_url = client.post(reverse("audit:verify"))["Location"]
    run = VerificationRun.objects.get()
    assert run.status == "queued"
    body = client.get(run_url).content.decode()
    assert "排队中" in body and '<noscript><meta http-equiv="refresh" content="2"></noscript>' in body
    assert f'hx-get="{run_url}"' in body
    fragment = client.get(run_url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="verify-run"') and "<html" not in fragment

    assert verification_run_execute(run_id=run.pk) == "passed"
    body = client.get(run_url).content.decode()
    assert "审计日志完整性校验通过" in body and "http-equiv" not in body and "hx-get" not in body


def test_progress_is_stored_while_the_walk_goes_on(auditor, queued_only, monkeypatch):
    write_events(7)
    total = AuditRecord.objects.count()  # the users' creation records too
    run = verification_run_start(user=auditor)
    seen = []
    real = verification.verify_chain

    def small_batches(**kwargs):
        progress = kwargs["progress"]

        def spy(checked):
            progress(checked)
            seen.append(VerificationRun.objects.values_list("status", "checked", "expected").get(pk=run.pk))
        return real(batch=3, progress=spy)

    monkeypatch.setattr(verification, "verify_chain", small_batches)
    verification_run_execute(run_id=run.pk)
    assert seen == [("running", checked, total) for checked in [*range(3, total, 3), total]]
    run.refresh_from_db()
    assert (run.status, run.checked, run.percent) == ("passed", total, 100)


def test_one_run_at_a_time(auditor, queued_only):
    first = verification_run_start(user=auditor)
    with pytest.raises(Refusal, match=f"第 {first.pk} 号"):
        verification_run_start(user=auditor)
    assert VerificationRun.objects.count() == 1


def test_an_error_is_stored_and_recorded_not_lost(auditor, queued_only, monkeypatch):
    from django.db import OperationalError

    write_events(1)
    run = verification_run_start(user=auditor)

    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(verification, "verify_chain", lost)
    assert verification_run_execute(run_id=run.pk) == "error"
    run.refresh_from_db()
    assert run.status == "error" and "无法完成审计日志校验" in run.summary and "server closed" in run.summary
    assert AuditRecord.objects.get(action="audit.chain.verify").result == "error"


def test_an_interrupted_run_does_not_block_the_next(auditor, queued_only):
    from datetime import timedelta

    from django.utils import timezone

    stale = verification_run_start(user=auditor)
    VerificationRun.objects.filter(pk=stale.pk).update(status="running",
                                                       touched_at=timezone.now() - timedelta(hours=1))
    fresh = verification_run_start(user=auditor)
    stale.refresh_from_db()
    assert stale.status == "error" and "中断" in stale.summary and fresh.status == "queued"


def test_other_roles_cannot_start_or_see_runs(client, role_users, queued_only):
    run = verification_run_start(user=role_users[Role.AUDIT_ADMIN])
    client.force_login(role_users[Role.SYSTEM_ADMIN])
    assert client.post(reverse("audit:verify")).status_code == 403
    assert client.get(reverse("audit:verify_run", args=[run.pk])).status_code == 403
    assert VerificationRun.objects.count() == 1
