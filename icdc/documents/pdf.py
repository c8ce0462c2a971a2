"""HTML → PDF with WeasyPrint: system CJK fonts embedded, never a network access.

``render_pdf(template_name=..., context=...)`` renders a Django template and lays it out as a
PDF. Only our own static files (``{% static %}`` URLs) and ``data:`` URLs are ever read while
rendering; every other URL — http(s), ``file:``, anything — is refused by ``StaticOnlyFetcher``,
so a document cannot make the server call out, nor read a file beside the static files, whatever
its data says.

WeasyPrint costs about 0.45 s to import: it is imported on the first render, not at start-up.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

#: Who made the document when no producing unit is named (PDF /Author, .docx author).
DEFAULT_AUTHOR = "工业和信息化部 信息消费示范城市管理平台"
#: PDF /Creator.
GENERATOR = "ICDC 信息消费示范城市管理平台"
#: The origin documents are laid out under. ``.invalid`` never resolves (RFC 2606); nothing is
#: fetched from it: the fetcher maps ``<origin><STATIC_URL>…`` to our static files.
BASE_URL = "https://icdc.invalid/"


class DocumentError(RuntimeError):
    """A document could not be produced (a missing static file named by our own template)."""


def static_prefix() -> str:
    """The absolute URL prefix ``{% static %}`` URLs have inside a document."""
    return urljoin(BASE_URL, settings.STATIC_URL)


def static_file_for(url: str) -> Path | None:
    """The file behind one of our static URLs, or None when the URL is not one of them.

    A hashed name (manifest storage, after collectstatic) is looked up in STATIC_ROOT; a plain
    name through the static finders (the apps' and icdc/static folders), as the embedded default
    serves them. ``..`` and absolute paths are refused: only files the site already publishes.
    """
    prefix = static_prefix()
    if not url.startswith(prefix):
        return None
    name = unquote(urlsplit(url[len(prefix):]).path)
    normal = posixpath.normpath(name)
    if not name or normal.startswith(("../", "/")) or normal in (".", "..") or "\\" in name or "\0" in name:
        return None
    # A storage without local paths (NotImplementedError) falls through to the app finders.
    with contextlib.suppress(NotImplementedError):
        if staticfiles_storage.exists(normal):
            return Path(staticfiles_storage.path(normal))
    found = finders.find(normal)
    return Path(found) if found else None


@functools.cache
def _fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves our static files and ``data:`` URLs; refuses every other URL without opening it.

        A refused URL leaves the resource out (WeasyPrint logs a warning and goes on); a static
        URL of ours whose file is missing stops the rendering, since our own stylesheet missing
        would otherwise give an unstyled official document.
        """

        def __init__(self):
            super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)
            self.refused = []

        def fetch(self, url, headers=None):
            if url.startswith(static_prefix()):
                path = static_file_for(url)
                if path is None or not path.is_file():
                    raise FatalURLFetchingError(f"static file not found: {url}")
                media = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml",
                         ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(path.suffix.lower(),
                                                                         "application/octet-stream")
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media})
            if url[:5].lower() == "data:":
                return super().fetch(url, headers)
            self.refused.append(url)
            logger.warning("document: refused to fetch %s", url[:200])
            raise ValueError(f"documents never fetch outside resources: {url[:200]}")

    return StaticOnlyFetcher


def static_only_fetcher():
    """A fresh fetcher (it records the URLs it refused in ``.refused``)."""
    return _fetcher_class()()


def _w3c(moment: dt.datetime | dt.date) -> str:
    if isinstance(moment, dt.datetime):
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return timezone.localtime(moment).replace(microsecond=0).isoformat()
    return moment.isoformat()


def html_to_pdf(html: str, *, title: str = "", author: str = DEFAULT_AUTHOR,
                created: dt.datetime | dt.date | None = None, fetcher=None) -> bytes:
    """Lay out an HTML string as a PDF (A4 and margins come from the document's own ``@page``).

    ``title``/``author``/``created`` become the PDF's /Title, /Author and /CreationDate
    (``created`` defaults to now, in the site's time zone).
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fetcher = fetcher or static_only_fetcher()
    fonts = FontConfiguration()  # @font-face local(…) names resolve to installed fonts only
    try:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(font_config=fonts)
    except FatalURLFetchingError as error:
        raise DocumentError(str(error.__cause__ or error)) from error
    meta = document.metadata
    if title:
        meta.title = title
    meta.authors = [author]
    meta.generator = GENERATOR
    meta.created = meta.modified = _w3c(created or timezone.now())
    return document.write_pdf()


def render_pdf(*, template_name: str, context: dict, title: str = "", author: str = DEFAULT_AUTHOR,
               created: dt.datetime | dt.date | None = None) -> bytes:
    """Render a Django template to a PDF (bytes).

    The template is rendered in the site's language (Chinese): a document's wording does not
    follow the language the person who asked for it reads the site in. ``pdf_title``,
    ``pdf_author`` and ``pdf_created`` are added to the context for the template's <head>.
    """
    when = created or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, {**context, "pdf_title": title, "pdf_author": author,
                                                "pdf_created": _w3c(when)})
    return html_to_pdf(html, title=title, author=author, created=when)
