"""What the decision transitions write beside the state (run by ``icdc.lib.workflow.perform``
under the locked row, before the audit record)."""

from __future__ import annotations

from icdc.workdays.selectors import notice_period

from . import papers
from .dates import beijing_date
from .models import ProposalEntry


def _departures(proposal):
    return [{"city": e.city_id, "track": e.track, "included": e.included, "reason": e.reason}
            for e in proposal.entries.all() if e.included != e.engine_selected]


def record_submission(proposal, ctx):
    proposal.submitted_at = ctx.now
    proposal.sent_back_reason = ""
    proposal.save(update_fields=["submitted_at", "sent_back_reason"])
    ctx.audit["departures"] = _departures(proposal)


def record_send_back(proposal, ctx):
    proposal.sent_back_reason = ctx.note
    proposal.save(update_fields=["sent_back_reason"])


def record_approval(proposal, ctx):
    proposal.approved_by = ctx.user
    proposal.approved_at = ctx.now
    proposal.save(update_fields=["approved_by", "approved_at"])
    ctx.audit["departures"] = _departures(proposal)


def withdraw_approval(proposal, ctx):
    """撤回审批: the approval is cleared (the list must be submitted and approved again, by an officer
    other than the proposer, before it can be published); the reason is shown on the page as the
    reason the list is back in drafting, and the withdrawn approval is kept in the audit record."""
    ctx.audit["withdrawn_approval"] = {
        "approved_by": proposal.approved_by_id,
        "approved_at": proposal.approved_at.isoformat() if proposal.approved_at else None,
    }
    proposal.approved_by, proposal.approved_at = None, None
    proposal.sent_back_reason = f"撤回审批：{ctx.note}"
    proposal.save(update_fields=["approved_by", "approved_at", "sent_back_reason"])


def open_notice(proposal, ctx):
    """The notice period in working days from today (Beijing), then the notice as PDF and .docx."""
    today = beijing_date(ctx.now)
    days = proposal.batch.notice_working_days
    start, end = notice_period(today, days)
    proposal.notice_published_at = ctx.now
    proposal.notice_start, proposal.notice_end, proposal.notice_working_days = start, end, days
    proposal.save(update_fields=["notice_published_at", "notice_start", "notice_end", "notice_working_days"])
    documents = papers.publish_pair(kind="notice", document=papers.notice_document(proposal, date=today),
                                    proposal=proposal, user=ctx.user, moment=ctx.now)
    ctx.audit.update(notice_start=start.isoformat(), notice_end=end.isoformat(), working_days=days,
                     documents=[d.sm3 for d in documents])


def announce(proposal, ctx):
    """Arts. 13–14: the announcement's number and date, the titles, the applications closed."""
    from icdc.applications import workflow as app_workflow
    from icdc.applications.models import Application
    from icdc.lib.workflow import perform
    from icdc.titles.services import award_titles, issue_certificate

    today = beijing_date(ctx.now)
    number = str(ctx.data["number"]).strip()[:80]
    proposal.announcement_number, proposal.announced_on = number, today
    proposal.save(update_fields=["announcement_number", "announced_on"])
    programme = proposal.batch.programme()
    awards = {}
    for entry in ProposalEntry.objects.filter(proposal=proposal, included=True).select_related("city"):
        track = next((t for t in programme.tracks if t.code == entry.track), None)
        if track is not None:
            awards[(entry.city_id, track.type_code, track.domain_code or "")] = entry.city
    titles = award_titles(batch=proposal.batch, announced_on=today, source_note=number,
                          awards=[(city, t, d) for (_c, t, d), city in sorted(awards.items())])
    awarded = {city_id for city_id, _t, _d in awards}
    closed = {"selected": [], "not_selected": []}
    sources = {*app_workflow.WORKFLOW.transition("select").sources,
               *app_workflow.WORKFLOW.transition("close_not_selected").sources}
    for application in Application.objects.filter(batch=proposal.batch, status__in=sources).order_by("pk"):
        name = "select" if application.city_id in awarded else "close_not_selected"
        perform(app_workflow.WORKFLOW, application, name, user=ctx.user, now=ctx.now,
                note=f"{papers.announcement_title(proposal)} {number}")
        closed["selected" if name == "select" else "not_selected"].append(application.pk)
    documents = papers.publish_pair(
        kind="announcement", document=papers.announcement_document(proposal, number=number, date=today),
        proposal=proposal, user=ctx.user, number=number, moment=ctx.now)
    # Each new title's certificate is published with the announcement (and found by the
    # verification page); an officer can also issue it later from the title's page.
    for title in titles:
        issue_certificate(title=title, user=ctx.user)
    ctx.audit.update(number=number, titles=[t.pk for t in titles], applications=closed,
                     documents=[d.sm3 for d in documents])


def uphold(objection, ctx):
    """The city leaves the list; the vacancy is the officer's decision (left vacant, or one named
    city added), with its reason, kept beside the entry and in the audit record."""
    objection.reply = ctx.note
    objection.handled_by, objection.handled_at = ctx.user, ctx.now
    objection.vacancy = ctx.data["vacancy"]
    objection.vacancy_reason = str(ctx.data["vacancy_reason"]).strip()
    removed = list(ProposalEntry.objects.filter(proposal=objection.proposal, city=objection.city, included=True))
    for entry in removed:
        entry.included, entry.removed_by = False, objection
        entry.reason = f"异议成立（{objection.receipt}）：{ctx.note}"[:2000]
        entry.save(update_fields=["included", "removed_by", "reason"])
    added = None
    if objection.vacancy == "filled":
        added = ProposalEntry.objects.get(pk=ctx.data["vacancy_entry"], proposal=objection.proposal)
        added.included = True
        added.reason = f"递补（异议 {objection.receipt}）：{objection.vacancy_reason}"[:2000]
        added.save(update_fields=["included", "reason"])
        objection.vacancy_entry = added
    objection.save(update_fields=["reply", "handled_by", "handled_at", "vacancy", "vacancy_reason", "vacancy_entry"])
    ctx.audit.update(removed=[[e.city_id, e.track] for e in removed], vacancy=objection.vacancy,
                     vacancy_reason=objection.vacancy_reason,
                     added=[added.city_id, added.track] if added else None)


def dismiss(objection, ctx):
    objection.reply = ctx.note
    objection.handled_by, objection.handled_at = ctx.user, ctx.now
    objection.save(update_fields=["reply", "handled_by", "handled_at"])
