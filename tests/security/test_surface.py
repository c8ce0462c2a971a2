"""The fuzz sweeps cover the whole platform: every URL pattern outside the admin site is
enumerated, each good URL resolves to its own view, and names a real object (no 404 for
the roles that may open it) — so a new page is fuzzed without anyone adding it here."""

from urllib.parse import unquote, urlsplit

from django.urls import URLResolver, get_resolver, resolve

from icdc.accounts.models import Role
from tests.security import surface
from tests.security.conftest import Recorder


def _platform_names(resolver=None, namespace=()):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from _platform_names(pattern, (*namespace, pattern.namespace) if pattern.namespace else namespace)
        else:
            yield ":".join((*namespace, pattern.name))


def test_every_platform_url_is_fuzzed(world):
    names = {t.endpoint.name for t in surface.targets(world)}
    assert set(_platform_names()) <= names
    assert {"admin:index", "admin:divisions_division_change", "accounts:manage:edit"} <= names


def test_good_urls_resolve_to_their_own_view(world):
    for target in surface.targets(world):
        match = resolve(unquote(urlsplit(target.good_url).path))
        if target.endpoint.name.split(":")[-1] not in ("catch_all", "object_redirect"):
            assert match.view_name == target.endpoint.name
        assert target.guesses or not target.endpoint.converters


def test_good_urls_name_real_objects(world, quiet_request_log):
    statuses = {}
    for role in (Role.MINISTRY_OFFICER, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN):
        recorder = Recorder(world, role)
        for target in surface.targets(world):
            if target.endpoint.name not in surface.LAST:
                statuses[role, target.endpoint.name] = recorder.request("get", target.good_url).status_code
    # the catch-all is a 404 by design; accounts have no public page for "view on site"
    missing = {key for key, status in statuses.items()
               if status == 404 and key[1] not in ("admin:catch_all", "admin:view_on_site")}
    assert missing == set()
    opened = {name for (_role, name), status in statuses.items() if status == 200}
    assert len(opened) > 35  # the sweeps reach the views, not only the permission checks
