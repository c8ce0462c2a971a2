"""形式审查 (art. 12): the checklist from the programme definition, each outcome with its record, audit
and notifications, the city's answer to a supplement request (a new revision, the differences shown),
late answers, rejection, bulk pass, withdrawal, and refusals that change nothing."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from icdc.applications import services, workflow
from icdc.applications.models import Application, ApplicationRevision
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.notifications.models import Notification
from icdc.review import formal
from icdc.review.models import FormalCheck, FormalReview
from tests.applications import appform_factories as f
from tests.applications import factories_review as fr
from tests.review.formal.factories import direct_arrived, in_a_week, recommended_with_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return fr.ministry()


def _audits(action, application=None):
    rows = AuditRecord.objects.filter(action=f"applications.application.{action}")
    return rows.filter(object_id=str(application.pk)) if application is not None else rows


def _unchanged(application, status, revision_number):
    application.refresh_from_db()
    assert (application.status, application.revision_number) == (status, revision_number)


# --- the checklist ----------------------------------------------------------------------------

def test_the_checklist_is_the_programmes_conditions_and_required_materials(officer):
    application, _user = direct_arrived()
    recommended, _city, _official = recommended_with_people()
    programme = application.batch.programme()
    for app in (application, recommended):
        expected = [f"condition:{c.code}" for c in programme.conditions_for(app.type_code)]
        expected += [f"material:{m.code}" for m in programme.materials_for(app.route, app.type_code) if m.required]
        assert [item.key for item in formal.checklist_items(app)] == expected
    # the province's letter is a material of the province route only
    assert "material:RECOMMENDATION" in [i.key for i in formal.checklist_items(recommended)]
    assert "material:RECOMMENDATION" not in [i.key for i in formal.checklist_items(application)]
    optional = [m.code for m in programme.materials_for("direct", "COMP") if not m.required]
    assert optional and not any(i.code in optional for i in formal.checklist_items(application))


def test_saving_the_checklist_keeps_ticks_and_notes_per_revision(officer):
    application, _user = direct_arrived()
    review = formal.formal_checks_save(application=application, user=officer, checks={
        "condition:COMP-1": {"met": True, "note": "机构健全"}, "material:FORM": {"met": False, "note": "缺盖章"},
        "material:NOPE": {"met": True, "note": "not an item"}})
    assert review.revision_number == 1 and review.outcome == FormalReview.Outcome.PENDING
    checks = {f"{c.kind}:{c.code}": (c.met, c.note) for c in review.checks.all()}
    assert checks["condition:COMP-1"] == (True, "机构健全") and checks["material:FORM"] == (False, "缺盖章")
    assert "material:NOPE" not in checks and len(checks) == len(formal.checklist_items(application))
    assert AuditRecord.objects.filter(action="review.formal_review.save", object_id=str(application.pk)).count() == 1


# --- pass ------------------------------------------------------------------------------------------

def test_pass_records_the_review_audits_and_tells_the_city(officer):
    application, city_user = direct_arrived()
    formal.formal_checks_save(application=application, user=officer,
                              checks={"condition:COMP-2": {"met": True, "note": "政策齐全"}})
    formal.formal_decide(application=application, user=officer, outcome="pass")
    application.refresh_from_db()
    assert application.status == workflow.FORMAL_PASSED
    review = FormalReview.objects.get(application=application, revision_number=1)
    assert (review.outcome, review.reviewer, review.bulk) == (FormalReview.Outcome.PASSED, officer, False)
    assert review.decided_at is not None
    assert all(c.met is True for c in review.checks.all())  # passing asserts every item
    assert review.checks.get(code="COMP-2").note == "政策齐全"
    record = _audits("formal_pass", application).get()
    assert record.before == {"status": "submitted_direct"}
    assert record.after["status"] == "formal_passed" and record.after["outcome"] == "passed"
    assert Notification.objects.filter(recipient=city_user, kind="applications.application.formal_pass").count() == 1


def test_pass_is_refused_in_chinese_when_an_item_is_not_met_and_nothing_changes(officer):
    application, city_user = direct_arrived()
    with pytest.raises(Refusal) as refused:
        formal.formal_decide(application=application, user=officer, outcome="pass",
                             checks={"material:PROPOSAL": {"met": False, "note": "缺少申报书"}})
    assert "未满足" in str(refused.value) and "信息消费示范城市申报书" in str(refused.value)
    _unchanged(application, workflow.SUBMITTED_DIRECT, 1)
    assert not FormalReview.objects.filter(application=application).exists()
    assert not _audits("formal_pass").exists()
    assert not Notification.objects.filter(kind__startswith="applications.application.formal").exists()


def test_a_decided_application_cannot_be_decided_again(officer):
    application, _user = direct_arrived()
    formal.formal_decide(application=application, user=officer, outcome="pass")
    with pytest.raises(Refusal) as refused:
        formal.formal_decide(application=application, user=officer, outcome="reject", reasons="重复")
    assert refused.value.code == "wrong_state" and "形式审查通过" in str(refused.value)
    assert _audits("formal_reject").count() == 0
    with pytest.raises(Refusal):
        formal.formal_checks_save(application=application, user=officer, checks={})


# --- supplement ------------------------------------------------------------------------------------

def test_a_supplement_request_needs_reasons_and_a_future_deadline(officer):
    application, _user = direct_arrived()
    with pytest.raises(Refusal) as no_reason:
        formal.formal_decide(application=application, user=officer, outcome="supplement", deadline=in_a_week())
    with pytest.raises(Refusal) as no_deadline:
        formal.formal_decide(application=application, user=officer, outcome="supplement", reasons="补充申报书")
    with pytest.raises(Refusal) as past:
        formal.formal_decide(application=application, user=officer, outcome="supplement", reasons="补充申报书",
                             deadline=timezone.now() - datetime.timedelta(hours=1))
    assert "理由" in str(no_reason.value) and "截止时间" in str(no_deadline.value) and "晚于" in str(past.value)
    _unchanged(application, workflow.SUBMITTED_DIRECT, 1)
    assert not FormalReview.objects.exists() and not _audits("formal_supplement").exists()


def test_supplement_answered_with_a_new_revision_and_the_differences_shown(officer, client):
    application, city_user = direct_arrived()
    deadline = in_a_week()
    formal.formal_decide(application=application, user=officer, outcome="supplement", reasons="请补充组织保障说明",
                         deadline=deadline, checks={"condition:COMP-1": {"met": False, "note": "机构说明不清"}})
    application.refresh_from_db()
    assert (application.status, application.revision_number) == (workflow.SUPPLEMENT, 2)
    review = FormalReview.objects.get(application=application, revision_number=1)
    assert (review.outcome, review.reasons, review.deadline) == (FormalReview.Outcome.SUPPLEMENT, "请补充组织保障说明",
                                                                deadline)
    assert _audits("formal_supplement", application).get().after["deadline"] == deadline.isoformat()
    note = Notification.objects.get(recipient=city_user, kind="applications.application.formal_supplement")
    assert "请补充组织保障说明" in note.title and "北京时间" in note.title
    # the city sees the request and edits as after a return
    client.force_login(city_user)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'data-testid="supplement-request"' in page and "请补充组织保障说明" in page
    assert city_user.has_perm("applications.change_application", application)
    section = next(s for s in f.form_definition.definition(application).sections if s.key == "summary")
    data = f.section_values(section)
    data[section.fields[0].path[0]] = "补充后的组织保障说明"
    f.save(application, city_user, "summary", data)
    services.application_submit(application=application, user=city_user)
    application.refresh_from_db()
    assert application.status == workflow.SUPPLEMENTED and application.status in workflow.AT_MINISTRY
    assert ApplicationRevision.objects.filter(application=application).count() == 2
    assert _audits("answer_supplement", application).get().after["revision"] == 2
    assert Notification.objects.filter(recipient=officer, kind="applications.application.answer_supplement").exists()
    # the officer sees it in the queue, with the differences from the revision reviewed before
    client.force_login(officer)
    assert application.number in client.get(reverse("formal:queue")).content.decode()
    page = client.get(reverse("formal:review", args=[application.pk])).content.decode()
    assert 'data-testid="supplement-diff"' in page and "补充后的组织保障说明" in page
    assert "请补充组织保障说明" in page
    formal.formal_decide(application=application, user=officer, outcome="pass")
    assert FormalReview.objects.get(application=application, revision_number=2).outcome == FormalReview.Outcome.PASSED
    assert FormalReview.objects.get(application=application, revision_number=1).checks.get(code="COMP-1").met is False


def test_an_answer_after_the_supplement_deadline_is_refused_in_chinese(officer):
    application, city_user = direct_arrived()
    formal.formal_decide(application=application, user=officer, outcome="supplement", reasons="补充", deadline=in_a_week())
    FormalReview.objects.filter(application=application).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    application.refresh_from_db()
    with pytest.raises(Refusal) as refused:
        services.application_submit(application=application, user=city_user)
    assert "补充材料已于" in str(refused.value) and "截止" in str(refused.value)
    _unchanged(application, workflow.SUPPLEMENT, 2)
    assert ApplicationRevision.objects.filter(application=application).count() == 1
    assert not _audits("answer_supplement").exists()


# --- reject ------------------------------------------------------------------------------------------

def test_reject_is_final_and_tells_the_city_and_its_province_why(officer, client):
    application, city_user, official = recommended_with_people()
    formal.formal_decide(application=application, user=officer, outcome="reject", reasons="不符合申报基本条件第三项")
    application.refresh_from_db()
    assert application.status == workflow.REJECTED and workflow.WORKFLOW.states[workflow.REJECTED].final
    review = FormalReview.objects.get(application=application)
    assert (review.outcome, review.reasons, review.reviewer) == (FormalReview.Outcome.REJECTED,
                                                                 "不符合申报基本条件第三项", officer)
    for person in (city_user, official):
        note = Notification.objects.get(recipient=person, kind="applications.application.formal_reject")
        assert "不符合申报基本条件第三项" in note.title
    assert _audits("formal_reject", application).get().detail == "不符合申报基本条件第三项"
    assert not workflow.WORKFLOW.available(application, city_user)  # not even withdraw
    client.force_login(city_user)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'data-testid="rejection-reasons"' in page and "不符合申报基本条件第三项" in page


def test_reject_asks_for_confirmation_first(officer, client):
    application, _city, _official = recommended_with_people()
    client.force_login(officer)
    url = reverse("formal:review", args=[application.pk])
    page = client.post(url, {"action": "reject", "reasons": "材料不实"})
    assert page.status_code == 200 and "确认不通过" in page.content.decode()
    _unchanged(application, workflow.RECOMMENDED, 1)
    done = client.post(url, {"action": "reject", "reasons": "材料不实", "confirm": "yes"})
    assert done.status_code == 302
    _unchanged(application, workflow.REJECTED, 1)


# --- the pages -------------------------------------------------------------------------------------

def test_supplement_from_the_page_takes_the_deadline_in_beijing_time(officer, client):
    application, _user = direct_arrived()
    client.force_login(officer)
    day = (timezone.now() + datetime.timedelta(days=10)).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    response = client.post(reverse("formal:review", args=[application.pk]), {
        "action": "supplement", "reasons": "补充申报书盖章页", "deadline": day.strftime("%Y-%m-%dT17:00"),
        "met-material:PROPOSAL": "0", "note-material:PROPOSAL": "未盖章"})
    assert response.status_code == 302
    review = FormalReview.objects.get(application=application)
    local = review.deadline.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert (local.date(), local.hour, local.minute) == (day.date(), 17, 0)
    assert review.checks.get(code="PROPOSAL").note == "未盖章"


def test_a_refused_outcome_from_the_page_shows_the_reason_and_keeps_the_ticks(officer, client):
    application, _user = direct_arrived()
    client.force_login(officer)
    response = client.post(reverse("formal:review", args=[application.pk]), {
        "action": "pass", "met-condition:COMP-3": "0", "note-condition:COMP-3": "增长数据缺失"})
    page = response.content.decode()
    assert response.status_code == 422 and "未满足" in page and "增长数据缺失" in page
    _unchanged(application, workflow.SUBMITTED_DIRECT, 1)


def test_the_page_lists_the_checklist_beside_the_dossier(officer, client):
    application, _user = direct_arrived()
    client.force_login(officer)
    page = client.get(reverse("formal:review", args=[application.pk])).content.decode()
    for item in formal.checklist_items(application):
        assert f'data-testid="check-{item.key}"' in page
    assert 'data-testid="application-facts"' in page and 'data-testid="formal-pass"' in page


def test_bulk_pass_takes_each_through_the_service_and_reports_refusals(officer, client):
    the_batch = fr.batch()
    good = [recommended_with_people(code, name, the_batch)[0]
            for code, name in (("370100", "济南市"), ("370300", "淄博市"), ("320100", "南京市"))]
    flagged, _c, _o = recommended_with_people("370400", "枣庄市", the_batch)
    formal.formal_checks_save(application=flagged, user=officer, checks={"material:FORM": {"met": False, "note": ""}})
    decided, _c, _o = recommended_with_people("370500", "东营市", the_batch)
    formal.formal_decide(application=decided, user=officer, outcome="reject", reasons="不符合")
    client.force_login(officer)
    ids = [a.pk for a in (*good, flagged, decided)] + [999999]
    response = client.post(reverse("formal:bulk_pass"), {"ids": [str(i) for i in ids]})
    page = response.content.decode()
    assert response.status_code == 200
    for app in good:
        app.refresh_from_db()
        assert app.status == workflow.FORMAL_PASSED
        record = _audits("formal_pass", app).get()
        assert record.after["bulk"] is True and record.actor_username == officer.username
    assert _audits("formal_pass").count() == 3
    assert FormalReview.objects.filter(bulk=True, outcome="passed").count() == 3
    _unchanged(flagged, workflow.RECOMMENDED, 1)
    _unchanged(decided, workflow.REJECTED, 1)
    refused = page.split('data-testid="bulk-refused"')[1]
    assert flagged.number in refused and "未满足" in refused
    assert decided.number in refused and "形式审查不通过" in refused and "999999" in refused


def test_a_withdrawn_application_leaves_the_queue(officer, client):
    application, city_user = direct_arrived()
    stays, _u = direct_arrived(city=f.division("210200", "大连市", is_separately_planned=True, applies_directly=True),
                               the_batch=application.batch)
    client.force_login(officer)
    assert application.number in client.get(reverse("formal:queue")).content.decode()
    services.application_withdraw(application=application, user=city_user, reason="放弃申报")
    page = client.get(reverse("formal:queue")).content.decode()
    assert application.number not in page and stays.number in page
    with pytest.raises(Refusal) as refused:
        formal.formal_decide(application=application, user=officer, outcome="pass")
    assert "已撤回" in str(refused.value)
    assert not FormalReview.objects.filter(application=application).exists()


def test_withdraw_is_possible_during_a_supplement_request(officer):
    application, city_user = direct_arrived()
    formal.formal_decide(application=application, user=officer, outcome="supplement", reasons="补充", deadline=in_a_week())
    application.refresh_from_db()
    services.application_withdraw(application=application, user=city_user, reason="不再申报")
    application.refresh_from_db()
    assert application.status == workflow.WITHDRAWN
    assert Notification.objects.filter(recipient=officer, kind="applications.application.withdraw").exists()


def test_the_export_lists_every_decided_review(officer, client):
    application, _user = direct_arrived()
    other, _c, _o = recommended_with_people()
    formal.formal_decide(application=application, user=officer, outcome="supplement", reasons="补充盖章页",
                         deadline=in_a_week(), checks={"material:FORM": {"met": False, "note": "未盖章"}})
    formal.formal_decide(application=other, user=officer, outcome="reject", reasons="=HYPERLINK(\"x\")")
    client.force_login(officer)
    response = client.get(reverse("formal:export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                              if response.streaming else response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    text = "\n".join(" ".join(str(v) for v in row if v is not None) for row in values)
    assert application.number in text and other.number in text and "补充材料" in text and "未盖章" in text
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)  # text, never a formula
    assert any(v == '=HYPERLINK("x")' for row in values for v in row)
    assert AuditRecord.objects.filter(action="review.formal_review.export").count() == 1


def test_panels_are_drawn_only_from_applications_that_passed(officer):
    from icdc.review.panels import _track, group_applications

    the_batch = fr.batch()
    waiting, _c, _o = recommended_with_people("370100", "济南市", the_batch)
    passed, _c, _o = recommended_with_people("370300", "淄博市", the_batch)
    formal.formal_decide(application=passed, user=officer, outcome="pass")
    ids = [a["id"] for a in group_applications(the_batch, _track(the_batch, "COMP"))]
    assert ids == [passed.pk] and waiting.pk not in ids


def test_a_non_officer_cannot_decide_through_the_service(role_users):
    from django.core.exceptions import PermissionDenied

    from icdc.accounts.models import Role

    application, city_user, official = recommended_with_people()
    for user in (city_user, official, role_users[Role.EXPERT], role_users[Role.SYSTEM_ADMIN]):
        with pytest.raises(PermissionDenied):
            formal.formal_decide(application=application, user=user, outcome="pass")
        with pytest.raises(PermissionDenied):
            formal.formal_checks_save(application=application, user=user, checks={})
    _unchanged(application, workflow.RECOMMENDED, 1)
    assert not FormalCheck.objects.exists()
    assert Application.objects.get(pk=application.pk).status == workflow.RECOMMENDED
