"""Officer pages of the decision stage (Ministry officer only): proposals, their transitions,
objections and their handling. Thin: parse, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from icdc.accounts.decorators import permission_required
from icdc.audit.services import record_event
from icdc.lib.confirm import Confirmation, confirmation_page, is_confirmed
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import protected_file_response

from . import selectors, services, workflow
from .models import ObjectionFile

VIEW = "decisions.view_proposal"
#: Transitions a page may ask for, and what the POST must carry.
PROPOSAL_ACTIONS = ("submit", "send_back", "approve", "withdraw_approval", "publish", "announce")
OBJECTION_ACTIONS = ("investigate", "uphold", "dismiss")
#: Confirmed first (icdc.lib.confirm): the irreversible ones (they publish to the public, create
#: titles or answer the objector) and the withdrawal of an approval (undoes a second officer's decision).
CONFIRMED = {
    "withdraw_approval": (_l("撤回审批"), _l("拟定名单的审核通过将被撤回，名单回到拟定中；须重新提交，并由拟定人以外的"
                                          "工信部业务管理员再次审核通过后才能发布公示。撤回理由记入审计日志并通知相关人员。")),
    "publish": (_l("发布公示"), _l("拟定名单将在公众门户公示，公示期按工作日计算，公示文件（PDF 与 Word）同时发布并记录 SM3 摘要。")),
    "announce": (_l("发布公告"), _l("名单将正式公告，授予称号，未入选的申报随之办结并通知相关城市；此操作不可撤销。")),
    "uphold": (_l("异议成立"), _l("该城市将移出名单，并按所选方式处理空缺名额；答复将向异议人公开。")),
    "dismiss": (_l("异议不成立"), _l("异议办结，答复将向异议人公开。")),
}


#: Confirmed, but not irreversible: the list can be submitted and approved again.
REVERSIBLE = {"withdraw_approval"}


def _confirmation(request, name, cancel_url, effects=()):
    title, summary = CONFIRMED[name]
    return confirmation_page(request, Confirmation(title=str(title), summary=str(summary), button=str(title),
                                                   cancel_url=cancel_url, carry=request.POST, effects=list(effects),
                                                   irreversible=name not in REVERSIBLE))


@login_required
@permission_required(VIEW)
def proposal_list(request):
    from icdc.batches.models import Batch
    from icdc.rankings.models import ScoringRun

    batch = None
    if request.GET.get("batch", "").isdigit():
        batch = Batch.objects.filter(pk=int(request.GET["batch"])).first()
    return render(request, "decisions/proposal_list.html", {
        "proposals": selectors.proposals(batch), "batch": batch,
        "batches": Batch.objects.order_by("-year", "-id"),
        "runs": ScoringRun.objects.defer("snapshot", "result_text").order_by("-created_at", "-id"),
        "chosen_run": request.GET.get("run", ""),
    })


@login_required
@permission_required("decisions.propose_list")
@require_POST
def proposal_new(request):
    from icdc.batches.models import Batch
    from icdc.rankings.models import ScoringRun

    batch = get_object_or_404(Batch, pk=_int(request.POST.get("batch")))
    run = get_object_or_404(ScoringRun.objects.defer("snapshot", "result_text"), pk=_int(request.POST.get("run")))
    try:
        proposal = services.proposal_create(batch=batch, run=run, user=request.user, request=request)
    except Refusal as exc:
        messages.error(request, str(exc))
        return redirect("decisions:proposal_list")
    return redirect("decisions:proposal_detail", pk=proposal.pk)


def _withdrawal_effects(proposal, request):
    return [_("审核人 %(user)s 的审核通过将被清除") % {"user": proposal.approved_by or "—"},
            _("撤回理由：%(reason)s") % {"reason": request.POST.get("note", "").strip()[:2000]}]


def _note_missing(flow, name, request):
    """A transition that needs a reason, posted without one: refused at once (the service says
    why), rather than confirmed first and refused after."""
    return flow.transition(name).needs_note and not request.POST.get("note", "").strip()


def _int(value):
    return int(value) if str(value or "").isdigit() else 0


@login_required
@permission_required(VIEW)
def proposal_detail(request, pk):
    proposal = selectors.proposal(pk)
    user = request.user
    blockers = {name: workflow.PROPOSAL.blockers(proposal, name, user) for name in PROPOSAL_ACTIONS}
    return render(request, "decisions/proposal_detail.html", {
        "proposal": proposal, "tracks": selectors.track_lists(proposal),
        "editable": proposal.status == workflow.PROPOSAL_DRAFT,
        "blockers": blockers, "objections": proposal.objections.select_related("city"),
        "documents": selectors.published_documents(proposal),
    })


@login_required
@permission_required("decisions.propose_list")
@require_POST
def proposal_edit(request, pk):
    proposal = selectors.proposal(pk)
    choices = {}
    for entry in proposal.entries.all():
        choices[entry.pk] = (request.POST.get(f"include-{entry.pk}") == "1",
                             request.POST.get(f"reason-{entry.pk}", ""))
    try:
        services.proposal_edit(proposal=proposal, choices=choices, user=request.user, request=request)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("拟定名单已保存。"))
    return redirect("decisions:proposal_detail", pk=proposal.pk)


@login_required
@permission_required(VIEW)
@require_POST
def proposal_transition(request, pk, name):
    if name not in PROPOSAL_ACTIONS:
        raise Http404(name)
    proposal = selectors.proposal(pk)
    if name in CONFIRMED and not is_confirmed(request) and not _note_missing(workflow.PROPOSAL, name, request):
        return _confirmation(request, name, reverse("decisions:proposal_detail", args=[proposal.pk]),
                             effects=_withdrawal_effects(proposal, request) if name == "withdraw_approval" else ())
    try:
        services.proposal_transition(proposal=proposal, name=name, user=request.user,
                                     note=request.POST.get("note", ""),
                                     data={"number": request.POST.get("number", "")}, request=request)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已完成“%(action)s”。") % {"action": workflow.PROPOSAL.transition(name).label})
    return redirect("decisions:proposal_detail", pk=proposal.pk)


@login_required
@permission_required("decisions.handle_objection")
def objection_detail(request, pk):
    objection = selectors.objection(pk)
    proposal = objection.proposal
    return render(request, "decisions/objection_detail.html", {
        "objection": objection, "proposal": proposal,
        "vacancy_choices": proposal.entries.filter(included=False).exclude(city=objection.city)
                                   .select_related("city").order_by("track", "rank"),
        "blockers": {name: workflow.OBJECTION.blockers(objection, name, request.user) for name in OBJECTION_ACTIONS},
        "open": objection.status not in workflow.HANDLED,
    })


@login_required
@permission_required("decisions.handle_objection")
@require_POST
def objection_transition(request, pk, name):
    if name not in OBJECTION_ACTIONS:
        raise Http404(name)
    objection = selectors.objection(pk)
    if name in CONFIRMED and not is_confirmed(request) and not _note_missing(workflow.OBJECTION, name, request):
        return _confirmation(request, name, reverse("decisions:objection_detail", args=[objection.pk]))
    data = {"vacancy": request.POST.get("vacancy", ""), "vacancy_reason": request.POST.get("vacancy_reason", ""),
            "vacancy_entry": _int(request.POST.get("vacancy_entry"))}
    try:
        services.objection_transition(objection=objection, name=name, user=request.user,
                                      note=request.POST.get("note", ""), data=data, request=request)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已完成“%(action)s”。") % {"action": workflow.OBJECTION.transition(name).label})
    return redirect("decisions:objection_detail", pk=objection.pk)


@login_required
@permission_required("decisions.handle_objection")
@require_POST
def objection_note(request, pk):
    objection = selectors.objection(pk)
    try:
        services.objection_note_add(objection=objection, text=request.POST.get("text", ""), user=request.user,
                                    request=request)
    except Refusal as exc:
        messages.error(request, str(exc))
    return redirect("decisions:objection_detail", pk=objection.pk)


@login_required
@permission_required("decisions.handle_objection")
@require_POST
def objection_upload(request, pk):
    objection = selectors.objection(pk)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("请选择文件。"))
    else:
        try:
            services.objection_file_add(objection=objection, uploaded_file=uploaded, user=request.user,
                                        request=request)
        except Refusal as exc:
            messages.error(request, str(exc))
    return redirect("decisions:objection_detail", pk=objection.pk)


@login_required
@permission_required("decisions.handle_objection")
def objection_download(request, pk, file_pk):
    objection = selectors.objection(pk)  # the objection first: a foreign key lookup does not catch an overflow
    item = get_object_or_404(ObjectionFile, pk=file_pk, objection=objection)
    record_event(action="decisions.objection.download", request=request, user=request.user, obj=objection,
                 after={"file": item.pk, "name": item.display_name})
    return protected_file_response(request=request, stored_name=item.storage_name, display_name=item.display_name)
