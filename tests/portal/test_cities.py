"""The public list of demonstration cities: filters (a GET form), sortable columns, paging and
counts, on the real record of titles (27 titles, 2016–2022). No login."""

import re

import pytest
from django.urls import reverse

from icdc.titles.models import Title

URL = reverse("portal:cities")


def _rows(response):
    """(title pk, city code, year) of each row, in page order."""
    return [(int(pk), city, int(year)) for pk, city, year in
            re.findall(r'<tr data-title="(\d+)" data-city="(\d+)" data-year="(\d+)">', response.content.decode())]


@pytest.fixture
def big_page(settings):
    settings.ICDC_PORTAL_PAGE_SIZE = 100


def test_anonymous_sees_every_title_with_counts(client, loaded, big_page):
    response = client.get(URL)
    assert response.status_code == 200
    rows = _rows(response)
    assert len(rows) == Title.objects.count() == 27
    text = response.content.decode()
    assert "共 27 项称号，涉及 24 个城市" in text  # 合肥, 芜湖 and 昆明 hold two each
    assert "综合型 7；特色型 14；2016 年（未分类型） 6" in text
    assert "信息消费示范城市（特色型） · 公共服务类信息消费" in text
    assert [year for _pk, _c, year in rows] == sorted((y for _p, _c, y in rows), reverse=True)  # newest first


def test_filter_by_year_and_type(client, loaded):
    rows = _rows(client.get(URL, {"year": "2021"}))
    assert len(rows) == 8 and {year for *_r, year in rows} == {2021} and "530100" in {c for _p, c, _y in rows}
    rows = _rows(client.get(URL, {"year": "2020", "kind": "comprehensive"}))
    assert sorted(c for _p, c, _y in rows) == ["320100", "320200", "330200"]  # 南京, 无锡, 宁波
    assert len(_rows(client.get(URL, {"kind": "legacy"}))) == 6


def test_filter_by_domain(client, loaded):
    code = Title.objects.get(city_id="520100").domain_code  # 贵阳: 公共服务类信息消费
    rows = _rows(client.get(URL, {"domain": code}))
    assert sorted(c for _p, c, _y in rows) == ["340200", "410900", "520100"]  # 芜湖, 濮阳, 贵阳
    response = client.get(URL, {"domain": code})
    assert "共 3 项称号，涉及 3 个城市" in response.content.decode()


def test_filter_by_province_counts_a_municipality_as_its_own(client, loaded):
    anhui = _rows(client.get(URL, {"province": "340000"}))
    assert {c for _p, c, _y in anhui} == {"340100", "340200", "340300", "340500"} and len(anhui) == 6
    assert [c for _p, c, _y in _rows(client.get(URL, {"province": "110000"}))] == ["110000"]


def test_an_unknown_filter_value_is_left_out_with_a_message(client, loaded, big_page):
    response = client.get(URL, {"year": "1900", "kind": "legacy"})
    assert response.status_code == 200 and len(_rows(response)) == 6
    assert "选择一个有效的选项" in response.content.decode()


@pytest.mark.parametrize(("sort", "key", "reverse"), [
    ("year", lambda t: t.batch_year, False), ("-year", lambda t: t.batch_year, True),
    ("city", lambda t: t.city_id, False), ("-city", lambda t: t.city_id, True),
    ("province", lambda t: t.city.parent_id or t.city_id, False), ("kind", lambda t: t.kind, False),
])
def test_columns_sort_both_ways(client, loaded, big_page, sort, key, reverse):
    rows = _rows(client.get(URL, {"sort": sort}))
    titles = Title.objects.select_related("city").in_bulk([pk for pk, *_r in rows])
    values = [key(titles[pk]) for pk, *_r in rows]
    assert len(values) == 27 and values == sorted(values, reverse=reverse)


def test_the_sort_links_keep_the_filters_and_toggle(client, loaded):
    text = client.get(URL, {"kind": "specialised", "sort": "city"}).content.decode()
    assert 'href="?kind=specialised&amp;sort=-city"' in text  # again: the other way
    assert 'aria-sort="ascending"' in text
    assert 'href="?kind=specialised&amp;sort=year"' not in text and 'href="?kind=specialised&amp;sort=-year"' in text


def test_a_junk_sort_is_the_default_order(client, loaded, big_page):
    assert _rows(client.get(URL, {"sort": "password"})) == _rows(client.get(URL))


def test_paging_splits_the_list_without_repeating_a_row(client, loaded, settings):
    settings.ICDC_PORTAL_PAGE_SIZE = 10
    pages = [_rows(client.get(URL, {"sort": "city", "page": n})) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [10, 10, 7]
    pks = [pk for page in pages for pk, *_r in page]
    assert len(set(pks)) == 27 == Title.objects.count()
    text = client.get(URL, {"sort": "city", "kind": "", "page": 2}).content.decode()
    assert "第 2 页，共 3 页" in text and 'href="?sort=city&amp;page=3"' in text  # the sort survives paging
    assert _rows(client.get(URL, {"sort": "city", "page": "999"})) == pages[2]  # past the end: the last page
    assert _rows(client.get(URL, {"sort": "city", "page": "x"})) == pages[0]


def test_an_empty_result_says_so(client, divisions):
    response = client.get(URL)
    assert response.status_code == 200 and "没有符合条件的称号" in response.content.decode()


def test_the_page_is_accessible_markup(client, loaded):
    text = client.get(URL).content.decode()
    assert '<html lang="zh-CN">' in text and 'href="#main"' in text and 'id="main"' in text
    assert text.count("<h1") == 1 and "<script" not in text
    for field in ("year", "kind", "domain", "province"):
        assert f'<label class="form-label" for="id_{field}">' in text
    assert 'method="get"' in text and "csrfmiddlewaretoken" not in text
