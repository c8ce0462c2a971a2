"""Periodic change (SECURITY.md 身份鉴别): a password older than 90 days forces the change page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from icdc.accounts.models import Role, User
from tests.accounts.conftest import login
from tests.factories import make_user

EXPIRED = "您的密码已超过 90 天未修改，请先修改密码。"


def aged_user(days):
    user = make_user(Role.MINISTRY_OFFICER)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=days))
    return user


@pytest.mark.django_db
def test_password_89_days_old_is_fine(client):
    user = aged_user(89)
    login(client, user.username)
    assert client.get(reverse("home:ministry")).status_code == 200


@pytest.mark.django_db
def test_password_91_days_old_forces_the_change_page(client):
    user = aged_user(91)
    login(client, user.username)
    for url in (reverse("home:index"), reverse("home:ministry"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert EXPIRED in page.content.decode()


@pytest.mark.django_db
def test_after_the_change_the_user_gets_through(client):
    user = aged_user(120)
    login(client, user.username)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Icdc#Demo2026", "new_password1": "Fresh#Pass2026", "new_password2": "Fresh#Pass2026"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home:ministry")).status_code == 200
    user.refresh_from_db()
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)


@pytest.mark.django_db
def test_logout_stays_reachable_while_a_change_is_pending(client):
    user = aged_user(91)
    login(client, user.username)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?logged_out=1"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_max_age_is_configurable(client, settings):
    settings.ICDC_PASSWORD_MAX_AGE = timedelta(days=30)
    user = aged_user(31)
    login(client, user.username)
    assert client.get(reverse("home:ministry")).url == reverse("accounts:password_change")
