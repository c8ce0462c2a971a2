"""Every write to indicator versions (SPEC §3): atomic, validated as a whole, audited.

An edit is applied to the version's document and the *whole* document re-validated
(``validation.validate_document``) before anything is written, so a stored version is
always consistent: weights of each system sum to 100, rule parameters fit, codes unique.
Statistics imports and exports live in ``statistics_services``.
"""

import copy
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.audit.services import record_event

from . import selectors
from .models import (
    Dimension,
    Domain,
    Indicator,
    IndicatorSetVersion,
    IndicatorSystem,
    WeightDerivation,
)
from .validation import validate_document, validate_label
from .yaml_io import document_sha256

CHANGE_PERMISSION = "indicators.change_indicator_system"
IMPORT_PERMISSION = "indicators.import_statistics"
CORRECT_PERMISSION = "indicators.correct_statistics"
EXPORT_PERMISSION = "indicators.export_statistics"
INDICATOR_FIELDS = ("code", "name", "kind", "unit", "weight", "rule", "floor", "target", "source")


class VersionNotEditable(ValidationError):
    """The version is published or locked by a batch: changes go into a new version."""


def _require_permission(user, permission=CHANGE_PERMISSION):
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(permission)


def _locked_row(version):
    return IndicatorSetVersion.objects.select_for_update().get(pk=version.pk)


def frozen_reason(version):
    """Why ``version`` cannot be changed (published or locked), or None for a draft."""
    if version.status == IndicatorSetVersion.Status.LOCKED:
        return _("版本「%(label)s」已被批次使用并锁定，不能修改；请“以此为基础新建版本”后在新版本中修改。") % {
            "label": version.label}
    if version.status != IndicatorSetVersion.Status.DRAFT:
        return _("版本「%(label)s」已发布，不能修改；请“以此为基础新建版本”后在新版本中修改。") % {"label": version.label}
    return None


def _require_editable(version):
    reason = frozen_reason(version)
    if reason:
        raise VersionNotEditable(reason)


def _refuse_if_invalid(document):
    problems = validate_document(document)
    if problems:
        raise ValidationError([str(p) for p in problems])


def _create_tree(version, document):
    """Rows of a canonical document under ``version`` (four bulk inserts, whatever its size)."""
    domains = Domain.objects.bulk_create(
        Domain(version=version, code=d["code"], name=d["name"], position=n) for n, d in enumerate(document["domains"])
    )
    domain_of = {d.code: d for d in domains}
    systems = IndicatorSystem.objects.bulk_create(
        IndicatorSystem(version=version, code=s["code"], name=s["name"], applies_to=s["applies_to"], position=n)
        for n, s in enumerate(document["systems"])
    )
    pairs = [(Dimension(system=system, code=d["code"], name=d["name"], domain=domain_of.get(d["domain"]), position=n), d)
             for system, s in zip(systems, document["systems"], strict=True) for n, d in enumerate(s["dimensions"])]
    Dimension.objects.bulk_create(dimension for dimension, _doc in pairs)
    Indicator.objects.bulk_create(
        Indicator(version=version, dimension=dimension, position=n, **{f: i[f] for f in INDICATOR_FIELDS})
        for dimension, d in pairs for n, i in enumerate(d["indicators"])
    )


def _summary(version):
    return {"label": version.label, "status": version.status}


@transaction.atomic
def import_version_document(*, document, user=None, publish=False, derived_from=None):
    """Store a canonical document as a new version; returns ``(version, created)``.

    Idempotent: a version with the same label and the same data is returned unchanged
    (``created`` False); the same label with different data is refused, because a label
    names one set of rules for good (a batch may already cite it).
    """
    _require_permission(user)
    _refuse_if_invalid(document)
    existing = IndicatorSetVersion.objects.select_for_update().filter(label=document["version"]).first()
    if existing is not None:
        if selectors.version_document(existing) == document:
            return existing, False
        raise ValidationError(
            _("版本标识「%(label)s」已存在且内容不同；请为新内容使用新的版本标识。") % {"label": document["version"]}
        )
    now = timezone.now()
    try:
        with transaction.atomic():  # a savepoint: another officer may take the label meanwhile
            version = IndicatorSetVersion.objects.create(
                label=document["version"], extras=document["extras"], source_sha256=document_sha256(document),
                created_by=user, derived_from=derived_from,
                status=IndicatorSetVersion.Status.PUBLISHED if publish else IndicatorSetVersion.Status.DRAFT,
                published_at=now if publish else None,
            )
    except IntegrityError as exc:
        raise ValidationError(_("版本标识「%(label)s」已存在") % {"label": document["version"]}) from exc
    _create_tree(version, document)
    record_event(action="indicators.version.create", user=user, obj=version, after={
        **_summary(version), "sha256": version.source_sha256, "derived_from": getattr(derived_from, "label", None)})
    return version, True


