"""The two lifecycles of the decision stage (SPEC §2 arts. 12–14, §4 "Ranking and decision").

Proposal (拟定名单): draft → pending approval → approved → in public notice (公示) → announced (公告).
A second Ministry officer, not the proposer, approves or sends back (maker-checker); publishing
computes the notice period in working days and publishes the notice; the announcement waits for
the end of the period and for every objection to be handled, then creates the titles. Before
publication the proposer or the approver may withdraw the approval (撤回审批, with a reason): the
list is back in drafting, the approval is cleared, and it must be submitted and approved again
by an officer other than the proposer before it can be published.

Objection (异议): received → investigating → upheld (the city leaves the list; the officer decides
about the vacancy, with a reason) or dismissed; both with a written reply to the objector.
"""

from django.utils.translation import gettext_lazy as _

from icdc.accounts import rules
from icdc.lib.workflow import State, Transition, Workflow

PROPOSAL_DRAFT, PENDING, APPROVED, IN_NOTICE, ANNOUNCED = "draft", "pending", "approved", "in_notice", "announced"
RECEIVED, INVESTIGATING, UPHELD, DISMISSED = "received", "investigating", "upheld", "dismissed"
#: An objection in one of these states is handled.
HANDLED = (UPHELD, DISMISSED)


# --- guards (each returns the reason it fails, or None) ----------------------------------------

def departures_have_reasons(proposal, ctx):
    """Every departure from the ranking (left out or added) says why."""
    missing = [e for e in proposal.entries.select_related("city") if e.included != e.engine_selected
               and not e.reason.strip()]
    if missing:
        return _("以下城市的调整未填写理由：%(cities)s。") % {"cities": "、".join(e.city.name for e in missing)}
    return None


def list_not_empty(proposal, ctx):
    if not proposal.entries.filter(included=True).exists():
        return _("拟定名单中没有城市。")
    return None


def not_by_the_proposer(proposal, ctx):
    """Maker-checker: the proposer neither approves nor sends back their own list."""
    if ctx.user.pk == proposal.proposed_by_id:
        return _("拟定名单须由拟定人以外的另一名工信部业务管理员审核，拟定人不能审核自己拟定的名单。")
    return None


def by_the_proposer_or_the_approver(proposal, ctx):
    """Withdrawing an approval is for the two officers whose names are on it: the proposer (who
    found something to correct) or the approver (who takes the approval back). A third officer
    may publish an approved list but not undo the other two's decision."""
    if not rules.is_proposer_or_approver(ctx.user, proposal):
        return _("只有拟定人或审核人可以撤回审批。")
    return None


def approved_by_a_second_officer(proposal, ctx):
    """Maker-checker, checked again when publishing: the approval on the row is there and is not
    the proposer's (a withdrawn approval is cleared, so the list waits for a new one)."""
    if proposal.approved_by_id is None or proposal.approved_by_id == proposal.proposed_by_id:
        return _("拟定名单须经拟定人以外的另一名工信部业务管理员审核通过后才能发布公示。")
    return None


def not_yet_published(proposal):
    """Why an approval can no longer be withdrawn (``state_reason`` of ``withdraw_approval``)."""
    if proposal.status in (IN_NOTICE, ANNOUNCED):
        return _("公示已发布，不能再撤回审批。")
    return _("拟定名单尚未审核通过（当前状态：%(state)s），没有可撤回的审批。") % {
        "state": PROPOSAL.state_label(proposal.status)}


def notice_period_known(proposal, ctx):
    """The working-day calendar must know the period's year(s): never a guessed period."""
    from icdc.lib.refusals import Refusal
    from icdc.workdays.selectors import notice_period

    from .dates import beijing_date

    try:
        notice_period(beijing_date(ctx.now), proposal.batch.notice_working_days)
    except Refusal as exc:
        return str(exc)
    return None


def notice_period_over(proposal, ctx):
    """Art. 13: the announcement follows the end of the public notice."""
    if proposal.notice_end is None or ctx.now <= proposal.notice_ends_at:
        return _("公示期至 %(end)s 结束，公示期满后才能发布公告。") % {"end": proposal.notice_end}
    return None


def objections_handled(proposal, ctx):
    open_count = proposal.objections.exclude(status__in=HANDLED).count()
    if open_count:
        return _("还有 %(count)d 件异议尚未处理完毕，处理完毕后才能发布公告。") % {"count": open_count}
    return None


def announcement_number_given(proposal, ctx):
    if not str(ctx.data.get("number") or "").strip():
        return _("请填写公告文号。")
    return None


