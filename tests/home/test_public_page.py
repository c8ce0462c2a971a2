"""The public page is rendered once per language and process, then served with each visitor's
own CSRF token (issue 12: it cost 3 × a bare view, nearly all of it template rendering)."""

import re

from django.test import Client
from django.urls import reverse

from icdc.home import views

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _without_token(body):
    return TOKEN.sub("", body)


def test_the_page_is_rendered_once_and_each_visitor_gets_a_working_token(db, settings):
    settings.DEBUG = False
    views._PUBLIC_PAGES.clear()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    body_1 = first.get("/").content.decode()
    assert "zh-hans" in views._PUBLIC_PAGES  # rendered once, kept for the next visitor
    body_2 = second.get("/").content.decode()
    assert _without_token(body_1) == _without_token(body_2)
    assert "登录平台" in body_2 and views._TOKEN not in body_2
    token = TOKEN.search(body_2).group(1)
    assert token != TOKEN.search(body_1).group(1)
    # The language form on the cached page posts with the visitor's own token and cookie.
    response = second.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "Information Consumption" in second.get("/").content.decode()
    assert set(views._PUBLIC_PAGES) == {"zh-hans", "en"}
    assert first.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": "x" * 64}).status_code == 403


def test_the_cached_page_equals_a_fresh_rendering(db, settings):
    settings.DEBUG = False
    views._PUBLIC_PAGES.clear()
    cached = (Client().get("/"), Client().get("/"))[1].content.decode()
    settings.DEBUG = True  # rendered afresh, as in development
    assert _without_token(Client().get("/").content.decode()) == _without_token(cached)
