"""Reads of the expert pool and the declarations (for views, services and later review pages)."""

from django.db.models import Q

from icdc.divisions.models import Division
from icdc.programmes.selectors import current_programme

from .models import SEPARATOR, Declaration, Expert


def domain_choices():
    """(code, label) of the programme's domains: the specialities an expert may have."""
    return [(d.code, d.label) for d in current_programme().domains]


def domain_lookup():
    """Code or label → code, for files that name a domain either way."""
    out = {}
    for code, label in domain_choices():
        out[code] = code
        out[str(label)] = code
    return out


def city_queryset():
    """Divisions an employer can be in: prefecture-level units and the 直辖市."""
    return Division.objects.filter(Q(level=Division.Level.PREFECTURE) | Q(is_municipality=True))


def city_lookup():
    """Name, short name or code → (codes…) (a name two units share maps to both)."""
    out = {}
    for code, name, short in city_queryset().values_list("code", "name", "short_name"):
        for key in {code, name, short} - {""}:
            out.setdefault(key, []).append(code)
    return {k: tuple(v) for k, v in out.items()}


def province_of(city):
    """The province-level unit of an employer's city (a 直辖市 is its own)."""
    return city if city.parent_id is None else city.parent


def experts(*, speciality="", province="", active=None):
    """The pool, filtered: a speciality (domain code), the province of the employer's city, active or not."""
    qs = Expert.objects.select_related("city__parent", "account").order_by("id")
    if speciality:
        qs = qs.filter(speciality_codes__contains=f"{SEPARATOR}{speciality}{SEPARATOR}")
    if province:
        qs = qs.filter(Q(city__parent_id=province) | Q(city_id=province))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def expert_of(user):
    """The pool entry of an expert's account, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.select_related("city__parent").filter(account=user).first()


def expert_has_signed(expert, batch):
    """Whether ``expert`` signed the 回避声明与保密承诺 for ``batch`` (required before any material)."""
    if expert is None or batch is None:
        return False
    return Declaration.objects.filter(expert=expert, batch=batch).exists()


def declaration_of(expert, batch):
    return Declaration.objects.filter(expert=expert, batch=batch).first() if expert and batch else None


def draw_pool():
    """The pool as the plain data ``draw.draw_panel`` takes (one query for the experts, one for the
    declared cities, whatever the size of the pool)."""
    experts = Expert.objects.select_related("city").prefetch_related("conflict_cities").order_by("id")
    return [{
        "id": e.pk, "active": e.is_active, "city": e.city_id,
        "province": e.city.parent_id or e.city_id, "employer": e.employer, "specialities": e.specialities,
        "conflict_cities": [c.pk for c in e.conflict_cities.all()], "conflict_employers": list(e.conflict_employers),
        "load_limit": e.load_limit,
    } for e in experts]
