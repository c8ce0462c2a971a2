"""Reads for the applications pages."""

from . import workflow
from .models import Application


def recommendation_cap_left(application):
    """How many more the province may recommend in this batch (None: no cap)."""
    programme = application.batch.programme()
    # The recommending unit is the province-level channel the application routes through.
    cap = programme.recommendation_cap(application.province or application.city)
    if cap is None:
        return None
    used = Application.objects.filter(batch=application.batch, province=application.province,
                                      status=workflow.RECOMMENDED).count()
    return cap - used


def application_for_page(pk):
    """One application with what every page of it shows (batch, city, province) in one query."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Application.objects.select_related("batch", "city", "province"), pk=pk)


def draft_page(application):
    """What the editing page needs, read once: the form's sections and materials, the stored sections
    (key → row), the live attachments by purpose and the checklist."""
    from . import completeness
    from . import form as form_definition

    definition = form_definition.definition(application)
    sections = {s.key: s for s in application.sections.select_related("updated_by")}
    attachments = list(application.attachments.filter(removed_at__isnull=True).select_related("uploaded_by"))
    by_purpose = {}
    for attachment in attachments:
        by_purpose.setdefault(attachment.purpose, []).append(attachment)
    missing = completeness.checklist(application, definition=definition,
                                     sections={k: s.data for k, s in sections.items()}, attachments=attachments)
    return {"definition": definition, "sections": sections, "attachments": by_purpose, "missing": missing,
            "total_size": sum(a.size for a in attachments)}


def city_applications(user):
    """The applications of the user's city, newest batch first."""
    return Application.objects.filter(city_id=user.division_id).select_related("batch").order_by("-batch__year")


def open_batches():
    from icdc.batches.models import Batch

    return Batch.objects.filter(status="open").order_by("-year")


def revisions(application):
    return list(application.revisions.select_related("frozen_by").order_by("number"))
