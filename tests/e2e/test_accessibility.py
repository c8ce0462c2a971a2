"""axe-core (run inside Chromium) finds no serious or critical WCAG violation on the pages
each role reaches from the top bar, nor on the public and login pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from icdc.accounts.models import Role
from icdc.home.navigation import menu_for, menu_pages
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


def violations(page):
    result = Axe().run(page)
    return [(v["id"], v["impact"], [n["html"][:80] for n in v["nodes"][:3]])
            for v in result.response["violations"] if v["impact"] in SERIOUS]


def test_public_and_login_pages(page, live_server):
    for path in ("/", "/accounts/login/"):
        page.goto(f"{live_server.url}{path}")
        assert violations(page) == [], path


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_page_in_the_roles_menu(page, live_server, role, draft_version):
    from django.urls import reverse

    user = make_user(role, username=f"a11y-{role.value}")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    menu = menu_for(user)
    assert menu, "every role has at least its home page"
    for url_name in menu_pages(menu):
        page.goto(f"{live_server.url}{reverse(url_name)}")
        assert violations(page) == [], url_name


def test_ranking_and_explanation_pages(page, live_server, draft_version):
    from icdc.rankings.demo import create_demo_run

    call_command("load_divisions", verbosity=0)
    officer = make_user(Role.MINISTRY_OFFICER, username="a11y-officer")
    run, _created = create_demo_run(officer, system_code="COMP")
    first = run.city_results.order_by("rank").first()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    for path in (f"/rankings/runs/{run.pk}/", f"/rankings/runs/{run.pk}/{first.track}/{first.city_id}/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        assert violations(page) == [], path
