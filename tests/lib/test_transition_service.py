"""The one transition service (``icdc.lib.workflow.perform``): guard, write, audit last, notify
after commit; a refusal writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from icdc.accounts.models import Role
from icdc.applications import services, workflow
from icdc.applications.models import Application, ApplicationRevision
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.lib.workflow import Context, State, Transition, Workflow, perform
from tests.applications.factories import application
from tests.factories import division, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_user(db):
    return make_user(Role.CITY_APPLICANT, division_obj=division("370100", "济南市"))


def _complete(user):
    """A draft with everything the programme asks for (the checklist is the submit guard)."""
    from tests.applications import appform_factories

    return appform_factories.fill(appform_factories.started(user, appform_factories.batch()), user)


def test_a_transition_writes_the_state_its_effects_and_one_audit_record_last(city_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    app = _complete(city_user)
    done = services.application_submit(application=app, user=city_user)
    assert done.status == workflow.SUBMITTED
    assert Application.objects.get(pk=app.pk).status == "submitted"
    revision = ApplicationRevision.objects.get(application=app)
    record = AuditRecord.objects.get(action="applications.application.submit")
    assert record.before == {"status": "draft"}
    assert record.after == {"status": "submitted", "revision": 1, "sha256": revision.sha256}
    assert record.actor_username == city_user.username
    # audit last: nothing the transition wrote comes after its record
    assert record.seq == AuditRecord.objects.order_by("-seq").first().seq


def test_a_guard_refusal_writes_nothing_and_says_why_in_chinese(city_user):
    app = application(type_code="")  # incomplete: no type chosen
    before = AuditRecord.objects.count()
    with pytest.raises(Refusal) as refused:
        services.application_submit(application=app, user=city_user)
    assert "申报材料尚不完整" in str(refused.value) and refused.value.code == "complete"
    assert Application.objects.get(pk=app.pk).status == "draft"
    assert not ApplicationRevision.objects.exists()
    assert AuditRecord.objects.count() == before


def test_a_stale_page_cannot_repeat_a_transition(city_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    app = _complete(city_user)
    stale = Application.objects.get(pk=app.pk)
    services.application_submit(application=app, user=city_user)
    with pytest.raises(Refusal) as refused:
        services.application_submit(application=stale, user=city_user)
    assert refused.value.code == "wrong_state" and "刷新" in str(refused.value)
    assert AuditRecord.objects.filter(action="applications.application.submit").count() == 1


def test_someone_else_is_denied_and_the_denial_is_audited(city_user):
    app = application()
    other_city = make_user(Role.CITY_APPLICANT, division_obj=division("370200", "青岛市"))
    with pytest.raises(PermissionDenied):
        services.application_submit(application=app, user=other_city)
    assert Application.objects.get(pk=app.pk).status == "draft"
    denial = AuditRecord.objects.get(action="accounts.permission.deny")
    assert denial.actor_username == other_city.username and denial.detail == "applications.application.submit"


def test_a_return_needs_its_reasons(city_user):
    app = application(status="submitted", submitted_at="2030-01-01T00:00:00Z")
    province = make_user(Role.PROVINCIAL_OFFICIAL, division_obj=app.province)
    with pytest.raises(Refusal) as refused:
        services.application_return(application=app, user=province, reasons="  ")
    assert refused.value.code == "note_required"
    done = services.application_return(application=app, user=province, reasons="缺少GDP数据来源")
    assert done.status == "returned" and done.revision_number == 2
    assert done.provincial_reviews.get().comments == "缺少GDP数据来源"


def test_a_rolled_back_transition_tells_no_one_and_a_committed_one_mails_after_the_commit(
        django_capture_on_commit_callbacks):
    from icdc.notifications.models import Notification
    from icdc.notifications.services import notify

    officer = make_user(Role.MINISTRY_OFFICER, email="officer@miit.example.gov.cn")
    flow = Workflow(name="tests.batch_probe", model="batches.Batch", initial="draft", register=False,
                    states=(State("draft", "草稿"), State("open", "开放")),
                    transitions=(Transition("open", "开放", ("draft",), "open", lambda user, obj: True,
                                            notify=(lambda obj, ctx: notify(recipients=[officer], kind="t.open",
                                                                            title="已开放", obj=obj),)),))
    from tests.applications.factories import open_batch

    batch = open_batch(status="draft")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            perform(flow, batch, "open", user=None)
            raise RuntimeError("rolled back")
    assert callbacks == [] and not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        perform(flow, batch, "open", user=None)
    assert list(Notification.objects.values_list("recipient", "title")) == [(officer.pk, "已开放")]
    assert len(callbacks) == 1  # the e-mail task waits for the commit


def test_a_declaration_naming_an_undeclared_state_is_refused_at_import():
    with pytest.raises(ValueError, match="not declared"):
        Workflow(name="tests.bad", model="batches.Batch", initial="draft", register=False, states=(State("draft", "草稿"),),
                 transitions=(Transition("go", "走", ("draft",), "nowhere", lambda u, o: True),))


def test_blockers_show_the_reasons_the_service_would_give(city_user):
    app = application(type_code="")
    reasons = workflow.WORKFLOW.blockers(app, "submit", city_user)
    assert any("申报材料尚不完整" in r for r in reasons)
    assert Context(user=city_user).audit == {}


def test_workflow_models_are_audited_by_the_transition_service_only():
    """Issue 13: a transition is audited once; no lifecycle's model is also in the CRUD registry."""
    from icdc.audit.registry import registered_models
    from icdc.lib.workflow import all_workflows

    lifecycle_models = {flow.model for flow in all_workflows().values()}
    assert lifecycle_models and not lifecycle_models & set(registered_models())
