"""The demo's open batch and its applications in every state, made through the real services (so
the audit trail tells the true story), and a second load that changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from icdc.applications.models import Application, ApplicationRevision, ProvincialReview
from icdc.audit.models import AuditRecord
from icdc.batches.models import Batch
from icdc.demo.applications import demo_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_divisions", verbosity=0)
    call_command("load_indicators", "--publish", verbosity=0)
    call_command("load_demo", verbosity=0)


def test_the_demo_has_an_open_batch_and_every_state_through_the_real_services(demo, client):
    batch = Batch.objects.get(year=demo_year())
    assert batch.status == "open" and batch.city_deadline > timezone.now()
    assert batch.province_deadline > batch.city_deadline and batch.indicator_version.status == "locked"
    states = dict(Application.objects.filter(batch=batch).values_list("city__name", "status"))
    assert states == {"济南市": "draft", "淄博市": "submitted", "烟台市": "returned", "潍坊市": "recommended",
                      "青岛市": "submitted_direct", "济宁市": "supplement", "泰安市": "formal_passed"}
    assert Application.objects.get(city__name="青岛市").route == "direct"
    # the audit trail is true: each state reached by its transition, by the right account
    actors = set(AuditRecord.objects.values_list("action", "actor_username"))
    assert {("batches.batch.create", "ministry"), ("batches.batch.open", "ministry"),
            ("applications.application.submit", "city_zibo"), ("applications.application.return", "province_sd"),
            ("applications.application.recommend", "province_sd"),
            ("applications.application.submit_direct", "city_qingdao"),
            ("applications.application.formal_supplement", "ministry"),
            ("applications.application.formal_pass", "ministry")} <= actors
    assert ApplicationRevision.objects.filter(application__batch=batch).count() == 6  # every submission froze one
    assert ProvincialReview.objects.get(outcome="returned").application.city.name == "烟台市"
    # the draft's checklist is not empty: the newcomer sees what is missing
    client.post("/accounts/login/", {"username": "city_jinan", "password": "Icdc#Demo2026"})
    page = client.get("/home/city/").content.decode()
    assert 'data-testid="todo-draft"' in page and 'data-testid="missing-items"' in page


def test_loading_the_demo_again_changes_nothing(demo):
    counts = (Batch.objects.count(), Application.objects.count(), AuditRecord.objects.count())
    call_command("load_demo", verbosity=0)
    after = (Batch.objects.count(), Application.objects.count(), AuditRecord.objects.count())
    assert after[:2] == counts[:2]
    assert not AuditRecord.objects.filter(action__startswith="batches.").exclude(
        action__in=("batches.batch.create", "batches.batch.open")).exists()
    assert AuditRecord.objects.filter(action="batches.batch.create").count() == 2  # this year's and last year's
