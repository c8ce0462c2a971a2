"""访问控制 on the account pages: every view × every role. Only the system administrator
opens them; every other role (the audit administrator included) gets 403 for a real and a
guessed id alike, each refusal audited and nothing changed; anonymous is sent to log in;
the system administrator gets 404 for a guessed id."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from icdc.accounts.models import Role, User
from icdc.audit.models import AuditRecord

GUESS = 999999
#: (url name, takes an account id, methods the view answers)
VIEWS = [
    ("list", False, ["get"]),
    ("create", False, ["get", "post"]),
    ("cities", False, ["get"]),
    ("detail", True, ["get"]),
    ("edit", True, ["get", "post"]),
    ("deactivate", True, ["get", "post"]),
    ("reactivate", True, ["post"]),
    ("reset_password", True, ["get", "post"]),
    ("unlock", True, ["post"]),
    ("reset_authenticator", True, ["get", "post"]),
]
POST_DATA = {"username": "intruder", "role": "expert", "display_name": "改名"}


def url(name, pk=None):
    return reverse(f"accounts:manage:{name}", args=[] if pk is None else [pk])


def state(target):
    target = User.objects.get(pk=target.pk)
    return (target.role, target.display_name, target.is_active, target.password, User.objects.count())


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMIN], ids=lambda r: r.value)
def test_every_other_role_is_refused_every_view(role_users, role):
    client = Client()
    client.force_login(role_users[role])
    target = role_users[Role.EXPERT] if role != Role.EXPERT else role_users[Role.CITY_APPLICANT]
    before, denials = state(target), AuditRecord.objects.filter(action="accounts.permission.deny").count()
    answered = 0
    for name, with_id, methods in VIEWS:
        for method in methods:
            for pk in ([target.pk, GUESS] if with_id else [None]):
                response = getattr(client, method)(url(name, pk), POST_DATA if method == "post" else None)
                assert response.status_code == 403, (name, method, pk)
                assert "无权访问" in response.content.decode()
                answered += 1
    assert state(target) == before
    assert AuditRecord.objects.filter(action="accounts.permission.deny").count() == denials + answered
    assert not AuditRecord.objects.filter(action__startswith="accounts.account.").exists()


def test_anonymous_is_sent_to_log_in(role_users):
    client = Client()
    target = role_users[Role.EXPERT]
    before = state(target)
    for name, with_id, methods in VIEWS:
        for method in methods:
            response = getattr(client, method)(url(name, target.pk if with_id else None), POST_DATA)
            assert response.status_code == 302 and urlsplit(response.url).path == reverse("accounts:login"), name
    assert state(target) == before


def test_the_system_administrator_opens_every_view_and_gets_404_for_a_guessed_id(role_users):
    client = Client()
    client.force_login(role_users[Role.SYSTEM_ADMIN])
    target = role_users[Role.EXPERT]
    for name, with_id, methods in VIEWS:
        if "get" in methods:
            assert client.get(url(name, target.pk if with_id else None)).status_code == 200, name
        if with_id:
            for method in methods:
                assert getattr(client, method)(url(name, GUESS)).status_code == 404, (name, method)
    assert client.get(url("reactivate", target.pk)).status_code == 405  # acts on POST only
    assert client.get(url("unlock", target.pk)).status_code == 405
