"""Opening a batch (art. 8): locks the indicator version; refused with reasons when not ready."""

import datetime

import pytest
from django.utils import timezone

from icdc.audit.models import AuditRecord
from icdc.batches import services
from icdc.batches.models import Batch
from icdc.lib.refusals import Refusal

pytestmark = pytest.mark.django_db


def test_opening_locks_the_indicator_version_and_is_audited_last(draft_batch, officer, published_version):
    batch = services.batch_open(batch=draft_batch, user=officer)
    assert batch.status == "open" and batch.opened_at is not None
    published_version.refresh_from_db()
    assert published_version.status == "locked" and f"batch:{batch.pk}" in published_version.locked_reason
    record = AuditRecord.objects.get(action="batches.batch.open")
    assert record.before == {"status": "draft"}
    assert record.after == {"status": "open", "indicator_version": published_version.label}
    assert record.seq == AuditRecord.objects.order_by("-seq").first().seq
    assert AuditRecord.objects.get(action="indicators.version.lock").seq < record.seq


def test_opening_tells_cities_and_provinces(draft_batch, officer, role_users, django_capture_on_commit_callbacks):
    from icdc.accounts.models import Role
    from icdc.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        services.batch_open(batch=draft_batch, user=officer)
    told = set(Notification.objects.filter(kind="batches.batch.open").values_list("recipient__role", flat=True))
    assert told == {Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL}


def test_opening_with_a_draft_indicator_version_is_refused(draft_batch, officer, published_version):
    from icdc.indicators.services import new_version_from

    draft = new_version_from(version=published_version, user=officer, label="draft-2")
    Batch.objects.filter(pk=draft_batch.pk).update(indicator_version=draft)  # e.g. chosen before a rule change
    with pytest.raises(Refusal) as refused:
        services.batch_open(batch=draft_batch, user=officer)
    assert "仍是草稿" in str(refused.value) and refused.value.code == "indicator_version_usable"
    assert Batch.objects.get(pk=draft_batch.pk).status == "draft"
    assert not AuditRecord.objects.filter(action="batches.batch.open").exists()


def test_opening_with_deadlines_out_of_order_is_refused(draft_batch, officer):
    now = timezone.now()
    Batch.objects.filter(pk=draft_batch.pk).update(city_deadline=now + datetime.timedelta(days=40),
                                                   province_deadline=now + datetime.timedelta(days=30))
    with pytest.raises(Refusal) as refused:
        services.batch_open(batch=draft_batch, user=officer)
    assert "不能晚于省级报送截止时间" in str(refused.value)
    assert Batch.objects.get(pk=draft_batch.pk).status == "draft"


def test_opening_after_the_city_deadline_is_refused(draft_batch, officer):
    Batch.objects.filter(pk=draft_batch.pk).update(city_deadline=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(Refusal) as refused:
        services.batch_open(batch=draft_batch, user=officer)
    assert "城市申报截止时间已过" in str(refused.value)
    assert Batch.objects.get(pk=draft_batch.pk).status == "draft"


def test_the_detail_page_shows_why_it_cannot_open(officer_client, draft_batch):
    Batch.objects.filter(pk=draft_batch.pk).update(quotas={})
    page = officer_client.get(f"/batches/{draft_batch.pk}/").content.decode()
    assert "请填写本批次各类型和方向的名额" in page


def test_open_asks_for_confirmation_then_opens(officer_client, draft_batch):
    page = officer_client.get(f"/batches/{draft_batch.pk}/open/")
    assert page.status_code == 200 and "确认开放申报" in page.content.decode()
    assert Batch.objects.get(pk=draft_batch.pk).status == "draft"
    officer_client.post(f"/batches/{draft_batch.pk}/open/")  # no confirm field: the page again, nothing done
    assert Batch.objects.get(pk=draft_batch.pk).status == "draft"
    response = officer_client.post(f"/batches/{draft_batch.pk}/open/", {"confirm": "yes"})
    assert response.status_code == 302
    assert Batch.objects.get(pk=draft_batch.pk).status == "open"
