"""Who opens what: the Ministry officer manages the pool; an expert opens only their own pages; every
other role is refused (audited), and a guessed id is refused the same way; anonymous logs in first."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from tests.applications.factories import open_batch

pytestmark = pytest.mark.django_db
GUESS = 999999


@pytest.fixture
def batch(db):
    return open_batch(status="in_review")


def _pages(expert, batch):
    """(url, guessed url or None, the role that owns it)."""
    officer = Role.MINISTRY_OFFICER
    return [
        (reverse("experts:list"), None, officer),
        (reverse("experts:new"), None, officer),
        (reverse("experts:import"), None, officer),
        (reverse("experts:template"), None, officer),
        (reverse("experts:export"), None, officer),
        (reverse("experts:detail", args=[expert.pk]), reverse("experts:detail", args=[GUESS]), officer),
        (reverse("experts:edit", args=[expert.pk]), reverse("experts:edit", args=[GUESS]), officer),
        (reverse("experts:my_conflicts"), None, Role.EXPERT),
        (reverse("experts:declaration", args=[batch.pk]), reverse("experts:declaration", args=[GUESS]), Role.EXPERT),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_against_every_page(client, role_users, pool_expert, batch, role):
    client.force_login(role_users[role])
    wrong = []
    for url, guessed, owner in _pages(pool_expert, batch):
        real = client.get(url)
        other = client.get(guessed) if guessed else None
        if role == owner:
            ok = real.status_code == 200 and (other is None or other.status_code == 404)
        else:
            ok = real.status_code == 403 and (other is None or other.status_code == 403)
        if not ok:
            wrong.append((url, real.status_code, other and other.status_code))
    assert wrong == []


def test_anonymous_is_sent_to_log_in(client, pool_expert, batch):
    for url, _guessed, _owner in _pages(pool_expert, batch):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_refusal_is_audited_and_shows_nothing(client, role_users, pool_expert):
    client.force_login(role_users[Role.CITY_APPLICANT])
    before = AuditRecord.objects.filter(action="accounts.permission.deny").count()
    response = client.get(reverse("experts:detail", args=[pool_expert.pk]))
    assert response.status_code == 403 and pool_expert.employer not in response.content.decode()
    assert AuditRecord.objects.filter(action="accounts.permission.deny").count() == before + 1


def test_an_expert_account_outside_the_pool_opens_nothing(client, role_users, batch):
    client.force_login(role_users[Role.EXPERT])  # no pool entry
    assert client.get(reverse("experts:my_conflicts")).status_code == 403
    assert client.get(reverse("experts:declaration", args=[batch.pk])).status_code == 403


def test_an_expert_cannot_post_to_the_officers_pages(client, pool_expert):
    from icdc.review.models import Expert

    client.force_login(pool_expert.account)
    response = client.post(reverse("experts:edit", args=[pool_expert.pk]), {"name": "改名", "is_active": ""})
    assert response.status_code == 403
    assert Expert.objects.get(pk=pool_expert.pk).name == pool_expert.name
