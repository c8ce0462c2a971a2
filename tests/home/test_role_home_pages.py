import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.home.navigation import HOME_OF_ROLE


def test_public_home_is_chinese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-CN">' in body
    assert "信息消费示范城市建设管理平台" in body


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_home_and_is_refused_the_others(client, role_users, role):
    client.force_login(role_users[role])
    landing = client.get("/")
    assert landing.status_code == 302
    assert landing.url == reverse(HOME_OF_ROLE[role])
    assert client.get(landing.url).status_code == 200
    for other, url_name in HOME_OF_ROLE.items():
        if other != role:
            response = client.get(reverse(url_name))
            assert response.status_code == 403
            assert "无权访问" in response.content.decode()
