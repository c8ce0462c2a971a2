"""Lifecycles of expert review.

The defence slot (答辩安排, art. 12; SPEC §4 "Expert review"): scheduled → held, or scheduled →
no-show (未到场). Only a held defence is scored by the panel; a no-show stays visible as such in the
scoring run (``defence.defence_scores``). Rescheduling keeps the slot scheduled and is
``defence.defence_schedule``'s, not a transition.

The score sheet (评分表) of a member who is replaced (``panels.panel_member_decline``): a draft is
withdrawn (撤回), a submitted sheet set aside (不计入). Either is kept with its scores, out of every
count, and refused to its expert. The expert's own draft → submitted is ``scores._write``'s (it
writes the entries and checks the version under the review window's lock), not a transition here.
"""

from django.utils.translation import gettext_lazy as _

from icdc.accounts import rules
from icdc.lib.workflow import State, Transition, Workflow

SCHEDULED, HELD, NO_SHOW = "scheduled", "held", "no_show"

STATES = (
    State(SCHEDULED, _("已安排")),
    State(HELD, _("已答辩"), final=True),
    State(NO_SHOW, _("未到场"), final=True),
)


def has_started(slot, ctx):
    """Whether the defence happened (or not) is known only once its time has come."""
    if ctx.now < slot.starts_at:
        return _("答辩尚未开始，不能登记答辩结果。")
    return None


def tell_the_panel(slot, ctx):
    from icdc.review.defence import notify_panel_held

    notify_panel_held(slot)


WORKFLOW = Workflow(
    name="review.defence",
    title=_("答辩安排"),
    model="review.DefenceSlot",
    states=STATES,
    initial=SCHEDULED,
    transitions=(
        Transition("held", _("登记已答辩"), (SCHEDULED,), HELD, rules.is_ministry_officer, guards=(has_started,),
                   notify=(tell_the_panel,)),
        Transition("no_show", _("登记未到场"), (SCHEDULED,), NO_SHOW, rules.is_ministry_officer,
                   guards=(has_started,)),
    ),
)


# --- the score sheet of a replaced member --------------------------------------------------------

SHEET_DRAFT, SHEET_SUBMITTED, SHEET_WITHDRAWN, SHEET_SET_ASIDE = "draft", "submitted", "withdrawn", "set_aside"

SHEET_STATES = (
    State(SHEET_DRAFT, _("草稿")),
    State(SHEET_SUBMITTED, _("已提交")),
    State(SHEET_WITHDRAWN, _("已撤回（专家替补或重新抽取）"), final=True),
    State(SHEET_SET_ASIDE, _("不计入（专家替补或重新抽取）"), final=True),
)


def _replaced_member(sheet, ctx):
    """The audit record names the panel, the expert, the substitute (a replacement) or the new draw (a
    redraw), and the reason."""
    ctx.audit.update({"panel": sheet.panel_id, "application": sheet.application_id, "expert": sheet.expert_id,
                      "track": sheet.track, "substitute": ctx.data.get("substitute"), "redraw": ctx.data.get("redraw"),
                      "submitted_at": sheet.submitted_at.isoformat() if sheet.submitted_at else None})


SHEET_WORKFLOW = Workflow(
    name="review.score_sheet",
    title=_("评分表（专家替补或重新抽取）"),
    model="review.ScoreSheet",
    states=SHEET_STATES,
    initial=SHEET_DRAFT,
    transitions=(
        Transition("withdraw", _("撤回评分草稿（专家替补或重新抽取）"), (SHEET_DRAFT,), SHEET_WITHDRAWN, rules.is_ministry_officer,
                   effects=(_replaced_member,), needs_note=True),
        Transition("set_aside", _("已提交的评分不计入（专家替补或重新抽取）"), (SHEET_SUBMITTED,), SHEET_SET_ASIDE,
                   rules.is_ministry_officer, effects=(_replaced_member,), needs_note=True),
    ),
)
