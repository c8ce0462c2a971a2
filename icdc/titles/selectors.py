"""Reading titles (the Ministry's list now; the public portal later)."""

from django.db.models import Q

from icdc.divisions.models import Division

from .models import Title


def titles(*, year=None, kind=None, province=None):
    """Titles, newest batch first; ``province``: a province-level code (a 直辖市 is its own city)."""
    qs = Title.objects.select_related("city", "city__parent")
    if year:
        qs = qs.filter(batch_year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if province:
        qs = qs.filter(Q(city__parent_id=province) | Q(city_id=province, city__level="province"))
    return qs.order_by("-batch_year", "kind", "city__parent_id", "city_id", "domain_code")


def years():
    return list(Title.objects.order_by("-batch_year").values_list("batch_year", flat=True).distinct())


def provinces():
    """Province-level units that have a titled city (themselves or one of their cities)."""
    codes = set(Title.objects.values_list("city__parent_id", flat=True)) | set(
        Title.objects.filter(city__level="province").values_list("city_id", flat=True))
    return Division.objects.filter(code__in=codes - {None}).order_by("code")
