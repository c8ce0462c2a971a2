"""Closing waits for the city deadline, starting review for the province's (Beijing time, on the server)."""

import datetime

import pytest
from freezegun import freeze_time

from icdc.audit.models import AuditRecord
from icdc.batches import services
from icdc.batches.models import Batch
from icdc.lib.refusals import Refusal

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CITY = datetime.datetime(2031, 4, 30, 9, 0, tzinfo=UTC)  # 17:00 Beijing time
PROVINCE = datetime.datetime(2031, 5, 31, 9, 0, tzinfo=UTC)


@pytest.fixture
def open_batch(draft_batch, officer):
    with freeze_time("2031-03-01T00:00:00Z"):
        Batch.objects.filter(pk=draft_batch.pk).update(city_deadline=CITY, province_deadline=PROVINCE)
        return services.batch_open(batch=Batch.objects.get(pk=draft_batch.pk), user=officer)


def test_closing_before_the_city_deadline_is_refused(open_batch, officer):
    with freeze_time("2031-04-30T08:59:59Z"), pytest.raises(Refusal) as refused:
        services.batch_close(batch=open_batch, user=officer)
    assert "2031年4月30日 17:00" in str(refused.value) and "未到" in str(refused.value)
    assert Batch.objects.get(pk=open_batch.pk).status == "open"


def test_closing_after_the_city_deadline_closes(open_batch, officer):
    with freeze_time("2031-04-30T09:00:00Z"):
        services.batch_close(batch=open_batch, user=officer)
    assert Batch.objects.get(pk=open_batch.pk).status == "closed"
    assert AuditRecord.objects.get(action="batches.batch.close").after == {"status": "closed"}


def test_review_starts_only_after_the_province_deadline(open_batch, officer):
    with freeze_time("2031-05-01T00:00:00Z"):
        services.batch_close(batch=open_batch, user=officer)
        with pytest.raises(Refusal) as refused:
            services.batch_start_review(batch=open_batch, user=officer)
    assert "省级报送截止时间（2031年5月31日 17:00）未到" in str(refused.value)
    with freeze_time("2031-05-31T09:00:01Z"):
        services.batch_start_review(batch=open_batch, user=officer)
    assert Batch.objects.get(pk=open_batch.pk).status == "in_review"


def test_review_cannot_start_on_an_open_batch(open_batch, officer):
    with freeze_time("2031-06-30T00:00:00Z"), pytest.raises(Refusal) as refused:
        services.batch_start_review(batch=open_batch, user=officer)
    assert refused.value.code == "wrong_state"
