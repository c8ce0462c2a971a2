"""The public list's table body, rendered in Python.

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
