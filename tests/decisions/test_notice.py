"""Publishing the approved list: the notice period in working days (2024 National Day), an unknown
year refused with nothing published, the notice documents published with their SM3."""

import datetime

import pytest

from icdc.audit.models import AuditRecord
from icdc.decisions.services import proposal_transition
from icdc.documents.models import PublishedDocument
from icdc.lib.refusals import Refusal

from .helpers import at


def test_a_five_working_day_notice_over_national_day_2024_ends_on_thursday_10_october(in_notice, settings):
    assert settings.ICDC_NOTICE_COUNTS_PUBLICATION_DAY is False
    # Published Fri 09-27: day 1 is Sun 09-29 (调休上班), 2 Mon 09-30, 10-01..07 holiday, 3–5 Tue–Thu.
    assert in_notice.status == "in_notice"
    assert (in_notice.notice_start, in_notice.notice_end) == (datetime.date(2024, 9, 29), datetime.date(2024, 10, 10))
    assert in_notice.notice_working_days == 5
    record = AuditRecord.objects.get(action="decisions.proposal.publish")
    assert record.after["notice_end"] == "2024-10-10"


def test_seven_days_end_on_the_adjusted_working_saturday(approved, batch, checker):
    batch.notice_working_days = 7
    batch.save()
    proposal = proposal_transition(proposal=approved, name="publish", user=checker, now=at(2024, 9, 27, 10))
    assert proposal.notice_end == datetime.date(2024, 10, 12)  # 星期六，调休上班


def test_an_unknown_year_is_refused_in_chinese_and_nothing_is_published(approved, checker):
    with pytest.raises(Refusal) as exc:
        proposal_transition(proposal=approved, name="publish", user=checker, now=at(2027, 3, 1, 10))
    assert "2027 年的节假日安排尚未录入" in str(exc.value)
    approved.refresh_from_db()
    assert approved.status == "approved" and approved.notice_end is None
    assert not PublishedDocument.objects.exists()
    assert not AuditRecord.objects.filter(action="decisions.proposal.publish").exists()


def test_publishing_needs_the_approval(proposal, officer):
    with pytest.raises(Refusal):
        proposal_transition(proposal=proposal, name="publish", user=officer, now=at(2024, 9, 27, 10))


def test_the_notice_is_published_as_pdf_and_docx_with_sm3(in_notice):
    from icdc.documents.digest import document_digest

    documents = {d.format: d for d in PublishedDocument.objects.filter(kind="notice")}
    assert set(documents) == {"pdf", "docx"}
    for document in documents.values():
        assert document.subject == f"decisions.proposal:{in_notice.pk}"
        assert document.sm3 == document_digest(document.file.read())
        assert "拟定名单的公示" in document.title
