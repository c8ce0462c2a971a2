"""Password rules (SECURITY.md 身份鉴别): ≥ 10 characters, 3 of 4 character classes, not
common, not like the username, last 5 not reused — refused with Chinese messages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from icdc.accounts import services
from icdc.accounts.models import PasswordHistory, Role
from tests.accounts.conftest import audit, login
from tests.factories import DEMO_PASSWORD, make_user


@pytest.fixture
def user(db):
    return make_user(Role.EXPERT, username="zhangwei")


def change(client, new, old=DEMO_PASSWORD, confirm=None):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": confirm or new},
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab#12345", "密码长度太短。密码必须包含至少 10 个字符。"),
        ("abcdefghijkl", "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"),
        ("abcdef123456", "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"),
        ("Password123", "这个密码太常见了。"),
        ("Zhangwei#2026", "密码跟 用户名 太相似了。"),
    ],
    ids=["too-short", "one-class", "two-classes", "common", "like-username"],
)
def test_weak_password_is_refused_with_a_chinese_message(client, user, password, message):
    client.force_login(user)
    response = change(client, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert not audit("accounts.password.change").exists()


def test_wrong_old_password_is_refused_in_chinese(client, user):
    client.force_login(user)
    response = change(client, "Brand#New2026x", old="Not#MyPass2026")
    assert "你的旧密码不正确。请重新输入。" in response.content.decode()


def test_good_password_is_accepted_recorded_and_audited(client, user):
    client.force_login(user)
    key_before = client.session.session_key
    response = change(client, "Brand#New2026x")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand#New2026x")
    assert user.password_changed_at is not None and not user.must_change_password
    assert PasswordHistory.objects.filter(user=user).count() == 1
    assert audit("accounts.password.change").count() == 1
    assert not audit("audit.row.update", object_id=str(user.pk)).exists()  # one event, one record
    # still logged in, under a new session id
    assert client.session.session_key != key_before
    assert client.get(reverse("home:expert")).status_code == 200


def test_the_last_five_passwords_cannot_be_reused(user):
    passwords = [f"Round#{n}Pass2026" for n in range(1, 7)]
    for password in passwords[:5]:
        services.change_password(user=user, new_password=password)
    # current and the four before it are refused …
    for old in passwords[:5]:
        with pytest.raises(ValidationError) as refused:
            services.change_password(user=user, new_password=old)
        assert "不能使用最近 5 次用过的密码。" in refused.value.message_dict["password"]
    # … a sixth new one is fine, after which the first may come back
    services.change_password(user=user, new_password=passwords[5])
    services.change_password(user=user, new_password=passwords[0])
    assert user.check_password(passwords[0])


def test_history_keeps_only_what_the_reuse_rule_needs(user):
    for n in range(8):
        services.change_password(user=user, new_password=f"Round#{n}Pass2026")
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_reusing_the_current_password_is_refused_on_the_page(client, user):
    client.force_login(user)
    response = change(client, DEMO_PASSWORD)
    assert "不能使用最近 5 次用过的密码。" in response.content.decode()


def test_password_change_page_needs_a_login(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_new_password_works_at_the_next_login(client, user):
    services.change_password(user=user, new_password="Brand#New2026x")
    assert login(client, user.username, DEMO_PASSWORD).status_code == 200
    assert login(client, user.username, "Brand#New2026x").status_code == 302


def test_mismatched_confirmation_is_refused_in_chinese(client, user):
    client.force_login(user)
    response = change(client, "Brand#New2026x", confirm="Brand#New2026y")
    assert "输入的两个密码不一致。" in response.content.decode()
