"""Public pages of the notice (公示), without login: open and past notices, a notice with its list
and the objection form, the notice's documents, and the receipt lookup. Work without JavaScript.

The objection form and the receipt lookup are throttled per client address
(``icdc.lib.throttle``) and the form carries a locally drawn CAPTCHA (django-simple-captcha)."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from icdc.documents.models import PublishedDocument
from icdc.documents.services import subject_of
from icdc.lib.refusals import Refusal
from icdc.lib.throttle import is_throttled, rate_of, too_many_requests

from . import selectors, services, workflow
from .forms import ObjectionForm, ReceiptForm

OBJECTION_RATE = "ICDC_OBJECTION_RATE"


def notice_list(request):
    return render(request, "decisions/public/notice_list.html", {
        "open_notices": selectors.open_notices(), "past_notices": selectors.past_notices()})


def _too_many(request, rate):
    return too_many_requests(request, rate=rate)


@never_cache
def notice_detail(request, pk):
    proposal = selectors.public_notice(pk)
    is_open = proposal.status == workflow.IN_NOTICE
    cities = services.objection_cities(proposal)
    form = ObjectionForm(cities=cities) if is_open else None
    if request.method == "POST":
        if not is_open:
            return render(request, "decisions/public/notice_detail.html",
                          _context(proposal, None, error=str(services._closed_message())), status=400)
        rate = rate_of(OBJECTION_RATE)
        if is_throttled(request, group="decisions.objection", rate=rate):
            return _too_many(request, rate)
        form = ObjectionForm(request.POST, request.FILES, cities=cities)
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = services.objection_file(
                    proposal=proposal, filer_kind=data["filer_kind"], name=data["name"],
                    unit_name=data["unit_name"], contact=data["contact"], city=data["city"], facts=data["facts"],
                    files=data["evidence"], request=request)
            except Refusal as exc:
                form.add_error(None, str(exc))
            else:
                return render(request, "decisions/public/objection_filed.html",
                              {"objection": objection, "proposal": proposal})
    return render(request, "decisions/public/notice_detail.html", _context(proposal, form))


def _context(proposal, form, error=""):
    return {"proposal": proposal, "tracks": selectors.track_lists(proposal, included_only=True), "form": form,
            "documents": selectors.published_documents(proposal), "error": error,
            "is_open": proposal.status == workflow.IN_NOTICE}


def notice_document(request, pk, doc_pk):
    proposal = selectors.public_notice(pk)
    document = get_object_or_404(PublishedDocument, pk=doc_pk, subject=subject_of(proposal))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(doc_pk) from None
    response = FileResponse(handle, as_attachment=True, filename=f"{document.title}.{document.format}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
def receipt(request):
    """Follow an objection by its receipt number: its state and, once handled, the reply. A forged
    or mistyped number finds nothing and gets the same page as any unknown one."""
    form, objection, looked_up = ReceiptForm(), None, False
    if request.method == "POST":
        rate = rate_of("ICDC_PUBLIC_POST_RATE")
        if is_throttled(request, group="decisions.receipt", rate=rate):
            return _too_many(request, rate)
        form = ReceiptForm(request.POST)
        if form.is_valid():
            looked_up = True
            objection = services.objection_by_receipt(form.cleaned_data["receipt"])
    return render(request, "decisions/public/receipt.html",
                  {"form": form, "objection": objection, "looked_up": looked_up,
                   "handled": objection is not None and objection.status in workflow.HANDLED})
