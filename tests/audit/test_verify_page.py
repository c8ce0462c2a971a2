"""The audit administrator's "verify integrity" button: a background task with a progress page."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord, VerificationRun

from .conftest import tamper, write_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(client, role_users):
    client.force_login(role_users[Role.AUDIT_ADMIN])
    return client


def test_verifying_an_intact_trail_says_so_and_is_recorded(auditor_client, role_users):
    write_events(3)
    total = AuditRecord.objects.count()  # with the users' creation records
    response = auditor_client.post(reverse("audit:verify"))
    run = VerificationRun.objects.get()
    assert response["Location"] == reverse("audit:verify_run", args=[run.pk])
    body = auditor_client.get(response["Location"]).content.decode()
    assert "审计日志完整性校验通过" in body and 'http-equiv="refresh"' not in body
    assert (run.status, run.checked, run.head_seq, run.requested_by) == ("passed", total, total, role_users[Role.AUDIT_ADMIN])
    record = AuditRecord.objects.get(action="audit.chain.verify")
    assert record.result == "ok" and record.actor_role == "auditor"
    assert record.object_type == "audit.verificationrun" and record.object_id == str(run.pk)
    assert record.after == {"checked": total, "head_seq": total, "head_mac": run.head_mac}
    page = auditor_client.get(reverse("audit:verify")).content.decode()
    assert "上次校验" in page and f"#{run.pk}" in page


def test_verifying_a_tampered_trail_names_the_record(auditor_client):
    write_events(4)
    tamper("UPDATE audit_auditrecord SET detail = 'x' WHERE seq = 2")
    body = auditor_client.post(reverse("audit:verify"), follow=True).content.decode()
    assert "审计日志完整性校验失败" in body and "第 2 号记录" in body
    run = VerificationRun.objects.get()
    assert (run.status, run.failure_seq) == ("failed", 2)
    assert AuditRecord.objects.get(action="audit.chain.verify").result == "failed"
