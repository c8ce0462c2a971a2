import pytest

from icdc.accounts.models import Role


@pytest.mark.parametrize("url", ["/indicators/versions/1/systems/%00/weights/", "/rankings/runs/1/%00/",
                                 "/audit/?actor=%00", "/admin/divisions/division/%00/change/"])
def test_nul_byte_in_the_address_is_a_400_on_every_database(client, role_users, url):
    client.force_login(role_users[Role.MINISTRY_OFFICER])
    response = client.get(url)
    assert response.status_code == 400
    assert "非法字符" in response.content.decode()
