"""The province's preliminary review pages (初审, art. 10). Thin: parse, call a service or selector,
render. Recommending and returning go through ``services`` (and so through ``perform``), each
after a confirmation page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from icdc.accounts.decorators import permission_required
from icdc.audit.services import record_event
from icdc.batches.models import Batch
from icdc.lib import workbooks
from icdc.lib.confirm import Confirmation, confirmation_page, is_confirmed
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import oversized_uploads_check

from . import recommendation, selectors, selectors_queue, services, workflow
from .models import Application, RecommendationDocument

REVIEW = "applications.review_application"
VIEW = "applications.view_application"


LIST = "applications.view_province_list"


def _application(request, pk):
    """Looked up among the applications the user may open: any other id is "not found"."""
    return get_object_or_404(selectors_queue.visible_applications(request.user)
                             .select_related("batch", "city", "province"), pk=pk)


def _document_of(request, pk):
    return get_object_or_404(RecommendationDocument.objects.select_related("application").filter(
        application__in=selectors_queue.visible_applications(request.user)), pk=pk)


def _document(request, pk):
    return _document_of(request, pk).application


@login_required
@permission_required(LIST)
@require_GET
def province_list(request):
    """The applications routing through the official's province, with days left to its deadline."""
    province = request.user.division
    applications = selectors_queue.province_applications(province=province) if province else Application.objects.none()
    page = Paginator(applications, selectors_queue.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors_queue.labelled(page.object_list)
    batches = {row.application.batch_id: row.application.batch for row in rows}
    programmes = selectors_queue.programmes_of(batches)
    ranking = sorted((b for pk, b in batches.items() if programmes[pk].requires_ranking), key=lambda b: -b.year)
    return render(request, "applications/province/list.html", {
        "page": page, "rows": rows, "page_numbers": page.paginator.get_elided_page_range(page.number),
        "province": province, "ranking_batches": ranking, "SUBMITTED": workflow.SUBMITTED,
    })


@login_required
@permission_required(LIST)
@permission_required(VIEW, _application)
@require_GET
def province_detail(request, pk):
    """The application, read only, with the province's actions while it waits for 初审."""
    application = _application(request, pk)
    context = {"application": application, **selectors_queue.application_dossier(application),
               "row": selectors_queue.labelled([application])[0], "can_review": False}
    if request.user.has_perm(REVIEW, application):
        context.update(
            can_review=application.status == workflow.SUBMITTED,
            recommend_blockers=workflow.WORKFLOW.blockers(application, "recommend", request.user),
            return_blockers=workflow.WORKFLOW.blockers(application, "return", request.user),
            cap_left=selectors.recommendation_cap_left(application),
            current_documents=[d for d in context["documents"] if d.revision_number == application.revision_number],
        )
    return render(request, "applications/province/detail.html", context)


@login_required
@permission_required(LIST)
@permission_required(REVIEW, _application)
@require_GET
def letter_draft(request, pk):
    """The recommendation letter as .docx, to edit, sign and upload back as PDF."""
    application = _application(request, pk)
    content = recommendation.letter_docx(application, comments=request.GET.get("comments", "")[:2000])
    record_event(action="applications.recommendation_letter.draft", request=request, obj=application)
    return workbooks.download(content, filename=recommendation.letter_filename(application, "docx"),
                              fallback=f"recommendation-{application.pk}.docx",
                              content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@login_required
@permission_required(LIST)
@permission_required(REVIEW, _application)
@require_POST
def letter_generate(request, pk):
    application = _application(request, pk)
    try:
        recommendation.recommendation_document_generate(application=application, user=request.user,
                                                        comments=request.POST.get("comments", "")[:2000],
                                                        request=request)
        messages.success(request, _("已生成初审推荐文件（PDF）。"))
    except Refusal as exc:
        messages.error(request, str(exc))
    return redirect("preliminary:province_detail", pk=application.pk)


@login_required
@permission_required(LIST)
@permission_required(REVIEW, _application)
@require_POST
def letter_upload(request, pk):
    application = _application(request, pk)
    try:
        oversized_uploads_check(request=request)  # a file dropped while arriving is not "no file"
    except Refusal as exc:
        messages.error(request, str(exc))
        return redirect("preliminary:province_detail", pk=application.pk)
    upload = request.FILES.get("document")
    if upload is None:
        messages.error(request, _("请选择要上传的 PDF 文件。"))
        return redirect("preliminary:province_detail", pk=application.pk)
    try:
        recommendation.recommendation_document_upload(application=application, user=request.user, upload=upload,
                                                      request=request)
        messages.success(request, _("已上传初审推荐文件。"))
    except Refusal as exc:
        messages.error(request, str(exc))
    return redirect("preliminary:province_detail", pk=application.pk)


@login_required
@permission_required("applications.view_recommendation_documents")
@permission_required(VIEW, _document)
@require_GET
def document_download(request, pk):
    document = _document_of(request, pk)
    content = recommendation.recommendation_document_open(document=document, user=request.user, request=request)
    return workbooks.download(content, filename=document.display_name, content_type="application/pdf",
                              fallback=f"recommendation-{document.pk}.pdf")


def _decide(request, pk, *, name):
    """Recommend or return, after the confirmation page; the service refuses with a Chinese reason."""
    application = _application(request, pk)
    detail_url = reverse("preliminary:province_detail", args=[application.pk])
    note = request.POST.get("note", "").strip()[:4000]
    if name == "return" and not note:
        messages.error(request, _("请填写退回理由。"))
        return redirect(detail_url)
    if not is_confirmed(request):
        if name == "recommend":
            confirmation = Confirmation(
                title=_("推荐 %(city)s 的申报") % {"city": application.city.name},
                summary=_("推荐后申报报送工信部，本省不能再退回或修改推荐意见。"),
                effects=[_("申报编号：%(number)s，第 %(revision)s 版") % {
                    "number": application.number, "revision": application.revision_number},
                    _("推荐意见：%(note)s") % {"note": note or "—"}],
                button=_("确认推荐"), cancel_url=detail_url, danger=False, carry=request.POST)
        else:
            confirmation = Confirmation(
                title=_("退回 %(city)s 的申报") % {"city": application.city.name},
                summary=_("退回后城市修改并重新提交，将形成新的修订版本。"),
                effects=[_("退回理由：%(note)s") % {"note": note}], button=_("确认退回"), cancel_url=detail_url,
                carry=request.POST)
        return confirmation_page(request, confirmation)
    try:
        if name == "recommend":
            services.application_recommend(application=application, user=request.user, comments=note,
                                           request=request)
            messages.success(request, _("已推荐，申报已报送工信部。"))
        else:
            services.application_return(application=application, user=request.user, reasons=note, request=request)
            messages.success(request, _("已退回，城市将收到退回理由。"))
    except Refusal as exc:
        messages.error(request, str(exc))
        return redirect(detail_url)
    return redirect("preliminary:province_list")


@login_required
@permission_required(LIST)
@permission_required(REVIEW, _application)
@require_POST
def recommend(request, pk):
    return _decide(request, pk, name="recommend")


@login_required
@permission_required(LIST)
@permission_required(REVIEW, _application)
@require_POST
def return_application(request, pk):
    return _decide(request, pk, name="return")


recommend.asks_confirmation = True
return_application.asks_confirmation = True


def _order_from(data):
    """Application ids ordered by the rank numbers typed beside them (``rank_<id>``)."""
    ranks = {}
    for key, value in data.items():
        if key.startswith("rank_"):
            value = value.strip()
            if not value.isdigit() or not 0 < int(value) < 10000:
                raise Refusal(_("排序号须为正整数。"), code="bad_order")
            ranks[key.removeprefix("rank_")] = int(value)
    if len(set(ranks.values())) != len(ranks):
        raise Refusal(_("排序号不能重复。"), code="bad_order")
    return sorted(ranks, key=ranks.get)


def _ranking_batch(request, batch_pk):
    return request.user.division


@login_required
@permission_required("applications.rank_recommendations", _ranking_batch)
@require_http_methods(["GET", "POST"])
def ranking(request, batch_pk):
    """Order the province's recommendations when the programme requires a ranking (art. 10)."""
    batch = get_object_or_404(Batch, pk=batch_pk)
    province = request.user.division
    if request.method == "POST":
        try:
            order = _order_from(request.POST)
            recommendation.recommendation_ranking_save(batch=batch, province=province, user=request.user,
                                                       order=order, request=request)
            messages.success(request, _("推荐排序已保存。"))
            return redirect("preliminary:ranking", batch_pk=batch.pk)
        except Refusal as exc:
            messages.error(request, str(exc))
    rows = selectors_queue.labelled(selectors_queue.province_ranking(batch=batch, province=province))
    return render(request, "applications/province/ranking.html", {
        "batch": batch, "rows": rows, "requires_ranking": batch.programme().requires_ranking,
    })
