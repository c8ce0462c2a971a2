"""Art. 10: the province recommends with a recommendation document and comments, after a
confirmation page, before its deadline and within the programme's cap; one transition, audited."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from icdc.applications import services
from icdc.applications.models import Application, ProvincialReview
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from tests.applications.factories_review import batch, city, letter, official, submitted

pytestmark = pytest.mark.django_db


def test_recommend_asks_for_confirmation_then_sends_the_application_to_the_ministry(client):
    app = submitted()
    user = official()
    letter(app, user)
    client.force_login(user)
    url = reverse("preliminary:recommend", args=[app.pk])
    page = client.post(url, {"note": "材料齐全，同意推荐"})
    assert "确认推荐" in page.content.decode()
    assert Application.objects.get(pk=app.pk).status == "submitted"  # nothing done yet
    done = client.post(url, {"note": "材料齐全，同意推荐", "confirm": "yes"})
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.status == "recommended" and app.arrived_at is not None
    review = ProvincialReview.objects.get(application=app)
    assert (review.outcome, review.comments, review.revision_number) == ("recommended", "材料齐全，同意推荐", 1)
    records = AuditRecord.objects.filter(action="applications.application.recommend")
    assert records.count() == 1 and records.get().actor_username == user.username


def test_recommend_without_a_recommendation_document_is_refused_and_nothing_changes(client):
    app = submitted()
    client.force_login(official())
    answer = client.post(reverse("preliminary:recommend", args=[app.pk]), {"confirm": "yes"}, follow=True)
    assert "请上传或生成初审推荐文件后再推荐" in answer.content.decode()
    assert Application.objects.get(pk=app.pk).status == "submitted"
    assert not ProvincialReview.objects.exists()


def test_a_document_of_an_earlier_revision_does_not_count():
    app = submitted()
    user = official()
    letter(app, user)
    Application.objects.filter(pk=app.pk).update(revision_number=2)
    app.refresh_from_db()
    with pytest.raises(Refusal, match="推荐文件"):
        services.application_recommend(application=app, user=user)


def test_recommend_after_the_province_deadline_is_refused():
    b = batch(city_deadline_in=datetime.timedelta(days=1), province_deadline_in=datetime.timedelta(days=2))
    app = submitted(batch_obj=b)
    user = official()
    letter(app, user)
    with freeze_time(b.province_deadline + datetime.timedelta(seconds=1)), pytest.raises(Refusal) as refused:
        services.application_recommend(application=app, user=user)
    assert refused.value.code == "province_deadline_open" and "截止" in str(refused.value)
    assert Application.objects.get(pk=app.pk).status == "submitted"
    with freeze_time(b.province_deadline - datetime.timedelta(seconds=1)):
        services.application_recommend(application=app, user=user)
    assert Application.objects.get(pk=app.pk).status == "recommended"


def test_the_cap_of_the_programme_holds():
    """The made-up programme: at most 10 recommendations per province."""
    b = batch(programme="demo-project-call")
    user = official()
    for n in range(10):
        submitted(batch_obj=b, city_obj=city(f"3701{n:02d}", f"城市{n}"), status="recommended", type_code="SUPPLY")
    app = submitted(batch_obj=b, city_obj=city("371100", "日照市"), type_code="SUPPLY")
    letter(app, user)
    with pytest.raises(Refusal) as refused:
        services.application_recommend(application=app, user=user)
    assert refused.value.code == "within_recommendation_cap" and "上限" in str(refused.value)
    assert Application.objects.get(pk=app.pk).status == "submitted"


def test_the_page_shows_why_recommend_is_not_possible(client):
    b = batch(programme="demo-project-call")
    for n in range(10):
        submitted(batch_obj=b, city_obj=city(f"3701{n:02d}", f"城市{n}"), status="recommended", type_code="SUPPLY")
    app = submitted(batch_obj=b, city_obj=city("371100", "日照市"), type_code="SUPPLY")
    client.force_login(official())
    page = client.get(reverse("preliminary:province_detail", args=[app.pk]))
    text = page.content.decode()
    assert "上限" in text and "推荐文件" in text and page.context["cap_left"] == 0
