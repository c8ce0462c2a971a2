"""Choosing the portal's language (SPEC §6: Chinese by default, English on request): two links in
the portal header, 简体中文 | English, each to ``portal:language``, which sets the cookie Django's
``set_language`` sets and goes back to the page — only when it is on this site. The pages stay
cached whole: one copy per language, and the links' ``next`` is the page's own cached address,
never a parameter the cache key leaves out."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from icdc.portal import cache as portal_cache

INDEX = reverse("portal:index")
CITIES = reverse("portal:cities")
LINK = re.compile(r'<a href="([^"]*)" lang="([^"]*)" hreflang="[^"]*" rel="nofollow" data-language="([^"]*)"'
                  r'( aria-current="true")?>([^<]*)</a>')


def _links(response):
    """The language links of a portal page: code → (href, lang attribute, current?, text)."""
    found = {code: (html.unescape(href), lang, bool(current), text)
             for href, lang, code, current, text in LINK.findall(response.content.decode())}
    assert set(found) == {"zh-hans", "en"}, response.content.decode()[:3000]
    return found


def _next_of(href):
    return parse_qs(urlsplit(href).query)["next"][0]


def _choose(client, response, code):
    """Follow the page's link to ``code``; return the redirect."""
    href = _links(response)[code][0]
    answer = client.get(href)
    assert answer.status_code == 302
    return answer


def test_the_links_name_each_language_in_itself(client, loaded):
    links = _links(client.get(INDEX))
    assert links["zh-hans"][1:] == ("zh-Hans", True, "简体中文")  # Chinese by default, marked current
    assert links["en"][1:] == ("en", False, "English")
    assert [_next_of(href) for href, *_rest in links.values()] == [INDEX, INDEX]
    assert "csrfmiddlewaretoken" not in client.get(INDEX).content.decode()


def test_choosing_english_and_back(client, loaded):
    page = client.get(CITIES)
    assert '<html lang="zh-CN">' in page.content.decode() and "跳到正文" in page.content.decode()
    answer = _choose(client, page, "en")
    assert answer["Location"] == CITIES
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get(answer["Location"])
    text = english.content.decode()
    assert '<html lang="en">' in text and "Skip to main content" in text and "Demonstration cities" in text
    assert "跳到正文" not in text
    assert _links(english)["en"][2] is True and _links(english)["zh-hans"][2] is False

    answer = _choose(client, english, "zh-hans")
    assert answer["Location"] == CITIES
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    chinese = client.get(CITIES).content.decode()
    assert '<html lang="zh-CN">' in chinese and "跳到正文" in chinese and "Skip to main content" not in chinese


def test_the_cookie_is_the_one_set_language_sets(client, loaded):
    ours = client.get(reverse("portal:language", args=["en"]), {"next": INDEX}).cookies[settings.LANGUAGE_COOKIE_NAME]
    theirs = Client().post(reverse("set_language"), {"language": "en", "next": INDEX}).cookies[
        settings.LANGUAGE_COOKIE_NAME]
    assert ours.value == theirs.value == "en"
    assert dict(ours) == dict(theirs)  # path, domain, max-age, expires, secure, httponly, samesite
    assert ours["path"] == settings.LANGUAGE_COOKIE_PATH == "/"  # the whole site, logged-in pages too


def test_the_cookie_follows_the_settings(client, loaded, settings):
    settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SAMESITE = True, "Strict"
    settings.LANGUAGE_COOKIE_PATH, settings.LANGUAGE_COOKIE_HTTPONLY = "/portal/", True
    settings.LANGUAGE_COOKIE_AGE, settings.LANGUAGE_COOKIE_NAME = 86400, "icdc_language"
    cookie = client.get(reverse("portal:language", args=["en"])).cookies["icdc_language"]
    assert (cookie.value, cookie["secure"], cookie["samesite"], cookie["path"], cookie["httponly"],
            cookie["max-age"]) == ("en", True, "Strict", "/portal/", True, 86400)


def test_the_page_and_its_query_are_kept(client, loaded):
    page = client.get(CITIES, {"kind": "legacy", "sort": "city", "utm_source": "<b>x</b>"})
    href = _links(page)["en"][0]
    assert _next_of(href) == f"{CITIES}?kind=legacy&sort=city"  # the key's parameters, no other
    answer = client.get(href)
    assert answer["Location"] == f"{CITIES}?kind=legacy&sort=city"
    english = client.get(answer["Location"])
    assert 'lang="en"' in english.content.decode() and 'data-city="' in english.content.decode()
    assert client.get(reverse("public_notices:notice_list")).status_code == 200
    notices = _links(client.get(reverse("public_notices:notice_list")))  # the notice pages share the layout
    assert _next_of(notices["zh-hans"][0]) == reverse("public_notices:notice_list") and notices["en"][2]


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example", "//evil.example/portal/", "javascript:alert(1)", "JavaScript:alert(1)",
    "///evil.example/", "/\\evil.example/", "\\\\evil.example", "http://testserver@evil.example/", " //evil.example",
    "https:evil.example", "data:text/html,<script>alert(1)</script>", "",
])
def test_an_off_site_next_is_not_followed(client, db, target):
    answer = client.get(reverse("portal:language", args=["en"]), {"next": target})
    assert answer.status_code == 302 and answer["Location"] == INDEX
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"  # the choice itself is kept


