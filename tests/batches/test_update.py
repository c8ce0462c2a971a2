"""A draft batch's settings change with an audit record of what changed; an open batch's do not."""

import pytest

from icdc.audit.models import AuditRecord
from icdc.batches import services
from icdc.lib.refusals import Refusal

pytestmark = pytest.mark.django_db


def test_an_update_is_audited_with_before_and_after(draft_batch, officer):
    services.batch_update(batch=draft_batch, user=officer, pass_mark=70, quotas={"COMP": 12})
    draft_batch.refresh_from_db()
    assert draft_batch.pass_mark == 70 and draft_batch.quotas == {"COMP": 12}
    record = AuditRecord.objects.get(action="batches.batch.update")
    assert record.before == {"pass_mark": "60.00", "quotas": {"COMP": 10, "LIFE": 3}}
    assert record.after == {"pass_mark": "70.00", "quotas": {"COMP": 12}}


def test_an_open_batch_cannot_be_edited(draft_batch, officer):
    services.batch_open(batch=draft_batch, user=officer)
    with pytest.raises(Refusal) as refused:
        services.batch_update(batch=draft_batch, user=officer, pass_mark=70)
    assert refused.value.code == "not_draft"
    assert not AuditRecord.objects.filter(action="batches.batch.update").exists()


def test_the_edit_page_saves_the_form(officer_client, draft_batch, published_version):
    response = officer_client.post(f"/batches/{draft_batch.pk}/edit/", {
        "title": "二〇三一年批次", "opens_on": "2031-01-05", "city_deadline": "2099-04-30T17:00",
        "province_deadline": "2099-05-31T17:00", "indicator_version": published_version.pk,
        "material_weight": "0.6", "defence_weight": "0.4", "pass_mark": "60", "notice_working_days": "5",
        "quota_COMP": "9"})
    assert response.status_code == 302
    draft_batch.refresh_from_db()
    assert draft_batch.title == "二〇三一年批次" and draft_batch.quotas == {"COMP": 9}


def test_the_edit_page_of_an_open_batch_says_it_is_fixed(officer_client, draft_batch, officer):
    services.batch_open(batch=draft_batch, user=officer)
    response = officer_client.get(f"/batches/{draft_batch.pk}/edit/", follow=True)
    assert "不能再修改设置" in response.content.decode()
