"""The audit administrator's pages: read, filter, export, verify. Nothing here writes to a
record; there is no edit or delete view for anyone (安全审计: 审计记录不可修改、不可删除)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from icdc.accounts.decorators import permission_required
from icdc.audit.actions import stored_codes
from icdc.lib.refusals import Refusal

from . import exports, selectors, verify_runs
from .forms import AuditFilterForm
from .models import AuditRecord, VerificationRun

PAGE_SIZE = 50


def _filters_form(request):
    data = {k: v for k, v in request.GET.items() if k != "page"}
    return AuditFilterForm(data or None)


@require_GET
@login_required
@permission_required("audit.view_audit_trail")
def record_list(request):
    form = _filters_form(request)
    # Invalid filters (e.g. a start after the end) list nothing: the form shows why.
    records = AuditRecord.objects.none() if form.is_bound and not form.is_valid() else \
        selectors.list_page_records(form.filters())
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "can_export": request.user.has_perm("audit.export_audit_trail"),
    })


@require_GET
@login_required
@permission_required("audit.view_audit_trail")
def record_detail(request, seq):
    record = get_object_or_404(AuditRecord, seq=seq)
    return render(request, "audit/detail.html", {
        "record": record,
        "before": None if record.before is None else json.dumps(record.before, ensure_ascii=False, indent=2),
        "after": None if record.after is None else json.dumps(record.after, ensure_ascii=False, indent=2),
    })


@require_POST
@login_required
@permission_required("audit.export_audit_trail")
def export(request):
    """Filters come from the query string (the list's), the format from the form button."""
    form = _filters_form(request)
    fmt = request.POST.get("format", "")
    if fmt not in exports.FORMATS or (form.is_bound and not form.is_valid()):
        messages.error(request, _("导出参数无效。"))
        return redirect("audit:list")
    try:
        return exports.export_audit_trail(request=request, filters=form.filters(), fmt=fmt)
    except exports.ExportTooLarge as exc:
        messages.error(request, _("符合条件的记录有 %(count)d 条，超过单次导出上限 %(limit)d 条，请缩小时间范围后再导出。")
                       % {"count": exc.args[0], "limit": exports.max_rows()})
        return redirect(f"{reverse('audit:list')}?{request.GET.urlencode()}")


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("audit.view_audit_trail")
def verify(request):
    """GET shows the latest runs; POST starts a verification as a background task and goes
    to its progress page (the whole chain may take longer than a web request may)."""
    if request.method == "POST":
        try:
            run = verify_runs.verification_run_start(user=request.user)
        except Refusal as refusal:
            messages.error(request, str(refusal))
            return redirect("audit:verify")
        return redirect("audit:verify_run", run_id=run.pk)
    return render(request, "audit/verify.html", {
        "runs": VerificationRun.objects.select_related("requested_by")[:10],
        "last": AuditRecord.objects.filter(action__in=stored_codes(verify_runs.VERIFY_ACTION))
        .defer("before", "after", "before_text", "after_text").first(),
    })


@require_GET
@login_required
@permission_required("audit.view_audit_trail")
def verify_run(request, run_id):
    """One run's progress and result. While it runs the page reloads itself (meta refresh
    without JavaScript; with htmx only the progress panel is fetched again)."""
    run = get_object_or_404(VerificationRun.objects.select_related("requested_by"), pk=run_id)
    template = "audit/_verify_run_panel.html" if request.htmx else "audit/verify_run.html"
    return render(request, template, {"run": run, "poll_seconds": 2})
