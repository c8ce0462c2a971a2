"""Starting an application (art. 8): one per city per batch, eligibility and route from the division
data and the programme, only in an open batch before the city deadline."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.applications.models import Application
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from tests.applications import appform_factories as f
from tests.factories import division, make_user

pytestmark = pytest.mark.django_db


def test_a_city_starts_its_application_routed_through_its_province(client):
    user = f.city_user()
    batch = f.batch()
    client.force_login(user)
    page = client.get(reverse("applications:start", args=[batch.pk]))
    assert "经山东省工业和信息化主管部门初审推荐" in page.content.decode()
    response = client.post(reverse("applications:start", args=[batch.pk]))
    application = Application.objects.get(batch=batch, city=user.division)
    assert response.url == reverse("applications:detail", args=[application.pk])
    assert (application.route, application.province.code, application.status) == ("province", "370000", "draft")
    assert AuditRecord.objects.filter(action="applications.application.create", object_id=str(application.pk)).exists()


def test_a_separately_planned_city_applies_directly():
    user = f.city_user(f.qingdao())
    application = f.started(user, f.batch())
    assert (application.route, application.province) == ("direct", None)


def test_a_second_application_of_the_same_city_is_refused_in_chinese(client):
    user = f.city_user()
    batch = f.batch()
    f.started(user, batch)
    client.force_login(user)
    response = client.post(reverse("applications:start", args=[batch.pk]), follow=True)
    assert "本市在本批次已有申报，每个城市每批次只能申报一次" in response.content.decode()
    assert Application.objects.filter(batch=batch).count() == 1


def test_the_database_refuses_a_second_application_of_a_city_too():
    user = f.city_user()
    batch = f.batch()
    first = f.started(user, batch)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(batch=batch, city=first.city, route="province", province=first.province,
                                   number="other-number")


def test_an_ineligible_division_is_told_why():
    county = division("370102", "历下区", level="county", parent=division("370100", "济南市"))
    user = make_user(Role.CITY_APPLICANT, division_obj=county)
    with pytest.raises(Refusal) as refused:
        f.started(user, f.batch())
    assert refused.value.code == "not_eligible" and "历下区" in str(refused.value)
    assert not Application.objects.exists()


def test_a_closed_batch_or_a_passed_deadline_takes_no_application():
    user = f.city_user()
    for batch in (f.batch(status="closed"), f.batch(city_deadline_in=-datetime.timedelta(minutes=1))):
        with pytest.raises(Refusal) as refused:
            f.started(user, batch)
        assert refused.value.code == "batch_not_open"
    assert not Application.objects.exists()


def test_another_role_cannot_start_one(client):
    batch = f.batch()
    client.force_login(make_user(Role.PROVINCIAL_OFFICIAL))
    assert client.post(reverse("applications:start", args=[batch.pk])).status_code == 403
    assert not Application.objects.exists()


def test_the_city_list_offers_open_batches_not_yet_started(client):
    user = f.city_user()
    started, fresh = f.batch(), f.batch()
    f.started(user, started)
    client.force_login(user)
    page = client.get(reverse("applications:list")).content.decode()
    assert f'data-testid="start-{fresh.pk}"' in page and f'data-testid="start-{started.pk}"' not in page
