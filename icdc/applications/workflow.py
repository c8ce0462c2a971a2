"""The application lifecycle up to the Ministry's desk (申报 → 省级初审, SPEC §2 arts. 8–11, §4).

draft → submitted (to the province) ⇄ returned → recommended ─┐
draft → submitted_direct (直辖市 and 计划单列市: art. 10, no provincial step) ───┴→ the Ministry's queue
Any state before the Ministry's formal review decision → withdrawn (the city's own decision).

The Ministry's formal review (形式审查, art. 12; issue 14 item 1) of what has arrived:
recommended / submitted_direct / supplemented → formal_passed (on to expert review)
                                              → supplement (补充材料: back to the city with a deadline
                                                and the reasons) → supplemented (the city's answer, a new
                                                frozen revision, back in the Ministry's queue)
                                              → rejected (形式审查不通过, final).
The formal-review record (checklist, outcome, deadline) is ``icdc.review.models.FormalReview``;
its writes are this lifecycle's effects in ``icdc.review.formal``. Guards say in
Chinese why a transition is refused; effects freeze revisions and keep the province's decisions;
notifiers tell the people concerned after the commit.
"""

from django.utils.translation import gettext_lazy as _

from icdc.accounts import rules
from icdc.lib.workflow import State, Transition, Workflow

DRAFT, SUBMITTED, RETURNED, RECOMMENDED = "draft", "submitted", "returned", "recommended"
SUBMITTED_DIRECT, WITHDRAWN = "submitted_direct", "withdrawn"
FORMAL_PASSED, SUPPLEMENT, SUPPLEMENTED, REJECTED = "formal_passed", "supplement", "supplemented", "rejected"
SELECTED, NOT_SELECTED = "selected", "not_selected"

STATES = (
    State(DRAFT, _("草稿")),
    State(SUBMITTED, _("待省级初审")),
    State(RETURNED, _("退回修改")),
    State(RECOMMENDED, _("省级已推荐")),
    State(SUBMITTED_DIRECT, _("已直接报送")),
    State(SUPPLEMENT, _("待补充材料")),
    State(SUPPLEMENTED, _("已补充材料")),
    State(FORMAL_PASSED, _("形式审查通过")),
    State(REJECTED, _("形式审查不通过"), final=True),
    State(WITHDRAWN, _("已撤回"), final=True),
    # The announcement (公告, arts. 13–14) closes every application still at the Ministry (decisions).
    State(SELECTED, _("已入选"), final=True),
    State(NOT_SELECTED, _("未入选"), final=True),
)

#: States in which the application has arrived at the Ministry and awaits its formal review.
AT_MINISTRY = (RECOMMENDED, SUBMITTED_DIRECT, SUPPLEMENTED)
#: States of an application that passed formal review: panels are drawn from these.
IN_EXPERT_REVIEW = (FORMAL_PASSED,)
#: States the city can still edit.
EDITABLE = (DRAFT, RETURNED, SUPPLEMENT)
#: States the city may still withdraw from (before the Ministry's formal review decides).
WITHDRAWABLE = (DRAFT, SUBMITTED, RETURNED, RECOMMENDED, SUBMITTED_DIRECT, SUPPLEMENT, SUPPLEMENTED)


def submit_transition(application):
    """The transition the city's "submit" button takes: the answer to a supplement request, a direct
    submission (直辖市, 计划单列市) or a submission to the province."""
    if application.status == SUPPLEMENT:
        return "answer_supplement"
    return "submit_direct" if application.route == "direct" else "submit"


# --- guards (each returns the reason it fails, or None) ----------------------------------------

def batch_accepts_applications(application, ctx):
    """Art. 8: applications are made during the batch's call, before the city deadline (Beijing time)."""
    batch = application.batch
    if batch.status != "open":
        return _("本批次当前不受理申报（%(state)s）。") % {"state": batch.get_status_display()}
    if batch.city_deadline and ctx.now >= batch.city_deadline:
        return _("城市申报已于 %(deadline)s（北京时间）截止，不能再提交。") % {"deadline": batch.city_deadline_display}
    return None


def province_deadline_open(application, ctx):
    """Art. 10: the province forwards its recommendations before its own deadline; a city answering a
    return must resubmit before it too."""
    batch = application.batch
    if batch.province_deadline and ctx.now >= batch.province_deadline:
        return _("省级报送已于 %(deadline)s（北京时间）截止。") % {"deadline": batch.province_deadline_display}
    return None


def deadline_for_this_submission(application, ctx):
    """A first submission meets the city deadline; an answer to a return meets the province's."""
    if ctx.before == RETURNED:
        return province_deadline_open(application, ctx)
    return batch_accepts_applications(application, ctx)


def routes_through_province(application, ctx):
    if application.route != "province":
        return _("本市直接向工信部申报，不经省级初审。")
    return None


def routes_directly(application, ctx):
    if application.route != "direct":
        return _("本市须经省级主管部门初审推荐，不能直接报送工信部。")
    return None


def complete(application, ctx):
    """Art. 11: everything the programme requires is there (the live checklist's items)."""
    from .completeness import missing_items

    missing = missing_items(application)
    if missing:
        return _("申报材料尚不完整，还缺 %(count)d 项：%(items)s。") % {
            "count": len(missing), "items": "；".join(str(m) for m in missing[:5])}
    return None


def within_recommendation_cap(application, ctx):
    """The programme may cap how many applications a province recommends (also per route)."""
    from .selectors import recommendation_cap_left

    left = recommendation_cap_left(application)
    if left is not None and left <= 0:
        return _("已达到本批次的推荐名额上限，不能再推荐。")
    return None