def new_version_from(*, version, user, label):
    """Deep-copy a version (any status) into a new draft: how a locked or published system changes."""
    problems = validate_label(label)
    if problems:
        raise ValidationError([p.message for p in problems])
    document = copy.deepcopy(selectors.version_document(version))
    document["version"] = label.strip()
    with transaction.atomic():
        new, created = import_version_document(document=document, user=user, derived_from=version)
        if not created:
            raise ValidationError(_("版本标识「%(label)s」已存在") % {"label": document["version"]})
    return new


def lock_version(*, version, reason, user=None):
    """Lock a version because a batch uses it (one version per batch, SPEC §3), through the
    version's lifecycle (``workflow.py``). Called by the batches app; idempotent: a second batch on
    the same version, even at the same moment, changes nothing and records nothing."""
    from icdc.lib.refusals import Refusal
    from icdc.lib.workflow import perform

    from .workflow import LOCKED, WORKFLOW

    if version.status == LOCKED:
        return version
    try:
        return perform(WORKFLOW, version, "lock", user=user, note=reason)
    except Refusal as refusal:
        current = IndicatorSetVersion.objects.get(pk=version.pk)
        if refusal.code == "wrong_state" and current.status == LOCKED:
            return current
        raise


def publish_version(*, version, user):
    """Publish a draft so batches may choose it; a published version is frozen."""
    from icdc.lib.workflow import perform

    from .workflow import WORKFLOW

    return perform(WORKFLOW, version, "publish", user=user)


@transaction.atomic
def delete_version(*, version, user):
    """Delete a draft (e.g. an upload made by mistake); published and locked versions stay for good."""
    _require_permission(user)
    version = _locked_row(version)
    _require_editable(version)
    before = _summary(version)
    record_event(action="indicators.version.delete", user=user, obj=version, before=before)
    Indicator.objects.filter(version=version).delete()
    Dimension.objects.filter(system__version=version).delete()
    version.delete()


def _find_indicator(document, code):
    for system in document["systems"]:
        for dimension in system["dimensions"]:
            for indicator in dimension["indicators"]:
                if indicator["code"] == code:
                    return system, indicator
    raise KeyError(code)


def _indicator_snapshot(indicator):
    return {f: getattr(indicator, f) for f in INDICATOR_FIELDS}


@transaction.atomic
def update_indicator(*, indicator, user, data):
    """Change one indicator of a draft. ``data`` holds the fields of ``INDICATOR_FIELDS``.

    The whole version is re-validated with the change applied, so a weight change that
    breaks a system's 100 points is refused (use ``update_weights`` to rebalance).
    """
    _require_permission(user)
    version = _locked_row(indicator.version)
    _require_editable(version)
    # Re-read under the version lock: every write to a version's indicators takes that lock
    # first, so this row is current and stays so; a lock of its own would add nothing (and no
    # test could tell it was gone). tests/indicators/test_version_locks_concurrency.py
    indicator = Indicator.objects.get(pk=indicator.pk)
    document = selectors.version_document(version)
    _system, node = _find_indicator(document, indicator.code)
    node.update({f: data.get(f) for f in INDICATOR_FIELDS})
    _refuse_if_invalid(document)
    before = _indicator_snapshot(indicator)
    for field in INDICATOR_FIELDS:
        setattr(indicator, field, data.get(field) if data.get(field) is not None else _empty(field))
    indicator.save()
    record_event(action="indicators.indicator.update", user=user, obj=indicator, before=before,
                 after=_indicator_snapshot(indicator), detail=version.label)
    return indicator


def _empty(field):
    return None if field in ("weight", "floor", "target") else ""


