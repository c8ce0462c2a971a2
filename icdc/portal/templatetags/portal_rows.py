"""The public list's table body and its map's provinces, rendered in Python.

The list of demonstration cities is the portal's busiest page and is served uncached whenever the
cache is cold or off. Rendered cell by cell by the template language (or by ``format_html``, whose
lazy-aware escaping wraps every value) its rows cost more than the rest of the page. Each value here
is escaped by ``html.escape`` — what ``django.utils.html.escape`` itself calls — once, and the
row is one f-string: the same HTML (``tests/portal/test_cities.py``) at a fraction of the cost,
measured in instructions by callgrind (docs/notes/issue14-15-portal.md).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def title_rows(titles, city_url):
    """A ``<tr>`` per title: year, city (linked to its history), province, title (with its status when
    not active), type, announcement."""
    url = escape(str(city_url))
    rows = []
    for t in titles:
        city, year = escape(str(t.city_id)), escape(str(t.batch_year))
        status = "" if t.status == "active" else f" （{escape(str(t.status_label))}）"
        rows.append(
            f'<tr data-title="{t.pk:d}" data-city="{city}" data-year="{year}"><td>{year}</td>'
            f'<th scope="row"><a href="{url}{city}/">{escape(str(t.city_name))}</a></th>'
            f'<td>{escape(str(t.province_name))}</td>'
            f'<td class="icdc-wrap">{escape(str(t.full_title))}{status}</td>'
            f'<td>{escape(str(t.kind_label))}</td><td>{escape(str(t.announced))}</td></tr>\n')
    return mark_safe("".join(rows))  # every value above is escaped


@register.simple_tag
def province_map(figure, label):
    """The map's ``<svg>`` (``icdc.portal.map.figure``): a ``<use>`` of the sprite per province; a province
    with titles is a link named 「北京市：3 项称号」 (``aria-label`` and ``<title>``), the others are drawn
    neutral and hidden from assistive technology (the table below lists the same titles)."""
    sprite = escape(figure.sprite.url)
    name_format = gettext("%(name)s：%(count)d 项称号")
    parts = [f'<svg class="portal-map-svg" viewBox="{escape(figure.sprite.viewbox)}" role="group" '
             f'aria-label="{escape(str(label))}" data-testid="map">']
    parts += [f'<use href="{sprite}#{part}" class="portal-map-decor" aria-hidden="true"/>' for part in figure.sprite.under]
    for p in figure.provinces:
        code = escape(p.code)
        if not p.url:
            parts.append(f'<use href="{sprite}#p{code}" class="level-0" aria-hidden="true"/>')
            continue
        name = escape(name_format % {"name": p.name, "count": p.count})
        current = ' aria-current="true"' if p.current else ""
        parts.append(f'<a href="{escape(p.url)}" aria-label="{name}" data-province="{code}" data-count="{p.count:d}"'
                     f'{current}><title>{name}</title><use href="{sprite}#p{code}" '
                     f'class="level-{p.level:d}{" current" if p.current else ""}"/></a>')
    if figure.sprite.inset:
        parts.append(f'<use href="{sprite}#inset" class="portal-map-decor" aria-hidden="true"/>')
    parts.append("</svg>")
    return mark_safe("\n".join(parts))  # every value above is escaped
