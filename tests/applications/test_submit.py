"""Submission (arts. 10–11): only complete, only before the deadline (Beijing time), to the province
or straight to the Ministry by route; it freezes a revision (all fields and file hashes)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from icdc.applications import services
from icdc.applications.effects import content_digest
from icdc.applications.models import Application, ApplicationRevision
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from tests.applications import appform_factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete(draft_version):
    user = f.city_user()
    application = f.started(user, f.batch(indicator_version=draft_version))
    return f.fill(application, user), user


def test_an_incomplete_application_is_refused_and_stays_a_draft(client):
    user = f.city_user()
    application = f.started(user, f.batch())
    with pytest.raises(Refusal) as refused:
        services.application_submit(application=application, user=user)
    assert "申报材料尚不完整" in str(refused.value)
    application.refresh_from_db()
    assert application.status == "draft" and not ApplicationRevision.objects.exists()
    client.force_login(user)
    response = client.post(reverse("applications:submit", args=[application.pk]), {"confirm": "yes"}, follow=True)
    assert "申报材料尚不完整" in response.content.decode()


def test_submission_after_the_deadline_is_refused(complete):
    application, user = complete
    with freeze_time(application.batch.city_deadline + datetime.timedelta(seconds=1)):
        with pytest.raises(Refusal) as refused:
            services.application_submit(application=application, user=user)
    assert "城市申报已于" in str(refused.value) and "截止" in str(refused.value)
    assert Application.objects.get(pk=application.pk).status == "draft"


def test_submission_freezes_every_field_and_file_hash(client, complete):
    application, user = complete
    client.force_login(user)
    confirm_page = client.get(reverse("applications:submit", args=[application.pk])).content.decode()
    assert "提交山东省" in confirm_page
    client.post(reverse("applications:submit", args=[application.pk]), {"confirm": "yes"})
    application.refresh_from_db()
    assert application.status == "submitted" and application.submitted_at is not None
    revision = ApplicationRevision.objects.get(application=application)
    assert revision.number == 1 and revision.frozen_by == user
    content = revision.content
    assert content["type"] == "COMP" and content["sections"]["summary"] == {"text": "工作概述的说明"}
    assert {a["sha256"] for a in content["attachments"]} == set(
        application.attachments.values_list("sha256", flat=True))
    assert revision.sha256 == content_digest(content)
    record = AuditRecord.objects.get(action="applications.application.submit")
    assert record.after["sha256"] == revision.sha256


def test_a_separately_planned_city_submits_straight_to_the_ministry(draft_version):
    user = f.city_user(f.qingdao())
    application = f.fill(f.started(user, f.batch(indicator_version=draft_version)), user)
    services.application_submit(application=application, user=user)
    application.refresh_from_db()
    assert application.status == "submitted_direct" and application.arrived_at is not None


def test_a_submitted_application_is_read_only_for_the_city(client, complete):
    application, user = complete
    services.application_submit(application=application, user=user)
    client.force_login(user)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'data-testid="revision-sha256"' in page and "hx-post" not in page
    assert "工作概述的说明" in page


def test_the_deadline_is_the_instant_in_beijing_time(complete):
    application, user = complete
    batch = application.batch
    batch.city_deadline = timezone.make_aware(datetime.datetime(2030, 3, 31, 17, 0),
                                              datetime.timezone(datetime.timedelta(hours=8)))
    batch.save()
    with freeze_time("2030-03-31 08:59:59"):  # 16:59:59 in Beijing
        services.application_submit(application=application, user=user)
    assert Application.objects.get(pk=application.pk).status == "submitted"
