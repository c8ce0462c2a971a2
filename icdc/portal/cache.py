"""The public pages' cache: whole rendered pages in the Django cache, dropped on publication.

``cached_public_page`` wraps a portal view: a GET is answered from the cache when the same page
(path, query, language) was rendered since the last publication, without touching the database;
otherwise the view renders it and a 200 is kept. The key holds only the query parameters the page
reads (``reads``: ``PARAMS`` for the list of cities, none for the others), and a view marks a page built from invalid values (a junk filter, a page
number past the end) ``response.portal_cacheable = False``: the number of cached variants stays
bounded by the valid filter values, whatever a client sends. A page shows its own address only as
``page_url`` (the language links' ``next``): the path and those parameters, a function of the key, so
a parameter the key leaves out never reaches a copy served for another address. Only the body and
its content type are kept: every middleware still runs on the answer (security headers, CSP,
language), and nothing that belongs to one visitor is in a portal page (no CSRF token, no account,
no messages: the portal's base template shows none; the verification page, which has a form, is not
cached).

Invalidation is by generation: every key holds the current generation token, and
``invalidate_public_pages()`` replaces the token, so all earlier pages are unreachable at once
(they expire on their own) and nothing else in the cache is touched. It is called by signals when a
``titles.Title`` or a ``documents.PublishedDocument`` is saved or deleted, at once and again when
the transaction commits (a page rendered between the two would otherwise keep the old state), so
any publication — the announcement, a notice, a certificate, ``load_titles`` — shows at once.

With a per-process cache (the embedded default) a publication in one worker does not reach
another worker's copy: pages then live ``ICDC_PORTAL_CACHE_SECONDS`` (60 s by default) at most.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import translation
from django.utils.encoding import escape_uri_path

GENERATION_KEY = "portal:generation"
PREFIX = "portal:page"
#: The query parameters the list of cities reads; any other is left out of its key (``?x=1``, ``?x=2``, …
#: must not fill the cache with copies of one page). A page declares what it reads
#: (``cached_public_page(reads=...)``): the index, a city's history and the archive read none.
PARAMS = ("year", "kind", "domain", "province", "sort", "page")


def _generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex[:12]
        if not cache.add(GENERATION_KEY, token, timeout=None):
            token = cache.get(GENERATION_KEY) or token
    return token


def page_params(request) -> str:
    """The query a cached page is kept under: the parameters the page reads (``PARAMS`` for a page
    that declares none), in their order, the last value of each (what ``request.GET.get`` gives the
    view), percent-encoded — ``?year=a%26page%3D2`` and ``?year=a&page=2`` are two pages, not one."""
    reads = getattr(request, "portal_reads", PARAMS)
    return urlencode([(name, request.GET.get(name, "")) for name in reads if name in request.GET])


def page_url(request) -> str:
    """The address of the page as cached: its path and ``page_params``, no other parameter.

    Whatever a cached page shows of its own address (the language links' ``next``) must be
    this, a function of the key: the page kept for ``/portal/?x=<junk>`` is the one served for
    ``/portal/``, so a parameter outside the key must never reach its HTML."""
    params = page_params(request)
    return escape_uri_path(request.path) + (f"?{params}" if params else "")


def page_key(request) -> str:
    raw = f"{translation.get_language()}|{request.path}|{page_params(request)}".encode()
    return f"{PREFIX}:{_generation()}:{hashlib.sha256(raw).hexdigest()[:32]}"


def invalidate_public_pages() -> None:
    """Every cached public page is stale from now on (called on publication)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex[:12], timeout=None)


def cached_public_page(*, reads: tuple[str, ...] = ()):
    """Serve a GET of a public page from the cache; keep a rendered 200 (see the module docstring).
    ``reads``: the query parameters the view reads; only they make two addresses two pages."""
    return functools.partial(_cached, reads=tuple(reads))


def _cached(view, *, reads):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.portal_reads = reads
        seconds = settings.ICDC_PORTAL_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or seconds <= 0:
            return view(request, *args, **kwargs)
        key = page_key(request)
        hit = cache.get(key)
        if hit is not None:
            content_type, body = hit
            response = HttpResponse(body, content_type=content_type)
            response["X-Portal-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if getattr(response, "portal_cacheable", True):
                cache.set(key, (response["Content-Type"], response.content), timeout=seconds)
            response["X-Portal-Cache"] = "miss"
        return response

    return wrapper


def _on_publication(sender, **kwargs):
    invalidate_public_pages()
    transaction.on_commit(invalidate_public_pages)


def connect_signals() -> None:
    from icdc.documents.models import PublishedDocument
    from icdc.titles.models import Title

    for model in (Title, PublishedDocument):
        post_save.connect(_on_publication, sender=model, dispatch_uid=f"portal-cache-{model._meta.label_lower}-save")
        post_delete.connect(_on_publication, sender=model,
                            dispatch_uid=f"portal-cache-{model._meta.label_lower}-delete")
