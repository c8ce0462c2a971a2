"""形式审查 (SPEC §2 art. 12, §4 "Application"): the Ministry's check of every application that has
arrived — recommended by a province, or submitted directly by a 直辖市/计划单列市.

The checklist is read from the batch's programme definition: one item per basic condition of the
application's type (``conditions_for``) and per required material of its route and type
(``materials_for``); nothing here names a condition or a material. Each item is ticked met / not
met with a note, kept per revision reviewed (``FormalReview`` + ``FormalCheck``).

The outcome is a transition of the application lifecycle (``icdc/applications/workflow.py``:
``formal_pass``, ``formal_supplement``, ``formal_reject``), taken through ``perform``; this module's
``record_outcome`` is those transitions' effect (the record written on the locked application,
before the audit record). Bulk pass takes each application through ``perform`` one by one, so each
is checked on its locked row and audited on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from icdc.accounts.decorators import require_perm
from icdc.applications import workflow
from icdc.applications.models import Application
from icdc.audit.services import record_event
from icdc.lib.refusals import Refusal
from icdc.lib.workflow import perform

from .models import FormalCheck, FormalReview

VIEW = "review.view_formal_review"
DECIDE = "review.decide_formal_review"
EXPORT = "review.export_formal_review"

#: The outcome a reviewer chooses → the application workflow's transition.
TRANSITIONS = {"pass": "formal_pass", "supplement": "formal_supplement", "reject": "formal_reject"}
OUTCOME_OF = {"formal_pass": FormalReview.Outcome.PASSED, "formal_supplement": FormalReview.Outcome.SUPPLEMENT,
              "formal_reject": FormalReview.Outcome.REJECTED}
NOTE_MAX = 2000


def beijing(instant):
    """An instant as Beijing time, as the pages and messages show it (e.g. 2026年12月9日 17:00)."""
    from icdc.batches.models import _shanghai

    return _shanghai(instant)


@dataclass(frozen=True)
class Item:
    """One item of the checklist: a basic condition or a required material."""

    kind: str
    code: str
    label: str
    detail: str = ""

    @property
    def key(self):
        return f"{self.kind}:{self.code}"


def checklist_items(application, programme=None) -> list[Item]:
    """The checklist of ``application`` from its batch's programme definition: the basic conditions
    of its type, then the required materials of its route and type."""
    programme = programme or application.batch.programme()
    items = []
    if application.type_code:
        try:
            conditions = programme.conditions_for(application.type_code)
        except Refusal:  # a type the programme no longer names: no conditions to check
            conditions = ()
        items += [Item(FormalCheck.Kind.CONDITION, c.code, c.text, c.basis) for c in conditions]
    materials = programme.materials_for(application.route, application.type_code or None)
    items += [Item(FormalCheck.Kind.MATERIAL, m.code, m.label, m.description) for m in materials if m.required]
    return items


def current_review(application):
    """The formal review of the application's current revision (None before anything was ticked)."""
    return FormalReview.objects.filter(application=application, revision_number=application.revision_number).first()


def checks_of(application, review=None, programme=None):
    """The checklist with what was ticked on ``review`` (default: the current revision's):
    [{"item", "met", "note"}] in the programme's order."""
    review = review if review is not None else current_review(application)
    stored = {f"{c.kind}:{c.code}": c for c in review.checks.all()} if review is not None else {}
    if review is not None and review.outcome != FormalReview.Outcome.PENDING:
        # A decided review reads as it was decided (the programme might have changed since).
        return [{"item": Item(c.kind, c.code, c.label), "met": c.met, "note": c.note} for c in review.checks.all()]
    out = []
    for item in checklist_items(application, programme):
        check = stored.get(item.key)
        out.append({"item": item, "met": check.met if check else None, "note": check.note if check else ""})
    return out


def _clean_checks(application, checks):
    """{key: {"met": bool|None, "note": str}} limited to the checklist's own items."""
    if not checks:
        return {}
    keys = {item.key for item in checklist_items(application)}
    out = {}
    for key, value in checks.items():
        if key not in keys:
            continue
        met = value.get("met")
        note = (value.get("note") or "").replace("\x00", "").strip()[:NOTE_MAX]
        out[key] = {"met": met if met in (True, False) else None, "note": note}
    return out


def unmet_items(application, checks=None):
    """Labels of the items recorded (or now posted) as not met on the current revision."""
    merged = {row["item"].key: {"label": row["item"].label, "met": row["met"]} for row in checks_of(application)}
    for key, value in _clean_checks(application, checks).items():
        merged[key]["met"] = value["met"]
    return [str(value["label"]) for value in merged.values() if value["met"] is False]


def _write_checks(review, application, checks, *, pass_unticked=False):
    """Upsert the review's checks from the programme's checklist and the posted ticks."""
    posted = _clean_checks(application, checks)
    stored = {f"{c.kind}:{c.code}": c for c in review.checks.all()}
    for position, item in enumerate(checklist_items(application)):
        check = stored.get(item.key) or FormalCheck(review=review, kind=item.kind, code=item.code)
        check.label, check.position = item.label, position
        if item.key in posted:
            check.met, check.note = posted[item.key]["met"], posted[item.key]["note"]
        if pass_unticked and check.met is None:
            check.met = True  # passing asserts every item not ticked otherwise
        check.save()


