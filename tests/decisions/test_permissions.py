"""Scoring runs are the Ministry officer's: every other role is refused, and the refusal audited."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.decisions.models import ReproductionCheck


def _urls(run):
    return [
        ("get", reverse("decisions:run_list")),
        ("get", reverse("decisions:run_detail", args=[run.pk])),
        ("get", reverse("decisions:run_track", args=[run.pk, "COMP"])),
        ("get", reverse("decisions:city_explanation", args=[run.pk, "COMP", "370200"])),
        ("get", reverse("decisions:export_ranking", args=[run.pk])),
        ("get", reverse("decisions:export_explanation", args=[run.pk, "COMP", "370200"])),
        ("post", reverse("decisions:reproduce", args=[run.pk])),
    ]


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.EXPERT, Role.SYSTEM_ADMIN,
                                  Role.AUDIT_ADMIN])
def test_other_roles_get_403_and_the_denial_is_audited(client, role_users, comp_run, role):
    client.force_login(role_users[role])
    for method, url in _urls(comp_run):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
    denials = AuditRecord.objects.filter(action="permission.denied", actor_id=role_users[role].pk)
    assert denials.count() == len(_urls(comp_run))
    assert set(denials.values_list("detail", flat=True)) == {
        "decisions.view_scoring_run", "decisions.export_scoring_run", "decisions.reproduce_scoring_run"}
    assert not ReproductionCheck.objects.exists()
    assert not AuditRecord.objects.filter(action="scoring.export").exists()


def test_anonymous_is_sent_to_login(client, comp_run):
    for method, url in _urls(comp_run):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_ministry_officer_may(officer_client, comp_run):
    for method, url in _urls(comp_run):
        response = getattr(officer_client, method)(url, follow=True)
        assert response.status_code == 200, url


def test_the_rules_themselves(role_users):
    for role, user in role_users.items():
        allowed = role == Role.MINISTRY_OFFICER
        for perm in ("view", "create", "reproduce", "export"):
            assert user.has_perm(f"decisions.{perm}_scoring_run") is allowed