def proposal_in_notice(objection, ctx):
    if objection.proposal.status != IN_NOTICE:
        return _("公示已结束并已公告，不能再处理异议。")
    return None


def vacancy_decided(objection, ctx):
    """Upholding takes the city off the list; the place is never silently re-filled: the officer
    says whether to leave it vacant or which city to add, and why."""
    vacancy = ctx.data.get("vacancy")
    if vacancy not in ("vacant", "filled"):
        return _("请决定空缺名额的处理方式（空缺或递补）。")
    if not str(ctx.data.get("vacancy_reason") or "").strip():
        return _("请填写空缺名额处理的理由。")
    if vacancy == "filled":
        from .models import ProposalEntry

        entry = ProposalEntry.objects.filter(pk=ctx.data.get("vacancy_entry") or 0, proposal=objection.proposal,
                                             included=False).first()
        if entry is None or entry.city_id == objection.city_id:
            return _("请选择一个不在名单中的城市递补。")
    return None


def _effect(name):
    def effect(obj, ctx):
        from . import effects

        getattr(effects, name)(obj, ctx)

    effect.__name__ = name
    return effect


def _notice(name):
    def notifier(obj, ctx):
        from . import notices

        getattr(notices, name)(obj, ctx)

    notifier.__name__ = name
    return notifier


PROPOSAL = Workflow(
    name="decisions.proposal",
    title=_("拟定名单、公示与公告"),
    model="decisions.Proposal",
    states=(
        State(PROPOSAL_DRAFT, _("拟定中")),
        State(PENDING, _("待审核")),
        State(APPROVED, _("已审核")),
        State(IN_NOTICE, _("公示中")),
        State(ANNOUNCED, _("已公告"), final=True),
    ),
    initial=PROPOSAL_DRAFT,
    transitions=(
        Transition("submit", _("提交审核"), (PROPOSAL_DRAFT,), PENDING, rules.decides_lists,
                   guards=(list_not_empty, departures_have_reasons), effects=(_effect("record_submission"),),
                   notify=(_notice("submitted"),)),
        Transition("send_back", _("退回修改"), (PENDING,), PROPOSAL_DRAFT, rules.decides_lists,
                   guards=(not_by_the_proposer,), effects=(_effect("record_send_back"),),
                   notify=(_notice("sent_back"),), needs_note=True),
        Transition("approve", _("审核通过"), (PENDING,), APPROVED, rules.decides_lists,
                   guards=(not_by_the_proposer, list_not_empty, departures_have_reasons),
                   effects=(_effect("record_approval"),), notify=(_notice("approved"),)),
        # Before publication only; the reason is required and kept (audit, page, message).
        Transition("withdraw_approval", _("撤回审批"), (APPROVED,), PROPOSAL_DRAFT, rules.decides_lists,
                   guards=(by_the_proposer_or_the_approver,), effects=(_effect("withdraw_approval"),),
                   notify=(_notice("approval_withdrawn"),), needs_note=True, state_reason=not_yet_published),
        Transition("publish", _("发布公示"), (APPROVED,), IN_NOTICE, rules.decides_lists,
                   guards=(approved_by_a_second_officer, notice_period_known), effects=(_effect("open_notice"),)),
        Transition("announce", _("发布公告"), (IN_NOTICE,), ANNOUNCED, rules.decides_lists,
                   guards=(notice_period_over, objections_handled, announcement_number_given),
                   effects=(_effect("announce"),)),
    ),
)

OBJECTION = Workflow(
    name="decisions.objection",
    title=_("公示异议"),
    model="decisions.Objection",
    states=(
        State(RECEIVED, _("已受理")),
        State(INVESTIGATING, _("调查中")),
        State(UPHELD, _("异议成立"), final=True),
        State(DISMISSED, _("异议不成立"), final=True),
    ),
    initial=RECEIVED,
    transitions=(
        Transition("investigate", _("开始调查"), (RECEIVED,), INVESTIGATING, rules.decides_lists,
                   guards=(proposal_in_notice,)),
        Transition("uphold", _("异议成立"), (INVESTIGATING,), UPHELD, rules.decides_lists,
                   guards=(proposal_in_notice, vacancy_decided), effects=(_effect("uphold"),),
                   also_lock=lambda objection: [objection.proposal], needs_note=True),
        Transition("dismiss", _("异议不成立"), (INVESTIGATING,), DISMISSED, rules.decides_lists,
                   guards=(proposal_in_notice,), effects=(_effect("dismiss"),), needs_note=True),
    ),
)
