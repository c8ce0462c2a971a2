"""Art. 10: the province returns an application with reasons; the city gets a new revision to edit."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from icdc.applications import services
from icdc.applications.models import Application, ProvincialReview
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from tests.applications.factories_review import batch, official, submitted

pytestmark = pytest.mark.django_db


def test_return_with_reasons_opens_the_next_revision(client):
    app = submitted()
    user = official()
    client.force_login(user)
    url = reverse("preliminary:return", args=[app.pk])
    page = client.post(url, {"note": "请补充近三年信息消费规模数据"})
    assert "确认退回" in page.content.decode() and Application.objects.get(pk=app.pk).status == "submitted"
    client.post(url, {"note": "请补充近三年信息消费规模数据", "confirm": "yes"})
    app.refresh_from_db()
    assert (app.status, app.revision_number) == ("returned", 2)
    review = ProvincialReview.objects.get(application=app)
    assert (review.outcome, review.revision_number, review.comments) == ("returned", 1, "请补充近三年信息消费规模数据")
    record = AuditRecord.objects.get(action="applications.application.return")
    assert record.detail == "请补充近三年信息消费规模数据"


def test_a_return_without_reasons_is_refused(client):
    app = submitted()
    client.force_login(official())
    answer = client.post(reverse("preliminary:return", args=[app.pk]), {"note": "  ", "confirm": "yes"}, follow=True)
    assert "请填写退回理由" in answer.content.decode()
    assert Application.objects.get(pk=app.pk).status == "submitted"
    with pytest.raises(Refusal) as refused:
        services.application_return(application=app, user=official(), reasons="")
    assert refused.value.code == "note_required"


def test_return_after_the_province_deadline_is_refused():
    b = batch(city_deadline_in=datetime.timedelta(days=1), province_deadline_in=datetime.timedelta(days=2))
    app = submitted(batch_obj=b)
    with freeze_time(b.province_deadline), pytest.raises(Refusal, match="截止"):
        services.application_return(application=app, user=official(), reasons="补充材料")
    assert not ProvincialReview.objects.exists()


def test_a_recommended_application_cannot_be_returned(client):
    app = submitted(status="recommended")
    client.force_login(official())
    answer = client.post(reverse("preliminary:return", args=[app.pk]), {"note": "晚了", "confirm": "yes"}, follow=True)
    assert "不能执行" in answer.content.decode()
    assert Application.objects.get(pk=app.pk).status == "recommended"
