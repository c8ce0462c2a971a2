"""Authorisation matrix of the formal-review pages: every view × every role, with guessed ids. Only the
Ministry officer opens them; every other role is refused (403) the same way for a real and a guessed
id; the officer gets 404 for a guessed id or for an application that has not reached the Ministry;
anonymous logs in first. A refused POST changes nothing."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.applications import workflow
from icdc.review.models import FormalReview
from tests.applications import factories_review as fr
from tests.applications.factories import application as draft_application

pytestmark = pytest.mark.django_db
GUESS = 999999


@pytest.fixture
def arrived(role_users):
    """A recommended application of the city role's city (so the city and province roles are its own)."""
    return fr.recommended(batch_obj=fr.batch(), city_obj=role_users[Role.CITY_APPLICANT].division)


def _requests(app):
    """(method, url, data, guessed url or None, the officer's expected status)."""
    return [
        ("get", reverse("formal:queue"), {}, None, 200),
        ("get", reverse("formal:export"), {}, None, 200),
        ("get", reverse("formal:review", args=[app.pk]), {}, reverse("formal:review", args=[GUESS]), 200),
        ("post", reverse("formal:review", args=[app.pk]), {"action": "save"},
         reverse("formal:review", args=[GUESS]), 302),
        ("post", reverse("formal:bulk_pass"), {"ids": []}, None, 302),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_against_every_formal_review_page(client, role_users, arrived, role):
    client.force_login(role_users[role])
    wrong = []
    for method, url, data, guessed, ok in _requests(arrived):
        real = getattr(client, method)(url, data)
        other = getattr(client, method)(guessed, data) if guessed else None
        if role == Role.MINISTRY_OFFICER:
            good = real.status_code == ok and (other is None or other.status_code == 404)
        else:
            good = real.status_code == 403 and (other is None or other.status_code == 403)
        if not good:
            wrong.append((role, method, url, real.status_code, other and other.status_code))
    assert wrong == []


def test_anonymous_is_sent_to_log_in(client, arrived):
    for method, url, data, _guessed, _ok in _requests(arrived):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_application_not_yet_at_the_ministry_is_not_found(client, role_users):
    draft = draft_application(batch=fr.batch(), city=role_users[Role.CITY_APPLICANT].division, route="province",
                              status="submitted")
    client.force_login(role_users[Role.MINISTRY_OFFICER])
    assert client.get(reverse("formal:review", args=[draft.pk])).status_code == 404
    assert client.post(reverse("formal:review", args=[draft.pk]), {"action": "pass"}).status_code == 404
    response = client.post(reverse("formal:bulk_pass"), {"ids": [str(draft.pk)]})
    assert "尚未报送工信部" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "submitted"


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.EXPERT, Role.SYSTEM_ADMIN,
                                  Role.AUDIT_ADMIN])
def test_a_refused_post_changes_nothing(client, role_users, arrived, role):
    client.force_login(role_users[role])
    client.post(reverse("formal:review", args=[arrived.pk]), {"action": "pass"})
    client.post(reverse("formal:review", args=[arrived.pk]), {"action": "reject", "reasons": "x", "confirm": "yes"})
    client.post(reverse("formal:bulk_pass"), {"ids": [str(arrived.pk)]})
    arrived.refresh_from_db()
    assert arrived.status == workflow.RECOMMENDED and not FormalReview.objects.exists()
