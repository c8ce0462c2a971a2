"""Services for an application's files (附件): upload, removal from a draft, download.

Files go through the one upload guard (``icdc.lib.stored_uploads.store_upload``: kind by content,
size while streaming, SHA-256, safe names) and come back out only through
``protected_file_response`` after the permission check; every step is audited.
"""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icdc.accounts.decorators import require_perm
from icdc.audit.services import record_event
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import (
    ATTACHMENT_KINDS,
    attachments_total_check,
    discard_on_error,
    protected_file_response,
    store_upload,
    stored_file_delete,
)

from . import form as form_definition
from . import workflow
from .models import Application, ApplicationRevision, Attachment


def _locked_editable(application):
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in workflow.EDITABLE:
        raise Refusal(_("申报已提交（%(state)s），不能再修改附件。"), code="not_editable",
                      params={"state": application.get_status_display()})
    return application


def attachment_upload(*, application, purpose, uploaded_file, user, request=None):
    """Art. 11: attach a file to a draft — evidence for a basic condition or a required material.

    The kinds accepted are the material's (programme definition) or, for evidence, every kind the
    platform keeps. A material that takes one file replaces the earlier one. The total of one
    application's files is checked on the locked application row (two uploads at once are counted
    one after the other)."""
    require_perm(user, "applications.change_application", application, request=request)
    definition = form_definition.definition(application)
    purposes = definition.purposes()
    if purpose not in purposes:
        raise Refusal(_("不能上传这一类材料（%(purpose)s）。"), code="unknown_purpose", params={"purpose": purpose})
    material = next((m for m in definition.materials if m.purpose == purpose), None)
    kinds = set(material.kinds) & ATTACHMENT_KINDS if material else ATTACHMENT_KINDS
    stored = store_upload(uploaded_file=uploaded_file, kinds=kinds, folder=f"applications/{application.pk}")
    with discard_on_error(stored), transaction.atomic():
        application = _locked_editable(application)
        live = Attachment.objects.filter(application=application, removed_at__isnull=True)
        replaced = list(live.filter(purpose=purpose)) if material and not material.multiple else []
        total = (live.aggregate(total=Sum("size"))["total"] or 0) - sum(a.size for a in replaced)
        attachments_total_check(current_total=total, size=stored.size)
        for old in replaced:
            _remove(old, user=user, request=request)
        attachment = Attachment.objects.create(
            application=application, purpose=purpose, display_name=stored.display_name,
            storage_name=stored.name, size=stored.size, sha256=stored.sha256, kind=stored.kind, uploaded_by=user)
        record_event(action="applications.attachment.upload", request=request, user=user, obj=application,
                     after={"attachment": attachment.pk, "purpose": purpose, "name": stored.display_name,
                            "sha256": stored.sha256, "size": stored.size})
    return attachment


def _in_frozen_revision(attachment):
    for content in ApplicationRevision.objects.filter(application_id=attachment.application_id).values_list(
            "content", flat=True):
        if any(f.get("sha256") == attachment.sha256 and f.get("purpose") == attachment.purpose
               for f in content.get("attachments", [])):
            return True
    return False


def _remove(attachment, *, user, request):
    """A file in a submitted revision stays (hidden from the draft: ``removed_at``); any other is
    deleted, row and file (the file after the commit)."""
    frozen, pk = _in_frozen_revision(attachment), attachment.pk
    if frozen:
        attachment.removed_at = timezone.now()
        attachment.save(update_fields=["removed_at"])
    else:
        name = attachment.storage_name
        attachment.delete()
        transaction.on_commit(lambda: stored_file_delete(name=name))
    record_event(action="applications.attachment.remove", request=request, user=user, obj=attachment.application,
                 before={"attachment": pk, "purpose": attachment.purpose,
                         "name": attachment.display_name, "sha256": attachment.sha256},
                 after={"kept_for_revision": frozen})


def attachment_remove(*, attachment, user, request=None):
    """Remove a file from a draft (the city's own decision)."""
    require_perm(user, "applications.change_application", attachment.application, request=request)
    with transaction.atomic():
        _locked_editable(attachment.application)
        attachment = Attachment.objects.select_related("application").get(pk=attachment.pk)
        if attachment.removed_at is not None:
            raise Refusal(_("该附件已移除。"), code="already_removed")
        _remove(attachment, user=user, request=request)


def attachment_download(*, attachment, user, request):
    """A file as a download, for those who may see the application; every download audited."""
    require_perm(user, "applications.view_application", attachment.application, request=request)
    record_event(action="applications.attachment.download", request=request, user=user, obj=attachment.application,
                 after={"attachment": attachment.pk, "name": attachment.display_name, "sha256": attachment.sha256})
    return protected_file_response(request=request, stored_name=attachment.storage_name,
                                   display_name=attachment.display_name)
