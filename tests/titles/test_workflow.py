"""The title lifecycle is declared (active, under re-evaluation, revoked) though only "active" is
reachable now: titles are created active and no page or service takes the other transitions."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import get_resolver

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.lib.workflow import all_workflows, perform
from icdc.titles.models import Title
from icdc.titles.workflow import WORKFLOW


def test_the_declaration_has_the_states_and_transitions():
    assert all_workflows()["titles.title"] is WORKFLOW
    assert set(WORKFLOW.states) == {"active", "under_reevaluation", "revoked"}
    assert WORKFLOW.initial == "active" and WORKFLOW.states["revoked"].final
    assert {n: (t.sources, t.target) for n, t in WORKFLOW.transitions.items()} == {
        "start_reevaluation": (("active",), "under_reevaluation"),
        "confirm": (("under_reevaluation",), "active"),
        "revoke": (("under_reevaluation",), "revoked"),
    }
    assert Title._meta.get_field("status").default == "active"


def test_no_service_or_page_takes_a_transition_yet():
    app = Path(settings.BASE_DIR) / "icdc" / "titles"
    for path in app.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "perform"]
        assert not calls, f"{path} takes a title transition: add its tests and pages with it"
    titles_urls = [p.name for p in get_resolver().url_patterns if getattr(p, "namespace", "") == "titles"
                   for p in p.url_patterns]
    assert titles_urls == ["list", "certificate_issue"]  # the certificate publishes a document, not a transition


@pytest.fixture
def title(loaded):
    return Title.objects.filter(kind="specialised").order_by("pk").first()


def test_the_declared_transitions_work_for_the_ministry_when_a_later_stage_calls_them(title, officer):
    title = perform(WORKFLOW, title, "start_reevaluation", user=officer, note="2022 年成效评估未达标")
    assert title.status == "under_reevaluation"
    with pytest.raises(Refusal, match="请填写“撤销称号”的理由"):
        perform(WORKFLOW, title, "revoke", user=officer)
    title = perform(WORKFLOW, title, "revoke", user=officer, note="复核未通过")
    assert Title.objects.get(pk=title.pk).status == "revoked"
    assert list(AuditRecord.objects.filter(action__startswith="titles.title.").exclude(
        action="titles.title.load").values_list("action", flat=True).order_by("seq")) == [
        "titles.title.start_reevaluation", "titles.title.revoke"]


def test_a_legacy_title_is_not_reevaluated_under_the_measures(loaded, officer):
    legacy = Title.objects.filter(kind="legacy").first()
    with pytest.raises(Refusal, match="2016 年的称号早于"):
        perform(WORKFLOW, legacy, "start_reevaluation", user=officer, note="x")
    assert Title.objects.get(pk=legacy.pk).status == "active"


def test_no_other_role_may_take_them(title, role_users):
    for role in (Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.EXPERT, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(PermissionDenied):
            perform(WORKFLOW, title, "start_reevaluation", user=role_users[role], note="x")
    assert Title.objects.get(pk=title.pk).status == "active"
