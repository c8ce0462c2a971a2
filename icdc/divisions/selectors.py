"""Reading divisions for views, forms and other apps (selectors: no writes here).

Each returns a queryset with the province joined, because lists of cities are almost
always shown as "省 · 市".
"""

from .models import Division


def _divisions():
    return Division.objects.select_related("parent")


def provinces():
    """Every province-level row: the 34 units and the 新疆生产建设兵团 channel."""
    return _divisions().filter(level=Division.Level.PROVINCE)


def application_channels():
    """Province-level authorities that pre-review and forward their cities' applications (Art. 10)."""
    return provinces().filter(is_application_channel=True)


def cities_of(province):
    """Prefecture-level units of one province (a Division or its code).

    A 直辖市 has none: it is itself the city, see ``applicable_cities``.
    """
    code = getattr(province, "pk", province)
    return _divisions().filter(level=Division.Level.PREFECTURE, parent_id=code)


def applicable_cities():
    """Cities that may apply (Art. 5: prefecture level and above, including the 直辖市)."""
    return _divisions().filter(can_apply=True)


def direct_applicant_cities():
    """The 直辖市 and 计划单列市, which apply to the Ministry without provincial review (Art. 9)."""
    return applicable_cities().filter(applies_directly=True)
