"""Pages for batches (年度批次). Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from icdc.accounts.decorators import permission_required
from icdc.lib.confirm import Confirmation, confirm_first
from icdc.lib.refusals import Refusal
from icdc.programmes.models import ProgrammeDefinition

from . import selectors, services, workflow
from .forms import BatchForm
from .models import Batch

VIEW = "batches.view_batch"
CHANGE = "batches.change_batch"


def _batch(request, pk):
    """A batch the user may see (a draft is the Ministry's own: 404 for anyone else)."""
    batch = selectors.batches_for(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


@login_required
@permission_required(VIEW)
def batch_list(request):
    batches = list(selectors.batches_for(request.user))
    for batch in batches:
        batch.city_countdown = selectors.countdown(batch.city_deadline)
        batch.province_countdown = selectors.countdown(batch.province_deadline)
    return render(request, "batches/list.html", {"batches": batches, "can_change": request.user.has_perm(CHANGE)})


@login_required
@permission_required(CHANGE)
def batch_new(request):
    """Choose the programme definition the new batch is created from."""
    return render(request, "batches/new.html", {"definitions": ProgrammeDefinition.objects.defer("document")})


@login_required
@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def batch_create(request, programme_pk):
    definition = get_object_or_404(ProgrammeDefinition, pk=programme_pk)
    form = BatchForm(request.POST or None, programme=definition.programme)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(programme=definition, user=request.user, request=request,
                                          **form.service_arguments())
        except Refusal as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已新建批次“%(title)s”（草稿）。") % {"title": batch.title})
            return redirect("batches:detail", pk=batch.pk)
    return render(request, "batches/form.html", {"form": form, "definition": definition, "batch": None})


@login_required
@permission_required(VIEW)
def batch_detail(request, pk):
    batch = _batch(request, pk)
    can_change = request.user.has_perm(CHANGE, batch)
    actions = []
    if can_change:
        for name in ("open", "close", "start_review"):
            transition = workflow.WORKFLOW.transition(name)
            if batch.status in transition.sources:
                actions.append({"name": name, "label": transition.label, "url": reverse(f"batches:{name}", args=[pk]),
                                "blockers": workflow.WORKFLOW.blockers(batch, name, request.user)})
    programme = batch.programme()
    quotas = [(programme.track_label(key), value) for key, value in (batch.quotas or {}).items()]
    return render(request, "batches/detail.html", {
        "batch": batch, "can_change": can_change, "actions": actions, "programme": programme, "quotas": quotas,
        "city_countdown": selectors.countdown(batch.city_deadline),
        "province_countdown": selectors.countdown(batch.province_deadline),
    })


@login_required
@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def batch_edit(request, pk):
    batch = get_object_or_404(Batch, pk=pk)
    if batch.status != workflow.DRAFT:
        messages.error(request, _("批次已%(state)s，不能再修改设置。") % {"state": batch.get_status_display()})
        return redirect("batches:detail", pk=pk)
    form = BatchForm(request.POST or None, programme=batch.programme(), batch=batch)
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_update(batch=batch, user=request.user, request=request, **form.service_arguments())
        except Refusal as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("批次设置已保存。"))
            return redirect("batches:detail", pk=pk)
    return render(request, "batches/form.html", {"form": form, "definition": None, "batch": batch})


# --- transitions, each behind a confirmation page --------------------------------------------

TRANSITION_TEXT = {
    "open": (_("开放后，城市即可提交申报；所选指标体系版本将被锁定，批次设置不能再修改。"), _("确认开放申报")),
    "close": (_("截止后，城市不能再提交新的申报（退回修改的申报仍可在省级报送截止前重新提交）。"), _("确认截止申报")),
    "start_review": (_("开始评审后，批次进入工信部评审阶段，城市不能再撤回申报。"), _("确认开始评审")),
}


def _describe(name):
    def describe(request, pk):
        batch = get_object_or_404(Batch, pk=pk)
        summary, button = TRANSITION_TEXT[name]
        label = workflow.WORKFLOW.transition(name).label
        return Confirmation(title=_("%(action)s：%(batch)s") % {"action": label, "batch": batch.title},
                            summary=str(summary), button=str(button),
                            cancel_url=reverse("batches:detail", args=[pk]),
                            effects=workflow.WORKFLOW.blockers(batch, name, request.user))
    return describe


def _transition(request, pk, name, service):
    batch = get_object_or_404(Batch, pk=pk)
    try:
        service(batch=batch, user=request.user, request=request)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("“%(title)s”：%(action)s。") % {
            "title": batch.title, "action": workflow.WORKFLOW.transition(name).label})
    return redirect("batches:detail", pk=pk)


@login_required
@permission_required(CHANGE)
@confirm_first(_describe("open"))
def batch_open(request, pk):
    return _transition(request, pk, "open", services.batch_open)


@login_required
@permission_required(CHANGE)
@confirm_first(_describe("close"))
def batch_close(request, pk):
    return _transition(request, pk, "close", services.batch_close)


@login_required
@permission_required(CHANGE)
@confirm_first(_describe("start_review"))
def batch_start_review(request, pk):
    return _transition(request, pk, "start_review", services.batch_start_review)
