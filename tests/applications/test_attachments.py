"""Attachments (art. 11): checked by content, not by name; limits per file and per application from
settings; audited upload and removal; a file never in a frozen revision is deleted with its row."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icdc.applications import attachments
from icdc.applications.models import Attachment
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from tests.applications import appform_factories as f
from tests.lib.attachment_files import BUILDERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    user = f.city_user()
    application = f.started(user, f.batch())
    return f.choose_type(application, user, "COMP"), user


def _upload(client, application, purpose, upload):
    return client.post(reverse("applications:attachment_upload", args=[application.pk]),
                       {"purpose": purpose, "file": upload}, follow=True)


def test_an_evidence_file_is_stored_hashed_and_audited(client, draft, media):
    application, user = draft
    client.force_login(user)
    response = _upload(client, application, "cond-COMP-1", f.pdf_file("工作方案.pdf"))
    assert "已上传“工作方案.pdf”" in response.content.decode()
    attachment = Attachment.objects.get(application=application)
    assert (attachment.purpose, attachment.kind, attachment.display_name) == ("cond-COMP-1", "pdf", "工作方案.pdf")
    assert (Path(media) / attachment.storage_name).is_file() and "工作方案" not in attachment.storage_name
    record = AuditRecord.objects.get(action="applications.attachment.upload")
    assert record.after["sha256"] == attachment.sha256


def test_a_file_renamed_to_pdf_that_is_not_one_is_refused(client, draft, media):
    application, user = draft
    client.force_login(user)
    fake = SimpleUploadedFile("申报书.pdf", BUILDERS["png"](), content_type="application/pdf")
    response = _upload(client, application, "material-PROPOSAL", fake)
    assert "申报书.pdf" in response.content.decode() and not Attachment.objects.exists()
    assert not any(Path(media).rglob("*.pdf")) if Path(media).exists() else True


def test_a_file_over_the_limit_is_named_not_taken_for_no_file(client, draft, media, settings):
    """The upload handler drops a file past the attachment limit while it arrives: the city must be
    told that file is too large, not "choose a file" (it did choose one)."""
    settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES = 4096
    application, user = draft
    client.force_login(user)
    big = SimpleUploadedFile("全市数据汇编.pdf", f.pdf_file().read() + b"%" * 10_000, content_type="application/pdf")
    body = _upload(client, application, "material-PROPOSAL", big).content.decode()
    assert "文件“全市数据汇编.pdf”过大" in body and "请选择要上传的文件" not in body
    assert not Attachment.objects.exists()


def test_a_material_takes_only_its_kinds(draft):
    application, user = draft
    image = SimpleUploadedFile("申报书.png", BUILDERS["png"](), content_type="image/png")
    with pytest.raises(Refusal):
        attachments.attachment_upload(application=application, purpose="material-PROPOSAL", uploaded_file=image,
                                      user=user)
    docx = SimpleUploadedFile("申报书.docx", BUILDERS["docx"]())
    assert attachments.attachment_upload(application=application, purpose="material-PROPOSAL", uploaded_file=docx,
                                         user=user).kind == "docx"


def test_an_unknown_purpose_is_refused(draft):
    application, user = draft
    with pytest.raises(Refusal) as refused:
        attachments.attachment_upload(application=application, purpose="cond-SPEC-1", uploaded_file=f.pdf_file(),
                                      user=user)
    assert refused.value.code == "unknown_purpose"


def test_the_per_application_total_comes_from_settings(settings, draft):
    application, user = draft
    one = len(f.pdf_file("a.pdf").read())
    settings.ICDC_UPLOAD_MAX_APPLICATION_BYTES = one * 2 + 10
    attachments.attachment_upload(application=application, purpose="material-OTHER", uploaded_file=f.pdf_file("a.pdf"),
                                  user=user)
    attachments.attachment_upload(application=application, purpose="material-OTHER", uploaded_file=f.pdf_file("b.pdf"),
                                  user=user)
    with pytest.raises(Refusal) as refused:
        attachments.attachment_upload(application=application, purpose="material-OTHER",
                                      uploaded_file=f.pdf_file("c.pdf"), user=user)
    assert refused.value.code == "total_too_large" and Attachment.objects.count() == 2


def test_the_per_file_limit_comes_from_settings(settings, draft):
    application, user = draft
    settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES = 100
    with pytest.raises(Refusal) as refused:
        attachments.attachment_upload(application=application, purpose="material-OTHER", uploaded_file=f.pdf_file(),
                                      user=user)
    assert refused.value.code == "too_large"


def test_a_one_file_material_is_replaced_by_a_new_upload(draft):
    application, user = draft
    first = attachments.attachment_upload(application=application, purpose="material-PROPOSAL",
                                          uploaded_file=f.pdf_file("一稿.pdf"), user=user)
    attachments.attachment_upload(application=application, purpose="material-PROPOSAL",
                                  uploaded_file=f.pdf_file("二稿.pdf"), user=user)
    assert list(Attachment.objects.values_list("display_name", flat=True)) == ["二稿.pdf"]
    assert not Attachment.objects.filter(pk=first.pk).exists()


def test_removing_a_draft_file_asks_first_then_deletes_row_and_file(client, draft, media, django_capture_on_commit_callbacks):
    application, user = draft
    attachment = attachments.attachment_upload(application=application, purpose="material-OTHER",
                                               uploaded_file=f.pdf_file("多余.pdf"), user=user)
    path = Path(media) / attachment.storage_name
    client.force_login(user)
    url = reverse("applications:attachment_remove", args=[application.pk, attachment.pk])
    assert 'data-testid="confirm"' in client.get(url).content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "yes"})
    assert not Attachment.objects.filter(pk=attachment.pk).exists() and not path.exists()
    record = AuditRecord.objects.get(action="applications.attachment.remove")
    assert record.before["name"] == "多余.pdf" and record.after == {"kept_for_revision": False}


def test_a_file_of_another_application_is_not_reachable_through_this_one(client, draft):
    application, user = draft
    other_user = f.city_user(f.qingdao())
    other = f.started(other_user, application.batch)
    theirs = attachments.attachment_upload(application=other, purpose="material-OTHER", uploaded_file=f.pdf_file(),
                                           user=other_user)
    client.force_login(user)
    assert client.get(reverse("applications:attachment_download", args=[application.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("applications:attachment_remove", args=[application.pk, theirs.pk]),
                       {"confirm": "yes"}).status_code == 404
    assert Attachment.objects.filter(pk=theirs.pk).exists()
