"""A panel member replaced by a reserve (替补, ``panels.panel_member_decline``): what becomes of their
score sheets, and what they are told.

Their sheets for the panel's applications are kept with their scores but leave every count: a draft
is withdrawn (撤回), a submitted sheet set aside (不计入), each through the ``review.score_sheet``
workflow with its own audit record. From then on they can neither open nor write a sheet of that
panel (a Chinese refusal, not a 404: they were on it), and the substitute starts sheets of their
own — one live (draft or submitted) sheet per expert, application and track, a database constraint.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from icdc.lib.refusals import Refusal
from icdc.lib.workflow import perform
from icdc.notifications.services import notify

from .models import Expert, PanelDraw, ScoreSheet
from .workflow import SHEET_WORKFLOW

#: Sheets that count (or will once submitted); withdrawn and set-aside ones are kept out of everything.
LIVE = (ScoreSheet.Status.DRAFT, ScoreSheet.Status.SUBMITTED)


def replaced_refusal():
    return Refusal(_("您已被替换，不再是本组的评审专家：您在本组的评分表已撤回，不能再打开、保存或提交，"
                     "已提交的评分不计入评审结果。"), code="replaced")


def was_replaced(expert, panel):
    """Whether ``expert`` sat on ``panel`` and was replaced (by a reserve) since."""
    return (expert is not None and panel is not None and expert.pk not in panel.members
            and any(event.get("expert") == expert.pk for event in panel.replacements or ()))


def replaced_from(expert, panel_pk):
    """The refusal for a replaced member of ``panel_pk`` opening one of its sheets, else None."""
    panel = PanelDraw.objects.filter(pk=panel_pk).only("pk", "members", "replacements").first()
    return replaced_refusal() if was_replaced(expert, panel) else None


def replaced_sheets(expert):
    """The expert's sheets withdrawn or set aside when they were replaced (listed, never opened)."""
    if expert is None:
        return []
    return list(ScoreSheet.objects.filter(expert=expert).exclude(status__in=LIVE)
                .select_related("application__city", "panel__batch").order_by("panel__batch_id", "track", "pk"))


def sheets_of_the_replaced(*, panel, expert_id, substitute, reason, user):
    """Take the replaced member's sheets for ``panel``'s applications out of the count, kept: a draft
    withdrawn, a submitted sheet set aside (one audited transition each). Returns their ids.

    The caller holds the batch's review window row, as every expert's save or submit does: a save in
    flight either committed before (its sheet is found here) or waits and then finds its expert no
    longer a member (``scores._write`` re-reads the members under that lock)."""
    sheets = list(ScoreSheet.objects.select_for_update().filter(
        expert_id=expert_id, track=panel.group, application_id__in=panel.application_ids, status__in=LIVE)
        .order_by("pk"))
    out = {"withdrawn_sheets": [], "set_aside_sheets": []}
    for sheet in sheets:
        name = "withdraw" if sheet.status == ScoreSheet.Status.DRAFT else "set_aside"
        perform(SHEET_WORKFLOW, sheet, name, user=user, note=reason, data={"substitute": substitute})
        out["withdrawn_sheets" if name == "withdraw" else "set_aside_sheets"].append(sheet.pk)
    return out


def sheets_of_a_redraw(*, previous, panel, user):
    """A redraw (``panels.panel_draw`` over a current draw) supersedes ``previous``, and only the new
    panel's sheets count. Every live sheet of the old panel is withdrawn (draft) or set aside
    (submitted), one audited transition each, as for a replaced member — a member who sits on the
    new panel too included: they score afresh there. (Left live, a submitted sheet on the old panel
    counted nowhere and, one live sheet per expert, application and track, stopped them scoring for
    the new one.) Returns the sheet ids by outcome, for the draw's audit record.

    The caller holds the batch's row and then its review window's row, before any sheet: an
    expert's save holds the window first, so a save either committed before (its sheet is found
    here) or waits and then re-reads the panel's members."""
    out = {"withdrawn_sheets": [], "set_aside_sheets": []}
    if previous is None:
        return out
    sheets = list(ScoreSheet.objects.select_for_update().filter(panel=previous, status__in=LIVE).order_by("pk"))
    reason = _("重新抽取本组专家（原抽取记录 %(pk)s 由 %(new)s 替代）") % {"pk": previous.pk, "new": panel.pk}
    for sheet in sheets:
        name = "withdraw" if sheet.status == ScoreSheet.Status.DRAFT else "set_aside"
        perform(SHEET_WORKFLOW, sheet, name, user=user, note=reason, data={"redraw": panel.pk})
        out["withdrawn_sheets" if name == "withdraw" else "set_aside_sheets"].append(sheet.pk)
    return out


REPLACED_KIND = "review.panel.replaced"
SUBSTITUTE_KIND = "review.panel.substitute"


def tell_the_replaced_and_the_substitute(*, panel, expert_id, substitute):
    """The replaced member learns their sheets of the panel were withdrawn; the substitute that they
    sit on it now (both linked to their task list). In the replacement's transaction: a rollback
    tells nobody."""
    experts = {e.pk: e for e in Expert.objects.filter(pk__in=(expert_id, substitute)).select_related("account")}
    group = panel.batch.programme().track_label(panel.group)
    link = reverse("scoring:tasks")
    names = {"batch": panel.batch.title, "group": group}
    if expert_id in experts:
        notify(recipients=[experts[expert_id].account], kind=REPLACED_KIND, obj=panel, link=link,
               title=_("%(batch)s %(group)s：您已被替换，不再参加本组评审") % names,
               body=_("您在本组的评分表已撤回，已提交的评分不计入评审结果。"))
    if substitute in experts:
        notify(recipients=[experts[substitute].account], kind=SUBSTITUTE_KIND, obj=panel, link=link,
               title=_("%(batch)s %(group)s：您已作为替补专家加入本组评审") % names,
               body=_("请先签署本批次的回避声明与保密承诺，再在评审时间窗口内完成评分。"))
