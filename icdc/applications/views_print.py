"""The 申报表 as PDF (WeasyPrint, CJK fonts embedded): of a frozen revision, or of the draft."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from icdc.accounts.decorators import permission_required
from icdc.audit.services import record_event
from icdc.lib import workbooks

from . import printing
from .models import ApplicationRevision
from .views import CHANGE, VIEW, _application, _get_application


def _pdf_response(request, application, form, *, revision):
    from icdc.documents.form_print import render_form_pdf

    pdf = render_form_pdf(form)
    record_event(action="applications.form.print", request=request, obj=application,
                 after={"revision": revision.number if revision else "draft"})
    suffix = f"v{revision.number}" if revision else "draft"
    return workbooks.download(pdf, filename=f"申报表-{application.number}-{suffix}.pdf",
                              fallback=f"form-{application.number}-{suffix}.pdf", content_type="application/pdf")


@login_required
@permission_required(VIEW, _get_application)
def revision_pdf(request, pk, number):
    application = _application(request, pk)
    revision = get_object_or_404(ApplicationRevision, application=application, number=number)
    form = printing.form_print(application, revision.content, viewer=request.user, revision=revision)
    return _pdf_response(request, application, form, revision=revision)


@login_required
@permission_required(CHANGE, _get_application)
def draft_pdf(request, pk):
    application = _application(request, pk)
    form = printing.form_print(application, printing.draft_content(application), viewer=request.user)
    return _pdf_response(request, application, form, revision=None)
