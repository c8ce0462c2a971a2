"""Reads of indicator versions and statistics, with the queries they need and no more."""

from django.db.models import Count, Prefetch, Q

from .models import (
    Dimension,
    Domain,
    Indicator,
    IndicatorSetVersion,
    IndicatorSystem,
    StatisticFigure,
    WeightDerivation,
)
from .validation import TOTAL_POINTS, system_totals


def versions():
    """All versions, newest first, with what the list page shows."""
    return (
        IndicatorSetVersion.objects.select_related("derived_from", "created_by")
        .annotate(indicator_count=Count("indicators"))
        .order_by("-created_at", "-id")
    )


def statistics_versions():
    """Versions a statistics import may be checked against: published or locked first, newest first."""
    return sorted(IndicatorSetVersion.objects.all(), key=lambda v: (v.status == v.Status.DRAFT, -v.pk))


def default_statistics_version():
    candidates = statistics_versions()
    return candidates[0] if candidates else None


def _systems(version):
    dimensions = Dimension.objects.select_related("domain").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id"))
    )
    return list(
        IndicatorSystem.objects.filter(version=version)
        .order_by("position", "id")
        .prefetch_related(Prefetch("dimensions", queryset=dimensions.order_by("position", "id")))
    )


def _domains(version):
    return list(Domain.objects.filter(version=version).order_by("position", "id"))


def _indicator_doc(i):
    return {
        "code": i.code, "name": i.name, "kind": i.kind, "unit": i.unit, "weight": i.weight, "rule": i.rule,
        "floor": i.floor, "target": i.target, "source": i.source,
    }


def _system_doc(system):
    return {
        "code": system.code, "name": system.name, "applies_to": system.applies_to,
        "dimensions": [
            {"code": d.code, "name": d.name, "domain": d.domain.code if d.domain else None,
             "indicators": [_indicator_doc(i) for i in d.indicators.all()]}
            for d in system.dimensions.all()
        ],
    }


def version_document(version):
    """The version as a canonical document (``yaml_io``), the form export and validation use."""
    return {
        "version": version.label,
        "systems": [_system_doc(s) for s in _systems(version)],
        "domains": [{"code": d.code, "name": d.name} for d in _domains(version)],
        "extras": version.extras or {},
    }


def version_counts(version):
    """How much a version holds, for the confirmation pages (four small counts)."""
    return {
        "systems": IndicatorSystem.objects.filter(version=version).count(),
        "dimensions": Dimension.objects.filter(system__version=version).count(),
        "indicators": Indicator.objects.filter(version=version).count(),
        "derivations": WeightDerivation.objects.filter(version=version).count(),
    }


def version_tree(version):
    """Systems → dimensions → indicators for the tree page, with subtotals and the totals
    that must each be 100 points (one per domain when a system has a per-domain part)."""
    domains = _domains(version)
    names = {d.code: d.name for d in domains}
    systems = _systems(version)
    for system in systems:
        for dimension in system.dimensions.all():
            dimension.subtotal = sum((i.weight for i in dimension.indicators.all()), 0)
        totals = system_totals(_system_doc(system), [d.code for d in domains])
        system.totals = [
            {"domain": names.get(code, code) if code else None, "total": total, "ok": total == TOTAL_POINTS}
            for code, total in totals.items()
        ]
    return {"systems": systems, "domains": domains}


def indicators_by_code(version):
    """code → Indicator of a version (with its dimension and system), for lookups by stable code."""
    rows = Indicator.objects.filter(version=version).select_related("dimension__system")
    return {i.code: i for i in rows}


def ordered_indicators(version):
    """A version's indicators in reading order (system, dimension, indicator)."""
    return list(
        Indicator.objects.filter(version=version).select_related("dimension__system").order_by(
            "dimension__system__position", "dimension__system__id", "dimension__position", "dimension__id",
            "position", "id")
    )


#: Sort keys the statistics list accepts (a whitelist: never a field name from the URL), each
#: with its tie-breakers so a page boundary is stable.
FIGURE_ORDER = {
    "city": ("city_id", "-year", "indicator_code"),
    "city_name": ("city__name", "city_id", "-year", "indicator_code"),
    "province": ("city__parent__name", "city_id", "-year", "indicator_code"),
    "year": ("year", "city_id", "indicator_code"),
    "indicator": ("indicator_code", "-year", "city_id"),
    "value": ("value", "id"),
    "source": ("source", "-year", "city_id", "indicator_code"),
    "entered_at": ("entered_at", "id"),
}
DEFAULT_FIGURE_ORDER = ("-year", "city_id", "indicator_code")


def _descending(fields):
    return tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)


def figure_order(sort):
    """``value`` → ascending by value, ``-value`` → descending; None or unknown → the default."""
    if not sort:
        return DEFAULT_FIGURE_ORDER
    fields = FIGURE_ORDER.get(sort.lstrip("-"))
    if fields is None:
        return DEFAULT_FIGURE_ORDER
    return _descending(fields[:1]) + fields[1:] if sort.startswith("-") else fields


def _search(figures, text):
    """A 6-digit code matches exactly; other digits a code prefix (37 → 山东省的城市); words match
    the city's name or short name or its province's name (济南, 山东)."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return figures.filter(city_id=text) if len(text) == 6 else figures.filter(city__code__startswith=text)
    return figures.filter(Q(city__name__icontains=text) | Q(city__short_name__icontains=text)
                          | Q(city__parent__name__icontains=text))


def statistic_figures(*, year=None, city_code=None, search=None, sort=None):
    """Figures for the list and the export: filtered by year, exact city code, or a search by
    city or province; ordered by a whitelisted key (``FIGURE_ORDER``)."""
    figures = StatisticFigure.objects.select_related("city__parent", "entered_by").order_by(*figure_order(sort))
    if year:
        figures = figures.filter(year=year)
    if city_code:
        figures = figures.filter(city_id=city_code)
    if search:
        figures = _search(figures, search)
    return figures


def statistic_totals(figures):
    """Totals of a filtered list in one query: figures, cities, indicators, years."""
    return figures.order_by().aggregate(
        figures=Count("id"), cities=Count("city", distinct=True),
        indicators=Count("indicator_code", distinct=True), years=Count("year", distinct=True))


def indicator_names(codes):
    """code → name for the codes on a page, in one query: the name in the newest published or
    locked version that has the code, else in the newest draft."""
    rows = Indicator.objects.filter(code__in=set(codes)).values_list("code", "name", "version__status", "version_id")
    best = {}
    for code, name, status, version_id in rows:
        rank = (status != IndicatorSetVersion.Status.DRAFT, version_id)
        if code not in best or rank > best[code][0]:
            best[code] = (rank, name)
    return {code: name for code, (_rank, name) in best.items()}


def statistic_years():
    return list(StatisticFigure.objects.order_by("-year").values_list("year", flat=True).distinct())
