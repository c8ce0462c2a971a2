"""The embedded default runs without DEBUG and answers errors with branded Chinese pages
(issue 11, item 2): a mistyped URL must not show Django's debug page and its URL list."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client

from icdc.accounts.models import Role
from tests.factories import make_user


def settings_debug(**env):
    """settings.DEBUG as a fresh process sees it with ``env`` (no DJANGO_DEBUG unless given)."""
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    code = "import django; from django.conf import settings; django.setup(); print(settings.DEBUG)"
    out = subprocess.run([sys.executable, "-c", code], env={**clean, "DJANGO_SETTINGS_MODULE": "icdc.settings", **env},
                         cwd=settings.BASE_DIR, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_embedded_default_runs_without_debug():
    assert settings_debug() == "False"


def test_developers_turn_debug_on_with_one_variable():
    assert settings_debug(DJANGO_DEBUG="true") == "True"


def test_mistyped_url_gives_the_branded_chinese_404(client, db):
    response = client.get("/rankings/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="zh-CN">' in body
    assert "页面不存在" in body and "返回首页" in body
    assert "信息消费示范城市建设管理平台" in body  # the site's own layout
    assert "Not Found" not in body and "URLconf" not in body


def test_404_keeps_the_signed_in_users_menu(client, role_users):
    client.force_login(role_users[Role.MINISTRY_OFFICER])
    body = client.get("/indicators/versions/999999/").content.decode()
    assert "页面不存在" in body
    assert "评分与排名" in body  # the officer's menu, from the request context


def test_500_page_renders_without_a_request():
    # Django's server_error view renders 500.html with no request and no context processors.
    body = render_to_string("500.html")
    assert "服务器内部错误" in body and "信息消费示范城市建设管理平台" in body
    assert "csrfmiddlewaretoken" not in body  # no language form without a request


@pytest.mark.urls("tests.home.boom_urls")
def test_a_failing_view_gives_the_branded_chinese_500(db):
    make_user(Role.CITY_APPLICANT)
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器内部错误" in body and "请联系系统管理员" in body
    assert "Server Error" not in body and "RuntimeError" not in body and "Traceback" not in body


def test_bad_request_gives_the_branded_chinese_400(client, db):
    response = client.get("/", HTTP_HOST="evil.example")  # DisallowedHost → 400
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()