@transaction.atomic
def update_weights(*, version, system_code, weights, user):
    """Rebalance the weights of one system at once (code → Decimal points); sum stays 100."""
    _require_permission(user)
    version = _locked_row(version)
    _require_editable(version)
    document = selectors.version_document(version)
    system = next((s for s in document["systems"] if s["code"] == system_code), None)
    if system is None:
        raise ValidationError(_("指标体系 %(code)s 不存在") % {"code": system_code})
    nodes = {i["code"]: i for d in system["dimensions"] for i in d["indicators"]}
    unknown = sorted(set(weights) - set(nodes))
    if unknown:
        raise ValidationError(_("指标 %(codes)s 不属于该体系") % {"codes": "、".join(unknown)})
    before = {code: nodes[code]["weight"] for code in weights}
    for code, weight in weights.items():
        nodes[code]["weight"] = weight
    _refuse_if_invalid(document)
    changed = {code: w for code, w in weights.items() if w != before[code]}
    if not changed:
        return 0
    rows = list(Indicator.objects.filter(version=version, code__in=changed))
    for row in rows:
        row.weight = changed[row.code]
    Indicator.objects.bulk_update(rows, ["weight"])
    record_event(action="indicators.weights.update", user=user, obj=version, detail=system_code,
                 before={c: before[c] for c in changed}, after=changed)
    return len(rows)



# --- AHP weight derivations (SPEC §3: weights "may be derived by AHP, with its CR") ----------


def _derivation_scope(document, system_code, scope):
    """(labels, points to share) of one level: the common dimensions of a system, or the
    indicators of one dimension; the points are that level's current total."""
    system = next((s for s in document["systems"] if s["code"] == system_code), None)
    if system is None:
        raise ValidationError(_("指标体系 %(code)s 不存在") % {"code": system_code})
    if not scope:
        dimensions = [d for d in system["dimensions"] if not d["domain"]]
        return [d["code"] for d in dimensions], sum(i["weight"] for d in dimensions for i in d["indicators"])
    dimension = next((d for d in system["dimensions"] if d["code"] == scope), None)
    if dimension is None:
        raise ValidationError(_("维度 %(code)s 不在体系 %(system)s 中") % {"code": scope, "system": system_code})
    return [i["code"] for i in dimension["indicators"]], sum(i["weight"] for i in dimension["indicators"])


def _apportion(weights, total):
    """Points with two decimals that sum exactly to ``total`` (largest remainder), so the
    suggestion can be applied without breaking the 100 points."""
    cents = [Decimal(repr(w)) * total * 100 for w in weights]
    floors = [c.to_integral_value(rounding=ROUND_FLOOR) for c in cents]
    missing = int(total * 100 - sum(floors))
    for k in sorted(range(len(cents)), key=lambda k: cents[k] - floors[k], reverse=True)[:missing]:
        floors[k] += 1
    return [f / 100 for f in floors]


@transaction.atomic
def record_weight_derivation(*, version, system_code, scope, matrix, user):
    """Derive one level's weights by AHP from a pairwise matrix and keep the judgement.

    Refuses a matrix with CR ≥ 0.10 (the scoring engine's Chinese message names the worst
    comparisons). Changes no weight: the suggested points go through ``update_weights``.
    """
    from icdc.scoring.ahp import ahp_weights  # the pure engine; imported late, it loads numpy
    from icdc.scoring.errors import ScoringInputError

    _require_permission(user)
    version = _locked_row(version)
    _require_editable(version)
    labels, total = _derivation_scope(selectors.version_document(version), system_code, scope)
    try:
        result = ahp_weights(matrix, labels)
    except ScoringInputError as exc:
        raise ValidationError(exc.message) from exc
    points = _apportion(result.weights, total)
    derivation = WeightDerivation.objects.create(
        version=version, system_code=system_code, scope=scope or "", labels=labels,
        matrix=[[float(x) for x in row] for row in matrix], weights=list(result.weights),
        points={label: str(p) for label, p in zip(labels, points, strict=True)},
        consistency_ratio=result.cr, lambda_max=result.lambda_max, created_by=user,
    )
    record_event(action="indicators.weights.derive", user=user, obj=version, detail=f"{system_code}/{scope or '*'}",
                 after={"points": derivation.points, "cr": round(result.cr, 4)})
    return derivation


def derivation_items(*, version, system_code, scope):
    """What one AHP level compares, in matrix order: ``[(code, name, current points)]`` and
    their total. ValidationError (Chinese) for an unknown system or dimension."""
    return _items(selectors.version_document(version), system_code, scope)


