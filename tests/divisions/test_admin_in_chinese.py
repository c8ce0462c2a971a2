"""The Django admin is kept for reference data only (行政区划), and reads fully in Chinese:
no English in the text, nor in what a screen reader reads (alt, title, aria-label)."""

import re

import pytest
from django.core.management import call_command

from icdc.accounts.models import Role

PAGES = ["/admin/", "/admin/divisions/", "/admin/divisions/division/", "/admin/divisions/division/?q=青岛",
         "/admin/divisions/division/?level__exact=province&can_apply__exact=1",
         "/admin/divisions/division/370200/change/", "/admin/divisions/division/370200/history/",
         "/admin/password_change/"]
ALLOWED = {"ICDC"}  # the platform's short name, in the site title


def english(body, username):
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    readable = re.sub(r"<[^>]+>", " ", text).replace(username, " ")
    readable = re.sub(r"&\w+;", " ", readable)
    spoken = " ".join(re.findall(r'(?:alt|title|aria-label|placeholder)="([^"]*)"', text))
    return set(re.findall(r"[A-Za-z]{3,}", readable + " " + spoken)) - ALLOWED


@pytest.fixture
def sysadmin_client(client, role_users):
    call_command("load_divisions", verbosity=0)
    client.force_login(role_users[Role.SYSTEM_ADMIN])
    return client, role_users[Role.SYSTEM_ADMIN].username


@pytest.mark.parametrize("path", PAGES)
def test_admin_pages_have_no_english(sysadmin_client, path):
    client, username = sysadmin_client
    response = client.get(path)
    assert response.status_code == 200
    assert english(response.content.decode(), username) == set()


def test_division_flags_read_as_yes_or_no(sysadmin_client):
    client, _username = sysadmin_client
    body = client.get("/admin/divisions/division/370200/change/").content.decode()
    assert "可申报示范城市" in body and "是" in body and 'alt="True"' not in body


def test_the_admin_holds_reference_data_only(sysadmin_client):
    client, _username = sysadmin_client
    body = client.get("/admin/").content.decode()
    assert "行政区划" in body and "账号" not in body and "/admin/accounts/" not in body
    assert client.get("/admin/accounts/user/").status_code == 404