def recommendation_document_present(application, ctx):
    if not ctx.data.get("document") and not application.recommendation_documents.filter(
            revision_number=application.revision_number).exists():
        return _("请上传或生成初审推荐文件后再推荐。")
    return None


def supplement_deadline_open(application, ctx):
    """The answer to a supplement request is made before the deadline the Ministry set (Beijing time)."""
    from icdc.review.formal import supplement_deadline

    deadline = supplement_deadline(application)
    if deadline is not None and ctx.now >= deadline:
        from icdc.review.formal import beijing

        return _("补充材料已于 %(deadline)s（北京时间）截止，不能再提交。请与工业和信息化部联系。") % {
            "deadline": beijing(deadline)}
    return None


def formal_checks_all_met(application, ctx):
    """Passing formal review: no item of the checklist is recorded as not met."""
    from icdc.review.formal import unmet_items

    unmet = unmet_items(application, ctx.data.get("checks"))
    if unmet:
        return _("形式审查清单中有 %(count)d 项未满足（%(items)s），不能通过；请要求补充材料或不予通过。") % {
            "count": len(unmet), "items": "；".join(unmet[:3])}
    return None


def supplement_deadline_given(application, ctx):
    """A supplement request names a deadline in the future."""
    deadline = ctx.data.get("deadline")
    if deadline is None:
        return _("请填写补充材料的截止时间（北京时间）。")
    if deadline <= ctx.now:
        return _("补充材料的截止时间须晚于当前时间。")
    return None


# --- effects and notifiers live in services.py and notices.py; imported lazily ------------------

def _effect(name):
    def effect(application, ctx):
        from . import effects

        getattr(effects, name)(application, ctx)

    effect.__name__ = name
    return effect


def _formal(name):
    def effect(application, ctx):
        from icdc.review import formal

        getattr(formal, name)(application, ctx)

    effect.__name__ = name
    return effect


def _notice(name):
    def notifier(application, ctx):
        from . import notices

        getattr(notices, name)(application, ctx)

    notifier.__name__ = name
    return notifier


WORKFLOW = Workflow(
    name="applications.application",
    title=_("申报"),
    model="applications.Application",
    states=STATES,
    initial=DRAFT,
    transitions=(
        Transition("submit", _("提交省级初审"), (DRAFT, RETURNED), SUBMITTED, rules.is_applicant_for,
                   guards=(routes_through_province, deadline_for_this_submission, complete),
                   effects=(_effect("freeze_revision"),), notify=(_notice("submitted"),),
                   also_lock=lambda application: [application.batch]),
        Transition("submit_direct", _("直接报送工信部"), (DRAFT,), SUBMITTED_DIRECT, rules.is_applicant_for,
                   guards=(routes_directly, batch_accepts_applications, complete),
                   effects=(_effect("freeze_revision"), _effect("arrive_at_ministry")),
                   notify=(_notice("arrived_direct"),),
                   also_lock=lambda application: [application.batch]),
        Transition("return", _("退回修改"), (SUBMITTED,), RETURNED, rules.is_preliminary_reviewer_for,
                   guards=(province_deadline_open,), effects=(_effect("record_return"),),
                   notify=(_notice("returned"),), needs_note=True),
        Transition("recommend", _("推荐"), (SUBMITTED,), RECOMMENDED, rules.is_preliminary_reviewer_for,
                   guards=(province_deadline_open, recommendation_document_present, within_recommendation_cap),
                   effects=(_effect("record_recommendation"), _effect("arrive_at_ministry")),
                   notify=(_notice("recommended"),),
                   # The cap counts the province's recommendations in this batch: the batch row is the
                   # lock that makes two officials recommending at once count one after the other.
                   also_lock=lambda application: [application.batch]),
        Transition("withdraw", _("撤回申报"), WITHDRAWABLE,
                   WITHDRAWN, rules.is_applicant_for, notify=(_notice("withdrawn"),), needs_note=True),
        # --- the Ministry's formal review (形式审查, art. 12) ---
        Transition("formal_pass", _("形式审查通过"), AT_MINISTRY, FORMAL_PASSED, rules.is_formal_reviewer_for,
                   guards=(formal_checks_all_met,), effects=(_formal("record_outcome"),),
                   notify=(_notice("formal_passed"),)),
        Transition("formal_supplement", _("要求补充材料"), AT_MINISTRY, SUPPLEMENT, rules.is_formal_reviewer_for,
                   guards=(supplement_deadline_given,), effects=(_formal("record_outcome"),),
                   notify=(_notice("supplement_requested"),), needs_note=True),
        Transition("formal_reject", _("形式审查不通过"), AT_MINISTRY, REJECTED, rules.is_formal_reviewer_for,
                   effects=(_formal("record_outcome"),), notify=(_notice("formal_rejected"),), needs_note=True),
        Transition("answer_supplement", _("提交补充材料"), (SUPPLEMENT,), SUPPLEMENTED, rules.is_applicant_for,
                   guards=(supplement_deadline_open, complete),
                   effects=(_effect("freeze_revision"),), notify=(_notice("supplemented"),)),
        # Taken by the announcement (icdc/decisions/effects.py), never from a page of its own.
        Transition("select", _("公告入选"), (*AT_MINISTRY, *IN_EXPERT_REVIEW), SELECTED, rules.decides_lists,
                   notify=(_notice("selected"),)),
        Transition("close_not_selected", _("公告未入选"), (*AT_MINISTRY, *IN_EXPERT_REVIEW, SUPPLEMENT), NOT_SELECTED,
                   rules.decides_lists,
                   notify=(_notice("not_selected"),)),
    ),
)