def _items(document, system_code, scope):
    labels, total = _derivation_scope(document, system_code, scope)
    system = next(s for s in document["systems"] if s["code"] == system_code)
    if scope:
        nodes = next(d for d in system["dimensions"] if d["code"] == scope)["indicators"]
        points = {i["code"]: i["weight"] for i in nodes}
    else:
        nodes = system["dimensions"]
        points = {d["code"]: sum((i["weight"] for i in d["indicators"]), Decimal(0)) for d in nodes}
    names = {node["code"]: node["name"] for node in nodes}
    return [(label, names[label], points[label]) for label in labels], total


CENT = Decimal("0.01")


def _spread(indicators, total):
    """A dimension's new points shared by its indicators in their current proportions,
    rounded to 0.01 with the remainder on the largest, so they sum exactly to ``total``."""
    if not indicators:
        return {}
    current = [Decimal(i["weight"]) for i in indicators]
    base = sum(current, Decimal(0))
    points = [(total * (w / base if base else Decimal(1) / len(current))).quantize(CENT, ROUND_HALF_UP) for w in current]
    largest = max(range(len(current)), key=lambda k: (current[k], -k))
    points[largest] += total - sum(points, Decimal(0))
    return {i["code"]: p for i, p in zip(indicators, points, strict=True)}


def _indicator_weights(document, system_code, scope, points):
    """Indicator code → points that applying a level's derived ``points`` writes: the points
    themselves for a dimension's indicators; for the dimensions of a system, each dimension's
    points spread over its indicators in their current proportions."""
    if scope:
        return dict(points)
    system = next(s for s in document["systems"] if s["code"] == system_code)
    weights = {}
    for dimension in system["dimensions"]:
        if dimension["code"] in points:
            weights.update(_spread(dimension["indicators"], points[dimension["code"]]))
    return weights


@dataclass(frozen=True)
class DerivationPreview:
    """An AHP analysis of one level, not saved: what “保存” would record and “应用” would write."""

    result: object  # icdc.scoring.ahp.AHPResult (weights, λmax, CI, RI, CR, disagreements, message)
    items: list  # [(code, name, current points)] in matrix order
    total: Decimal  # the level's current points, shared by the derived weights
    points: dict  # code → Decimal, the suggested points (sum exactly ``total``)
    weights: dict  # indicator code → Decimal, what applying writes


def preview_weight_derivation(*, version, system_code, scope, matrix, user):
    """Weights, λmax, CI, RI, CR and disagreements of a pairwise matrix for one level; never
    refuses on CR (the page shows why a matrix would be refused) and saves nothing."""
    from icdc.scoring.ahp import analyse
    from icdc.scoring.errors import ScoringInputError

    _require_permission(user)
    document = selectors.version_document(version)
    items, total = _items(document, system_code, scope)
    labels = [code for code, _name, _points in items]
    try:
        result = analyse(matrix, labels)
    except ScoringInputError as exc:
        raise ValidationError(exc.message) from exc
    points = dict(zip(labels, _apportion(result.weights, total), strict=True))
    return DerivationPreview(result=result, items=items, total=total, points=points,
                             weights=_indicator_weights(document, system_code, scope, points))


def _float_matrix(matrix):
    return [[float(x) for x in row] for row in matrix]


@transaction.atomic
def apply_derived_weights(*, version, system_code, scope, matrix, user):
    """Derive one level's weights by AHP and write them as the draft's points, in one step.

    Keeps the judgement as a WeightDerivation (reusing the latest one when it is the same
    judgement, e.g. just saved) and changes the weights through ``update_weights``, so the
    version is re-validated (each system still 100 points) and both steps are audited.
    Refused on a published or locked version, and for CR ≥ 0.10. Returns
    ``(derivation, number of indicators changed)``.
    """
    _require_permission(user)
    version = _locked_row(version)
    _require_editable(version)
    labels, total = _derivation_scope(selectors.version_document(version), system_code, scope)
    latest = WeightDerivation.objects.filter(version=version, system_code=system_code, scope=scope or "").first()
    if (latest is not None and latest.labels == labels and latest.matrix == _float_matrix(matrix)
            and sum(Decimal(p) for p in latest.points.values()) == total):
        derivation = latest
    else:
        derivation = record_weight_derivation(version=version, system_code=system_code, scope=scope, matrix=matrix,
                                              user=user)
    points = {code: Decimal(p) for code, p in derivation.points.items()}
    weights = _indicator_weights(selectors.version_document(version), system_code, scope, points)
    changed = update_weights(version=version, system_code=system_code, weights=weights, user=user)
    return derivation, changed


# --- official statistics (Art. 11: every figure cites its source and year) -----------------
