"""What each role's home page shows: a few counts and facts, fetched in a bounded number of queries."""

from django.db.models import Count, Q

from icdc.divisions import selectors as divisions


def city_overview(user):
    """The city's application channel (Art. 5): directly to the Ministry, or through its province."""
    city = user.division
    return {"city": city, "province": city.parent if city else None,
            "applies_directly": bool(city and city.applies_directly)}


def province_overview(user):
    province = user.division
    cities = list(divisions.cities_of(province)) if province else []
    return {"province": province, "cities": cities, "city_count": len(cities)}


def ministry_overview():
    from icdc.indicators.models import IndicatorSetVersion, StatisticFigure

    versions = IndicatorSetVersion.objects.aggregate(
        total=Count("id"), published=Count("id", filter=Q(status="published")),
        locked=Count("id", filter=Q(status="locked")), draft=Count("id", filter=Q(status="draft")))
    figures = StatisticFigure.objects.aggregate(total=Count("id"), cities=Count("city", distinct=True))
    overview = {"versions": versions, "figures": figures, "runs": None}
    try:
        from icdc.decisions.models import ScoringRun
    except ImportError:  # the decisions app is optional to this page
        return overview
    overview["runs"] = ScoringRun.objects.count()
    return overview
