"""The top bar at 1366 px (issue 11, item 11): in English as in Chinese the menu stays on one
line, the language selector shows its language in full, and each language is offered in its
own name ("English", "简体中文") whichever language the page is in."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.home.navigation import HOME_OF_ROLE
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}

MEASURE = """() => {
  const bar = document.querySelector("nav.icdc-navbar");
  const links = [...bar.querySelectorAll(".nav-link")].map(a => {
    const r = a.getBoundingClientRect(), s = getComputedStyle(a);
    return {text: a.textContent.trim(), top: Math.round(r.top), lineHeight: parseFloat(s.lineHeight),
            height: r.height - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)};
  });
  const select = document.getElementById("lang"), style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = select.options[select.selectedIndex].text;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {barHeight: bar.getBoundingClientRect().height, links, selected: text,
          textFits: context.measureText(text).width <= room,
          options: [...select.options].map(o => o.text),
          pageWidth: document.documentElement.scrollWidth};
}"""


def open_home(page, live_server, user, language):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
         "url": live_server.url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
    ])
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{reverse(HOME_OF_ROLE[user.role])}")
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("role", [Role.MINISTRY_OFFICER, Role.AUDIT_ADMIN, Role.CITY_APPLICANT],
                         ids=["ministry", "auditor", "city"])
def test_menu_stays_on_one_line_at_1366(page, live_server, role, language):
    user = make_user(role, username=f"bar-{role.value}")
    bar = open_home(page, live_server, user, language)
    assert bar["pageWidth"] <= DESKTOP["width"]
    assert len({link["top"] for link in bar["links"]}) == 1, bar["links"]  # one row of links
    for link in bar["links"]:
        assert link["height"] < 1.6 * link["lineHeight"], link  # no link broken over two lines
    assert bar["barHeight"] <= 72, bar  # one line of menu; the brand takes at most two short lines


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_language_selector_shows_each_language_in_its_own_name(page, live_server, language):
    user = make_user(Role.MINISTRY_OFFICER, username="bar-lang")
    bar = open_home(page, live_server, user, language)
    assert bar["options"] == ["简体中文", "English"]
    assert bar["selected"] == {"en": "English", "zh-hans": "简体中文"}[language]
    assert bar["textFits"], bar  # not a blank box
