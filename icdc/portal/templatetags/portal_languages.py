"""The portal's language links (简体中文 | English), each pointing to ``portal:language``.

A portal page is cached whole (``icdc.portal.cache``), so the ``next`` written into its links is
``cache.page_url``: the page's path and the query parameters its cache key holds, nothing else of
the request — a parameter left out of the key must not be reflected into the page kept for another
address. The template's escaping applies to the URL as to any value.
"""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from icdc.portal.cache import page_url

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_languages(context):
    """One dict per language: code, ``lang`` (BCP 47), its own name, the link, and whether current."""
    request = context.get("request")
    here = page_url(request) if request is not None else reverse("portal:index")
    current = translation.get_language()
    choices = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        choices.append({
            "code": code,
            "lang": translation.to_locale(code).replace("_", "-"),  # zh-hans → zh-Hans
            "name": info["name_local"],
            "url": f"{reverse('portal:language', args=[code])}?{urlencode({'next': here})}",
            "current": code == current,
        })
    return choices
