"""A mistyped URL in Chromium, with the embedded default (DEBUG off): the branded Chinese 404
page with the site's styles, not Django's debug page (issue 11, item 2)."""

import pytest
from django.conf import settings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_mistyped_url_shows_the_chinese_404_page(page, live_server):
    assert settings.DEBUG is False
    response = page.goto(f"{live_server.url}/rankings/runs/999999/no-such-track/x/y/z/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", level=1).inner_text() == "页面不存在"
    assert page.get_by_role("link", name="返回首页").is_visible()
    assert page.title().startswith("页面不存在")
    # The layout's own CSS reached the browser (WhiteNoise serves it with DEBUG off).
    navbar = page.locator("nav.icdc-navbar")
    assert navbar.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(31, 78, 140)"
    assert "URLconf" not in page.content()