def test_no_next_goes_to_the_portal(client, db):
    answer = client.get(reverse("portal:language", args=["en"]))
    assert answer["Location"] == INDEX


def test_an_address_on_this_site_is_followed(client, db):
    answer = client.get(reverse("portal:language", args=["en"]), {"next": "http://testserver/portal/cities/"})
    assert answer["Location"] == "http://testserver/portal/cities/"


@pytest.mark.parametrize("code", ["fr", "zh-hant", "zh-cn", "EN", "en-us", "xx"])
def test_an_unknown_language_sets_nothing(client, db, code):
    answer = client.get(reverse("portal:language", args=[code]), {"next": CITIES})
    assert answer.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in answer.cookies and settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_the_choice_is_never_cached_and_only_a_get(client, loaded):
    answer = client.get(reverse("portal:language", args=["en"]), {"next": INDEX})
    assert "no-store" in answer["Cache-Control"] and "private" in answer["Cache-Control"]
    assert "X-Portal-Cache" not in answer
    refused = Client().post(reverse("portal:language", args=["en"]), {"next": INDEX})
    assert refused.status_code == 405 and settings.LANGUAGE_COOKIE_NAME not in refused.cookies


@pytest.mark.parametrize("url", [INDEX, CITIES, reverse("portal:city", args=["530100"]),
                                 reverse("portal:announcements")])
def test_each_language_has_its_own_cached_copy(loaded, settings, url):
    assert settings.ICDC_PORTAL_CACHE_SECONDS > 0
    chinese, english = Client(), Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = chinese.get(url)
    assert first["X-Portal-Cache"] == "miss" and '<html lang="zh-CN">' in first.content.decode()
    served = english.get(url)  # the Chinese copy is in the cache: not for this visitor
    assert served["X-Portal-Cache"] == "miss" and '<html lang="en">' in served.content.decode()
    assert _links(served)["en"][2] and not _links(served)["zh-hans"][2]
    again = english.get(url)
    assert again["X-Portal-Cache"] == "hit" and '<html lang="en">' in again.content.decode()
    back = chinese.get(url)
    assert back["X-Portal-Cache"] == "hit" and back.content == first.content
    assert "Skip to main content" not in back.content.decode() and _links(back)["zh-hans"][2]


def test_a_parameter_outside_the_key_is_not_reflected_into_the_cached_page(client, loaded):
    junk = client.get(INDEX, {"x": '"><script>alert(1)</script>', "next": "//evil.example/"})
    assert junk["X-Portal-Cache"] == "miss"
    text = junk.content.decode()
    assert "evil.example" not in text and "alert" not in text and "script" not in text
    plain = client.get(INDEX)
    assert plain["X-Portal-Cache"] == "hit" and plain.content == junk.content  # the same copy, the same links
    assert _next_of(_links(plain)["en"][0]) == INDEX


def test_a_key_parameter_is_escaped_and_each_query_is_its_own_copy(client, loaded, rf):
    # ?year=a%26page%3D2 and ?year=a&page=2 are two addresses of the list: two keys, each page naming itself
    one = client.get(CITIES + "?year=a%26page%3D2")
    two = client.get(CITIES + "?year=a&page=2")
    assert _next_of(_links(one)["en"][0]) == CITIES + "?year=a%26page%3D2"
    assert _next_of(_links(two)["en"][0]) == CITIES + "?year=a&page=2"
    keys = set()
    for query in ("year=a%26page%3D2", "year=a&page=2"):
        request = rf.get(CITIES + "?" + query)
        request.portal_reads = portal_cache.PARAMS
        keys.add(portal_cache.page_key(request))
    assert len(keys) == 2
    # the index reads no parameter: its one copy names the bare address, whatever was asked
    assert _next_of(_links(client.get(INDEX + "?year=a&page=2"))["en"][0]) == INDEX
    marked = client.get(CITIES, {"kind": '"><script>alert(1)</script>'})  # a junk filter: shown, not kept
    assert "<script>alert(1)" not in marked.content.decode()
    assert _next_of(_links(marked)["en"][0]) == CITIES + "?kind=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"


def test_the_cached_address_is_the_key_s(rf):
    request = rf.get("/portal/cities/", {"page": ["1", "3"], "kind": "legacy", "q": "1"})
    assert portal_cache.page_url(request) == "/portal/cities/?kind=legacy&page=3"  # PARAMS order, last value
    assert portal_cache.page_url(rf.get("/portal/中文/")) == "/portal/%E4%B8%AD%E6%96%87/"
