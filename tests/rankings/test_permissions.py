"""Scoring runs are the Ministry officer's: every other role is refused, and the refusal audited."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.rankings.models import ReproductionCheck

from . import helpers


def _urls(run):
    return [
        ("get", reverse("rankings:run_list")),
        ("get", reverse("rankings:run_detail", args=[run.pk])),
        ("get", reverse("rankings:run_track", args=[run.pk, "COMP"])),
        ("get", reverse("rankings:city_explanation", args=[run.pk, "COMP", "370200"])),
        ("get", reverse("rankings:export_ranking", args=[run.pk])),
        ("get", reverse("rankings:export_explanation", args=[run.pk, "COMP", "370200"])),
        ("post", reverse("rankings:reproduce", args=[run.pk])),
    ]


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.EXPERT, Role.SYSTEM_ADMIN,
                                  Role.AUDIT_ADMIN])
def test_other_roles_get_403_and_the_denial_is_audited(client, role_users, comp_run, role):
    client.force_login(role_users[role])
    for method, url in _urls(comp_run):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
    denials = AuditRecord.objects.filter(action="accounts.permission.deny", actor_id=role_users[role].pk)
    assert denials.count() == len(_urls(comp_run))
    assert set(denials.values_list("detail", flat=True)) == {
        "rankings.view_scoring_run", "rankings.export_scoring_run", "rankings.reproduce_scoring_run"}
    assert not ReproductionCheck.objects.exists()
    assert not AuditRecord.objects.filter(action="rankings.scoring_run.export").exists()


def test_anonymous_is_sent_to_login(client, comp_run):
    for method, url in _urls(comp_run):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_ministry_officer_may(officer_client, comp_run, officer):
    (_, run_list), (_, detail), (_, ranking), (_, explanation), (_, export_ranking), (_, export_explanation), \
        (_, reproduce) = _urls(comp_run)
    assert comp_run.label in officer_client.get(run_list).content.decode()
    response = officer_client.get(detail, follow=True)
    assert response.redirect_chain[-1][0] == ranking
    body = officer_client.get(ranking).content.decode()
    assert body.count("<tr data-city=") == 5 and comp_run.input_hash in body
    body = officer_client.get(explanation).content.decode()
    composite = comp_run.city_results.get(city_id="370200").composite
    assert "青岛市" in body and f'data-testid="composite">{composite:.2f}<' in body
    sheets = helpers.workbook(officer_client.get(export_ranking).content)
    assert [row[1] for row in sheets.worksheets[0].iter_rows(values_only=True)].count("370200") == 1
    cells = [c for row in helpers.workbook(officer_client.get(export_explanation).content).active.iter_rows(
        values_only=True) for c in row]
    assert "青岛市（370200）" in cells and composite in cells
    body = officer_client.post(reproduce, {"track": "COMP"}, follow=True).content.decode()
    assert "复算结果与存储结果逐字节一致" in body
    check = ReproductionCheck.objects.get(run=comp_run)
    assert check.matched and check.checked_by == officer
    assert helpers.audit_actions() == ["rankings.scoring_run.create", "rankings.scoring_run.export", "rankings.scoring_run.export", "rankings.scoring_run.reproduce"]
    assert not AuditRecord.objects.filter(action="accounts.permission.deny").exists()


def test_the_rules_themselves(role_users):
    for role, user in role_users.items():
        allowed = role == Role.MINISTRY_OFFICER
        for perm in ("view", "create", "reproduce", "export"):
            assert user.has_perm(f"rankings.{perm}_scoring_run") is allowed
