"""Pages of expert scoring (专家打分) and its progress (issue 14 items 4–5). Thin: parse, call, render.

An expert's page of one application is found only through ``scores.assignment`` (a current member
of a current panel holding the application): a member replaced by a reserve is told so and sent to
their task list; anything else, whatever the URL, is a 404. Before the
batch's declaration is signed the expert is sent to sign it; outside the review window no material
is shown and nothing can be saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from icdc.accounts.decorators import permission_required
from icdc.applications import revisions
from icdc.applications.models import ApplicationRevision
from icdc.batches.models import Batch
from icdc.lib import workbooks
from icdc.lib.confirm import Confirmation, confirmation_page, is_confirmed
from icdc.lib.refusals import Refusal

from . import progress, replacements, scores
from .forms import PanelOpinionForm, ReviewWindowForm
from .models import PanelOpinion, ScoreSheet

MANAGE = scores.MANAGE
TASKS = "review.view_review_tasks"


def _batch(batch_pk):
    return get_object_or_404(Batch.objects.exclude(status="draft"), pk=batch_pk)


# --- the officer: window, progress, reminders, export ---------------------------------------


@login_required
@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def window(request, batch_pk):
    batch = _batch(batch_pk)
    current = scores.window_of(batch)
    initial = {"opens_at": current.opens_at, "closes_at": current.closes_at} if current else None
    form = ReviewWindowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            scores.review_window_set(batch=batch, opens_at=form.cleaned_data["opens_at"],
                                     closes_at=form.cleaned_data["closes_at"], user=request.user)
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已设置评审时间窗口。"))
            return redirect("scoring:window", batch_pk=batch.pk)
    return render(request, "review/scoring/window.html", {
        "batch": batch, "window": current, "form": form,
        "is_open": bool(current and current.is_open_at(timezone.now()))})


@login_required
@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def window_close(request, batch_pk):
    batch = _batch(batch_pk)
    back = reverse("scoring:window", args=[batch.pk])
    if not is_confirmed(request):
        unsubmitted = sum(progress.unsubmitted_experts(batch).values())
        return confirmation_page(request, Confirmation(
            title=_("提前关闭评审时间窗口：%(batch)s") % {"batch": batch.title},
            summary=_("关闭后专家不能再保存或提交评分，关闭不可撤销。"), button=_("确认关闭"), cancel_url=back,
            effects=[_("尚未提交的评分表：%(n)s 份") % {"n": unsubmitted}]))
    try:
        scores.review_window_close(batch=batch, user=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("评审时间窗口已关闭。"))
    return redirect(back)


@login_required
@permission_required(MANAGE)
def progress_page(request, batch_pk):
    batch = _batch(batch_pk)
    from django.conf import settings

    return render(request, "review/scoring/progress.html", {
        "batch": batch, "window": scores.window_of(batch), "panels": progress.batch_progress(batch),
        "range_limit": settings.ICDC_SCORE_SPREAD_RANGE, "stdev_limit": settings.ICDC_SCORE_SPREAD_STDEV})


@login_required
@permission_required(MANAGE)
@require_POST
def remind(request, batch_pk):
    batch = _batch(batch_pk)
    experts = progress.reminders_send_now(batch=batch, user=request.user)
    if experts:
        messages.success(request, _("已提醒 %(n)s 位专家。") % {"n": len(experts)})
    else:
        messages.info(request, _("没有未提交评分的专家。"))
    return redirect("scoring:progress", batch_pk=batch.pk)


@login_required
@permission_required(MANAGE)
def export(request, panel_pk):
    panel = get_object_or_404(scores.current_panels().select_related("batch"), pk=panel_pk)
    try:
        content, filename = progress.score_matrix_export(panel=panel, user=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return redirect("scoring:progress", batch_pk=panel.batch_id)
    return workbooks.download(content, filename=filename, content_type=workbooks.XLSX_TYPE)


# --- the expert ---------------------------------------------------------------------------


@login_required
@permission_required(TASKS)
def tasks(request):
    expert = scores.expert_of_user(request.user)
    now = timezone.now()
    rows, batches = [], {}
    for panel, application, sheet in scores.review_tasks(expert):
        batch = batches.setdefault(panel.batch_id, panel.batch)
        rows.append({"panel": panel, "application": application, "sheet": sheet,
                     "group_label": batch.programme().track_label(panel.group)})
    windows = {w.batch_id: w for w in scores.ReviewWindow.objects.filter(batch_id__in=list(batches))}
    signed = set(expert.declarations.filter(batch_id__in=list(batches)).values_list("batch_id", flat=True))
    groups = []
    for batch_id, batch in batches.items():
        w = windows.get(batch_id)
        groups.append({"batch": batch, "window": w, "is_open": bool(w and w.is_open_at(now)),
                       "signed": batch_id in signed,
                       "rows": [r for r in rows if r["panel"].batch_id == batch_id] if batch_id in signed else []})
    replaced = [{"sheet": s, "group_label": s.panel.batch.programme().track_label(s.track)}
                for s in replacements.replaced_sheets(expert)]
    return render(request, "review/scoring/tasks.html", {"groups": groups, "replaced": replaced})


def _assigned(request, panel_pk, application_pk):
    """(panel, application, expert); None, with the reason as a message, for a replaced member (the
    view sends them to their tasks); a 404 for anyone else."""
    found = scores.assignment(request.user, panel_pk, application_pk)
    if found is None:
        refusal = replacements.replaced_from(scores.expert_of_user(request.user), panel_pk)
        if refusal is None:
            raise Http404
        messages.error(request, str(refusal))
    return found


def _posted_scores(request, specs):
    return ({s.code: request.POST.get(f"score-{s.code}", "") for s in specs},
            {s.code: request.POST.get(f"comment-{s.code}", "") for s in specs})


@login_required
@permission_required(TASKS)
@require_http_methods(["GET", "POST"])
def sheet(request, panel_pk, application_pk):
    found = _assigned(request, panel_pk, application_pk)
    if found is None:
        return redirect("scoring:tasks")
    panel, application, expert = found
    batch = panel.batch
    if not request.user.has_perm("review.open_batch_material", batch):
        messages.warning(request, _("请先签署本批次的回避声明与保密承诺。"))
        return redirect("experts:declaration", batch_pk=batch.pk)
    window = scores.window_of(batch)
    is_open = bool(window and window.is_open_at(timezone.now()))
    try:
        specs = scores.track_specs(batch, panel.group)
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return redirect("scoring:tasks")
    qualitative = [s for s in specs if s.kind == scores.QUALITATIVE]
    posted = None
    if request.method == "POST":
        values, comments = _posted_scores(request, qualitative)
        posted = (values, comments, request.POST.get("overall_comment", ""))
        service = scores.score_sheet_submit if request.POST.get("action") == "submit" else scores.score_sheet_save
        try:
            service(panel=panel, application=application, user=request.user, scores=values, comments=comments,
                    overall_comment=request.POST.get("overall_comment", ""),
                    version=request.POST.get("version") or 0)
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("评分已提交。") if request.POST.get("action") == "submit"
                             else _("草稿已保存。"))
            return redirect("scoring:sheet", panel_pk=panel.pk, application_pk=application.pk)
    own = scores.sheet_of(expert, panel, application)
    entries = {e.indicator_code: e for e in own.entries.all()} if own else {}
    form_rows = []
    for spec in qualitative:
        entry = entries.get(spec.code)
        value = posted[0][spec.code] if posted else (entry.score if entry and entry.score is not None else "")
        comment = posted[1][spec.code] if posted else (entry.comment if entry else "")
        form_rows.append({"spec": spec, "value": value, "comment": comment})
    context = {
        "panel": panel, "application": application, "batch": batch, "window": window, "is_open": is_open,
        "group_label": batch.programme().track_label(panel.group),
        "sheet": own, "form_rows": form_rows, "version": own.version if own else 0,
        "overall_comment": posted[2] if posted else (own.overall_comment if own else ""),
        "editable": is_open and (own is None or own.status != ScoreSheet.Status.SUBMITTED),
        "submitted": own is not None and own.status == ScoreSheet.Status.SUBMITTED,
        "others": scores.others_scores(panel=panel, application=application, expert=expert),
        "qualitative": qualitative, "is_leader": panel.leader == expert.pk,
        "opinion": PanelOpinion.objects.filter(panel=panel, application=application).first(),
    }
    context["own_total"] = sum((e.score for e in entries.values() if e.score is not None), 0) if own else None
    context["all_submitted"] = scores.all_submitted(panel, application)
    if context["is_leader"] and context["all_submitted"]:
        context["opinion_form"] = PanelOpinionForm(initial={"text": context["opinion"].text}
                                                   if context["opinion"] else None)
    if is_open:
        revision = ApplicationRevision.objects.filter(application=application,
                                                      number=application.revision_number).first()
        if revision is not None:
            rows, files = revisions.revision_sections(application, revision.content, request.user)
            by_hash = {(a.purpose, a.sha256): a.pk for a in application.attachments.all()}
            context.update(revision=revision, rows=rows, files=[
                (label, [{**item, "url": _file_url(panel, application, by_hash.get((item.get("purpose"),
                                                                                     item.get("sha256"))))}
                         for item in items]) for label, items in files])
        context["quantitative"] = scores.quantitative_rows(application, specs)
    return render(request, "review/scoring/sheet.html", context)


def _file_url(panel, application, attachment_pk):
    if attachment_pk is None:
        return ""
    return reverse("scoring:attachment", args=[panel.pk, application.pk, attachment_pk])


@login_required
@permission_required(TASKS)
def attachment(request, panel_pk, application_pk, attachment_pk):
    found = _assigned(request, panel_pk, application_pk)
    if found is None:
        return redirect("scoring:tasks")
    panel, application, _expert = found
    if not request.user.has_perm("review.open_batch_material", panel.batch):
        return redirect("experts:declaration", batch_pk=panel.batch_id)
    found = scores.frozen_attachment(application, attachment_pk)
    if found is None:
        raise Http404
    try:
        return scores.attachment_download(panel=panel, application=application, attachment=found,
                                          user=request.user, request=request)
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return redirect("scoring:sheet", panel_pk=panel.pk, application_pk=application.pk)


@login_required
@permission_required(TASKS)
@require_POST
def opinion(request, panel_pk, application_pk):
    found = _assigned(request, panel_pk, application_pk)
    if found is None:
        return redirect("scoring:tasks")
    panel, application, expert = found
    if panel.leader != expert.pk:
        raise Http404
    form = PanelOpinionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写专家组意见（5000 字以内）。"))
    else:
        try:
            scores.panel_opinion_write(panel=panel, application=application, text=form.cleaned_data["text"],
                                       user=request.user)
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("已保存专家组意见。"))
    return redirect("scoring:sheet", panel_pk=panel.pk, application_pk=application.pk)
