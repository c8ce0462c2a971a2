"""A Ministry officer creates the year's batch from a programme definition (SPEC §4, §7)."""

import pytest

from icdc.audit.models import AuditRecord
from icdc.batches import services
from icdc.batches.forms import BatchForm
from icdc.batches.models import Batch
from icdc.lib.refusals import Refusal

pytestmark = pytest.mark.django_db


def test_a_batch_copies_the_programme_document_and_is_a_draft(draft_batch, definition):
    assert draft_batch.status == "draft"
    assert draft_batch.programme_code == definition.code and draft_batch.programme_version == definition.version
    assert draft_batch.programme_document == definition.document
    assert draft_batch.programme().sha256 == definition.programme.sha256
    assert draft_batch.title == "2031年信息消费示范城市申报"
    record = AuditRecord.objects.get(action="batches.batch.create")
    assert record.after["quotas"] == {"COMP": 10, "LIFE": 3} and record.after["material_weight"] == "0.600"


def test_one_batch_per_programme_and_year(draft_batch, definition, settings_of_batch, officer):
    with pytest.raises(Refusal) as refused:
        services.batch_create(programme=definition, user=officer, **settings_of_batch)
    assert refused.value.code == "duplicate_batch" and "2031" in str(refused.value)
    assert Batch.objects.count() == 1


def test_the_quota_fields_come_from_the_programme(definition):
    form = BatchForm(programme=definition.programme)
    quota_names = [field.name for field in form.quota_fields()]
    # one per scoring track: the type without domains, and each domain of the type that chooses them
    assert quota_names == [f"quota_{t.code}" for t in definition.programme.tracks]
    assert len(quota_names) == 1 + len(definition.programme.domains)
    labels = [str(field.label) for field in form.quota_fields()]
    assert labels[0] == "名额：综合型" and labels[1] == "名额：特色型 · 生活类信息消费"


def test_a_second_programme_gives_its_own_quota_fields(db):
    from icdc.programmes.definition import load_programme
    from icdc.programmes.selectors import shipped_files

    other = next(p for p in map(load_programme, shipped_files()) if p.code != "info-consumption-demonstration-city")
    form = BatchForm(programme=other)
    assert [f.name for f in form.quota_fields()] == [f"quota_{t.code}" for t in other.tracks]


def test_a_quota_the_programme_does_not_have_is_refused(definition, settings_of_batch, officer):
    with pytest.raises(Refusal) as refused:
        services.batch_create(programme=definition, user=officer, **{**settings_of_batch, "quotas": {"NOPE": 1}})
    assert refused.value.code == "unknown_quota" and "NOPE" in str(refused.value)
    assert not Batch.objects.exists()


def test_a_draft_indicator_version_cannot_be_chosen(definition, settings_of_batch, officer, published_version):
    from icdc.indicators.services import new_version_from

    draft = new_version_from(version=published_version, user=officer, label="draft-2")
    with pytest.raises(Refusal) as refused:
        services.batch_create(programme=definition, user=officer, **{**settings_of_batch, "indicator_version": draft})
    assert refused.value.code == "draft_indicator_version"
    assert draft not in BatchForm(programme=definition.programme).fields["indicator_version"].queryset


def test_the_create_page_creates_a_batch_with_beijing_deadlines(officer_client, definition, published_version):
    response = officer_client.post(f"/batches/new/{definition.pk}/", {
        "year": 2032, "opens_on": "2032-03-01", "city_deadline": "2032-04-30T17:00",
        "province_deadline": "2032-05-31T17:00", "indicator_version": published_version.pk,
        "material_weight": "0.7", "defence_weight": "0.3", "pass_mark": "65", "notice_working_days": "7",
        "quota_COMP": "8", "quota_LIFE": "2", "quota_PUBLIC": "",
    })
    batch = Batch.objects.get(year=2032)
    assert response.status_code == 302 and response["Location"] == f"/batches/{batch.pk}/"
    # 17:00 in Beijing is 09:00 UTC
    assert batch.city_deadline.isoformat() == "2032-04-30T09:00:00+00:00"
    assert batch.quotas == {"COMP": 8, "LIFE": 2}
    page = officer_client.get(f"/batches/{batch.pk}/").content.decode()
    assert "2032年4月30日 17:00" in page and "综合型：8" in page


def test_the_create_page_shows_a_refusal_and_saves_nothing(officer_client, definition, published_version):
    response = officer_client.post(f"/batches/new/{definition.pk}/", {
        "year": 2032, "opens_on": "2032-03-01", "city_deadline": "2032-06-30T17:00",
        "province_deadline": "2032-05-31T17:00", "indicator_version": published_version.pk,
        "material_weight": "0.6", "defence_weight": "0.4", "pass_mark": "60", "notice_working_days": "5",
    })
    assert response.status_code == 200
    assert "城市申报截止时间不能晚于省级报送截止时间" in response.content.decode()
    assert not Batch.objects.exists()
