"""Two officers pressing "approve" (or "publish") at once (PostgreSQL, threads): exactly one
transition and one audit record. Fails if the row lock in ``icdc.lib.workflow._lock`` is taken out:
the second would then work from the state it read before the first committed and transition again
(checked: with ``select_for_update()`` removed from ``_lock`` both tests fail with two records)."""

import pytest
from django.db import connection

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.decisions.models import Proposal
from icdc.decisions.services import proposal_transition
from icdc.documents.models import PublishedDocument
from icdc.lib.refusals import Refusal
from tests.factories import make_user
from tests.races import race

from .helpers import at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def test_two_approvals_at_once_give_one_transition_and_one_record(proposal, officer):
    a = make_user(Role.MINISTRY_OFFICER, username="checker-a")
    b = make_user(Role.MINISTRY_OFFICER, username="checker-b")
    proposal_transition(proposal=proposal, name="submit", user=officer)
    page_a, page_b = Proposal.objects.get(pk=proposal.pk), Proposal.objects.get(pk=proposal.pk)
    _first, second = race(lambda: proposal_transition(proposal=page_a, name="approve", user=a),
                          lambda: proposal_transition(proposal=page_b, name="approve", user=b))
    assert isinstance(second.error, Refusal) and second.error.code == "wrong_state", second.error
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.approved_by == a
    assert list(AuditRecord.objects.filter(action="decisions.proposal.approve")
                .values_list("actor_username", flat=True)) == ["checker-a"]


def test_two_publications_at_once_give_one_notice_and_one_record(approved, officer, checker):
    page_a, page_b = Proposal.objects.get(pk=approved.pk), Proposal.objects.get(pk=approved.pk)
    moment = at(2024, 9, 27, 10)
    _first, second = race(lambda: proposal_transition(proposal=page_a, name="publish", user=officer, now=moment),
                          lambda: proposal_transition(proposal=page_b, name="publish", user=checker, now=moment))
    assert isinstance(second.error, Refusal) and second.error.code == "wrong_state", second.error
    assert AuditRecord.objects.filter(action="decisions.proposal.publish").count() == 1
    assert PublishedDocument.objects.filter(kind="notice").count() == 2  # one PDF, one .docx


def test_an_edit_while_the_list_is_submitted_waits_and_is_refused(proposal, officer):
    """``proposal_edit`` locks the proposal: an edit racing the submission sees it submitted."""
    from icdc.decisions.services import proposal_edit

    jinan = proposal.entries.get(city_id="370100")
    page = Proposal.objects.get(pk=proposal.pk)
    _first, second = race(lambda: proposal_transition(proposal=proposal, name="submit", user=officer),
                          lambda: proposal_edit(proposal=page, user=officer,
                                                choices={jinan.pk: (True, "临界，考察优秀。")}))
    assert isinstance(second.error, Refusal) and second.error.code == "not_draft", second.error
    jinan.refresh_from_db()
    assert not jinan.included


def test_an_objection_in_the_last_second_holds_back_the_announcement(in_notice, officer, end_instant):
    """``objection_file`` locks the proposal: the announcement taken the next second waits for it and
    then counts it as open."""
    import datetime

    from .helpers import file

    page = Proposal.objects.get(pk=in_notice.pk)
    _first, second = race(
        lambda: file(in_notice, now=end_instant),
        lambda: proposal_transition(proposal=page, name="announce", user=officer, data={"number": "工信部信发〔2024〕1号"},
                                    now=end_instant + datetime.timedelta(seconds=1)))
    assert isinstance(second.error, Refusal) and "异议尚未处理完毕" in str(second.error), second.error
    in_notice.refresh_from_db()
    assert in_notice.status == "in_notice"


def test_a_note_racing_the_dismissal_waits_and_is_refused(in_notice, officer):
    """``objection_note_add`` locks the objection: a note racing the dismissal sees it handled."""
    from icdc.decisions.models import Objection
    from icdc.decisions.services import objection_note_add, objection_transition

    from .helpers import file

    objection = file(in_notice)
    objection_transition(objection=objection, name="investigate", user=officer)
    page = Objection.objects.get(pk=objection.pk)
    _first, second = race(lambda: objection_transition(objection=objection, name="dismiss", user=officer, note="不成立。"),
                          lambda: objection_note_add(objection=page, text="迟到的记录", user=officer))
    assert isinstance(second.error, Refusal) and second.error.code == "handled", second.error
    assert not objection.notes.exists()


@pytest.mark.parametrize("first", ["withdraw_approval", "publish"])
def test_withdrawal_and_publication_at_once_give_exactly_one_of_them(approved, officer, checker, first):
    """The approver withdraws while the proposer publishes (in both orders): whichever holds the row
    lock first wins; the other waits, then sees the new state and is refused. One transition, one
    audit record, and a notice only if the publication won."""
    page_a, page_b = Proposal.objects.get(pk=approved.pk), Proposal.objects.get(pk=approved.pk)
    moment = at(2024, 9, 27, 10)
    steps = {
        "withdraw_approval": lambda page: proposal_transition(proposal=page, name="withdraw_approval", user=checker,
                                                              note="统计数据待核实。", now=moment),
        "publish": lambda page: proposal_transition(proposal=page, name="publish", user=officer, now=moment),
    }
    other = "publish" if first == "withdraw_approval" else "withdraw_approval"
    _first, second = race(lambda: steps[first](page_a), lambda: steps[other](page_b))
    assert isinstance(second.error, Refusal) and second.error.code == "wrong_state", second.error
    approved.refresh_from_db()
    records = list(AuditRecord.objects.filter(action__in=["decisions.proposal.withdraw_approval",
                                                          "decisions.proposal.publish"]).values_list("action", "after"))
    assert [action for action, _after in records] == [f"decisions.proposal.{first}"]
    if first == "withdraw_approval":
        assert approved.status == "draft" and approved.approved_by is None and approved.notice_start is None
        assert records[0][1]["withdrawn_approval"]["approved_by"] == checker.pk
        assert not PublishedDocument.objects.filter(kind="notice").exists()
    else:
        assert approved.status == "in_notice" and approved.approved_by == checker
        assert PublishedDocument.objects.filter(kind="notice").count() == 2
        assert "公示已发布" in str(second.error)
