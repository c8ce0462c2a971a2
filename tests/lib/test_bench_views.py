"""The benchmark's bare views exist only under the bench settings, never by default."""

import importlib

import pytest
from django.urls import NoReverseMatch, Resolver404, clear_url_caches, resolve, reverse

import icdc.urls


@pytest.fixture
def reload_urls():
    yield
    clear_url_caches()
    importlib.reload(icdc.urls)


def test_the_bare_views_are_absent_by_default(client, role_users):
    from icdc.accounts.models import Role

    with pytest.raises(Resolver404):
        resolve("/_bench/bare/")
    with pytest.raises(NoReverseMatch):
        reverse("bench:bare")
    client.force_login(role_users[Role.MINISTRY_OFFICER])
    assert client.get("/_bench/bare/login/").status_code == 404


def test_the_production_profile_has_no_bench_views(monkeypatch):
    for name, value in {"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "icdc.example",
                        "ICDC_AUDIT_KEY": "11" * 32, "ICDC_DATA_KEYS": "k1=" + "22" * 16,
                        "ICDC_BENCH_VIEWS": "true"}.items():  # not even when someone sets the variable
        monkeypatch.setenv(name, value)
    production = importlib.reload(importlib.import_module("icdc.settings_production"))
    assert not getattr(production, "ICDC_BENCH_VIEWS", False)


def test_bench_mode_routes_them_through_the_whole_stack(client, settings, reload_urls):
    settings.ICDC_BENCH_VIEWS = True
    clear_url_caches()
    importlib.reload(icdc.urls)
    response = client.get(reverse("bench:bare"))
    assert response.content == b"ok" and response["Content-Security-Policy"]  # the middleware ran
    login = client.get(reverse("bench:bare_logged_in"))
    assert login.status_code == 302 and "login" in login["Location"]
