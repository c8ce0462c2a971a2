"""The anonymous surface: the public portal's pages open without login, for every role alike,
and they are the only pages of the platform that do (besides the login page and the language choice:
Django's form and the portal's links, which go back only to this site); hostile files and digests on
the public verification page are refused, never a 5xx, nothing kept."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.security import payloads, surface
from tests.security.conftest import ANONYMOUS, Recorder, roles

#: Pages an anonymous visitor may open (everything else sends them to log in, or is 404/405).
PUBLIC = {
    "home:index", "accounts:login", "set_language", "admin:login",
    "portal:index", "portal:cities", "portal:city", "portal:announcements",
    "portal:document_download", "portal:verify",
    # the public notice, the objection form and the receipt lookup (decisions), the CAPTCHA's image
    "public_notices:notice_list", "public_notices:notice_detail", "public_notices:notice_document",
    "public_notices:receipt", "captcha-image", "captcha-image-2x",
}
#: Public addresses that answer with a redirect, not a page: the portal's language links (they set
#: the language cookie and go back to ``next`` when it is on this site, else to the portal).
PUBLIC_REDIRECTS = {"portal:language"}


def test_only_the_public_pages_open_anonymously(world, quiet_request_log):
    recorder = Recorder(world, ANONYMOUS)
    opened = set()
    for target in surface.targets(world):
        if target.endpoint.name in surface.LAST:
            continue
        response = recorder.request("get", target.good_url)
        if target.endpoint.name in PUBLIC_REDIRECTS:
            assert response.status_code == 302 and response["Location"] == reverse("portal:index")
            continue
        if response.status_code == 200:
            opened.add(target.endpoint.name)
    assert recorder.failures == [], recorder.report()
    assert {name for name in opened if not name.startswith("home:")} <= PUBLIC
    assert {name for name in PUBLIC if name.startswith("portal:")} <= opened


def test_the_language_links_go_back_only_on_this_site(world, quiet_request_log):
    from django.conf import settings

    recorder = Recorder(world, ANONYMOUS)
    url = reverse("portal:language", args=["en"])
    for junk in payloads.JUNK_QUERIES:  # their "next" values: //evil.example/, javascript:…, an admin URL
        response = recorder.request("get", url, junk)
        if any("\x00" in "".join(v) if isinstance(v, list) else "\x00" in v for v in junk.values()):
            # refused before any view (RejectNulBytesMiddleware)
            assert response.status_code == 400 and settings.LANGUAGE_COOKIE_NAME not in response.cookies
            continue
        assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for target in ("https://evil.example/", "//evil.example", "javascript:alert(1)", "/\\evil.example"):
        assert recorder.request("get", url, {"next": target})["Location"] == reverse("portal:index")
    assert recorder.request("get", url, {"next": "/portal/cities/?year=2021"})["Location"] == "/portal/cities/?year=2021"
    assert recorder.failures == [], recorder.report()  # no 5xx, no redirect off the site


@pytest.mark.parametrize("role", roles())
def test_the_portal_is_the_same_for_every_role(world, quiet_request_log, role):
    recorder = Recorder(world, role)
    for target in surface.targets(world):
        if target.endpoint.name.startswith("portal:"):
            expected = 302 if target.endpoint.name in PUBLIC_REDIRECTS else 200
            assert recorder.request("get", target.good_url).status_code == expected, target.endpoint.name
    assert recorder.failures == [], recorder.report()


def test_hostile_files_on_the_verification_page(world, quiet_request_log):
    from django.conf import settings

    recorder = Recorder(world, ANONYMOUS)
    url = reverse("portal:verify")
    before = sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    files = payloads.statistics_files() + payloads.yaml_files() + [("x.pdf", b"MZ" + b"\0" * 64),
                                                                   ("bomb.docx", payloads._zip(
                                                                       {"word/document.xml": b"0" * 5_000_000}))]
    for data in payloads.uploads(files):
        response = recorder.request("post", url, data)
        text = response.content.decode()
        assert response.status_code in (200, 429)
        assert 'data-testid="verify-found"' not in text
        if response.status_code == 200:
            assert 'data-testid="verify-error"' in text or 'class="text-danger"' in text
        cache.clear()  # the throttle is not under test here
    after = sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    assert after == before
    assert recorder.failures == [], recorder.report()


def test_the_published_document_is_found_by_digest_and_a_junk_one_is_not(world, quiet_request_log):
    recorder = Recorder(world, ANONYMOUS)
    url = reverse("portal:verify")
    found = recorder.request("post", url, {"digest": world.published_document.sm3}).content.decode()
    assert 'data-testid="verify-found"' in found and "&lt;b&gt;公告&lt;/b&gt;（测试）" in found
    for junk in payloads.JUNK_VALUES:
        text = recorder.request("post", url, {"digest": junk}).content.decode()
        assert 'data-testid="verify-found"' not in text
    assert recorder.failures == [], recorder.report()
