"""Proposal from a scoring run: pre-filled with the engine's selection, departures need reasons,
maker-checker approval, all in the audit trail."""

import pytest

from icdc.audit.models import AuditRecord
from icdc.decisions.services import proposal_create, proposal_edit, proposal_transition
from icdc.lib.refusals import Refusal

from .helpers import entry


def actions(prefix="decisions."):
    return list(AuditRecord.objects.filter(action__startswith=prefix).order_by("seq").values_list("action", flat=True))


def test_a_proposal_copies_the_ranking_and_the_engines_selection(proposal, comp_run):
    rows = {(r.city_id, r.track): r for r in comp_run.city_results.all()}
    entries = list(proposal.entries.all())
    assert len(entries) == len(rows) == 5
    for e in entries:
        row = rows[(e.city_id, e.track)]
        assert (e.rank, e.engine_selected, e.included, e.close_call, e.eligible) == (
            row.rank, row.selected, row.selected, row.close_call, row.eligible)
    assert sorted(e.city_id for e in entries if e.included) == ["330200", "370200"]
    assert proposal.status == "draft"
    assert actions() == ["decisions.proposal.create"]


def test_the_same_run_is_not_proposed_twice(proposal, batch, comp_run, officer):
    with pytest.raises(Refusal):
        proposal_create(batch=batch, run=comp_run, user=officer)


def test_a_departure_needs_a_written_reason_kept_beside_the_city_and_in_the_audit(proposal, officer):
    jinan, ningbo = entry(proposal, "370100"), entry(proposal, "330200")
    with pytest.raises(Refusal) as exc:
        proposal_edit(proposal=proposal, choices={jinan.pk: (True, "")}, user=officer)
    assert "济南市" in str(exc.value)
    jinan.refresh_from_db()
    assert not jinan.included
    proposal_edit(proposal=proposal, user=officer, choices={
        jinan.pk: (True, "实地考察发现济南市信息消费基础扎实，临界城市中优先。"),
        ningbo.pk: (False, "宁波市统计数据存疑。")})
    jinan.refresh_from_db()
    ningbo.refresh_from_db()
    assert jinan.included and jinan.departs and jinan.reason.startswith("实地考察")
    assert not ningbo.included and ningbo.reason == "宁波市统计数据存疑。"
    record = AuditRecord.objects.get(action="decisions.proposal.edit")
    assert {c["city"]: c["reason"] for c in record.after["changes"]} == {
        "370100": jinan.reason, "330200": ningbo.reason}
    # Back to the ranking's decision: the reason goes.
    proposal_edit(proposal=proposal, choices={ningbo.pk: (True, "whatever")}, user=officer)
    ningbo.refresh_from_db()
    assert ningbo.included and ningbo.reason == ""


def test_maker_checker_the_proposer_cannot_approve(proposal, officer, checker):
    proposal_transition(proposal=proposal, name="submit", user=officer)
    with pytest.raises(Refusal) as exc:
        proposal_transition(proposal=proposal, name="approve", user=officer)
    assert "拟定人以外" in str(exc.value)
    proposal.refresh_from_db()
    assert proposal.status == "pending" and proposal.approved_by is None
    proposal_transition(proposal=proposal, name="approve", user=checker)
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.approved_by == checker
    approval = AuditRecord.objects.get(action="decisions.proposal.approve")
    assert approval.actor_id == checker.pk
    assert actions() == ["decisions.proposal.create", "decisions.proposal.submit", "decisions.proposal.approve"]


def test_the_checker_sends_back_with_a_reason_and_the_list_is_editable_again(proposal, officer, checker):
    proposal_transition(proposal=proposal, name="submit", user=officer)
    with pytest.raises(Refusal):
        proposal_transition(proposal=proposal, name="send_back", user=checker)
    with pytest.raises(Refusal):
        proposal_edit(proposal=proposal, choices={}, user=officer)
    proposal_transition(proposal=proposal, name="send_back", user=checker, note="请补充济南市的调整理由。")
    proposal.refresh_from_db()
    assert proposal.status == "draft" and proposal.sent_back_reason == "请补充济南市的调整理由。"


def test_the_departures_are_in_the_submission_and_approval_audit(proposal, officer, checker):
    jinan = entry(proposal, "370100")
    proposal_edit(proposal=proposal, choices={jinan.pk: (True, "临界城市，实地考察表现突出。")}, user=officer)
    proposal_transition(proposal=proposal, name="submit", user=officer)
    proposal_transition(proposal=proposal, name="approve", user=checker)
    for action in ("decisions.proposal.submit", "decisions.proposal.approve"):
        after = AuditRecord.objects.get(action=action).after
        assert after["departures"] == [{"city": "370100", "track": "COMP", "included": True,
                                        "reason": "临界城市，实地考察表现突出。"}]
