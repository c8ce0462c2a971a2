"""Pages of site inspections (实地考察), defences (答辩), the likely undeclared conflicts and the review
exports. Thin: parse, call one service or selector, render.

Who: the Ministry officer has every page; an expert has their own list, the score page of the held
defences of the current panels they sit on, and those panels' inspections (after signing the
batch's declaration). Any other role: 403. An object outside what the user may see: 404, the same
answer as for an id that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from icdc.accounts import rules
from icdc.accounts.decorators import deny, permission_required
from icdc.applications.models import Application
from icdc.batches.models import Batch
from icdc.lib import workbooks
from icdc.lib.confirm import Confirmation, confirmation_page, is_confirmed
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import oversized_uploads_check

from . import conflicts, defence, defence_exports, inspections, selectors
from .forms_defence import (
    DefenceMarkForm,
    DefenceScoreForm,
    DefenceSlotForm,
    FindingsForm,
    InspectionFileForm,
    SiteInspectionForm,
)
from .models import DefenceSlot, Expert, PanelDraw, SiteInspection, SiteInspectionFile

MANAGE = defence.MANAGE
OPEN_INSPECTIONS = "review.open_site_inspections"
OWN = "review.view_own_defence_work"
SIGNED = "review.open_batch_material"


def _panel(pk):
    return get_object_or_404(PanelDraw.objects.select_related("batch"), pk=pk)


def _application_choices(panel):
    apps = Application.objects.filter(pk__in=panel.application_ids or []).select_related("city").order_by("id")
    return [(a.pk, f"{a.city.name}（{a.number}）") for a in apps]


def _expert_choices(panel):
    experts = Expert.objects.filter(pk__in=panel.members or []).in_bulk()
    return [(pk, f"{experts[pk].masked_name}（{experts[pk].employer}）") for pk in panel.members if pk in experts]


def _panel_page(request, panel, *, slot_form=None, status=200):
    slots = defence.panel_slots(panel)
    names = {e.pk: e.masked_name for e in Expert.objects.filter(
        pk__in={*panel.members, *(s.expert_id for slot in slots for s in slot.scores.all())})}
    for slot in slots:
        slot.score_rows = [{"name": names.get(s.expert_id, "—"), "score": s.score, "comment": s.comment}
                           for s in slot.scores.all()]
        slot.mean = defence.mean_of([s.score for s in slot.scores.all()])
        slot.when = f"{defence.beijing(slot.starts_at)}—{defence.beijing(slot.ends_at)}"
    scheduled = {s.application_id for s in slots}
    choices = _application_choices(panel)
    return render(request, "review/defence/panel.html", {
        "panel": panel, "batch": panel.batch, "group_label": panel.batch.programme().track_label(panel.group),
        "is_current": defence.is_current(panel), "slots": slots,
        "unscheduled": [label for pk, label in choices if pk not in scheduled],
        "slot_form": slot_form or DefenceSlotForm(applications=choices),
        "inspections": SiteInspection.objects.filter(panel=panel).select_related("application__city"),
        "members": [names.get(pk, "—") for pk in panel.members],
    }, status=status)


@login_required
@permission_required(MANAGE)
def panel_defence(request, pk):
    """The officer's page of one panel: defence slots with their scores, inspections, links."""
    return _panel_page(request, _panel(pk))


@login_required
@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def slot_schedule(request, pk):
    panel = _panel(pk)
    if request.method != "POST":
        return redirect("defence:panel", pk=panel.pk)
    form = DefenceSlotForm(request.POST, applications=_application_choices(panel))
    if form.is_valid():
        data = form.cleaned_data
        try:
            defence.defence_schedule(panel=panel, application=data["application"], starts_at=data["starts_at"],
                                     ends_at=data["ends_at"], mode=data["mode"], place=data["place"],
                                     meeting_link=data["meeting_link"], note=data["note"], user=request.user,
                                     request=request)
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已安排答辩，并通知申报城市。"))
            return redirect("defence:panel", pk=panel.pk)
    return _panel_page(request, panel, slot_form=form, status=422)


