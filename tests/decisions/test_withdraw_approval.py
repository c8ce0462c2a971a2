"""撤回审批: before publication the proposer or the approver takes an approval back, with a written
reason. The list is back in drafting, the approval cleared, one audit record keeps the reason and
the withdrawn approval; it cannot be published until submitted and approved again by an officer
other than the proposer; once the notice is published the withdrawal is refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.actions import action_label
from icdc.audit.models import AuditRecord
from icdc.decisions.models import Proposal
from icdc.decisions.services import proposal_edit, proposal_transition
from icdc.lib.refusals import Refusal
from icdc.notifications.models import Notification
from tests.factories import make_user

from .helpers import at, entry

REASON = "济南市统计数据待核实，撤回后修改名单。"
WITHDRAW = "decisions.proposal.withdraw_approval"


def withdrawals():
    return AuditRecord.objects.filter(action=WITHDRAW)


def withdraw(proposal, user, note=REASON):
    return proposal_transition(proposal=proposal, name="withdraw_approval", user=user, note=note)


@pytest.mark.parametrize("note", ["", "   \n", "\x00"])
def test_the_reason_is_required_and_nothing_changes_without_it(approved, checker, note):
    approved_at = approved.approved_at
    with pytest.raises(Refusal) as exc:
        withdraw(approved, checker, note=note)
    assert exc.value.code == "note_required"
    assert str(exc.value) == "请填写“撤回审批”的理由。"
    approved.refresh_from_db()
    assert (approved.status, approved.approved_by, approved.approved_at) == ("approved", checker, approved_at)
    assert not withdrawals().exists()
    assert not Notification.objects.filter(kind=WITHDRAW).exists()


def test_the_approver_withdraws_one_audit_record_with_the_reason(approved, officer, checker):
    approved_at = approved.approved_at
    withdraw(approved, checker)
    approved.refresh_from_db()
    assert approved.status == "draft"
    assert approved.approved_by is None and approved.approved_at is None
    assert approved.sent_back_reason == f"撤回审批：{REASON}"
    record = withdrawals().get()
    assert (record.actor_id, record.actor_username) == (checker.pk, "checker")
    assert (record.object_type, record.object_id) == ("decisions.proposal", str(approved.pk))
    assert record.before == {"status": "approved"}
    assert record.after == {"status": "draft", "withdrawn_approval": {
        "approved_by": checker.pk, "approved_at": approved_at.isoformat()}}
    assert record.detail == REASON
    assert str(action_label(WITHDRAW)) == "撤回拟定名单审批"
    # The proposer hears of it; the officer who withdrew does not message himself.
    assert list(Notification.objects.filter(kind=WITHDRAW).values_list("recipient", flat=True)) == [officer.pk]
    assert REASON in Notification.objects.get(kind=WITHDRAW).title


def test_the_proposer_may_withdraw_and_the_approver_hears_of_it(approved, officer, checker):
    withdraw(approved, officer, note="发现宁波市数据有误。")
    approved.refresh_from_db()
    assert approved.status == "draft" and approved.approved_by is None
    assert withdrawals().get().actor_id == officer.pk
    assert list(Notification.objects.filter(kind=WITHDRAW).values_list("recipient", flat=True)) == [checker.pk]


def test_a_third_officer_is_refused_in_chinese_and_other_roles_are_denied(approved, checker):
    third = make_user(Role.MINISTRY_OFFICER, username="third")
    with pytest.raises(Refusal) as exc:
        withdraw(approved, third)
    assert str(exc.value) == "只有拟定人或审核人可以撤回审批。"
    city = make_user(Role.CITY_APPLICANT, username="city")
    with pytest.raises(PermissionDenied):
        withdraw(approved, city)
    approved.refresh_from_db()
    assert approved.status == "approved" and approved.approved_by == checker
    assert not withdrawals().exists()


def test_after_withdrawal_no_publication_until_approved_again_by_another_officer(approved, officer, checker):
    withdraw(approved, checker)
    with pytest.raises(Refusal) as exc:
        proposal_transition(proposal=approved, name="publish", user=checker, now=at(2024, 9, 27, 10))
    assert exc.value.code == "wrong_state"
    # Back in drafting: the proposer corrects the list and submits it again.
    ningbo = entry(approved, "330200")
    proposal_edit(proposal=approved, user=officer, choices={ningbo.pk: (False, "宁波市统计数据存疑。")})
    proposal_transition(proposal=approved, name="submit", user=officer)
    with pytest.raises(Refusal) as exc:
        proposal_transition(proposal=approved, name="publish", user=checker, now=at(2024, 9, 27, 10))
    assert exc.value.code == "wrong_state"
    with pytest.raises(Refusal) as exc:
        proposal_transition(proposal=approved, name="approve", user=officer)
    assert "拟定人以外" in str(exc.value)
    approved.refresh_from_db()
    assert approved.status == "pending" and approved.approved_by is None
    proposal_transition(proposal=approved, name="approve", user=checker)
    published = proposal_transition(proposal=approved, name="publish", user=checker, now=at(2024, 9, 27, 10))
    assert published.status == "in_notice" and published.approved_by == checker
    assert list(AuditRecord.objects.filter(action__startswith="decisions.proposal.").order_by("seq")
                .values_list("action", flat=True)) == [
        "decisions.proposal.create", "decisions.proposal.submit", "decisions.proposal.approve", WITHDRAW,
        "decisions.proposal.edit", "decisions.proposal.submit", "decisions.proposal.approve",
        "decisions.proposal.publish"]


def test_publication_needs_an_approval_on_the_row_not_only_the_state(approved, checker):
    """The publish guard reads the approval itself: a row in "approved" without one (or with the
    proposer's) is refused, whatever put it there."""
    Proposal.objects.filter(pk=approved.pk).update(approved_by=None, approved_at=None)
    with pytest.raises(Refusal) as exc:
        proposal_transition(proposal=approved, name="publish", user=checker, now=at(2024, 9, 27, 10))
    assert "拟定人以外" in str(exc.value)
    Proposal.objects.filter(pk=approved.pk).update(approved_by=approved.proposed_by)
    with pytest.raises(Refusal):
        proposal_transition(proposal=approved, name="publish", user=checker, now=at(2024, 9, 27, 10))
    approved.refresh_from_db()
    assert approved.status == "approved" and approved.notice_start is None


def test_refused_once_the_notice_is_published(in_notice, checker, officer):
    for user in (checker, officer):
        with pytest.raises(Refusal) as exc:
            withdraw(in_notice, user)
        assert exc.value.code == "wrong_state"
        assert str(exc.value) == "公示已发布，不能再撤回审批。"
    in_notice.refresh_from_db()
    assert in_notice.status == "in_notice" and in_notice.approved_by == checker
    assert not withdrawals().exists()


def test_refused_before_approval(proposal, officer):
    proposal_transition(proposal=proposal, name="submit", user=officer)
    with pytest.raises(Refusal) as exc:
        withdraw(proposal, officer)
    assert "尚未审核通过" in str(exc.value)
    proposal.refresh_from_db()
    assert proposal.status == "pending"


# --- through the page (server-rendered, no JavaScript) ------------------------------------------

def test_the_page_button_confirms_then_withdraws(client, approved, checker):
    client.force_login(checker)
    detail = reverse("decisions:proposal_detail", args=[approved.pk])
    page = client.get(detail).content.decode()
    assert 'data-action="withdraw_approval"' in page and "撤回理由" in page
    url = reverse("decisions:proposal_transition", args=[approved.pk, "withdraw_approval"])
    # Without a reason: refused at once in Chinese, no confirmation, nothing changes.
    response = client.post(url, {"note": "  "}, follow=True)
    assert "请填写“撤回审批”的理由。" in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == "approved" and not withdrawals().exists()
    # With a reason: the confirmation page (what happens, the reason carried), nothing done yet.
    response = client.post(url, {"note": REASON})
    text = response.content.decode()
    assert response.status_code == 200 and 'data-testid="confirm"' in text
    assert f"撤回理由：{REASON}" in text and 'name="note"' in text and "此操作不可撤销" not in text
    approved.refresh_from_db()
    assert approved.status == "approved" and not withdrawals().exists()
    # Confirmed: withdrawn, and the page says why the list is back in drafting.
    response = client.post(url, {"note": REASON, "confirm": "yes"}, follow=True)
    approved.refresh_from_db()
    assert approved.status == "draft" and approved.approved_by is None
    assert withdrawals().get().detail == REASON
    assert f"撤回审批：{REASON}" in response.content.decode()


def test_the_page_tells_a_third_officer_why_not(client, approved):
    client.force_login(make_user(Role.MINISTRY_OFFICER, username="third"))
    page = client.get(reverse("decisions:proposal_detail", args=[approved.pk])).content.decode()
    assert "只有拟定人或审核人可以撤回审批。" in page
    response = client.post(reverse("decisions:proposal_transition", args=[approved.pk, "withdraw_approval"]),
                           {"note": REASON, "confirm": "yes"}, follow=True)
    assert "只有拟定人或审核人可以撤回审批。" in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == "approved"
