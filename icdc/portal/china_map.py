"""The provinces' boundaries as an SVG sprite for the public map (pure: plain data in, text out).

The portal draws its map of China without JavaScript: ``build_portal_map`` turns a GeoJSON file of
the provinces (by default the vendored ``data/china-provinces.json``, echarts 4.9.0's
``map/json/china.json``; an operator's approved map in its place, ``ICDC_PORTAL_MAP_SOURCE``) into one
SVG file holding a ``<path id="p<code>">`` per province, and the list page refers to each with
``<use href="…svg#p<code>">`` (``icdc.portal.map``).

Input: a GeoJSON FeatureCollection, plain or in echarts' compressed form (``"UTF8Encoding": true``:
each ring a string, every coordinate pair two characters, zigzag-encoded deltas + 64, scaled by
``UTF8Scale`` (1024), starting from the ring's ``encodeOffsets``; echarts'
``src/coord/geo/parseGeoJson.js``). A feature's code is its ``id`` or ``properties.id``/``adcode``/
``code``, six digits (a 9-digit ``adcode`` such as 100000000 is cut to six); one without a code is left out.

Projection: equirectangular with the longitude scaled by cos(35°) (the parallel through the middle of
China), y pointing south; then scaled so the map is ``WIDTH`` units wide, rounded to whole units.
It distorts areas little enough for a choropleth of provinces and needs no library. Simplification:
Douglas–Peucker at ``TOLERANCE`` units, repeated points dropped, rings smaller than ``MIN_RING`` units
across dropped (but never a province's largest ring, so 澳门 stays on the map, however small).
"""

from __future__ import annotations

import math
import re

WIDTH = 1000
MARGIN = 4
TOLERANCE = 0.7
MIN_RING = 2.5
STANDARD_PARALLEL = 35.0
_CODE = re.compile(r"^\d{6}$")


def decode(collection: dict) -> dict:
    """The collection with plain coordinates (echarts' ``UTF8Encoding`` decoded; a plain file as it is)."""
    if not collection.get("UTF8Encoding"):
        return collection
    scale = collection.get("UTF8Scale") or 1024
    features = []
    for feature in collection.get("features", []):
        geometry = feature.get("geometry") or {}
        offsets = geometry.get("encodeOffsets") or []
        coordinates = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            decoded = [_decode_ring(ring, offsets[i], scale) for i, ring in enumerate(coordinates)]
        elif geometry.get("type") == "MultiPolygon":
            decoded = [[_decode_ring(ring, offsets[i][j], scale) for j, ring in enumerate(polygon)]
                       for i, polygon in enumerate(coordinates)]
        else:
            decoded = coordinates
        features.append({**feature, "geometry": {"type": geometry.get("type"), "coordinates": decoded}})
    return {**collection, "features": features, "UTF8Encoding": False}


def _decode_ring(text: str, offset, scale: float) -> list:
    if not isinstance(text, str):  # already plain
        return text
    x, y = offset[0], offset[1]
    points = []
    for i in range(0, len(text) - 1, 2):
        dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)  # zigzag
        y += (dy >> 1) ^ -(dy & 1)
        points.append((x / scale, y / scale))
    return points


def feature_code(feature: dict) -> str | None:
    properties = feature.get("properties") or {}
    for value in (feature.get("id"), properties.get("id"), properties.get("adcode"), properties.get("code")):
        code = str(value or "").strip()
        if len(code) == 9 and code.isdigit():
            code = code[:6]
        if _CODE.match(code):
            return code
    return None


def _is_province(code: str) -> bool:
    return code.endswith("0000") and code != "100000"


def _polygons(geometry: dict) -> list:
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if geometry.get("type") == "Polygon" else \
        coordinates if geometry.get("type") == "MultiPolygon" else []
    polygons = [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon if ring] for polygon in polygons]
    return [p for p in polygons if p]


def _lines(geometry: dict) -> list:
    coordinates = geometry.get("coordinates") or []
    lines = [coordinates] if geometry.get("type") == "LineString" else \
        coordinates if geometry.get("type") == "MultiLineString" else []
    return [[(float(p[0]), float(p[1])) for p in line] for line in lines if len(line) > 1]


def provinces(collection: dict) -> list[tuple[str, str, list]]:
    """[(code, name, [polygon: [ring: [(lon, lat)]]])] of the province-level features (a six-digit code
    ending in 0000, not the country's 100000) with a polygon."""
    return features(collection)[0]


