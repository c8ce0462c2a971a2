"""A scoring run created from the page in Chromium (issue 14 item 8): the Ministry officer chooses the
batch, sees what goes in (sheets per application, defence scores, a no-show), confirms, lands on the
ranking and opens a city's explanation with each member's defence score. axe-core finds no serious
or critical violation on the pages."""

import pytest

from icdc.rankings.models import ScoringRun
from tests.e2e.test_accessibility import violations
from tests.e2e.test_my_account import log_in
from tests.factories import DEMO_PASSWORD
from tests.rankings import batch_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_officer_creates_a_run_from_the_page_and_opens_its_ranking(page, live_server):
    case = batch_world.hand_case(batch_world.tiny_version())
    base = live_server.url
    log_in(page, base, case["officer"].username, DEMO_PASSWORD)
    page.goto(f"{base}/rankings/")
    page.get_by_test_id("run-create").click()
    page.get_by_label("批次").select_option(str(case["batch"].pk))
    page.get_by_test_id("run-preview").click()
    inputs = page.get_by_test_id("run-input-rows").inner_text()
    assert "济南市" in inputs and "3 / 3" in inputs and "2 / 3" in inputs and "未到场" in inputs
    assert violations(page) == []
    assert not ScoringRun.objects.exists()
    page.get_by_test_id("confirm-button").click()
    assert "评分运行已生成" in page.content()
    run = ScoringRun.objects.get()
    assert run.batch_id == case["batch"].pk
    ranking = page.get_by_test_id("ranking")
    first = ranking.locator("tbody tr").first
    assert first.get_attribute("data-city") == "370100" and first.get_attribute("data-selected") == "1"
    assert "69.50" in first.inner_text()
    assert violations(page) == []
    first.get_by_role("link", name="济南市").click()
    assert page.get_by_test_id("composite").inner_text() == "69.50"
    assert "3 位专家答辩评分" in page.get_by_test_id("defence").inner_text()
    assert violations(page) == []
    page.get_by_role("link", name=run.label).click()
    page.get_by_test_id("leniency-link").click()
    assert page.get_by_test_id("word").count() == 3
    assert violations(page) == []