@login_required
@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def slot_mark(request, pk):
    """Held, or no-show (未到场): after a confirmation page; final."""
    slot = get_object_or_404(DefenceSlot.objects.select_related("panel", "application__city"), pk=pk)
    back = reverse("defence:panel", args=[slot.panel_id])
    if request.method != "POST":
        return redirect(back)
    form = DefenceMarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择答辩结果。"))
        return redirect(back)
    outcome = form.cleaned_data["outcome"]
    if not is_confirmed(request):
        held = outcome == "held"
        return confirmation_page(request, Confirmation(
            title=(_("登记已答辩：%(city)s") if held else _("登记未到场：%(city)s")) % {"city": slot.application.city.name},
            summary=_("登记后不能更改。") + (_("本组专家随后可以为答辩评分。") if held
                                           else _("该城市的答辩得分将记为缺失（未到场）。")),
            button=_("确认登记"), cancel_url=back, danger=not held, carry=request.POST,
            effects=[_("答辩时间：%(when)s（北京时间）") % {"when": defence.beijing(slot.starts_at)}]))
    try:
        defence.defence_mark(slot=slot, outcome=outcome, user=request.user, note=form.cleaned_data["note"],
                             request=request)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("已登记。"))
    return redirect(back)


@login_required
@permission_required(MANAGE)
def panel_conflicts(request, pk):
    """Likely undeclared conflicts of one panel, with the reason and the evidence; changes nothing."""
    panel = _panel(pk)
    found, experts, applications = conflicts.panel_conflicts(panel)
    for f in found:
        f["expert_names"] = [experts[e].masked_name if e in experts else "—" for e in f["experts"]]
        app = applications.get(f["application"])
        f["city"] = app.city.name if app else ""
    return render(request, "review/defence/conflicts.html", {
        "panel": panel, "batch": panel.batch, "group_label": panel.batch.programme().track_label(panel.group),
        "findings": found})


@login_required
@permission_required(MANAGE)
def panel_export(request, batch_pk):
    batch = get_object_or_404(Batch, pk=batch_pk)
    content, filename = defence_exports.panel_composition_export(batch=batch, user=request.user, request=request)
    return workbooks.download(content, filename=filename, content_type=workbooks.XLSX_TYPE,
                              fallback=f"panels-{batch.pk}.xlsx")


@login_required
@permission_required(MANAGE)
def score_export(request, batch_pk):
    batch = get_object_or_404(Batch, pk=batch_pk)
    content, filename = defence_exports.defence_scores_export(batch=batch, user=request.user, request=request)
    return workbooks.download(content, filename=filename, content_type=workbooks.XLSX_TYPE,
                              fallback=f"defence-scores-{batch.pk}.xlsx")


# --- site inspections ---------------------------------------------------------------------------

@login_required
@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def inspection_new(request, pk):
    panel = _panel(pk)
    form = SiteInspectionForm(request.POST or None, applications=_application_choices(panel),
                              experts=_expert_choices(panel))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = inspections.site_inspection_create(
                panel=panel, application=data["application"], date=data["date"], experts=data["experts"],
                officials=data["officials"], findings=data["findings"], user=request.user, request=request)
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已记录实地考察。"))
            return redirect("defence:inspection", pk=inspection.pk)
    return render(request, "review/defence/inspection_form.html", {
        "panel": panel, "form": form, "group_label": panel.batch.programme().track_label(panel.group)})


def _visible_inspection(request, pk):
    inspection = (SiteInspection.objects.select_related("panel__batch", "application__city", "decided_by")
                  .filter(pk=pk).first())
    if inspection is None:
        raise Http404
    if request.user.has_perm(inspections.VIEW, inspection):
        return inspection
    if rules.is_current_member_of_panel(request.user, inspection):
        deny(request, SIGNED, inspection.panel.batch)  # a member who has not signed yet: told to sign
    raise Http404


@login_required
@permission_required(OPEN_INSPECTIONS)
def inspection_detail(request, pk):
    """Read-only for the panel's members; the officer also completes the findings and adds files."""
    inspection = _visible_inspection(request, pk)
    can_manage = request.user.has_perm(inspections.MANAGE)
    return render(request, "review/defence/inspection.html", {
        "inspection": inspection, "can_manage": can_manage,
        "experts": [e.masked_name for e in inspection.experts.order_by("id")],
        "files": inspection.files.order_by("id"),
        "findings_form": FindingsForm(initial={"findings": inspection.findings}) if can_manage else None,
        "file_form": InspectionFileForm() if can_manage else None,
    })


