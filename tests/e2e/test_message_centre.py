"""消息中心 in Chromium: a city applicant sees the unread count in the top bar, opens the message
centre, follows a message to its page (now read, the count drops), marks the rest read; axe-core
finds no serious or critical violation on the page."""

import pytest

from icdc.accounts.models import Role
from tests.e2e.test_accessibility import violations
from tests.e2e.test_my_account import log_in
from tests.factories import DEMO_PASSWORD, make_user
from tests.notifications.factories import make_notification

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_city_applicant_reads_messages_from_the_top_bar(page, live_server):
    user = make_user(Role.CITY_APPLICANT, username="e2e-messages")
    make_notification(user, "申报材料已被省级主管部门退回", body="请补充第三章。\n再次提交。", link="/accounts/me/",
                      minutes_ago=1)
    make_notification(user, "申报批次已开放", minutes_ago=5)
    make_notification(user, "较早的消息", read=True, minutes_ago=60)
    base = live_server.url
    log_in(page, base, user.username, DEMO_PASSWORD)
    assert page.get_by_test_id("unread-count").inner_text() == "2"

    page.get_by_test_id("notifications-link").click()
    page.wait_for_url(f"{base}/notifications/")
    items = page.get_by_test_id("notification")
    assert items.count() == 3
    assert "申报材料已被省级主管部门退回" in items.nth(0).inner_text()
    assert violations(page) == []

    items.nth(0).get_by_role("button", name="查看").click()
    page.wait_for_url(f"{base}/accounts/me/")
    assert page.get_by_test_id("unread-count").inner_text() == "1"

    page.get_by_test_id("notifications-link").click()
    page.get_by_test_id("read-all").click()
    page.wait_for_load_state()
    assert "已将 1 条消息标为已读" in page.content()
    assert page.get_by_test_id("unread-count").count() == 0
    assert page.locator("[data-unread]").count() == 0
