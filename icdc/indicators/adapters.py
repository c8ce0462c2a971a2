"""Indicator versions as the plain data the scoring engine (``icdc.scoring``, no Django) takes."""

from .models import Domain, Indicator, IndicatorSetVersion, IndicatorSystem


def _float(value):
    return None if value is None else float(value)


def engine_indicators(version, system_code, domain_code=None):
    """The indicators one application is scored on, in order, as plain dicts.

    ``version`` is an IndicatorSetVersion or its pk. A specialised application is scored once
    per domain it applies for: the system's common part plus that domain's part, so
    ``domain_code`` is required when the system has a per-domain part. Each dict has
    code, dimension_code, dimension_name, name, kind, weight (float), rule, floor, target,
    unit — absent values are None (qualitative indicators have no rule, bounds or unit).
    Raises ValueError for an unknown system or domain.
    """
    version_id = version.pk if isinstance(version, IndicatorSetVersion) else version
    if not IndicatorSystem.objects.filter(version_id=version_id, code=system_code).exists():
        raise ValueError(f"indicator system {system_code!r} not in version {version_id}")
    if domain_code is not None and not Domain.objects.filter(version_id=version_id, code=domain_code).exists():
        raise ValueError(f"domain {domain_code!r} not in version {version_id}")
    rows = list(
        Indicator.objects.filter(dimension__system__version_id=version_id, dimension__system__code=system_code)
        .select_related("dimension__domain")
        .order_by("dimension__position", "dimension__id", "position", "id")
    )
    if domain_code is None and any(r.dimension.domain_id for r in rows):
        raise ValueError(f"system {system_code!r} has a per-domain part: domain_code is required")
    return [_as_dict(r) for r in rows if r.dimension.domain is None or r.dimension.domain.code == domain_code]


def _as_dict(indicator):
    return {
        "code": indicator.code,
        "dimension_code": indicator.dimension.code,
        "dimension_name": indicator.dimension.name,
        "name": indicator.name,
        "kind": indicator.kind,
        "weight": float(indicator.weight),
        "rule": indicator.rule or None,
        "floor": _float(indicator.floor),
        "target": _float(indicator.target),
        "unit": indicator.unit or None,
    }