def features(collection: dict) -> tuple[list, list, list]:
    """(provinces as ``provinces`` gives them, the other features' polygons' rings, their lines): what is
    not a province — the South China Sea islands and boundary line of an approved map (DataV's
    ``100000_JD``), a country outline — is kept and drawn, never linked."""
    found, rings, lines = [], [], []
    for feature in decode(collection).get("features", []):
        code, geometry = feature_code(feature), feature.get("geometry") or {}
        polygons = _polygons(geometry)
        if code and _is_province(code) and polygons:
            found.append((code, str((feature.get("properties") or {}).get("name", "")), polygons))
        else:
            rings += [ring for polygon in polygons for ring in polygon]
            lines += _lines(geometry)
    return found, rings, lines


def _project(lon: float, lat: float) -> tuple[float, float]:
    return lon * math.cos(math.radians(STANDARD_PARALLEL)), -lat


def _simplify(points: list, tolerance: float) -> list:
    """Douglas–Peucker (iterative), first and last points kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, index = -1.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / length if length else math.hypot(px - ax, py - ay)
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring_path(points: list, digits: int = 0) -> str:
    """``M x y l dx dy …z`` (relative moves: short numbers); "" for a ring of fewer than 3 points.
    ``digits``: decimals kept (whole units for the provinces)."""
    factor = 10 ** digits
    rounded = _rounded(points, factor)
    if len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    return _relative(rounded, factor) + "z" if len(rounded) > 2 else ""


def _rounded(points: list, factor: int) -> list:
    """The points in 1/``factor`` units, repeats dropped."""
    out = []
    for x, y in points:
        p = (round(x * factor), round(y * factor))
        if not out or out[-1] != p:
            out.append(p)
    return out


def _relative(rounded: list, factor: int) -> str:
    pairs = "".join(_pair(x1 - x0, y1 - y0, factor) for (x0, y0), (x1, y1) in zip(rounded, rounded[1:], strict=False))
    return f"M{_num(rounded[0][0], factor)} {_num(rounded[0][1], factor)}l{pairs.lstrip()}"


def _num(value: int, factor: int) -> str:
    if factor == 1:
        return str(value)
    text = f"{value / factor:.{len(str(factor)) - 1}f}".rstrip("0").rstrip(".")
    return text.replace("0.", ".", 1) if text.startswith("0.") else text.replace("-0.", "-.", 1)


def _pair(dx: int, dy: int, factor: int = 1) -> str:
    # "3-2" needs no space before a minus sign; "3 2" does
    x, y = _num(dx, factor), _num(dy, factor)
    return (x if x.startswith("-") else f" {x}") + (y if y.startswith("-") else f" {y}")


def build_svg(collection: dict, *, inset: list | None = None, source_note: str = "") -> tuple[str, dict]:
    """(the SVG text, {code: name}) for a FeatureCollection of provinces: ``<path id="p<code>">`` per
    province; the features that are not provinces as ``<path id="extra">`` (their polygons) and
    ``<path id="extra-lines">`` (their lines), drawn under the provinces; ``inset``: rings in (lon, lat)
    drawn as ``<path id="inset">`` over them (the South China Sea box; see ``NANHAI_INSET``). Every
    part is inside the view box: a boundary line is never cropped."""
    found, extra_rings, extra_lines = features(collection)
    if not found:
        raise ValueError("no province with a six-digit code and a polygon")
    projected = {code: [[[_project(*p) for p in ring] for ring in polygon] for polygon in polygons]
                 for code, _name, polygons in found}
    inset_rings = [[_project(*p) for p in ring] for ring in (inset or [])]
    extra_rings = [[_project(*p) for p in ring] for ring in extra_rings]
    extra_lines = [[_project(*p) for p in line] for line in extra_lines]
    every = [ring for polygons in projected.values() for polygon in polygons for ring in polygon]
    every += inset_rings + extra_rings + extra_lines
    xs = [x for ring in every for x, _y in ring]
    ys = [y for ring in every for _x, y in ring]
    left, top = min(xs), min(ys)
    scale = (WIDTH - 2 * MARGIN) / ((max(xs) - left) or 1)
    height = math.ceil((max(ys) - top) * scale) + 2 * MARGIN

    def to_view(ring):
        return [((x - left) * scale + MARGIN, (y - top) * scale + MARGIN) for x, y in ring]

    lines = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" fill="#dde3ea" '
             f'stroke="#fff" stroke-width="0.8">']
    if source_note:
        lines.append(f"<!-- {_comment(source_note)} -->")
    # what is not a province: one decimal, less simplified (the dashes of a boundary line are small)
    d = "".join(_ring_path(_simplify(to_view(ring), TOLERANCE / 4), digits=1) for ring in extra_rings)
    if d:
        lines.append(f'<path id="extra" d="{d}" fill="#8a99a8" stroke="none"/>')
    d = "".join(_line_path(_simplify(to_view(line), TOLERANCE / 4), digits=1) for line in extra_lines)
    if d:
        lines.append(f'<path id="extra-lines" d="{d}" fill="none" stroke="#8a99a8"/>')
    names = {}
    for code, name, _polygons in sorted(found):
        rings = []
        for polygon in projected[code]:
            for i, ring in enumerate(polygon):
                rings.append((i == 0, to_view(ring)))
        largest = max((r for outer, r in rings if outer), key=_extent)
        parts = []
        for _outer, ring in rings:
            if ring is not largest and _extent(ring) < MIN_RING:
                continue
            parts.append(_ring_path(_simplify(ring, TOLERANCE)))
        d = "".join(p for p in parts if p) or _ring_path(largest)
        if not d:
            continue
        names[code] = name
        lines.append(f'<path id="p{code}" d="{d}"/>')
    if inset_rings:
        d = "".join(_ring_path(to_view(ring), digits=1) for ring in inset_rings)
        lines.append(f'<path id="inset" d="{d}" fill="#8a99a8"/>')
    lines.append("</svg>")
    return "\n".join(lines) + "\n", names


def _line_path(points: list, digits: int = 0) -> str:
    """An open line, ``M x y l dx dy …``; "" for fewer than 2 distinct points."""
    factor = 10 ** digits
    rounded = _rounded(points, factor)
    return _relative(rounded, factor) if len(rounded) > 1 else ""


def _extent(ring) -> float:
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def _comment(text: str) -> str:
    return text.replace("--", "- -").replace(">", ")")


def _nanhai() -> list:
    """echarts 4.9.0's ``src/coord/geo/fix/nanhai.js`` (Apache-2.0): the South China Sea inset (the
    islands' box and the boundary dashes) that echarts adds to its map of China, as (lon, lat) rings."""
    lon0, lat0 = 126, 25
    rings = [
        [[0, 3.5], [7, 11.2], [15, 11.9], [30, 7], [42, 0.7], [52, 0.7], [56, 7.7], [59, 0.7], [64, 0.7],
         [64, 0], [5, 0], [0, 3.5]],
        [[13, 16.1], [19, 14.7], [16, 21.7], [11, 23.1], [13, 16.1]],
        [[12, 32.2], [14, 38.5], [15, 38.5], [13, 32.2], [12, 32.2]],
        [[16, 47.6], [12, 53.2], [13, 53.2], [18, 47.6], [16, 47.6]],
        [[6, 64.4], [8, 70], [9, 70], [8, 64.4], [6, 64.4]],
        [[23, 82.6], [29, 79.8], [30, 79.8], [25, 82.6], [23, 82.6]],
        [[37, 70.7], [43, 62.3], [44, 62.3], [39, 70.7], [37, 70.7]],
        [[48, 51.1], [51, 45.5], [53, 45.5], [50, 51.1], [48, 51.1]],
        [[51, 35], [51, 28.7], [53, 28.7], [53, 35], [51, 35]],
        [[52, 22.4], [55, 17.5], [56, 17.5], [53, 22.4], [52, 22.4]],
        [[58, 12.6], [62, 7], [63, 7], [60, 12.6], [58, 12.6]],
        [[0, 3.5], [0, 93.1], [64, 93.1], [64, 0], [63, 0], [63, 92.4], [1, 92.4], [1, 3.5], [0, 3.5]],
    ]
    # echarts draws latitude 1/0.75 taller than longitude; here longitude is cos(35°) narrower: the
    # box keeps echarts' proportions
    stretch = 0.75 / math.cos(math.radians(STANDARD_PARALLEL))
    return [[(lon0 + x / 10.5 * stretch, lat0 - y / 10.5 * 0.75) for x, y in ring] for ring in rings]


NANHAI_INSET = _nanhai()
