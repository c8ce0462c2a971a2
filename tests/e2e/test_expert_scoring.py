"""专家打分 in Chromium: an expert of a drawn panel (its leader) is sent to sign the batch's declaration
first, signs it, opens an assigned application beside the scoring form, saves a draft, submits, then
sees the other members' submitted scores, and as 组长 writes the 专家组意见. axe-core finds no
serious or critical violation on the sheet page."""

import pytest

from icdc.review import scores
from icdc.review.models import PanelOpinion, ScoreSheet
from tests.e2e.test_accessibility import violations
from tests.e2e.test_my_account import log_in
from tests.factories import DEMO_PASSWORD
from tests.review.scoring.helpers import full_scores, scoring_world, sign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_expert_scores_and_the_leader_writes_the_opinion(page, live_server, draft_version):
    sw = scoring_world(draft_version, signed=False)
    panel, app = sw["panel"], sw["applications"][0]
    leader = next(m for m in sw["members"] if m.pk == panel.leader)
    for member in sw["members"]:
        if member.pk != leader.pk:
            sign(member, sw["batch"])
            scores.score_sheet_submit(panel=panel, application=app, user=member.account,
                                      scores=full_scores(sw["specs"], 0.75), version=0)
    base = live_server.url
    log_in(page, base, leader.account.username, DEMO_PASSWORD)
    page.get_by_role("link", name="我的评审任务").first.click()
    page.get_by_test_id("sign-first").click()
    page.get_by_test_id("sign").click()
    page.get_by_role("button", name="确认签署").click()
    assert page.get_by_test_id("signed").count() == 1

    page.goto(f"{base}/review/scoring/tasks/")
    page.get_by_test_id("task").filter(has_text=app.city.name).get_by_role("link", name="打开").click()
    assert page.get_by_test_id("quantitative").count() == 1 and page.get_by_test_id("dossier").count() == 1
    assert violations(page) == []
    page.get_by_label("D1.4", exact=False).fill("3.5")
    page.locator("textarea[name='comment-D1.4']").fill("信息基础设施完善")
    page.get_by_test_id("save").click()
    assert "草稿已保存" in page.content() and page.get_by_test_id("others").count() == 0
    sheet = ScoreSheet.objects.get(expert=leader)
    assert sheet.status == "draft" and str(sheet.entries.get(indicator_code="D1.4").score) == "3.50"

    page.get_by_test_id("submit").click()  # nine indicators still empty: refused, nothing submitted
    assert "尚未打分" in page.content()
    for spec in sw["specs"]:
        page.locator(f"input[name='score-{spec.code}']").fill(f"{spec.weight / 2:.2f}")
    page.locator("#overall_comment").fill("材料完整，特色突出。")
    page.get_by_test_id("submit").click()
    assert "评分已提交" in page.content() and page.get_by_test_id("submitted").count() == 1
    others = page.get_by_test_id("others").inner_text()
    assert page.get_by_test_id("other").count() == 4 and "3.00" in others  # 0.75 × 4 for D1.4
    sheet.refresh_from_db()
    assert sheet.status == "submitted" and sheet.overall_comment == "材料完整，特色突出。"

    page.locator("textarea[name='text']").fill("专家组一致同意该市通过材料评审。")
    page.get_by_test_id("write-opinion").click()
    assert "已保存专家组意见" in page.content()
    assert "专家组一致同意" in page.get_by_test_id("opinion").inner_text()
    assert PanelOpinion.objects.get(panel=panel, application=app).written_by == leader
    assert violations(page) == []
