"""The defence slot lifecycle (答辩安排, art. 12; SPEC §4 "Expert review"): scheduled → held, or
scheduled → no-show (未到场). Only a held defence is scored by the panel; a no-show stays visible
as such in the scoring run (``defence.defence_scores``). Rescheduling keeps the slot scheduled and
is ``defence.defence_schedule``'s, not a transition.
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
