"""The top bar's groups (issue 14: the Ministry's menu no longer fits one line as single links)."""

import pytest
from django.test import Client
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.home import navigation
from icdc.home.navigation import menu_for, menu_pages
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_officers_pages_are_grouped_and_every_one_is_allowed():
    officer = make_user(Role.MINISTRY_OFFICER, username="nav-officer")
    menu = menu_for(officer)
    groups = [entry for entry in menu if entry.children]
    assert groups and all(entry.url_name == entry.children[0].url_name for entry in groups)
    assert "preliminary:ministry_queue" in menu_pages(menu) and "titles:list" in menu_pages(menu)
    client = Client()
    client.force_login(officer)
    for name in menu_pages(menu):
        assert client.get(reverse(name)).status_code == 200, name


def test_a_group_with_no_page_the_user_may_open_is_not_shown(monkeypatch):
    city = make_user(Role.CITY_APPLICANT, username="nav-city")
    monkeypatch.setitem(navigation.MENUS, Role.CITY_APPLICANT, [
        ("工作台", "home:city", "home.view_city_home"),
        ("评分", [("评分与排名", "rankings:run_list", "rankings.view_scoring_run")]),
    ])
    assert [entry.label for entry in menu_for(city)] == ["工作台"]


def test_the_group_opens_as_a_drop_down_and_links_to_its_first_page_without_javascript():
    officer = make_user(Role.MINISTRY_OFFICER, username="nav-officer2")
    client = Client()
    client.force_login(officer)
    body = client.get(reverse("home:ministry")).content.decode()
    first = reverse("preliminary:ministry_queue")
    assert f'class="nav-link dropdown-toggle" href="{first}" role="button" data-bs-toggle="dropdown"' in body
    assert f'<a class="dropdown-item" href="{reverse("experts:list")}">' in body
