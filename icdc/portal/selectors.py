"""Reading what the public portal shows: titles (filtered, sorted, paged), a city's history and
the documents the Ministry published. Plain reads; the pages cache what they render."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from icdc.divisions.models import Division
from icdc.documents.models import PublishedDocument
from icdc.documents.services import subject_of
from icdc.titles.models import Title

#: The sortable columns: name in the query string → (label, fields ascending).
SORTS = OrderedDict([
    ("year", (_("批次"), ("batch_year",))),
    ("city", (_("城市"), ("city_id",))),
    ("province", (_("省份"), ("province_code", "city_id"))),
    ("kind", (_("类型"), ("kind", "domain_code"))),
    ("announced", (_("公告时间"), ("announced",))),
])
DEFAULT_SORT = "-year"
#: Ties are broken the same way whatever the sort, so paging never repeats or loses a row.
TIE_BREAK = ("-batch_year", "kind", "province_code", "city_id", "domain_code", "pk")
PUBLIC_KINDS = (PublishedDocument.Kind.NOTICE, PublishedDocument.Kind.ANNOUNCEMENT,
                PublishedDocument.Kind.CERTIFICATE)


def parse_sort(value: str | None) -> str:
    """A valid sort ("year", "-city", …) or the default."""
    value = (value or "").strip()
    return value if value.lstrip("-") in SORTS else DEFAULT_SORT


def public_titles(*, year=None, kind=None, domain=None, province=None, sort=DEFAULT_SORT):
    """Titles for the public list, with their city and province; ``province`` a province-level code
    (a 直辖市 is its own province)."""
    qs = (Title.objects.select_related("city", "city__parent")
          .annotate(province_code=Coalesce(F("city__parent_id"), F("city_id"))))
    if year:
        qs = qs.filter(batch_year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if domain:
        qs = qs.filter(domain_code=domain)
    if province:
        qs = qs.filter(province_code=province)
    descending = sort.startswith("-")
    fields = SORTS[sort.lstrip("-")][1]
    order = [f"-{f}" if descending else f for f in fields]
    return qs.order_by(*order, *(f for f in TIE_BREAK if f.lstrip("-") not in fields))


def title_counts(qs) -> dict:
    """How many titles and cities a (filtered) list holds, and titles per type."""
    by_kind = dict(qs.order_by().values_list("kind").annotate(n=Count("pk")))
    return {"titles": sum(by_kind.values()), "cities": qs.order_by().values("city_id").distinct().count(),
            "by_kind": [(label, by_kind.get(value, 0)) for value, label in Title.Kind.choices]}


def years():
    return list(Title.objects.order_by("-batch_year").values_list("batch_year", flat=True).distinct())


def domains():
    """(code, label) of the specialised domains titles were awarded in."""
    return list(Title.objects.exclude(domain_code="").order_by("domain_code")
                .values_list("domain_code", "domain_label").distinct())


def provinces():
    """Province-level units with a titled city (or titled themselves), by code."""
    codes = set(Title.objects.annotate(p=Coalesce(F("city__parent_id"), F("city_id"))).values_list("p", flat=True))
    return list(Division.objects.filter(code__in=codes).order_by("code"))


@dataclass
class CityHistory:
    city: Division
    titles: list  # of Title, oldest first, each with ``.certificate`` (a PublishedDocument or None)


def city_history(code: str) -> CityHistory | None:
    """Every title a city has held, oldest first, with its published certificate; None when the
    city has none (the portal shows only demonstration cities)."""
    titles = list(Title.objects.filter(city_id=code).select_related("city", "city__parent")
                  .order_by("batch_year", "kind", "domain_code", "pk"))
    if not titles:
        return None
    certificates = certificates_of(titles)
    for title in titles:
        title.certificate = certificates.get(title.pk)
    return CityHistory(city=titles[0].city, titles=titles)


def certificates_of(titles) -> dict:
    """{title pk: its published certificate (the PDF)} for the titles given."""
    subjects = {subject_of(t): t.pk for t in titles}
    found = PublishedDocument.objects.filter(kind=PublishedDocument.Kind.CERTIFICATE, format="pdf",
                                             subject__in=subjects).order_by("published_at", "pk")
    out = {}
    for document in found:
        out.setdefault(subjects[document.subject], document)
    return out


@dataclass
class Publication:
    """One published document in its formats (the PDF and the .docx share a subject and a title)."""

    subject: str
    title: str
    number: str
    kind: str
    kind_label: str
    published_at: object
    files: list  # PublishedDocument rows, PDF first


def publications(kind: str) -> list[Publication]:
    """Published documents of ``kind`` (notice or announcement), newest first, formats grouped."""
    rows = PublishedDocument.objects.filter(kind=kind).order_by("-published_at", "-pk")
    grouped: OrderedDict[tuple, Publication] = OrderedDict()
    for row in rows:
        key = (row.subject, row.title, row.number)
        if key not in grouped:
            grouped[key] = Publication(subject=row.subject, title=row.title, number=row.number, kind=row.kind,
                                       kind_label=row.get_kind_display(), published_at=row.published_at, files=[])
        grouped[key].files.append(row)
    for publication in grouped.values():
        publication.files.sort(key=lambda r: (r.format != "pdf", r.format))
    return list(grouped.values())


def public_document(pk: int) -> PublishedDocument | None:
    return PublishedDocument.objects.filter(pk=pk, kind__in=PUBLIC_KINDS).first()


def counts_for_index() -> dict:
    return {"titles": Title.objects.count(), "cities": Title.objects.values("city_id").distinct().count(),
            "notices": PublishedDocument.objects.filter(kind="notice").values("subject").distinct().count(),
            "announcements": PublishedDocument.objects.filter(kind="announcement").values("subject").distinct()
            .count()}


def latest_publications(limit: int = 5) -> list:
    q = Q(kind=PublishedDocument.Kind.NOTICE) | Q(kind=PublishedDocument.Kind.ANNOUNCEMENT)
    return list(PublishedDocument.objects.filter(q, format="pdf").order_by("-published_at", "-pk")[:limit])
