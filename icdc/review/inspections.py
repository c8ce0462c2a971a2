"""Site inspection (实地考察, art. 12: "expert review of materials, with a site inspection where
needed"): the Ministry officer decides one for an application of a panel, with its date and
members (panel experts and/or named officials), writes the findings and keeps the files.

The panel's current members read it (after signing the batch's declaration); everyone else is
answered as if it did not exist. Files go through the one upload guard and come back only through
``protected_file_response``; every step is audited.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.accounts.decorators import require_perm
from icdc.audit.services import record_event
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import ATTACHMENT_KINDS, discard_on_error, protected_file_response, store_upload

from .models import Expert, PanelDraw, SiteInspection, SiteInspectionFile

MANAGE = "review.manage_site_inspection"
VIEW = "review.view_site_inspection"
MAX_FILES = 50


def _clean_officials(text):
    names = [line.strip() for line in (text or "").replace("\x00", "").splitlines() if line.strip()]
    if len(names) > 30 or any(len(n) > 60 for n in names):
        raise Refusal(_("其他考察人员最多 30 人，每人不超过 60 字。"), code="too_many_officials")
    return "\n".join(names)


def _facts(inspection, expert_ids):
    return {"panel": inspection.panel_id, "application": inspection.application_id,
            "date": inspection.date.isoformat(), "experts": sorted(expert_ids),
            "officials": inspection.official_names, "findings_chars": len(inspection.findings)}


def site_inspection_create(*, panel, application, date, user, experts=(), officials="", findings="", request=None):
    """Art. 12: the Ministry decides a site inspection of an application of ``panel`` is needed."""
    require_perm(user, MANAGE, request=request)
    officials = _clean_officials(officials)
    expert_ids = sorted({getattr(e, "pk", None) or int(e) for e in experts})
    if date is None:
        raise Refusal(_("请填写考察日期。"), code="no_date")
    if not expert_ids and not officials:
        raise Refusal(_("请选择考察专家或填写其他考察人员。"), code="no_members")
    application_id = getattr(application, "pk", application)
    with transaction.atomic():
        panel = PanelDraw.objects.select_for_update().get(pk=panel.pk)
        if PanelDraw.objects.filter(replaces_id=panel.pk).exists():
            raise Refusal(_("该评审组已被重新抽取替代，请在当前评审组安排实地考察。"), code="replaced")
        if application_id not in (panel.application_ids or []):
            raise Refusal(_("该申报不属于本评审组。"), code="not_in_group")
        if set(expert_ids) - set(panel.members or []):
            raise Refusal(_("考察专家须是本评审组的当前专家。"), code="not_member")
        inspection = SiteInspection.objects.create(
            panel=panel, application_id=application_id, date=date, officials=officials,
            findings=(findings or "").replace("\x00", "").strip(), decided_by=user,
            decided_at=timezone.now())
        inspection.experts.set(Expert.objects.filter(pk__in=expert_ids))
        record_event(action="review.inspection.create", request=request, user=user, obj=inspection,
                     object_repr=str(inspection), after=_facts(inspection, expert_ids))
    return inspection


def site_inspection_findings(*, inspection, findings, user, request=None):
    """The officer writes (or completes) the findings after the visit; each change audited."""
    require_perm(user, MANAGE, request=request)
    findings = (findings or "").replace("\x00", "").strip()
    if len(findings) > 20000:
        raise Refusal(_("考察意见不超过 20000 字。"), code="too_long")
    with transaction.atomic():
        inspection = SiteInspection.objects.select_for_update().get(pk=inspection.pk)
        before = inspection.findings
        inspection.findings = findings
        inspection.save(update_fields=["findings", "updated_at"])
        record_event(action="review.inspection.update", request=request, user=user, obj=inspection,
                     object_repr=str(inspection), before={"findings": before}, after={"findings": findings})
    return inspection


def site_inspection_file_upload(*, inspection, uploaded_file, user, request=None):
    """A file of the inspection (minutes, photos): checked by content, stored, audited."""
    require_perm(user, MANAGE, request=request)
    stored = store_upload(uploaded_file=uploaded_file, kinds=ATTACHMENT_KINDS,
                          folder=f"inspections/{inspection.pk}")
    with discard_on_error(stored), transaction.atomic():
        inspection = SiteInspection.objects.select_for_update().get(pk=inspection.pk)
        if inspection.files.count() >= MAX_FILES:
            raise Refusal(_("每次实地考察最多上传 %(n)s 个文件。") % {"n": MAX_FILES}, code="too_many_files")
        row = SiteInspectionFile.objects.create(
            inspection=inspection, display_name=stored.display_name[:200], storage_name=stored.name,
            size=stored.size, sha256=stored.sha256, kind=stored.kind, uploaded_by=user)
        record_event(action="review.inspection.file_upload", request=request, user=user, obj=inspection,
                     object_repr=str(inspection), after={"file": row.pk, "name": row.display_name,
                                                         "sha256": row.sha256, "size": row.size})
    return row


def site_inspection_file_download(*, file, user, request):
    """The file as a download, for the officer and the panel's current members; audited."""
    require_perm(user, VIEW, file.inspection, request=request)
    record_event(action="review.inspection.file_download", request=request, user=user, obj=file.inspection,
                 object_repr=str(file.inspection), after={"file": file.pk, "name": file.display_name,
                                                          "sha256": file.sha256})
    return protected_file_response(request=request, stored_name=file.storage_name, display_name=file.display_name)
