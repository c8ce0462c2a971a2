"""manage.py build_portal_map: the provinces' boundaries (plain GeoJSON or echarts' compressed form)
become the SVG sprite the list page's map refers to, one ``<path id="p<code>">`` per province."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from icdc.portal import china_map

SPRITE = Path(__file__).resolve().parents[2] / "icdc" / "static" / "portal" / "china-provinces.svg"
#: The 34 province-level units (GB/T 2260) the shipped map must draw.
PROVINCES = {
    "110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000", "320000",
    "330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000", "440000", "450000",
    "460000", "500000", "510000", "520000", "530000", "540000", "610000", "620000", "630000", "640000",
    "650000", "710000", "810000", "820000",
}

#: Two provinces: 北京 a polygon (with a hole), 上海 a multipolygon of two parts (a code in
#: ``properties.adcode``, nine digits as DataV writes it); the features that are not provinces (an
#: approved map's South China Sea islands and boundary line) are drawn, not as provinces.
TINY = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "110000", "properties": {"name": "北京"},
         "geometry": {"type": "Polygon", "coordinates": [
             [[100.0, 40.0], [110.0, 40.0], [110.0, 30.0], [100.0, 30.0], [100.0, 40.0]],
             [[104.0, 36.0], [106.0, 36.0], [106.0, 34.0], [104.0, 34.0], [104.0, 36.0]]]}},
        {"type": "Feature", "properties": {"name": "上海", "adcode": 310000000},
         "geometry": {"type": "MultiPolygon", "coordinates": [
             [[[112.0, 40.0], [120.0, 40.0], [120.0, 35.0], [112.0, 40.0]]],
             [[[114.0, 32.0], [120.0, 32.0], [120.0, 30.0], [114.0, 30.0], [114.0, 32.0]]]]}},
        {"type": "Feature", "properties": {"name": "南海诸岛", "adcode": "100000_JD"},
         "geometry": {"type": "Polygon", "coordinates": [[[112, 22], [113, 22], [113, 21], [112, 22]]]}},
        {"type": "Feature", "properties": {"name": "界线"},
         "geometry": {"type": "LineString", "coordinates": [[115, 25], [116, 23], [117, 22]]}},
    ],
}


def _encode_ring(ring, scale=1024):
    """echarts' compression (the inverse of its parseGeoJson decode): zigzag deltas + 64 as characters."""
    points = [(round(x * scale), round(y * scale)) for x, y in ring]
    prev, chars = points[0], []
    for x, y in points:
        for v in (x - prev[0], y - prev[1]):
            chars.append(chr(((v << 1) ^ (v >> 31)) + 64))
        prev = (x, y)
    return "".join(chars), [points[0][0], points[0][1]]


