"""The public portal (公众服务门户): no login, server-rendered, usable without JavaScript.

Every page but the verification page is cached (``icdc.portal.cache``) and dropped when a title or
a published document is saved. Views parse the query, call a selector, render.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from icdc.documents.models import PublishedDocument
from icdc.documents.services import find_published
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import oversized_uploads_check, public_file_response
from icdc.lib.throttle import throttle_post

from . import map as province_map
from . import selectors
from .cache import PARAMS, cached_public_page
from .forms import CityFilterForm, VerifyForm
from .verification import digest_of_upload, normalise_digest


@never_cache
@require_GET
def language(request, code):
    """The portal's language links (简体中文 | English): set the language cookie and go back.

    A link, not Django's ``set_language`` form: a portal page is cached whole and carries no CSRF
    token (``icdc.portal.cache``). The cookie is the one ``set_language`` sets, with the same
    settings, and ``ChineseByDefaultLocaleMiddleware`` reads it. ``next`` is followed only when it
    stays on this site (else the portal's first page); an unknown language is a 404, nothing set.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404(code)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(url=next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse("portal:index")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@cached_public_page()
def index(request):
    return render(request, "portal/index.html", {"counts": selectors.counts_for_index(),
                                                 "latest": selectors.latest_publications()})


def _sort_links(filters, sort):
    """(key, label, url, state) per sortable column: a link sorts by it, again reverses it."""
    links = []
    for key, (label, _fields) in selectors.SORTS.items():
        state = "asc" if sort == key else "desc" if sort == f"-{key}" else ""
        target = f"-{key}" if state == "asc" or (not state and key in ("year", "announced")) else key
        links.append({"key": key, "label": str(label), "state": state,
                      "url": "?" + urlencode({**filters, "sort": target})})
    return links


@cached_public_page(reads=PARAMS)
def cities(request):
    """The demonstration cities: one query (``selectors.title_rows``), filtered, sorted, paged, and the
    map of titles per province (``icdc.portal.map``) from the same rows."""
    rows = selectors.title_rows()
    choices = selectors.filter_choices(rows)
    form = CityFilterForm(request.GET or None, years=choices.years, domains=choices.domains,
                          provinces=choices.provinces)
    filters = form.filters() if request.GET else {}
    sort = selectors.parse_sort(request.GET.get("sort"))
    listed = selectors.title_list(rows, **filters, sort=sort)
    paginator = Paginator(listed.rows, settings.ICDC_PORTAL_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    response = render(request, "portal/cities.html", {
        "form": form, "selects": form.select_fields(), "filtered": bool(filters), "page": page,
        "titles": page.object_list,
        "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "query": urlencode({**filters, "sort": sort}), "sort": sort,
        "columns": _sort_links(filters, sort), "counts": listed.counts,
        "map": province_map.figure(rows, filters=filters, sort=sort),
        "city_url": reverse("portal:cities"),  # + "<code>/": portal:city, without a reverse() per row
    })
    # only pages of valid values are cached (see icdc.portal.cache): a junk value is shown, not kept
    response.portal_cacheable = (not (request.GET and form.errors)
                                 and request.GET.get("sort", sort) == sort
                                 and request.GET.get("page", str(page.number)) == str(page.number))
    return response


@cached_public_page()
def city(request, city_code):
    # a division code is six digits; anything else (even "530100x") is no page, and no cache entry
    history = selectors.city_history(city_code) if len(city_code) == 6 and city_code.isascii() \
        and city_code.isdigit() else None
    if history is None:
        raise Http404(_("该城市没有示范城市称号。"))
    return render(request, "portal/city.html", {"history": history})


@cached_public_page()
def announcements(request):
    return render(request, "portal/publications.html", {
        "kind": PublishedDocument.Kind.ANNOUNCEMENT, "heading": _("公告"),
        "intro": _("工业和信息化部关于信息消费示范城市名单的公告。"),
        "publications": selectors.publications(PublishedDocument.Kind.ANNOUNCEMENT)})


def document_download(request, pk):
    """A published document's file: the exact bytes whose SM3 the verification page knows."""
    document = selectors.public_document(pk)
    if document is None:
        raise Http404(_("文书不存在。"))
    return public_file_response(stored_name=document.file.name, display_name=f"{document.title}.{document.format}")


@throttle_post("portal.verify", rate_setting="ICDC_VERIFY_RATE")
def verify(request):
    """Is this file (or this SM3 digest) a document the Ministry published? Which one, and when?"""
    result = {}
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        try:
            oversized_uploads_check(request=request)
            if form.is_valid():
                if form.cleaned_data.get("file"):
                    digest = digest_of_upload(form.cleaned_data["file"])
                    result["source"] = "file"
                else:
                    digest = normalise_digest(form.cleaned_data["digest"])
                    result["source"] = "digest"
                result.update(digest=digest, document=find_published(digest=digest), checked=True)
        except Refusal as refusal:
            form.add_error(None, str(refusal))
    else:
        form = VerifyForm()
    return render(request, "portal/verify.html", {"form": form, **result}, status=200)