@login_required
@permission_required(MANAGE)
@require_POST
def inspection_findings(request, pk):
    inspection = get_object_or_404(SiteInspection, pk=pk)
    form = FindingsForm(request.POST)
    if form.is_valid():
        try:
            inspections.site_inspection_findings(inspection=inspection, findings=form.cleaned_data["findings"],
                                                 user=request.user, request=request)
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("已保存考察意见。"))
    else:
        messages.error(request, _("考察意见不超过 20000 字。"))
    return redirect("defence:inspection", pk=inspection.pk)


@login_required
@permission_required(MANAGE)
@require_POST
def inspection_upload(request, pk):
    inspection = get_object_or_404(SiteInspection, pk=pk)
    try:
        oversized_uploads_check(request=request)
        form = InspectionFileForm(request.POST, request.FILES)
        if not form.is_valid():
            raise Refusal(_("请选择要上传的文件。"), code="no_file")
        inspections.site_inspection_file_upload(inspection=inspection, uploaded_file=form.cleaned_data["file"],
                                                user=request.user, request=request)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("已上传。"))
    return redirect("defence:inspection", pk=inspection.pk)


@login_required
@permission_required(OPEN_INSPECTIONS)
def inspection_file(request, pk):
    file = SiteInspectionFile.objects.select_related("inspection").filter(pk=pk).first()
    if file is None:
        raise Http404
    _visible_inspection(request, file.inspection_id)
    return inspections.site_inspection_file_download(file=file, user=request.user, request=request)


# --- the expert's pages ---------------------------------------------------------------------------

@login_required
@permission_required(OWN)
def my_defences(request):
    """The expert's defences (held ones to score) and the site inspections of their panels."""
    expert = selectors.expert_of(request.user)
    slots = defence.slots_for_expert(expert)
    for slot in slots:
        slot.when = f"{defence.beijing(slot.starts_at)}—{defence.beijing(slot.ends_at)}"
        slot.signed = request.user.has_perm(SIGNED, slot.panel.batch)
    panels = {s.panel_id for s in slots} | {p.pk for p in PanelDraw.objects.filter(replaced_by__isnull=True)
                                            if expert.pk in (p.members or [])}
    visits = SiteInspection.objects.filter(panel_id__in=panels).select_related("application__city", "panel__batch")
    return render(request, "review/defence/mine.html", {"slots": slots, "inspections": visits})


def _member_slot(request, pk):
    slot = (DefenceSlot.objects.select_related("panel__batch", "application__city").filter(pk=pk).first())
    if slot is None or not rules.is_current_member_of_panel(request.user, slot):
        raise Http404
    if not request.user.has_perm(SIGNED, slot.panel.batch):
        deny(request, SIGNED, slot.panel.batch)
    return slot


@login_required
@permission_required(OWN)
@require_http_methods(["GET", "POST"])
def slot_score(request, pk):
    """A panel member scores a held defence (0..100, comment); once submitted, final."""
    slot = _member_slot(request, pk)
    expert = selectors.expert_of(request.user)
    mine = slot.scores.filter(expert=expert).first()
    form = DefenceScoreForm(request.POST or None)
    status = 200
    if request.method == "POST" and mine is None and form.is_valid():
        try:
            defence.defence_score_submit(slot=slot, user=request.user, score=form.cleaned_data["score"],
                                         comment=form.cleaned_data["comment"], request=request)
        except Refusal as refusal:
            form.add_error(None, str(refusal))
            status = 422
        else:
            messages.success(request, _("已提交答辩评分。"))
            return redirect("defence:score", pk=slot.pk)
    return render(request, "review/defence/score.html", {
        "slot": slot, "mine": mine, "form": form,
        "when": f"{defence.beijing(slot.starts_at)}—{defence.beijing(slot.ends_at)}"}, status=status)
