"""Reading what the public portal shows: titles (filtered, sorted, paged), a city's history and
the documents the Ministry published. Plain reads; the pages cache what they render."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from icdc.divisions.models import Division
from icdc.documents.models import PublishedDocument
from icdc.documents.services import subject_of
from icdc.titles.models import Title

#: The sortable columns: name in the query string → (label, row keys ascending).
SORTS = OrderedDict([
    ("year", (_("批次"), ("batch_year",))),
    ("city", (_("城市"), ("city_id",))),
    ("province", (_("省份"), ("province_code", "city_id"))),
    ("kind", (_("类型"), ("kind", "domain_code"))),
    ("announced", (_("公告时间"), ("announced",))),
])
DEFAULT_SORT = "-year"
#: Ties are broken the same way whatever the sort, so paging never repeats or loses a row.
TIE_BREAK = ("batch_year", "kind", "province_code", "city_id", "domain_code", "pk")
PUBLIC_KINDS = (PublishedDocument.Kind.NOTICE, PublishedDocument.Kind.ANNOUNCEMENT,
                PublishedDocument.Kind.CERTIFICATE)
_ROW_FIELDS = ("pk", "batch_year", "kind", "domain_code", "domain_label", "award_title", "announced", "status",
               "city_id", "city__name", "city__parent_id", "city__parent__name")


def parse_sort(value: str | None) -> str:
    """A valid sort ("year", "-city", …) or the default."""
    value = (value or "").strip()
    return value if value.lstrip("-") in SORTS else DEFAULT_SORT


@dataclass
class TitleRow:
    """One title as the public list shows it (plain values, no model instance)."""

    pk: int
    batch_year: int
    kind: str
    kind_label: str
    domain_code: str
    domain_label: str
    full_title: str
    announced: str
    status: str
    status_label: str
    city_id: str
    city_name: str
    province_code: str
    province_name: str


@dataclass
class TitleList:
    """What the public list shows: the rows (filtered and sorted) and their counts."""

    rows: list
    counts: dict


@dataclass
class FilterChoices:
    """The filters' choices, from every title."""

    years: list
    domains: list  # (code, label)
    provinces: list  # (code, name)


def title_rows() -> list:
    """Every title as a ``TitleRow``, in one query. Titles are few (one per award: tens a year), so the
    public list filters, sorts and counts them in Python (``filter_choices``, ``title_list``, both
    pure) rather than with a query per filter's choices and per count: one query whatever the
    filters (bench/portal.py)."""
    # labels as plain text once per call (a lazy label costs a translation lookup at every use)
    kinds = {k: str(v) for k, v in Title.Kind.choices}
    statuses = {k: str(v) for k, v in Title._meta.get_field("status").choices}
    rows = []
    for v in Title.objects.values_list(*_ROW_FIELDS).order_by():
        pk, year, kind, domain_code, domain_label, award, announced, status, city, city_name, parent, parent_name = v
        rows.append(TitleRow(pk=pk, batch_year=year, kind=kind, kind_label=kinds.get(kind, kind),
                             domain_code=domain_code, domain_label=domain_label,
                             full_title=f"{award} · {domain_label}" if domain_label else award,
                             announced=announced, status=status, status_label=statuses.get(status, status),
                             city_id=city, city_name=city_name, province_code=parent or city,
                             province_name=parent_name or city_name))
    return rows


def filter_choices(rows) -> FilterChoices:
    return FilterChoices(years=sorted({r.batch_year for r in rows}, reverse=True),
                         domains=sorted({(r.domain_code, r.domain_label) for r in rows if r.domain_code}),
                         provinces=sorted({(r.province_code, r.province_name) for r in rows}))


def _sorted(rows, sort):
    descending = sort.startswith("-")
    fields = SORTS[sort.lstrip("-")][1]
    rest = [f for f in TIE_BREAK if f not in fields]
    rows = sorted(rows, key=lambda r: tuple(getattr(r, f) for f in rest))
    return sorted(rows, key=lambda r: tuple(getattr(r, f) for f in fields), reverse=descending)  # stable


def title_list(rows, *, year=None, kind=None, domain=None, province=None, sort=DEFAULT_SORT) -> TitleList:
    """The titles filtered (``province`` a province-level code; a 直辖市 is its own province) and
    sorted, with the counts: how many titles and cities, titles per type."""
    rows = [r for r in rows
            if (not year or r.batch_year == year) and (not kind or r.kind == kind)
            and (not domain or r.domain_code == domain) and (not province or r.province_code == province)]
    by_kind = {}
    for r in rows:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
    counts = {"titles": len(rows), "cities": len({r.city_id for r in rows}),
              "by_kind": [(str(label), by_kind.get(value, 0)) for value, label in Title.Kind.choices]}
    return TitleList(rows=_sorted(rows, sort), counts=counts)


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
