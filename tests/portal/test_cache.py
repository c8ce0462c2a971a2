"""The public pages are cached whole and dropped on publication: a cached page is served without a
database query; a new title or a new published document shows at once; the cache is per page (the
query string), and the verification page (a form with a CSRF token) is never cached."""

import pytest
from django.urls import reverse

from icdc.documents.services import publish_document
from icdc.portal.cache import invalidate_public_pages
from icdc.titles.models import Title
from tests.portal.conftest import PDF_BYTES

PAGES = [("portal:index", []), ("portal:cities", []), ("portal:city", ["530100"]),
         ("portal:announcements", [])]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_cached_page_is_served_without_a_query(client, loaded, django_assert_num_queries, name, args):
    url = reverse(name, args=args)
    first = client.get(url)
    assert first.status_code == 200 and first["X-Portal-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Portal-Cache"] == "hit" and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] and "Content-Security-Policy" in second


def test_a_new_title_appears_right_after_it_is_created(client, loaded):
    url = reverse("portal:cities")
    assert "青岛" in client.get(url).content.decode()
    before = client.get(url, {"year": "2022"}).content.decode()
    assert "西安市" not in before
    Title.objects.create(city_id="610100", batch_year=2022, kind="comprehensive", award_title="信息消费示范城市（综合型）",
                         announced="2023-01-20", announced_year=2023)
    after = client.get(url, {"year": "2022"})
    assert after["X-Portal-Cache"] == "miss" and "西安市" in after.content.decode()
    assert client.get(reverse("portal:city", args=["610100"])).status_code == 200


def test_a_publication_appears_right_after(client, media, db):
    url = reverse("portal:announcements")
    assert "暂无公告" in client.get(url).content.decode()
    assert client.get(url)["X-Portal-Cache"] == "hit"
    publish_document(kind="announcement", fmt="pdf", title="关于第四批示范城市的公告", content=PDF_BYTES,
                     subject="decisions.announcement:4")
    assert "关于第四批示范城市的公告" in client.get(url).content.decode()


def test_a_changed_title_is_shown_changed(client, loaded):
    url = reverse("portal:city", args=["530100"])
    assert "已撤销" not in client.get(url).content.decode()
    title = Title.objects.get(city_id="530100", batch_year=2021)
    title.status = "revoked"
    title.save()
    assert "已撤销" in client.get(url).content.decode()


def test_each_query_is_its_own_page(client, loaded):
    url = reverse("portal:cities")
    all_titles = client.get(url).content.decode()
    legacy = client.get(url, {"kind": "legacy"})
    assert legacy["X-Portal-Cache"] == "miss" and legacy.content.decode() != all_titles
    assert client.get(url, {"kind": "legacy"})["X-Portal-Cache"] == "hit"


def test_invalidation_drops_every_page(client, loaded):
    urls = [reverse(name, args=args) for name, args in PAGES]
    for url in urls:
        client.get(url)
    invalidate_public_pages()
    assert [client.get(url)["X-Portal-Cache"] for url in urls] == ["miss"] * len(urls)


def test_the_verification_page_and_downloads_are_not_cached(client, published):
    for _ in range(2):
        response = client.get(reverse("portal:verify"))
        assert "X-Portal-Cache" not in response and "csrfmiddlewaretoken" in response.content.decode()


def test_each_language_is_its_own_page(client, loaded, settings):
    url = reverse("portal:index")
    chinese = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url)
    assert english["X-Portal-Cache"] == "miss" and 'lang="en"' in english.content.decode()
    assert 'lang="zh-CN"' in chinese


def test_the_cache_can_be_turned_off(client, loaded, settings):
    settings.ICDC_PORTAL_CACHE_SECONDS = 0
    url = reverse("portal:cities")
    client.get(url)
    response = client.get(url)
    assert "X-Portal-Cache" not in response


def test_unknown_parameters_and_junk_values_do_not_multiply_the_cache(client, loaded):
    url = reverse("portal:cities")
    client.get(url, {"kind": "legacy"})
    assert client.get(url, {"kind": "legacy", "utm": "1"})["X-Portal-Cache"] == "hit"  # unknown: same page
    for junk in ({"year": "1900"}, {"page": "999"}, {"sort": "password"}, {"page": "x"}):
        assert [client.get(url, junk)["X-Portal-Cache"] for _ in range(2)] == ["miss", "miss"]  # never kept
    assert client.get(url, {"page": "2"})["X-Portal-Cache"] == "miss"
    assert client.get(url, {"page": "2"})["X-Portal-Cache"] == "hit"  # a valid page is kept


@pytest.mark.parametrize(("name", "args"), [p for p in PAGES if p[0] != "portal:cities"])
def test_a_page_that_reads_no_query_is_one_page_whatever_the_query(client, loaded, name, args):
    """The index, a city's history and the archive read no parameter: ``?page=2``, ``?year=…`` are
    the same page, served from its one copy (each value would otherwise be a copy of its own)."""
    url = reverse(name, args=args)
    first = client.get(url)
    assert first["X-Portal-Cache"] == "miss"
    for query in ({"page": "2"}, {"page": "3"}, {"year": "2016", "sort": "city"}):
        again = client.get(url, query)
        assert again["X-Portal-Cache"] == "hit" and again.content == first.content
