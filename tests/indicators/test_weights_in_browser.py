"""In Chromium: the officer rebalances weights with a live total (JS under CSP), saves, sees the tree."""

import pytest
from django.conf import settings
from django.test import Client

from icdc.indicators.models import Indicator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _logged_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def test_officer_rebalances_weights_in_the_browser(page, live_server, officer, draft_version):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    _logged_in(page, live_server, officer)
    page.goto(f"{live_server.url}/indicators/versions/{draft_version.pk}/systems/SPEC/weights/")
    total = page.locator("[data-weight-total]")
    assert total.inner_text() == "100"
    page.get_by_label("S1.2 特色领域全国领先地位").fill("20")
    assert total.inner_text() == "105"  # the live sum, before the server checks
    page.get_by_role("button", name="保存权重").click()
    assert "共性部分合计 105 分，须为 100 分" in page.get_by_test_id("form-errors").inner_text()
    page.get_by_label("S1.3 特色领域典型应用与用户规模").fill("5")
    page.get_by_role("button", name="保存权重").click()
    page.wait_for_url(f"{live_server.url}/indicators/versions/{draft_version.pk}/")
    assert "体系 SPEC 的权重已保存" in page.content()
    assert Indicator.objects.get(version=draft_version, code="S1.2").weight == 20
    assert not errors  # no CSP violation or script error
