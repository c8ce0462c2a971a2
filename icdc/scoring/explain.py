"""Explanation of one city's result (SPEC §3: scoring must be explainable).

total (composite = material × w₁ + defence × w₂) → dimension → indicator →
(figure, rule, points) for a quantitative indicator, or (each expert's score, dropped as
highest/lowest or not, outlier or not, calibrated value) for a qualitative one; and the
defence score with each panel member's defence score, dropped as highest/lowest or not.

Every number is read from the stored result or the canonical inputs, never recomputed
differently: the points shown are the points counted. Plain frozen dataclasses with
``to_dict()``; the Django side renders them and exports them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from . import messages
from .aggregate import calibrated_share
from .rules import band
from .types import QUANTITATIVE, BatchResult, CityInput, CityResult, IndicatorSpec

TRIMMED_LOW = "lowest"
TRIMMED_HIGH = "highest"


@dataclass(frozen=True)
class ExpertScoreNode:
    expert_id: str
    score: float
    trimmed: str | None  # "lowest" / "highest" when dropped by the trimmed mean
    outlier: bool
    calibrated: float | None  # leniency-calibrated points, when the run calibrated


@dataclass(frozen=True)
class DefenceScoreNode:
    """One panel member's defence score and whether the trimmed mean dropped it."""

    expert_id: str
    score: float
    trimmed: str | None  # "lowest" / "highest" when dropped by the trimmed mean


@dataclass(frozen=True)
class IndicatorNode:
    code: str
    name: str
    kind: str
    weight: float
    points: float
    unit: str = ""
    figure: float | None = None
    rule: str | None = None
    rule_text: str = ""  # Chinese; ``rule_key`` and ``rule_fields`` let the caller translate it
    rule_key: str | None = None  # key of ``messages.RULE_TEXT``: the rule, or "missing"
    rule_fields: dict[str, float] = field(default_factory=dict, hash=False)
    aggregation: str | None = None  # "trimmed_mean" / "mean" / "none"
    aggregation_text: str = ""
    experts: tuple[ExpertScoreNode, ...] = ()


@dataclass(frozen=True)
class DimensionNode:
    code: str
    name: str
    points: float
    max_points: float
    indicators: tuple[IndicatorNode, ...]


