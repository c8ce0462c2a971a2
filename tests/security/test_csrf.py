"""The CSRF middleware under fuzz: the test client skips CSRF checks, so these use a client
that enforces them. A POST without a token, with a wrong one, from another origin, or with a
junk token header is refused with 403 and Django's CSRF failure page (in Chinese), never
a 5xx; the same POST with the page's own token gets through."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from icdc.accounts.models import Role
from tests.security.conftest import ANONYMOUS, Recorder

#: (role, URL name, args, data): state-changing POSTs of each role.
POSTS = [
    (ANONYMOUS, "accounts:login", [], {"username": "x", "password": "y"}),
    (ANONYMOUS, "set_language", [], {"language": "en"}),
    (ANONYMOUS, "portal:verify", [], {"digest": "ab" * 32}),
    (Role.MINISTRY_OFFICER, "titles:certificate_issue", ["title"], {"confirm": "yes"}),
    (Role.CITY_APPLICANT, "accounts:logout", [], {}),
    (Role.CITY_APPLICANT, "accounts:password_change", [], {"old_password": "x"}),
    (Role.MINISTRY_OFFICER, "rankings:reproduce", ["run"], {}),
    (Role.MINISTRY_OFFICER, "indicators:version_new", ["draft"], {"label": "csrf-copy"}),
    (Role.MINISTRY_OFFICER, "indicators:version_delete", ["draft"], {}),
    (Role.MINISTRY_OFFICER, "indicators:statistics_import", [], {"version": "1"}),
    (Role.AUDIT_ADMIN, "audit:verify", [], {}),
    (Role.AUDIT_ADMIN, "audit:export", [], {"format": "csv"}),
    (Role.SYSTEM_ADMIN, "accounts:manage:create", [], {"username": "csrf"}),
]
BAD_TOKENS = [
    {},  # no token at all
    {"data": {"csrfmiddlewaretoken": "x"}},
    {"data": {"csrfmiddlewaretoken": "A" * 64}},
    {"data": {"csrfmiddlewaretoken": "\x00" * 64}},
    {"headers": {"HTTP_X_CSRFTOKEN": "<script>" * 8}},
    {"headers": {"HTTP_X_CSRFTOKEN": "a" * 5000, "HTTP_HX_REQUEST": "true"}},
    {"headers": {"HTTP_COOKIE": "csrftoken=%00%00; sessionid=../../x"}},
]


def _url(world, name, args):
    return reverse(name, args=[getattr(world, a).pk for a in args])


def _csrf_refusal(response):
    body = response.content.decode()
    return response.status_code == 403 and "CSRF" in body and ("禁止访问" in body or "Forbidden" in body)


@pytest.mark.parametrize(("role", "name", "args", "data"), POSTS, ids=[f"{r}-{n}" for r, n, _a, _d in POSTS])
def test_a_post_without_a_valid_token_is_403_not_500(world, quiet_request_log, role, name, args, data):
    recorder = Recorder(world, role, enforce_csrf_checks=True)
    url = _url(world, name, args)
    for bad in BAD_TOKENS:
        response = recorder.request("post", url, {**data, **bad.get("data", {})}, **bad.get("headers", {}))
        if response.status_code < 500:
            assert _csrf_refusal(response), (bad, response.status_code)
    assert recorder.failures == [], recorder.report()


def test_the_csrf_failure_page_is_chinese(world, quiet_request_log):
    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "禁止访问" in response.content.decode() and "CSRF" in response.content.decode()


def test_the_pages_own_token_gets_through_and_another_origin_does_not(world, quiet_request_log):
    client = Client(enforce_csrf_checks=True)
    login = reverse("accounts:login")
    page = client.get(login).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = {"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token}
    assert client.post(login, data, HTTP_ORIGIN="http://evil.example").status_code == 403
    assert client.post(login, data, HTTP_REFERER="https://evil.example/", secure=True).status_code == 403
    response = client.post(login, data)
    assert response.status_code == 200 and response.context["form"].errors  # refused by the form, not CSRF
