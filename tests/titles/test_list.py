"""The Ministry's read-only list of titles: filters by year, type and province; other roles refused."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.titles.models import Title

URL = reverse("titles:list")


def _cities(response):
    import re

    return re.findall(r'data-city="(\d+)"', response.content.decode())


def test_the_list_shows_every_title(officer_client, loaded):
    response = officer_client.get(URL)
    text = response.content.decode()
    assert len(_cities(response)) == Title.objects.count() == 27
    assert "信息消费示范城市（特色型） · 公共服务类信息消费" in text and "共 27 项称号" in text


def test_filter_by_year(officer_client, loaded):
    response = officer_client.get(URL, {"year": "2021"})
    assert len(_cities(response)) == 8
    assert "530100" in _cities(response)  # 昆明


def test_filter_by_type(officer_client, loaded):
    assert len(_cities(officer_client.get(URL, {"kind": "legacy"}))) == 6
    assert len(_cities(officer_client.get(URL, {"kind": "comprehensive", "year": "2020"}))) == 3


def test_filter_by_province_includes_a_municipality_itself(officer_client, loaded):
    anhui = _cities(officer_client.get(URL, {"province": "340000"}))
    assert set(anhui) == {"340100", "340500", "340200", "340300"} and len(anhui) == 6  # 合肥×2, 芜湖×2, 马鞍山, 蚌埠
    assert _cities(officer_client.get(URL, {"province": "110000"})) == ["110000"]


def test_an_unknown_filter_value_is_ignored_with_a_message(officer_client, loaded):
    response = officer_client.get(URL, {"year": "1900", "kind": "comprehensive"})
    assert response.status_code == 200
    assert len(_cities(response)) == Title.objects.filter(kind="comprehensive").count()
    assert "选择一个有效的选项" in response.content.decode() or "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.EXPERT, Role.SYSTEM_ADMIN,
                                  Role.AUDIT_ADMIN])
def test_other_roles_are_refused(client, role_users, role):
    client.force_login(role_users[role])
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client, db):
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))


def test_the_ministry_home_links_to_titles_and_working_days(officer_client):
    text = officer_client.get(reverse("home:index"), follow=True).content.decode()
    assert reverse("titles:list") in text and reverse("workdays:list") in text
