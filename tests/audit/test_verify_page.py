"""The audit administrator's "verify integrity" button."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord

from .conftest import tamper, write_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(client, role_users):
    client.force_login(role_users[Role.AUDIT_ADMIN])
    return client


def test_verifying_an_intact_trail_says_so_and_is_recorded(auditor_client):
    write_events(3)
    body = auditor_client.post(reverse("audit:verify")).content.decode()
    assert "审计日志完整性校验通过" in body
    record = AuditRecord.objects.get(action="audit.verify")
    assert record.result == "ok" and record.actor_role == "auditor"
    assert "上次校验" in auditor_client.get(reverse("audit:verify")).content.decode()


def test_verifying_a_tampered_trail_names_the_record(auditor_client):
    write_events(4)
    tamper("UPDATE audit_auditrecord SET detail = 'x' WHERE seq = 2")
    body = auditor_client.post(reverse("audit:verify")).content.decode()
    assert "审计日志完整性校验失败" in body and "第 2 号记录" in body
    assert AuditRecord.objects.get(action="audit.verify").result == "failed"
