"""The map on the list of demonstration cities: a province holding titles under the batch, type and
domain filters is a link to the list filtered to it, named with its count; the others are drawn but
are not links; without the map's sprite the page is the table alone."""

import re
from collections import Counter
from html import unescape

import pytest
from django.urls import reverse

from icdc.portal import china_map
from icdc.titles.models import Title
from tests.portal.test_build_portal_map import PROVINCES, TINY

URL = reverse("portal:cities")
LINK = re.compile(r'<a href="([^"]*)" aria-label="([^"]*)" data-province="(\d+)" data-count="(\d+)"([^>]*)>'
                  r'<title>([^<]*)</title><use href="([^"]*)" class="([^"]*)"/></a>')


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.ICDC_PORTAL_CACHE_SECONDS = 0


def _map(response):
    text = response.content.decode()
    found = re.search(r'<svg class="portal-map-svg".*?</svg>', text, re.S)
    return found.group(0) if found else None


def _links(svg):
    """{province: (count, url, name, title, use href, class, other attributes)}"""
    return {code: (int(n), unescape(href), unescape(label), unescape(title), use, cls, rest)
            for href, label, code, n, rest, title, use, cls in LINK.findall(svg)}


def _expected(**filters):
    """Titles per province code, counted from the database (a 直辖市 is its own province)."""
    counts = Counter()
    for title in Title.objects.filter(**filters).select_related("city"):
        counts[title.city.parent_id or title.city_id] += 1
    return dict(counts)


def test_every_province_with_titles_links_to_the_list_filtered_to_it(client, loaded):
    svg = _map(client.get(URL))
    links = _links(svg)
    assert {code: n for code, (n, *_r) in links.items()} == _expected() and links["340000"][0] == 6
    count, url, name, title, use, cls, _rest = links["340000"]
    assert url == "?province=340000&sort=-year" and name == title == "安徽省：6 项称号"
    assert use == "/static/portal/china-provinces.svg#p340000" and cls == "level-4"
    assert links["110000"][2] == "北京市：1 项称号" and links["110000"][5] == "level-1"
    # the link opens the list filtered to the province, with that many rows
    listed = client.get(URL + url)
    assert listed.content.decode().count("<tr data-title=") == count


def test_the_map_follows_every_filter_but_the_province(client, loaded):
    svg = _map(client.get(URL, {"year": "2021", "kind": "specialised", "province": "340000", "sort": "city"}))
    links = _links(svg)
    assert {code: n for code, (n, *_r) in links.items()} == _expected(batch_year=2021, kind="specialised")
    assert len(links) > 1  # other provinces stay on the map while 安徽 is chosen
    for code, (_n, url, *_r) in links.items():
        assert url == f"?province={code}&year=2021&kind=specialised&sort=city"
    chosen = [code for code, link in links.items() if 'aria-current="true"' in link[6]]
    assert chosen == ["340000"] and "current" in links["340000"][5].split()
    assert re.findall(r'data-province="(\d+)"', svg)[-1] == "340000"  # drawn last: its outline on top


def test_provinces_without_titles_are_drawn_but_not_links(client, loaded):
    svg = _map(client.get(URL, {"year": "2021"}))
    linked = set(_links(svg))
    neutral = set(re.findall(r'<use href="[^"]*#p(\d+)" class="level-0" aria-hidden="true"/>', svg))
    assert linked == set(_expected(batch_year=2021)) and "650000" in neutral
    assert linked | neutral == PROVINCES and not linked & neutral
    assert svg.count("<a ") == len(linked)


def test_every_map_link_has_an_accessible_name(client, loaded):
    svg = _map(client.get(URL))
    anchors = re.findall(r"<a [^>]*>", svg)
    assert len(anchors) == len(_expected()) > 10
    for anchor in anchors:
        assert re.search(r'aria-label="[^"：]+：\d+ 项称号"', anchor), anchor
    assert 'role="group" aria-label="各省份示范城市称号数量地图"' in svg
    text = client.get(URL).content.decode()
    assert '<figure class="portal-map" aria-labelledby="map-caption">' in text
    assert "下方表格列出相同数据" in text


def test_the_approval_number_is_shown_when_set(client, loaded, settings):
    assert 'data-testid="map-approval"' not in client.get(URL).content.decode()
    settings.ICDC_PORTAL_MAP_APPROVAL = "审图号：GS(2024)0650号"
    assert '<p class="portal-map-approval" data-testid="map-approval">审图号：GS(2024)0650号</p>' \
        in client.get(URL).content.decode()


def test_without_the_sprite_the_page_is_the_table_alone(client, loaded, settings, tmp_path):
    # an operator's own sprite, then removed: the page follows the file
    svg, _names = china_map.build_svg(TINY)
    (tmp_path / "portal").mkdir()
    sprite = tmp_path / "portal" / "approved.svg"
    sprite.write_text(svg, encoding="utf-8")
    settings.STATICFILES_DIRS = [tmp_path]
    settings.ICDC_PORTAL_MAP_SPRITE = "portal/approved.svg"
    drawn = _map(client.get(URL))
    links = _links(drawn)
    # what is not a province (the South China Sea islands, a boundary line) is drawn first, unlinked
    assert re.search(r'data-testid="map">\n<use href="/static/portal/approved.svg#extra" class="portal-map-decor" '
                     r'aria-hidden="true"/>\n<use href="[^"]+#extra-lines"', drawn)
    assert set(links) == {"110000", "310000"} and "340000" in _expected()  # the sprite draws only these two
    sprite.unlink()
    response = client.get(URL)
    assert response.status_code == 200 and _map(response) is None and 'class="portal-map"' not in \
        response.content.decode()
    assert response.content.decode().count("<tr data-title=") == 20
    settings.ICDC_PORTAL_MAP_SPRITE = ""  # the setting turns it off too
    assert _map(client.get(URL)) is None


def test_the_map_costs_no_query(client, loaded, settings, django_assert_num_queries):
    client.get(URL)
    with django_assert_num_queries(1):
        assert _map(client.get(URL, {"year": "2020"})) is not None
    settings.ICDC_PORTAL_MAP_SPRITE = ""
    with django_assert_num_queries(1):
        client.get(URL, {"year": "2020"})


def test_a_sprite_missing_from_the_static_manifest_means_no_map(client, loaded, monkeypatch):
    # ManifestStaticFilesStorage raises ValueError for a file built after the last collectstatic
    from icdc.portal import map as province_map

    def missing(name):
        raise ValueError(f"Missing staticfiles manifest entry for '{name}'")

    monkeypatch.setattr(province_map, "_found", {})
    monkeypatch.setattr(province_map, "static", missing)
    response = client.get(URL)
    assert response.status_code == 200 and _map(response) is None
    assert response.content.decode().count("<tr data-title=") == 20
