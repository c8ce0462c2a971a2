"""Pages of the Ministry's formal review (形式审查, art. 12): the queue of applications awaiting it, the
checklist beside the dossier with the outcome buttons, bulk pass, and the Excel export of the results.
Thin: parse, call one service (``icdc.review.formal``), render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from icdc.accounts.decorators import permission_required
from icdc.applications import revisions, selectors_queue, workflow
from icdc.applications.models import Application
from icdc.applications.views_ministry import QueueFilter, _chunks
from icdc.audit.services import record_event
from icdc.batches.models import SHANGHAI
from icdc.lib import workbooks
from icdc.lib.confirm import Confirmation, confirmation_page, is_confirmed
from icdc.lib.refusals import Refusal
from icdc.lib.workbooks import Column, ExcelExport

from . import formal
from .models import FormalReview

VIEW, DECIDE, EXPORT = formal.VIEW, formal.DECIDE, formal.EXPORT
MET = {"1": True, "0": False}


def _filters(request):
    choices = selectors_queue.queue_filter_choices()
    choices["states"] = [(code, workflow.WORKFLOW.state_label(code)) for code in workflow.AT_MINISTRY]
    form = QueueFilter(request.GET, choices)
    filters = form.filters()
    return form, filters, formal.awaiting(selectors_queue.ministry_queue(**filters))


@login_required
@permission_required(VIEW)
@require_GET
def queue(request):
    """The applications awaiting formal review (the Ministry queue's filters, sorting and paging)."""
    form, filters, applications = _filters(request)
    page = Paginator(applications, selectors_queue.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "review/formal/queue.html", {
        "form": form, "filters": filters, "page": page, "rows": selectors_queue.labelled(page.object_list),
        "page_numbers": page.paginator.get_elided_page_range(page.number), "query": query.urlencode(),
        "can_decide": request.user.has_perm(DECIDE),
    })


def _application(request, pk):
    """Only what has reached the Ministry; anything else is "not found", like an unknown id."""
    return get_object_or_404(Application.objects.filter(arrived_at__isnull=False)
                             .select_related("batch", "city", "province"), pk=pk)


def _posted_checks(request, application):
    checks = {}
    for item in formal.checklist_items(application):
        met = request.POST.get(f"met-{item.key}", "")
        checks[item.key] = {"met": MET.get(met), "note": request.POST.get(f"note-{item.key}", "")}
    return checks


def _deadline(value):
    """A deadline typed in Beijing time (``datetime-local``), as an aware instant; None if unreadable."""
    for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            wall = datetime.datetime.strptime((value or "").strip(), pattern)
        except ValueError:
            continue
        if pattern == "%Y-%m-%d":
            wall = wall.replace(hour=23, minute=59)
        return wall.replace(tzinfo=SHANGHAI)
    return None


def _supplement_diff(application, dossier, viewer):
    """When the application answers a supplement request: the revision reviewed then and the answer,
    and their differences field by field (``applications.revisions``)."""
    answered = formal.last_decision(application, FormalReview.Outcome.SUPPLEMENT)
    by_number = {r.number: r for r in dossier["revisions"]}
    if answered is None or answered.revision_number not in by_number:
        return None
    old = by_number[answered.revision_number]
    new = max((r for r in dossier["revisions"] if r.number > old.number), key=lambda r: r.number, default=None)
    if new is None:
        return None
    programme = application.batch.programme()
    rows, file_rows = revisions.revision_diff(application, old.content, new.content, viewer, programme=programme)
    return {"old": old, "new": new, "rows": rows, "file_rows": file_rows, "request": answered}


def _page(request, application, *, checks=None, reasons="", deadline_text="", status=200):
    dossier = selectors_queue.application_dossier(application)
    rows = formal.checks_of(application)
    if checks:
        for row in rows:
            posted = checks.get(row["item"].key)
            if posted:
                row["met"], row["note"] = posted["met"], posted["note"]
    history = (FormalReview.objects.filter(application=application).exclude(outcome=FormalReview.Outcome.PENDING)
               .select_related("reviewer").prefetch_related("checks").order_by("-revision_number"))
    can_decide = request.user.has_perm(DECIDE) and application.status in workflow.AT_MINISTRY
    return render(request, "review/formal/review.html", {
        "application": application, "row": selectors_queue.labelled([application])[0], **dossier,
        "checks": rows, "history": list(history), "diff": _supplement_diff(application, dossier, request.user),
        "can_decide": can_decide, "reasons": reasons, "deadline_text": deadline_text,
    }, status=status)


@login_required
@permission_required(VIEW)
@permission_required("applications.view_application", _application)
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """The checklist beside the dossier. POST ``action``: save, pass, supplement or reject (reject
    asks for confirmation first: it is final)."""
    application = _application(request, pk)
    if request.method == "GET":
        return _page(request, application)
    action = request.POST.get("action", "")
    checks = _posted_checks(request, application)
    reasons = request.POST.get("reasons", "")
    deadline_text = request.POST.get("deadline", "")
    here = reverse("formal:review", args=[application.pk])
    if action not in ("save", *formal.TRANSITIONS):
        messages.error(request, _("请选择审查操作。"))
        return redirect(here)
    try:
        if action == "save":
            formal.formal_checks_save(application=application, user=request.user, checks=checks, request=request)
            messages.success(request, _("已保存形式审查清单。"))
            return redirect(here)
        if action == "reject" and not is_confirmed(request):
            if not reasons.strip():
                raise Refusal(_("请填写“%(action)s”的理由。") % {"action": _("形式审查不通过")}, code="note_required")
            return confirmation_page(request, Confirmation(
                title=_("形式审查不通过：%(city)s %(number)s") % {"city": application.city.name,
                                                          "number": application.number},
                summary=_("该申报将被判定为形式审查不通过，申报流程结束，不能恢复。"),
                button=_("确认不通过"), cancel_url=here, carry=request.POST,
                effects=[_("理由：%(reasons)s") % {"reasons": reasons.strip()[:200]},
                         _("将通知申报城市及其省级主管部门。")]), action_url=here)
        deadline = _deadline(deadline_text) if action == "supplement" else None
        if action == "supplement" and deadline_text.strip() and deadline is None:
            raise Refusal(_("补充材料截止时间的格式不正确。"), code="bad_deadline")
        formal.formal_decide(application=application, user=request.user, outcome=action, reasons=reasons,
                             deadline=deadline, checks=checks, request=request)
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return _page(request, application, checks=checks, reasons=reasons, deadline_text=deadline_text, status=422)
    done = {"pass": _("形式审查通过：%(number)s。"), "supplement": _("已要求 %(number)s 补充材料。"),
            "reject": _("已判定 %(number)s 形式审查不通过。")}[action]
    messages.success(request, done % {"number": application.number})
    return redirect("formal:queue")


@login_required
@permission_required(DECIDE)
@require_POST
def bulk_pass(request):
    """Pass the selected rows, each through the transition service on its own; the page says which
    passed and which were refused, and why."""
    ids = [value for value in request.POST.getlist("ids") if value.isdigit()][:500]
    if not ids:
        messages.error(request, _("请至少选择一份申报。"))
        return redirect("formal:queue")
    results = formal.formal_bulk_pass(application_ids=ids, user=request.user, request=request)
    return render(request, "review/formal/bulk_result.html", {
        "passed": [r for r in results if r.passed], "refused": [r for r in results if not r.passed]})


def _local(instant):
    return timezone.localtime(instant, SHANGHAI).strftime("%Y-%m-%d %H:%M") if instant else ""


@login_required
@permission_required(EXPORT)
@require_GET
def export(request):
    """Every decided formal review as Excel (one row per revision reviewed), formula-safe."""
    book = ExcelExport()
    sheet = book.sheet(_("形式审查结果"), title=_("形式审查结果"), columns=[
        Column(_("申报编号"), width=18), Column(_("城市"), width=14), Column(_("省份"), width=12),
        Column(_("申报途径"), width=12), Column(_("申报类型"), width=12), Column(_("审查的修订版本"), width=10),
        Column(_("结论"), width=10), Column(_("未满足项"), width=40), Column(_("意见或理由"), width=40),
        Column(_("补充材料截止时间"), width=18), Column(_("审查人"), width=14), Column(_("审查时间"), width=18),
        Column(_("批量通过"), width=8), Column(_("当前状态"), width=14), Column(_("批次"), width=24),
    ])
    count = 0
    for chunk in _chunks(formal.results_for_export()):
        rows = selectors_queue.labelled([r.application for r in chunk])
        for review, row in zip(chunk, rows, strict=True):
            a = review.application
            unmet = "；".join(f"{c.label}（{c.note}）" if c.note else c.label for c in review.checks.all()
                             if c.met is False)
            sheet.append([
                a.number, a.city.name, a.province.name if a.province_id else "", a.get_route_display(),
                row.type_label, review.revision_number, review.get_outcome_display(), unmet, review.reasons,
                _local(review.deadline), str(review.reviewer) if review.reviewer_id else "", _local(review.decided_at),
                _("是") if review.bulk else "", a.get_status_display(), a.batch.title,
            ])
            count += 1
    record_event(action="review.formal_review.export", request=request, detail=f"rows={count}")
    stamp = timezone.localtime(timezone.now(), SHANGHAI).strftime("%Y%m%d-%H%M")
    return workbooks.download(book.to_bytes(), filename=_("形式审查结果-%(stamp)s.xlsx") % {"stamp": stamp},
                              fallback=f"formal-review-{stamp}.xlsx", content_type=workbooks.XLSX_TYPE)
