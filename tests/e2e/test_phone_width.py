"""At phone width (390 px) every page a role can open fits the screen: only a data table may
be wider, inside its own sideways-scrolling box; table headings never break, and no cell is
squeezed to a character or two a line (issue 11, item 10). axe-core finds no serious or
critical violation at that width either.

The pages are found, not listed: every URL pattern of the project (``tests.security.surface``,
admin aside) filled with real objects, kept when the role gets an HTML page there."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from icdc.accounts.models import Role
from tests.rankings.helpers import make_figures
from tests.security import surface
from tests.security.conftest import divisions_loaded, world  # noqa: F401 — fixtures used below

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

#: Everything on the page wider than the viewport that is not inside a scrolling table box;
#: headings on more than one line; cells squeezed to ≤ 2 characters a line.
LAYOUT_PROBLEMS = """() => {
  const width = document.documentElement.clientWidth, problems = [];
  const lines = (el) => {  // lines of text in el: its text boxes, grouped where they overlap vertically
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), rects = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange(); range.selectNodeContents(node);
      rects.push(...[...range.getClientRects()].filter(r => r.width > 0));
    }
    rects.sort((a, b) => a.top - b.top);
    let count = 0, bottom = -Infinity;
    for (const r of rects) {
      if (r.top >= bottom - 2) { count += 1; bottom = r.bottom; } else { bottom = Math.max(bottom, r.bottom); }
    }
    return count;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.dataset.testid ? `[${el.dataset.testid}]` : "")
                       + ` "${el.textContent.trim().slice(0, 30)}"`;
  if (document.documentElement.scrollWidth > width)
    problems.push(`page is ${document.documentElement.scrollWidth} px wide`);
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || el.parentElement.closest(".table-responsive")) continue;
    problems.push(`wider than the screen: ${name(el)} (right edge ${Math.round(box.right)} px)`);
  }
  for (const table of document.querySelectorAll("main table")) {
    const box = table.closest(".table-responsive");
    if (table.getBoundingClientRect().width > width && !box)
      problems.push(`table outside a scrolling box: ${name(table)}`);
    if (box && getComputedStyle(box).overflowX !== "auto") problems.push(`box does not scroll: ${name(table)}`);
  }
  for (const th of document.querySelectorAll("main thead th")) {
    if (th.textContent.trim() && lines(th) > 1) problems.push(`heading on ${lines(th)} lines: ${name(th)}`);
  }
  for (const cell of document.querySelectorAll("main td, main tbody th")) {
    const chars = [...cell.textContent.replace(/\\s+/g, "")].length;
    const n = lines(cell);
    if (chars >= 3 && n > 1 && chars / n <= 2) problems.push(`cell squeezed to ${n} lines: ${name(cell)}`);
  }
  return problems;
}"""


def pages_of(role, world):  # noqa: F811
    """Good URLs of every pattern that gives ``role`` an HTML page (admin and POST-only aside)."""
    client = Client()
    client.force_login(world.users[role])
    pages = []
    for target in surface.targets(world):
        if target.endpoint.name.startswith("admin:") or target.endpoint.name in surface.LAST:
            continue
        response = client.get(target.good_url)
        # htmx fragments (e.g. the city picker's options) are parts of a page, not pages
        if (response.status_code == 200 and response["Content-Type"].startswith("text/html")
                and response.content.lstrip()[:15].lower() == b"<!doctype html>"):
            pages.append(target.good_url)
    return pages


def serious_violations(page):
    result = Axe().run(page)
    return [(v["id"], [n["html"][:80] for n in v["nodes"][:3]])
            for v in result.response["violations"] if v["impact"] in {"serious", "critical"}]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_page_of_the_role_fits_a_phone(page, live_server, world, role):  # noqa: F811
    make_figures(world.locked, world.users[Role.MINISTRY_OFFICER])  # the statistics table has rows
    pages = pages_of(role, world)
    assert pages, "every role has at least its home page"
    sign_in(page, live_server, world.users[role])
    page.set_viewport_size(PHONE)
    problems = {}
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        found = page.evaluate(LAYOUT_PROBLEMS) + [f"axe: {v}" for v in serious_violations(page)]
        if found:
            problems[path] = found
    assert problems == {}, "\n".join(f"{path}: {found}" for path, found in problems.items())


def test_public_and_login_pages_fit_a_phone(page, live_server, db):
    page.set_viewport_size(PHONE)
    for path in ("/", "/accounts/login/", "/no-such-page/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(LAYOUT_PROBLEMS) == [], path
