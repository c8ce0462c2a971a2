"""Frozen revisions and the differences between them, field by field (art. 10: after a return the
city's changes are visible), files compared by SHA-256."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.applications import attachments, services
from icdc.applications import form as form_definition
from icdc.applications.models import ApplicationRevision
from icdc.applications.revisions import revision_diff
from icdc.lib import sm4
from tests.applications import appform_factories as f
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned_once(draft_version):
    """Revision 1 submitted and returned by the province; revision 2 revised and resubmitted."""
    user = f.city_user()
    application = f.fill(f.started(user, f.batch(indicator_version=draft_version)), user)
    services.application_submit(application=application, user=user)
    province = make_user(Role.PROVINCIAL_OFFICIAL, division_obj=application.province)
    services.application_return(application=application, user=province, reasons="请补充工作概述")
    application.refresh_from_db()
    f.save(application, user, "summary", {"text": "补充后的工作概述"})
    f.save(application, user, "lead", {"name": "", "leader": ""})
    contact = application.sections.get(key="contact").data
    f.save(application, user, "contact", {**contact, "mobile": sm4.encrypt(
        f.MOBILE, context=form_definition.MOBILE_CONTEXT)})  # same number, new token
    attachments.attachment_upload(application=application, purpose="material-OTHER",
                                  uploaded_file=f.pdf_file("补充说明.pdf"), user=user)
    old_proposal = application.attachments.get(purpose="material-PROPOSAL", removed_at__isnull=True)
    attachments.attachment_remove(attachment=old_proposal, user=user)
    f.save(application, user, "lead", {"name": "济南市大数据局", "leader": ""})
    attachments.attachment_upload(application=application, purpose="material-PROPOSAL",
                                  uploaded_file=f.pdf_file("申报书-修订.pdf"), user=user)
    services.application_submit(application=application, user=user)
    application.refresh_from_db()
    return application, user, province, old_proposal


def test_each_submission_is_its_own_frozen_revision(returned_once):
    application, *_ = returned_once
    first, second = ApplicationRevision.objects.filter(application=application).order_by("number")
    assert (first.number, second.number, application.revision_number) == (1, 2, 2)
    assert first.content["sections"]["summary"] == {"text": "工作概述的说明"}
    assert second.content["sections"]["summary"] == {"text": "补充后的工作概述"}


def test_a_file_of_a_frozen_revision_is_kept_when_removed_from_the_draft(returned_once):
    application, _user, _province, old_proposal = returned_once
    old_proposal.refresh_from_db()
    assert old_proposal.removed_at is not None  # kept for revision 1, hidden from the draft


def test_the_differences_are_listed_field_by_field(returned_once):
    application, user, *_ = returned_once
    first, second = ApplicationRevision.objects.filter(application=application).order_by("number")
    rows, files = revision_diff(application, first.content, second.content, user)
    by_label = {row["label"]: row for row in rows}
    assert by_label["工作概述 · 信息消费工作概述"] == {
        "label": "工作概述 · 信息消费工作概述", "change": "changed", "before": "工作概述的说明", "after": "补充后的工作概述"}
    assert by_label["牵头单位 · 牵头单位名称"]["after"] == "济南市大数据局"
    assert by_label["牵头单位 · 分管负责人"]["change"] == "removed"
    assert not any("手机号码" in label for label in by_label)  # same number under a new token: no difference
    assert {(row["change"], row["name"]) for row in files} == {
        ("removed", "信息消费示范城市申报书.pdf"), ("added", "申报书-修订.pdf"), ("added", "补充说明.pdf")}


def test_the_province_reads_the_differences_page(client, returned_once):
    application, _user, province, _old = returned_once
    client.force_login(province)
    page = client.get(reverse("applications:revision_compare", args=[application.pk, 1, 2])).content.decode()
    assert "补充后的工作概述" in page and 'data-change="changed"' in page and "申报书-修订.pdf" in page
    page = client.get(reverse("applications:revision", args=[application.pk, 1])).content.decode()
    assert "工作概述的说明" in page and "13812345678" in page  # the province contacts the city


def test_the_mobile_number_is_masked_for_a_role_that_does_not_need_it(returned_once):
    from icdc.applications.revisions import revision_sections

    application, *_ = returned_once
    expert = make_user(Role.EXPERT)
    revision = application.revisions.get(number=1)
    rows, _files = revision_sections(application, revision.content, expert)
    values = [row.value for _section, section_rows in rows for row in section_rows]
    assert "138****5678" in values and "13812345678" not in values