def _review_for(application):
    review, _created = FormalReview.objects.get_or_create(application=application,
                                                          revision_number=application.revision_number)
    return review


def formal_checks_save(*, application, user, checks, request=None):
    """Save the ticks and notes of the checklist without deciding (the officer's work in progress)."""
    require_perm(user, DECIDE, application, request)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in workflow.AT_MINISTRY:
            raise Refusal(_("当前状态（%(state)s）下不能修改形式审查清单，页面可能已过期，请刷新后重试。")
                          % {"state": application.get_status_display()}, code="wrong_state")
        review = _review_for(application)
        _write_checks(review, application, checks)
        review.updated_by = user
        review.save(update_fields=["updated_by", "updated_at"])
        unmet = review.checks.filter(met=False).count()
        record_event(action="review.formal_review.save", request=request, user=user, obj=application,
                     after={"revision": review.revision_number, "unmet": unmet,
                            "ticked": review.checks.exclude(met=None).count()})
    return review


def record_outcome(application, ctx):
    """Effect of ``formal_pass`` / ``formal_supplement`` / ``formal_reject``: the record of the
    revision reviewed (checks, outcome, reasons, deadline, reviewer, time). A supplement request
    opens the next revision for the city's answer."""
    outcome = {workflow.FORMAL_PASSED: FormalReview.Outcome.PASSED, workflow.SUPPLEMENT: FormalReview.Outcome.SUPPLEMENT,
               workflow.REJECTED: FormalReview.Outcome.REJECTED}[ctx.after]
    review = _review_for(application)
    _write_checks(review, application, ctx.data.get("checks"), pass_unticked=outcome == FormalReview.Outcome.PASSED)
    review.outcome, review.reasons = outcome, ctx.note
    review.deadline = ctx.data.get("deadline") if outcome == FormalReview.Outcome.SUPPLEMENT else None
    review.bulk = bool(ctx.data.get("bulk"))
    review.reviewer, review.decided_at, review.updated_by = ctx.user, ctx.now, ctx.user
    review.save()
    ctx.audit.update(revision=review.revision_number, outcome=outcome,
                     unmet=review.checks.filter(met=False).count())
    if review.deadline:
        ctx.audit["deadline"] = review.deadline.isoformat()
    if review.bulk:
        ctx.audit["bulk"] = True
    if outcome == FormalReview.Outcome.SUPPLEMENT:
        application.revision_number += 1
        application.save(update_fields=["revision_number"])
        ctx.audit["next_revision"] = application.revision_number


def last_decision(application, outcome=None):
    """The latest decided formal review (of one outcome, if given)."""
    rows = FormalReview.objects.filter(application=application).exclude(outcome=FormalReview.Outcome.PENDING)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.select_related("reviewer").order_by("-revision_number").first()


def supplement_deadline(application):
    """The deadline of the supplement request the city is answering (None: no request)."""
    review = last_decision(application, FormalReview.Outcome.SUPPLEMENT)
    return review.deadline if review else None


def formal_decide(*, application, user, outcome, reasons="", deadline=None, checks=None, request=None, now=None):
    """Decide the formal review of ``application``: "pass", "supplement" (reasons and a deadline) or
    "reject" (reasons). The transition's guards run on the locked row; a refusal writes nothing."""
    name = TRANSITIONS.get(outcome)
    if name is None:
        raise Refusal(_("未知的审查结论。"), code="unknown_outcome")
    return perform(workflow.WORKFLOW, application, name, user=user, note=reasons, request=request, now=now,
                   data={"checks": checks or {}, "deadline": deadline})


@dataclass
class BulkResult:
    application: Application | None
    ident: str
    passed: bool
    reason: str = ""


def formal_bulk_pass(*, application_ids, user, request=None):
    """Pass many applications: each one through ``perform`` on its own (its own lock, guards and audit
    record); a refusal of one does not stop the others. Returns one ``BulkResult`` per id."""
    require_perm(user, DECIDE, None, request)
    ids = list(dict.fromkeys(int(i) for i in application_ids))
    found = Application.objects.filter(pk__in=ids, arrived_at__isnull=False).select_related("city", "batch")
    found = {a.pk: a for a in found}
    results = []
    for pk in ids:
        application = found.get(pk)
        if application is None:
            results.append(BulkResult(None, str(pk), False, _("申报不存在或尚未报送工信部。")))
            continue
        try:
            perform(workflow.WORKFLOW, application, "formal_pass", user=user, request=request, data={"bulk": True})
        except Refusal as refusal:
            results.append(BulkResult(application, application.number, False, str(refusal)))
        else:
            results.append(BulkResult(application, application.number, True))
    return results


def awaiting(queryset):
    """The part of a Ministry queue awaiting formal review (withdrawn and decided ones leave it)."""
    return queryset.filter(status__in=workflow.AT_MINISTRY)


def results_for_export(batch=None):
    """Every decided formal review, by application and revision (for the Excel export)."""
    rows = (FormalReview.objects.exclude(outcome=FormalReview.Outcome.PENDING)
            .select_related("application__city", "application__province", "application__batch", "reviewer")
            .defer("application__batch__programme_document").prefetch_related("checks")
            .order_by("application__number", "revision_number"))
    if batch is not None:
        rows = rows.filter(application__batch=batch)
    return rows
