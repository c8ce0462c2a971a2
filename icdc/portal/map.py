"""The map of China on the list of demonstration cities: titles per province, no JavaScript.

The provinces are drawn from one static SVG sprite (``ICDC_PORTAL_MAP_SPRITE``, made by
``manage.py build_portal_map`` from the boundaries, ``icdc.portal.china_map``): the page has one
``<use href="sprite#p<code>">`` per province, so the ~26 KB of boundaries are a static file the
browser caches, not part of every page. A province holding titles under the current filters (every
filter but the province: the map is how one picks it) is a link to the list filtered to it, shaded by
its band of counts (``level-1`` … ``level-4``, icdc/static/portal/portal.css); the others are drawn
neutral (``level-0``), not links. The counts come from the rows the view already read: no query.

Publishing a map of China needs an approved map (审图号): the operator replaces the boundaries
(``ICDC_PORTAL_MAP_SOURCE``) and prints the approval number (``ICDC_PORTAL_MAP_APPROVAL``); without
the sprite the page has no map, and the table (with its province column and filter) says the same.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static

#: (lowest count, highest count or None) per band: ``level-1`` … ``level-4``.
BANDS = ((1, 1), (2, 2), (3, 4), (5, None))
_VIEWBOX = re.compile(rb'viewBox="([\d. -]+)"')
_CODES = re.compile(rb'<path id="p(\d{6})"')


@dataclass(frozen=True)
class Sprite:
    url: str
    viewbox: str
    codes: tuple  # the province codes the sprite draws, sorted
    under: tuple  # what is not a province, drawn under them: ("extra", "extra-lines") when present
    inset: bool  # has the South China Sea box (``#inset``), drawn over them


@dataclass
class Province:
    code: str
    name: str
    count: int
    level: int
    url: str  # "" when the province holds no title under the filters
    current: bool


@dataclass
class MapFigure:
    sprite: Sprite
    provinces: list  # of Province, in drawing order
    bands: list  # (level, low, high or None)
    approval: str


_found: dict = {}  # static name → (path, mtime, Sprite): read once per process and file version


def sprite(name: str | None = None) -> Sprite | None:
    """The sprite's URL, view box and codes; None when it is not there (no setting, file removed)."""
    name = settings.ICDC_PORTAL_MAP_SPRITE if name is None else name
    if not name:
        return None
    known = _found.get(name)
    if known:
        path, mtime, value = known
        try:
            unchanged = os.stat(path).st_mtime == mtime
        except OSError:  # removed since: looked up again below
            unchanged = False
        if unchanged:
            return value
    path = finders.find(name)
    if not path:
        try:
            path = staticfiles_storage.path(name) if staticfiles_storage.exists(name) else None
        except NotImplementedError:  # a storage without local files
            path = None
    if not path:
        _found.pop(name, None)
        return None
    try:
        mtime = os.stat(path).st_mtime
        with open(path, "rb") as f:
            content = f.read()
    except OSError:
        return None
    viewbox = _VIEWBOX.search(content)
    codes = tuple(sorted({c.decode() for c in _CODES.findall(content)}))
    if not viewbox or not codes:
        return None
    try:
        url = static(name)
    except ValueError:  # a hashed storage whose manifest lacks it (built, not yet collected): no map
        return None
    value = Sprite(url=url, viewbox=viewbox.group(1).decode(), codes=codes,
                   under=tuple(i for i in ("extra", "extra-lines") if f'<path id="{i}"'.encode() in content),
                   inset=b'<path id="inset"' in content)
    _found[name] = (path, mtime, value)
    return value


def level_of(count: int) -> int:
    for level, (low, high) in enumerate(BANDS, start=1):
        if count >= low and (high is None or count <= high):
            return level
    return 0


def figure(rows, *, filters: dict, sort: str) -> MapFigure | None:
    """The map for the list page: ``rows`` every title (``selectors.title_rows``), ``filters`` the valid
    filters, ``sort`` the list's sort (kept in the links). None without a sprite or without titles."""
    drawn = sprite()
    if drawn is None:
        return None
    year, kind, domain = filters.get("year"), filters.get("kind"), filters.get("domain")
    counts, names = {}, {}
    for r in rows:
        if (not year or r.batch_year == year) and (not kind or r.kind == kind) \
                and (not domain or r.domain_code == domain):
            counts[r.province_code] = counts.get(r.province_code, 0) + 1
            names[r.province_code] = r.province_name
    if not counts:
        return None
    # the query after the province, encoded once (a code is six digits: nothing to encode)
    rest = urlencode({**{k: v for k, v in filters.items() if k != "province"}, "sort": sort})
    current = filters.get("province")
    provinces = []
    for code in drawn.codes:
        n = counts.get(code, 0)
        url = f"?province={code}&{rest}" if n else ""
        provinces.append(Province(code=code, name=names.get(code, ""), count=n, level=level_of(n), url=url,
                                  current=code == current))
    # neutral first, then the links, the chosen one last: its outline is drawn over its neighbours'
    provinces.sort(key=lambda p: (bool(p.url), p.current))
    return MapFigure(sprite=drawn, provinces=provinces,
                     bands=[(level, low, high) for level, (low, high) in enumerate(BANDS, start=1)],
                     approval=settings.ICDC_PORTAL_MAP_APPROVAL)
