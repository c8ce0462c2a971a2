"""The audit administrator reads the trail; every other role is refused, and the refusal audited."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.audit.services import record_event

from .conftest import clock_at, write_events

pytestmark = pytest.mark.django_db
PAGES = ["audit:list", "audit:verify"]


@pytest.fixture
def auditor_client(client, role_users):
    client.force_login(role_users[Role.AUDIT_ADMIN])
    return client


def test_the_audit_admin_sees_the_trail(auditor_client):
    record_event(action="accounts.session.login_failed", result="failed", detail="密码错误")
    body = auditor_client.get(reverse("audit:list")).content.decode()
    assert "安全审计日志" in body and "accounts.session.login_failed" in body and "密码错误" in body and "失败" in body


@pytest.mark.parametrize("role", [r for r in Role if r != Role.AUDIT_ADMIN])
def test_every_other_role_is_refused_and_the_refusal_is_audited(client, role_users, role):
    user = role_users[role]
    client.force_login(user)
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "无权访问" in response.content.decode()
    response = client.post(reverse("audit:export"), {"format": "csv"})
    assert response.status_code == 403
    denials = AuditRecord.objects.filter(action="accounts.permission.deny", actor_id=user.pk, result="denied")
    assert sorted(denials.values_list("detail", flat=True)) == [
        "audit.export_audit_trail", "audit.view_audit_trail", "audit.view_audit_trail"]
    assert set(denials.values_list("actor_role", flat=True)) == {role.value}


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_nobody_can_edit_through_the_app(auditor_client):
    record = write_events(1)[0]
    detail = reverse("audit:detail", args=[record.seq])
    for method in ("post", "put", "patch", "delete"):
        assert getattr(auditor_client, method)(detail).status_code == 405
        assert getattr(auditor_client, method)(reverse("audit:list")).status_code == 405
    assert AuditRecord.objects.get(pk=record.pk).detail == "事件 0"


def test_filters_narrow_the_list(auditor_client, role_users):
    expert = role_users[Role.EXPERT]
    with clock_at(timezone.now() - dt.timedelta(days=10)):
        record_event(action="accounts.session.login", user=expert, detail="十天前")
    record_event(action="accounts.session.login_failed", result="failed", detail="今天失败")
    record_event(action="audit.row.update", user=expert, object_type="accounts.user", detail="今天修改")
    today = timezone.localdate().isoformat()

    def details(**params):
        page = auditor_client.get(reverse("audit:list"), params).context["page"]
        return {r.detail for r in page.object_list if r.action != "accounts.permission.deny"} - {""}

    assert details(date_from=today) == {"今天失败", "今天修改"}
    assert details(date_to=(timezone.localdate() - dt.timedelta(days=1)).isoformat()) == {"十天前"}
    assert details(actor=expert.username) == {"十天前", "今天修改"}
    assert details(role="expert", action="accounts.session.login") == {"十天前"}
    assert details(result="failed") == {"今天失败"}
    assert details(object_type="accounts.user") == {"今天修改"}


def test_a_reversed_date_range_is_explained(auditor_client):
    body = auditor_client.get(reverse("audit:list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "起始日期不能晚于截止日期" in body.content.decode()


def test_the_list_is_paginated_with_a_bounded_number_of_queries(auditor_client):
    write_events(10)
    with CaptureQueriesContext(connection) as small:
        auditor_client.get(reverse("audit:list"))
    write_events(120)
    with CaptureQueriesContext(connection) as large:
        response = auditor_client.get(reverse("audit:list"), {"page": 2})
    assert len(large) == len(small)
    assert len(large) <= 8
    assert len(response.context["page"].object_list) == 50
    assert '<li class="page-item active" aria-current="page"><span class="page-link">2</span></li>' in \
        response.content.decode()


def test_a_record_shows_its_before_and_after(auditor_client):
    record = record_event(action="audit.row.update", before={"name": "旧名"}, after={"name": "新名"})
    body = auditor_client.get(reverse("audit:detail", args=[record.seq])).content.decode()
    assert "旧名" in body and "新名" in body and record.mac in body and "HMAC-SM3" in body


def test_the_auditor_home_page_links_the_trail_and_sums_it_up(auditor_client):
    record_event(action="accounts.permission.deny", result="denied")
    body = auditor_client.get(reverse("home:auditor")).content.decode()
    assert reverse("audit:list") in body and reverse("audit:verify") in body
    assert "近 24 小时越权访问" in body and "尚未进行过完整性校验" in body
