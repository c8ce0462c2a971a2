"""The announcement: refused before the end of the notice and while objections are open; then the
titles are created, the applications closed and their cities told, the documents published."""

import pytest

from icdc.audit.models import AuditRecord
from icdc.decisions.services import objection_transition, proposal_transition
from icdc.documents.models import PublishedDocument
from icdc.lib.refusals import Refusal
from icdc.notifications.models import Notification
from icdc.titles.models import Title

from .helpers import at, file

AFTER = at(2024, 10, 11, 0, 0, 0)


def test_refused_before_the_end_of_the_notice(in_notice, officer, end_instant):
    with pytest.raises(Refusal) as exc:
        proposal_transition(proposal=in_notice, name="announce", user=officer, data={"number": "工信部信发〔2024〕1号"},
                            now=end_instant)
    assert "公示期满后" in str(exc.value)


def test_refused_while_an_objection_is_open_and_without_a_number(in_notice, officer):
    objection = file(in_notice)
    with pytest.raises(Refusal) as exc:
        proposal_transition(proposal=in_notice, name="announce", user=officer, data={"number": "X"}, now=AFTER)
    assert "1 件异议尚未处理完毕" in str(exc.value)
    objection_transition(objection=objection, name="investigate", user=officer)
    objection_transition(objection=objection, name="dismiss", user=officer, note="不成立。")
    with pytest.raises(Refusal) as exc:
        proposal_transition(proposal=in_notice, name="announce", user=officer, data={}, now=AFTER)
    assert "文号" in str(exc.value)
    in_notice.refresh_from_db()
    assert in_notice.status == "in_notice" and not Title.objects.exists()


def test_the_announcement_creates_titles_and_closes_the_applications(in_notice, officer, batch, cities):
    from icdc.accounts.models import Role
    from tests.applications.factories_review import arrived_direct, recommended
    from tests.factories import make_user

    qingdao = arrived_direct(batch_obj=batch, city_obj=cities["370200"])
    wuxi = recommended(batch_obj=batch, city_obj=cities["320200"])
    wuxi_user = make_user(Role.CITY_APPLICANT, division_obj=cities["320200"])
    proposal = proposal_transition(proposal=in_notice, name="announce", user=officer,
                                   data={"number": "工信部信发[2024]12号"}, now=AFTER)
    assert proposal.status == "announced" and proposal.announcement_number == "工信部信发[2024]12号"
    titles = Title.objects.filter(batch_year=batch.year).order_by("city_id")
    assert [(t.city_id, t.kind, t.award_title, t.status, str(t.announced_on)) for t in titles] == [
        ("330200", "comprehensive", "信息消费示范城市（综合型）", "active", "2024-10-11"),
        ("370200", "comprehensive", "信息消费示范城市（综合型）", "active", "2024-10-11")]
    qingdao.refresh_from_db()
    wuxi.refresh_from_db()
    assert (qingdao.status, wuxi.status) == ("selected", "not_selected")
    assert Notification.objects.filter(recipient=wuxi_user, kind="applications.application.close_not_selected").exists()
    assert set(PublishedDocument.objects.filter(kind="announcement").values_list("format", flat=True)) == {"pdf", "docx"}
    after = AuditRecord.objects.get(action="decisions.proposal.announce").after
    assert sorted(after["titles"]) == sorted(t.pk for t in titles)
    assert after["applications"] == {"selected": [qingdao.pk], "not_selected": [wuxi.pk]}