@dataclass(frozen=True)
class CityExplanation:
    city_code: str
    track: str
    composite: float
    composite_text: str
    material: float
    defence: float
    w_material: float
    w_defence: float
    rank: int
    eligible: bool
    selected: bool
    flags: tuple[str, ...]
    flag_texts: tuple[str, ...]
    dimensions: tuple[DimensionNode, ...]
    calibrated: dict[str, Any] | None = None
    robustness: dict[str, Any] | None = None
    # How the defence score was reached: "trimmed_mean" / "mean" over ``defence_experts``,
    # "single" (one aggregated score given) or "none" (missing, counted 0).
    defence_aggregation: str = "none"
    defence_aggregation_text: str = ""
    defence_experts: tuple[DefenceScoreNode, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON types only (tuples become lists), ready for a template or an export."""
        return _plain(asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def rule_message(spec: IndicatorSpec, figure: float | None) -> tuple[str, dict[str, float]]:
    """(key of ``messages.RULE_TEXT``, its fields): the rule applied to this figure."""
    if figure is None:
        return "missing", {}
    if spec.rule == "reverse_linear":
        worst, best = band(spec)
        return "reverse_linear", {"weight": spec.weight, "best": best, "worst": worst}
    return spec.rule, {"weight": spec.weight, "floor": spec.floor or 0.0, "target": spec.target}


def rule_text(spec: IndicatorSpec, figure: float | None) -> str:
    """The rule applied to this figure, in words, with the indicator's own parameters."""
    key, fields = rule_message(spec, figure)
    return messages.RULE_TEXT[key].format(**fields)


def _quantitative(spec: IndicatorSpec, city: CityInput, points: float) -> IndicatorNode:
    figure = city.figures.get(spec.code)
    key, fields = rule_message(spec, figure)
    return IndicatorNode(code=spec.code, name=spec.name, kind=spec.kind, weight=spec.weight, points=points,
                         unit=spec.unit, figure=figure, rule=spec.rule, rule_text=messages.RULE_TEXT[key].format(**fields),
                         rule_key=key, rule_fields=fields)


def _calibrator(result: BatchResult):
    if not result.leniency_baseline:
        return lambda expert, share: None
    stats = {e.expert_id: (e.mean, e.sd) for e in result.leniency}
    return lambda expert, share: calibrated_share(share, stats[expert], result.leniency_baseline)


def _qualitative(spec: IndicatorSpec, city: CityInput, outcome: CityResult, points: float, calibrate):
    low, high = outcome.trimmed.get(spec.code, (None, None))
    flagged = {o.expert_id for o in outcome.outliers if o.indicator == spec.code}
    experts = []
    for expert, sheet in city.expert_scores.items():
        score = sheet[spec.code]
        trimmed = TRIMMED_LOW if expert == low else TRIMMED_HIGH if expert == high else None
        share = calibrate(expert, score / spec.weight)
        experts.append(ExpertScoreNode(expert_id=expert, score=score, trimmed=trimmed, outlier=expert in flagged,
                                       calibrated=None if share is None else share * spec.weight))
    n = len(experts)
    method = "none" if n == 0 else "trimmed_mean" if low is not None else "mean"
    return IndicatorNode(code=spec.code, name=spec.name, kind=spec.kind, weight=spec.weight, points=points,
                         aggregation=method, aggregation_text=messages.AGGREGATION_TEXT[method].format(n=n),
                         experts=tuple(experts))


def _dimensions(result: BatchResult, city: CityInput, outcome: CityResult) -> tuple[DimensionNode, ...]:
    calibrate = _calibrator(result)
    nodes: dict[str, list[IndicatorNode]] = {}
    names: dict[str, str] = {}
    for spec in result.indicators:
        points = outcome.indicator_points[spec.code]
        node = (_quantitative(spec, city, points) if spec.kind == QUANTITATIVE
                else _qualitative(spec, city, outcome, points, calibrate))
        nodes.setdefault(spec.dimension, []).append(node)
        names.setdefault(spec.dimension, spec.dimension_name)
    return tuple(
        DimensionNode(code=code, name=names[code], points=outcome.dimension_points[code],
                      max_points=sum(n.weight for n in indicators), indicators=tuple(indicators))
        for code, indicators in nodes.items()
    )


def _defence(city: CityInput, outcome: CityResult) -> tuple[str, tuple[DefenceScoreNode, ...]]:
    low, high = outcome.defence_trimmed or (None, None)
    experts = tuple(DefenceScoreNode(expert_id=e, score=score,
                                     trimmed=TRIMMED_LOW if e == low else TRIMMED_HIGH if e == high else None)
                    for e, score in city.defence_scores.items())
    if experts:
        return ("trimmed_mean" if low is not None else "mean"), experts
    return ("single" if city.defence_score is not None else "none"), ()


def explain(result: BatchResult, city_code: str, track: str | None = None) -> CityExplanation:
    """The explanation tree of one city (in ``track`` when it applied for several)."""
    outcome = result.city(city_code, track)
    city = next(c for c in result.inputs if (c.city_code, c.track) == (outcome.city_code, outcome.track))
    params = result.params
    defence_method, defence_experts = _defence(city, outcome)
    return CityExplanation(
        city_code=outcome.city_code, track=outcome.track, composite=outcome.composite,
        composite_text=messages.COMPOSITE_TEXT.format(material=outcome.material, w1=params.w_material,
                                                      defence=outcome.defence, w2=params.w_defence),
        material=outcome.material, defence=outcome.defence, w_material=params.w_material,
        w_defence=params.w_defence, rank=outcome.rank, eligible=outcome.eligible, selected=outcome.selected,
        flags=outcome.flags, flag_texts=tuple(messages.FLAG_LABELS[f] for f in outcome.flags),
        dimensions=_dimensions(result, city, outcome),
        calibrated=vars(outcome.calibrated) if outcome.calibrated else None,
        robustness=vars(outcome.robustness) if outcome.robustness else None,
        defence_aggregation=defence_method, defence_experts=defence_experts,
        defence_aggregation_text=messages.DEFENCE_AGGREGATION_TEXT[defence_method].format(n=len(defence_experts)),
    )
