"""The officer pages: the proposal with its ranking, departures and reasons; maker-checker through
the page; the objection page; links from the run and the batch. Other roles are refused."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from tests.factories import make_user

from .helpers import entry, file


def test_the_proposal_page_shows_the_ranking_quota_and_close_calls(client, officer, proposal):
    client.force_login(officer)
    page = client.get(reverse("decisions:proposal_detail", args=[proposal.pk])).content.decode()
    assert "名额 2 个" in page and "合格分数线 60.0 分" in page
    assert page.count('data-included="1"') == 2 and "临界" in page


def test_editing_through_the_page_a_departure_without_reason_is_refused(client, officer, proposal):
    client.force_login(officer)
    jinan = entry(proposal, "370100")
    url = reverse("decisions:proposal_edit", args=[proposal.pk])
    keep = {f"include-{e.pk}": "1" for e in proposal.entries.filter(included=True)}
    response = client.post(url, {**keep, f"include-{jinan.pk}": "1"}, follow=True)
    assert "调整排名结果须写明理由：济南市" in response.content.decode()
    response = client.post(url, {**keep, f"include-{jinan.pk}": "1", f"reason-{jinan.pk}": "临界，考察优秀。"},
                           follow=True)
    jinan.refresh_from_db()
    assert jinan.included and jinan.reason == "临界，考察优秀。"


def test_the_proposer_pressing_approve_is_refused_in_chinese(client, officer, checker, proposal):
    client.force_login(officer)
    client.post(reverse("decisions:proposal_transition", args=[proposal.pk, "submit"]))
    response = client.post(reverse("decisions:proposal_transition", args=[proposal.pk, "approve"]), follow=True)
    assert "拟定人不能审核自己拟定的名单" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    client.force_login(checker)
    client.post(reverse("decisions:proposal_transition", args=[proposal.pk, "approve"]))
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.approved_by == checker


def test_an_unknown_transition_name_is_404(client, officer, proposal):
    client.force_login(officer)
    assert client.post(reverse("decisions:proposal_transition", args=[proposal.pk, "delete"])).status_code == 404


def test_the_objection_page_and_uphold_through_it(client, officer, in_notice):
    objection = file(in_notice, city_code="370200")
    client.force_login(officer)
    url = reverse("decisions:objection_detail", args=[objection.pk])
    assert "该市申报材料中的统计数据" in client.get(url).content.decode()
    client.post(reverse("decisions:objection_transition", args=[objection.pk, "investigate"]))
    client.post(reverse("decisions:objection_note", args=[objection.pk]), {"text": "电话核实。"})
    client.post(reverse("decisions:objection_transition", args=[objection.pk, "uphold"]),
                {"note": "属实。", "vacancy": "vacant", "vacancy_reason": "不递补。"})
    objection.refresh_from_db()
    assert objection.status == "investigating"  # the confirmation page first: nothing done yet
    client.post(reverse("decisions:objection_transition", args=[objection.pk, "uphold"]),
                {"note": "属实。", "vacancy": "vacant", "vacancy_reason": "不递补。", "confirm": "yes"})
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.notes.get().text == "电话核实。"
    assert not entry(in_notice, "370200").included


def test_links_from_the_run_and_the_batch(client, officer, comp_run, batch):
    client.force_login(officer)
    run_page = client.get(reverse("rankings:run_track", args=[comp_run.pk, "COMP"])).content.decode()
    assert f'{reverse("decisions:proposal_list")}?run={comp_run.pk}' in run_page
    batch_page = client.get(reverse("batches:detail", args=[batch.pk])).content.decode()
    assert f'{reverse("decisions:proposal_list")}?batch={batch.pk}' in batch_page


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.EXPERT, Role.SYSTEM_ADMIN,
                                  Role.AUDIT_ADMIN])
def test_other_roles_are_refused_and_the_public_pages_need_no_login(client, role, in_notice):
    objection = file(in_notice)
    client.force_login(make_user(role, username=f"u-{role}"))
    for url in (reverse("decisions:proposal_list"), reverse("decisions:proposal_detail", args=[in_notice.pk]),
                reverse("decisions:proposal_detail", args=[999999]),
                reverse("decisions:objection_detail", args=[objection.pk])):
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(reverse("public_notices:notice_detail", args=[in_notice.pk])).status_code == 200
    assert client.get(reverse("decisions:proposal_list")).status_code == 302
