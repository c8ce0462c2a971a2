"""Withdrawing (SPEC §4): the city's decision, with a reason and a confirmation step, until the
Ministry's formal review starts."""

import pytest
from django.urls import reverse

from icdc.applications import services
from icdc.applications.models import Application
from icdc.audit.models import AuditRecord
from tests.applications import appform_factories as f

pytestmark = pytest.mark.django_db


def test_withdraw_asks_for_a_reason_then_a_confirmation(client, draft_version):
    user = f.city_user()
    application = f.fill(f.started(user, f.batch(indicator_version=draft_version)), user)
    services.application_submit(application=application, user=user)
    client.force_login(user)
    url = reverse("applications:withdraw", args=[application.pk])
    assert "撤回理由" in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 200
    confirm = client.post(url, {"reason": "本年度暂不申报"}).content.decode()
    assert 'data-testid="confirm"' in confirm and "本年度暂不申报" in confirm
    assert Application.objects.get(pk=application.pk).status == "submitted"  # nothing yet
    client.post(url, {"reason": "本年度暂不申报", "confirm": "yes"})
    application.refresh_from_db()
    assert application.status == "withdrawn"
    record = AuditRecord.objects.get(action="applications.application.withdraw")
    assert record.detail == "本年度暂不申报"


def test_a_withdrawn_application_cannot_be_withdrawn_again_nor_edited(client):
    user = f.city_user()
    application = f.started(user, f.batch())
    services.application_withdraw(application=application, user=user, reason="重复")
    client.force_login(user)
    assert client.get(reverse("applications:withdraw", args=[application.pk])).status_code == 403
    assert client.post(reverse("applications:section_save", args=[application.pk, "summary"]),
                       {"summary-expected_version": 0, "summary-f0": "x"}).status_code == 403


def test_another_city_cannot_withdraw(client):
    application = f.started(f.city_user(), f.batch())
    client.force_login(f.city_user(f.qingdao()))
    url = reverse("applications:withdraw", args=[application.pk])
    assert client.post(url, {"reason": "恶意", "confirm": "yes"}).status_code == 403
    assert Application.objects.get(pk=application.pk).status == "draft"
