"""The public portal in a real browser: it works with JavaScript off, by keyboard alone (the
language links too), and at 200 % text size without sideways scrolling (the MIIT 适老化 basics);
axe-core finds no serious violation on its pages, in Chinese or in English."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command

from icdc.titles.models import Title

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def titles(db):
    call_command("load_divisions", verbosity=0, stdout=io.StringIO())
    call_command("load_titles", stdout=io.StringIO(), stderr=io.StringIO())
    return Title.objects.count()


def _rows(page):
    return page.locator("table[data-testid=titles] tbody tr")


def test_the_list_filters_and_sorts_with_javascript_off(browser, live_server, titles):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/portal/cities/")
        assert "共 27 项称号" in page.locator("[data-testid=counts]").inner_text()
        page.select_option("#id_year", "2021")
        page.select_option("#id_kind", "comprehensive")
        page.get_by_role("button", name="筛选").click()
        page.wait_for_url("**/portal/cities/?*")
        assert sorted(_rows(page).locator("th").all_inner_texts()) == sorted(["昆明市", "武汉市", "深圳市"])
        page.locator("a[data-sort=city]").click()  # a sort is a link: no script needed
        assert "kind=comprehensive" in page.url and "sort=city" in page.url
        assert _rows(page).count() == 3
        page.get_by_role("link", name="昆明市").click()
        assert page.locator("[data-testid=history] > li").count() == 2
    finally:
        context.close()


def test_the_filter_form_by_keyboard_alone(page, live_server, titles):
    page.goto(f"{live_server.url}/portal/cities/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    order = []
    for _ in range(15):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        if order[-1] == "筛选":
            break
    fields = [name for name in order if name.startswith("id_")]
    assert fields == ["id_year", "id_kind", "id_domain", "id_province"] and order[-1] == "筛选"
    page.focus("#id_kind")
    page.keyboard.type("2016")  # typeahead on a focused select picks 「2016 年（未分类型）」
    assert page.eval_on_selector("#id_kind", "el => el.value") == "legacy"
    page.focus("button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**kind=legacy**")
    assert _rows(page).count() == 6
    focus_ring = page.evaluate("""() => { const a = document.querySelector('a[data-sort=year]'); a.focus();
        return getComputedStyle(a).outlineStyle; }""")
    assert focus_ring != "none"


def _tab_to(page, selector, presses=20):
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} not reached by Tab")


def test_the_language_links_by_keyboard_with_javascript_off(browser, live_server, titles):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/portal/cities/?kind=legacy")
        _tab_to(page, "a[data-language=en]")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        page.wait_for_function("document.documentElement.lang === 'en'")
        assert page.url == f"{live_server.url}/portal/cities/?kind=legacy"  # the same page, its filter kept
        assert page.locator("a[data-language=en]").get_attribute("aria-current") == "true"
        assert _rows(page).count() == 6 and "Skip to main content" in page.content()
        _tab_to(page, "a[data-language=zh-hans]")
        page.keyboard.press("Enter")
        page.wait_for_function("document.documentElement.lang === 'zh-CN'")
        assert page.locator("a[data-language=zh-hans]").get_attribute("aria-current") == "true"
        assert "跳到正文" in page.content()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 800])
def test_200_percent_text_leaves_no_sideways_scroll(page, live_server, titles, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/portal/cities/", "/portal/", "/portal/cities/530100/", "/portal/verify/", "/portal/notices/"):
        page.goto(f"{live_server.url}{path}")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path} scrolls sideways at {width} px"
    page.goto(f"{live_server.url}/portal/cities/")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.table-responsive')]
        .filter(box => box.scrollWidth > box.clientWidth + 1).length""")
    assert overflowing == 0  # the table wraps: nothing hidden in a sideways-scrolling box either


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_serious_accessibility_violation(page, live_server, titles, language):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    for path in ("/portal/", "/portal/cities/", "/portal/cities/530100/", "/portal/notices/",
                 "/portal/announcements/", "/portal/verify/"):
        page.goto(f"{live_server.url}{path}")
        result = Axe().run(page)
        serious = [(v["id"], [n["html"][:80] for n in v["nodes"][:3]]) for v in result.response["violations"]
                   if v["impact"] in {"serious", "critical"}]
        assert serious == [], path


def test_the_map_draws_the_provinces_and_a_province_filters_the_list(browser, live_server, titles):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/portal/cities/?year=2021")
        anhui = page.get_by_role("link", name="安徽省：1 项称号")
        box = anhui.bounding_box()  # the <use> of the sprite was loaded and drawn (no CSP refusal)
        assert box and box["width"] > 20 and box["height"] > 20
        anhui.click()
        page.wait_for_url("**province=340000**")
        assert "year=2021" in page.url and _rows(page).count() == 1
        assert page.locator("[data-testid=map] a[aria-current=true]").get_attribute("data-province") == "340000"
    finally:
        context.close()


def test_a_map_link_is_reached_by_keyboard_with_a_visible_focus(page, live_server, titles):
    page.goto(f"{live_server.url}/portal/cities/?year=2021")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('[data-testid=map]') !== null"):
            break
    else:
        pytest.fail("no map link in the tab order")
    focused = page.evaluate("""() => { const a = document.activeElement;
        return [a.getAttribute('aria-label'), getComputedStyle(a).outlineStyle,
                getComputedStyle(a.querySelector('use')).strokeWidth]; }""")
    assert focused[0].endswith("项称号") and focused[1] != "none" and focused[2] == "3px"
    page.keyboard.press("Enter")
    page.wait_for_url("**province=**")


def test_a_keyboard_user_can_skip_the_map(page, live_server, titles):
    page.goto(f"{live_server.url}/portal/cities/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "跳过地图，到称号列表":
            break
    else:
        pytest.fail("no skip link before the map")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.sort") == "year"  # the table's first sort link
