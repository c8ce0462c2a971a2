"""The benchmark's bare views exist only under the bench settings, never by default."""

import importlib
import re

import pytest
from django.urls import NoReverseMatch, Resolver404, clear_url_caches, resolve, reverse

import icdc.urls


@pytest.fixture
def reload_urls(settings):
    yield
    settings.ICDC_BENCH_VIEWS = False  # before the reload: the settings fixture restores only after it
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


@pytest.mark.django_db
def test_the_portal_ceilings_answer_what_bench_portal_compares(client, settings, reload_urls):
    """bench/portal.py reads the list against these: a body of the list's size, that plus one query,
    and the list's own read of the titles as plain text (the same rows, in the list's order)."""
    from django.core.management import call_command

    call_command("load_divisions", verbosity=0)
    call_command("load_titles", verbosity=0)
    settings.ICDC_BENCH_VIEWS = True
    clear_url_caches()
    importlib.reload(icdc.urls)
    sized = client.get(reverse("bench:bare_page_sized"))
    assert 10_000 < len(sized.content) < 13_000 and sized["Content-Type"].startswith("text/html")
    assert client.get(reverse("bench:bare_one_query")).content == sized.content
    from icdc.titles.models import Title

    listed = client.get(reverse("bench:portal_titles")).content.decode().splitlines()
    page = client.get("/portal/cities/").content.decode()
    shown = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page)
    assert int(listed[0]) == Title.objects.count() > 20
    assert [line.split("\t")[1] for line in listed[1:]] == shown and len(shown) == 20