def _encoded(collection):
    out = json.loads(json.dumps(collection))
    for feature in out["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            pairs = [_encode_ring(r) for r in geometry["coordinates"]]
            geometry["coordinates"], geometry["encodeOffsets"] = [p[0] for p in pairs], [p[1] for p in pairs]
        elif geometry["type"] == "MultiPolygon":
            polygons = [[_encode_ring(r) for r in polygon] for polygon in geometry["coordinates"]]
            geometry["coordinates"] = [[p[0] for p in polygon] for polygon in polygons]
            geometry["encodeOffsets"] = [[p[1] for p in polygon] for polygon in polygons]
    out["UTF8Encoding"] = True
    return out


def _build(tmp_path, collection, *args):
    source, output = tmp_path / "provinces.json", tmp_path / "out" / "map.svg"
    source.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    stdout = io.StringIO()
    call_command("build_portal_map", "--source", str(source), "--output", str(output), *args, stdout=stdout)
    return output.read_text(encoding="utf-8"), stdout.getvalue()


def _paths(svg):
    return dict(re.findall(r'<path id="([\w-]+)" d="([^"]+)"', svg))


def test_a_polygon_and_a_multipolygon_become_one_path_each(tmp_path):
    svg, said = _build(tmp_path, TINY)
    assert re.match(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 \d+"', svg)
    paths = _paths(svg)
    assert set(paths) == {"p110000", "p310000", "extra", "extra-lines"}  # no inset for a file not echarts'
    assert svg.index('id="extra"') < svg.index('id="p110000"')  # under the provinces
    assert paths["extra"].count("z") == 1 and "z" not in paths["extra-lines"]  # a line stays open
    assert re.search(r'<path id="extra-lines" d="[^"]+" fill="none"', svg)
    assert paths["p110000"].count("M") == 2 and paths["p110000"].count("z") == 2  # the outline and its hole
    assert paths["p310000"].count("M") == 2  # two parts
    # the projection: west to east and north to south, the whole width used
    starts = {code: [tuple(map(int, m)) for m in re.findall(r"M(-?\d+) (-?\d+)", d)] for code, d in paths.items()}
    assert starts["p110000"][0] == (4, 4)  # 100°E 40°N: the top-left corner, inside the margin
    assert starts["p310000"][0][0] > starts["p110000"][0][0] and starts["p310000"][1][1] > starts["p310000"][0][1]
    assert "2 个省级区划" in said


def test_the_echarts_compressed_form_gives_the_same_map(tmp_path):
    plain, _ = _build(tmp_path, TINY)
    encoded, _ = _build(tmp_path, _encoded(TINY))
    assert _paths(encoded) == _paths(plain)
    decoded = china_map.decode(_encoded(TINY))["features"][1]["geometry"]["coordinates"]
    assert decoded[1][0][:2] == [(114.0, 32.0), (120.0, 32.0)]


def test_the_inset_is_drawn_on_request(tmp_path):
    svg, _ = _build(tmp_path, TINY, "--inset", "on")
    assert "inset" in _paths(svg)


def test_a_file_without_provinces_is_refused(tmp_path):
    with pytest.raises(CommandError, match="无法使用"):
        _build(tmp_path, {"type": "FeatureCollection", "features": []})
    with pytest.raises(CommandError, match="无法读取"):
        call_command("build_portal_map", "--source", str(tmp_path / "absent.json"),
                     "--output", str(tmp_path / "x.svg"), stdout=io.StringIO())


def test_the_source_setting_is_read(tmp_path, settings):
    source = tmp_path / "approved.json"
    source.write_text(json.dumps(TINY), encoding="utf-8")
    settings.ICDC_PORTAL_MAP_SOURCE = str(source)
    call_command("build_portal_map", "--output", str(tmp_path / "x.svg"), stdout=io.StringIO())
    assert {"p110000", "p310000"} < set(_paths((tmp_path / "x.svg").read_text()))


def test_the_committed_sprite_draws_the_34_provinces_and_is_up_to_date(tmp_path):
    committed = SPRITE.read_text(encoding="utf-8")
    paths = _paths(committed)
    assert {code for code in paths if code.startswith("p")} == {f"p{code}" for code in PROVINCES}
    assert "inset" in paths  # the South China Sea box, as echarts draws it
    assert len(committed.encode()) < 60_000
    call_command("build_portal_map", "--output", str(tmp_path / "rebuilt.svg"), stdout=io.StringIO())
    assert (tmp_path / "rebuilt.svg").read_text(encoding="utf-8") == committed  # rebuilt from the vendored file


def test_a_new_map_drops_the_cached_pages(client, loaded, settings, tmp_path):
    settings.ICDC_PORTAL_CACHE_SECONDS = 60
    url = "/portal/cities/"
    assert client.get(url)["X-Portal-Cache"] == "miss" and client.get(url)["X-Portal-Cache"] == "hit"
    _build(tmp_path, TINY)
    assert client.get(url)["X-Portal-Cache"] == "miss"


def test_the_help_names_the_settings(capsys):
    with pytest.raises(SystemExit):
        call_command("build_portal_map", "--help")
    text = capsys.readouterr().out
    assert "ICDC_PORTAL_MAP_SOURCE" in text and "ICDC_PORTAL_MAP_APPROVAL" in text
