"""Validate the inputs, put them in canonical order and lay them out as arrays.

Canonical order makes results independent of how the caller listed things: cities by
(track, city code), experts by id, figures and sheets by indicator code. Indicators keep
the order of the system (it is the order officers read them in) and are part of the hash.
Every refusal raises ScoringInputError before anything is computed.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace

import numpy as np

from . import messages
from .aggregate import trimmed_mean
from .errors import ScoringInputError
from .rules import check_rule
from .types import KINDS, QUALITATIVE, QUANTITATIVE, CityInput, IndicatorSpec, RunParams

MAX_DEFENCE = 100.0


@dataclass(frozen=True)
class Prepared:
    """Canonical inputs and the arrays the computations read."""

    specs: tuple[IndicatorSpec, ...]
    cities: tuple[CityInput, ...]
    quant: tuple[int, ...]  # positions in specs of quantitative indicators
    qual: tuple[int, ...]  # positions in specs of qualitative indicators
    figures: np.ndarray  # [cities, quantitative] NaN = missing
    scores: np.ndarray  # [cities, qualitative, panel slots] NaN = no expert
    panels: tuple[tuple[str, ...], ...]  # expert ids per city, ascending
    expert_ids: tuple[str, ...]  # every expert of the batch, ascending
    expert_index: np.ndarray  # [cities, panel slots] index into expert_ids, −1 = none
    defence: np.ndarray  # [cities] NaN = missing; the trimmed mean where per-expert scores were given
    tracks: tuple[str, ...]  # distinct tracks, ascending
    # Per-expert defence scores [cities, slots] (NaN = no expert), experts ascending by id; a
    # city with one aggregated ``defence_score`` or none has no row entries (all NaN).
    defence_scores: np.ndarray | None = None
    defence_panels: tuple[tuple[str, ...], ...] = ()


def _number(value, template, **fields) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ScoringInputError(template, value=value, **fields) from None
    if not math.isfinite(number):
        raise ScoringInputError(template, value=value, **fields)
    return number + 0.0  # −0.0 → 0.0, so equal figures serialise alike


def _optional(value) -> float | None:
    return None if value is None else float(value)


def normalise_indicators(indicators) -> tuple[IndicatorSpec, ...]:
    """Indicators with numbers as floats, checked one by one."""
    if not indicators:
        raise ScoringInputError(messages.NO_INDICATORS)
    specs, seen = [], set()
    for spec in indicators:
        if spec.code in seen:
            raise ScoringInputError(messages.DUPLICATE_INDICATOR, code=spec.code)
        seen.add(spec.code)
        if spec.kind not in KINDS:
            raise ScoringInputError(messages.BAD_KIND, code=spec.code)
        weight = _number(spec.weight, messages.BAD_WEIGHT, code=spec.code)
        if weight <= 0:
            raise ScoringInputError(messages.BAD_WEIGHT, code=spec.code)
        spec = replace(spec, weight=weight, floor=_optional(spec.floor), target=_optional(spec.target))
        if spec.kind == QUANTITATIVE:
            check_rule(spec)
        else:
            spec = replace(spec, rule=None, floor=None, target=None)
        specs.append(spec)
    return tuple(specs)


def _count(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0


def _float(value, template, **fields) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ScoringInputError(template, **fields) from None
    if not math.isfinite(number):
        raise ScoringInputError(template, **fields)
    return number


def normalise_params(params: RunParams, tracks: tuple[str, ...]) -> RunParams:
    """Parameters as plain floats and ints (the adapter may pass Decimals); refuses any the
    run could not honour."""
    bad_weights = {"w1": params.w_material, "w2": params.w_defence}
    w1 = _float(params.w_material, messages.BAD_COMPOSITE_WEIGHTS, **bad_weights)
    w2 = _float(params.w_defence, messages.BAD_COMPOSITE_WEIGHTS, **bad_weights)
    if w1 < 0 or w2 < 0 or abs(w1 + w2 - 1) > 1e-9:
        raise ScoringInputError(messages.BAD_COMPOSITE_WEIGHTS, **bad_weights)
    pass_mark = _float(params.pass_mark, messages.BAD_PASS_MARK)
    missing = [t for t in tracks if t not in params.quotas]
    if missing:
        raise ScoringInputError(messages.MISSING_QUOTA, tracks="、".join(missing))
    for track, quota in params.quotas.items():
        if not _count(quota):
            raise ScoringInputError(messages.BAD_QUOTA, track=track)
    if not _count(params.draws):
        raise ScoringInputError(messages.BAD_DRAWS)
    if not _count(params.seed):
        raise ScoringInputError(messages.BAD_SEED)
    cv = _float(params.weight_cv, messages.BAD_WEIGHT_CV)
    if not 0 < cv < 1:
        raise ScoringInputError(messages.BAD_WEIGHT_CV)
    threshold = _float(params.close_call_threshold, messages.BAD_CLOSE_CALL)
    if not 0 < threshold < 0.5:
        raise ScoringInputError(messages.BAD_CLOSE_CALL)
    return replace(params, w_material=w1, w_defence=w2, pass_mark=pass_mark, weight_cv=cv,
                   close_call_threshold=threshold, quotas={str(t): int(q) for t, q in sorted(params.quotas.items())},
                   seed=int(params.seed), draws=int(params.draws))


def _figures(city: CityInput, quant_codes: tuple[str, ...]) -> dict[str, float | None]:
    unknown = sorted(set(city.figures) - set(quant_codes))
    if unknown:
        raise ScoringInputError(messages.UNKNOWN_FIGURE, city=city.city_code, codes="、".join(unknown))
    figures = {}
    for code in sorted(quant_codes):  # an absent figure and None are the same: missing
        value = city.figures.get(code)
        figures[code] = None if value is None else _number(value, messages.BAD_FIGURE, city=city.city_code, code=code)
    return figures


def _sheet_problem(city: CityInput, expert, qual_codes: tuple[str, ...], weights: dict) -> ScoringInputError:
    """The first problem of one expert's sheet, with a message naming city, expert and indicator."""
    sheet = city.expert_scores[expert]
    missing, unknown = sorted(set(qual_codes) - set(sheet)), sorted(set(sheet) - set(qual_codes))
    if missing or unknown:
        template, codes = (messages.INCOMPLETE_SHEET, missing) if missing else (messages.UNKNOWN_SCORE, unknown)
        return ScoringInputError(template, city=city.city_code, expert=expert, codes="、".join(codes))
    for code in qual_codes:
        fields = {"city": city.city_code, "expert": expert, "code": code, "weight": f"{weights[code]:g}"}
        value = _number(sheet[code], messages.SCORE_RANGE, **fields)
        if not 0 <= value <= weights[code]:
            return ScoringInputError(messages.SCORE_RANGE, value=value, **fields)
    raise AssertionError("sheet has no problem")  # pragma: no cover


def _sheets(city: CityInput, qual_codes: tuple[str, ...], weights: dict) -> tuple[dict, np.ndarray]:
    """Sheets keyed by expert id (ascending) and their scores [experts, qualitative].

    Checked in bulk — a batch holds ~10⁵ scores — and re-checked one by one only to word
    the message when something is wrong."""
    experts = sorted(city.expert_scores, key=str)
    keys = set(qual_codes)
    try:
        if any(city.expert_scores[e].keys() != keys for e in experts):
            raise ValueError
        matrix = np.array([[city.expert_scores[e][code] for code in qual_codes] for e in experts], dtype=float)
        matrix = matrix.reshape(len(experts), len(qual_codes))
        limit = np.array([weights[code] for code in qual_codes])
        bad = ~(np.isfinite(matrix) & (matrix >= 0) & (matrix <= limit))
        if bad.any():
            raise ValueError
    except (TypeError, ValueError):
        for expert in experts:
            if city.expert_scores[expert].keys() != keys or _bad_row(city.expert_scores[expert], qual_codes, weights):
                raise _sheet_problem(city, expert, qual_codes, weights) from None
        raise
    matrix = matrix + 0.0  # −0.0 → 0.0
    sheets = {str(e): dict(zip(qual_codes, row, strict=True)) for e, row in zip(experts, matrix.tolist(), strict=True)}
    return sheets, matrix


def _bad_row(sheet, qual_codes, weights) -> bool:
    try:
        return any(not (0 <= float(sheet[code]) <= weights[code]) for code in qual_codes)
    except (TypeError, ValueError):
        return True


def _normalise(city: CityInput, specs: tuple[IndicatorSpec, ...]) -> tuple[CityInput, np.ndarray]:
    if not city.city_code or not city.track:
        raise ScoringInputError(messages.EMPTY_CODE)
    quant_codes = tuple(s.code for s in specs if s.kind == QUANTITATIVE)
    qual_codes = tuple(s.code for s in specs if s.kind == QUALITATIVE)
    weights = {s.code: s.weight for s in specs}
    figures = _figures(city, quant_codes)
    sheets, matrix = _sheets(city, qual_codes, weights)
    defence = city.defence_score
    if defence is not None:
        defence = _number(defence, messages.DEFENCE_RANGE, city=city.city_code)
        if not 0 <= defence <= MAX_DEFENCE:
            raise ScoringInputError(messages.DEFENCE_RANGE, city=city.city_code, value=defence)
    panel = _defence_panel(city)
    if panel and defence is not None:
        raise ScoringInputError(messages.DEFENCE_BOTH, city=city.city_code)
    city = replace(city, city_code=str(city.city_code), track=str(city.track), figures=figures,
                   expert_scores=sheets, defence_score=defence, defence_scores=panel)
    return city, matrix


def _defence_panel(city: CityInput) -> dict[str, float]:
    """Each panel member's defence score on 0..100, keyed by expert id (ascending)."""
    panel = {}
    for expert in sorted(city.defence_scores or {}, key=str):
        fields = {"city": city.city_code, "expert": expert}
        value = _number(city.defence_scores[expert], messages.DEFENCE_EXPERT_RANGE, **fields)
        if not 0 <= value <= MAX_DEFENCE:
            raise ScoringInputError(messages.DEFENCE_EXPERT_RANGE, value=value, **fields)
        panel[str(expert)] = value
    return panel


def normalise_city(city: CityInput, specs: tuple[IndicatorSpec, ...]) -> CityInput:
    """A city with numbers as floats, keys sorted, every figure and score checked."""
    return _normalise(city, specs)[0]


def _canonical(cities, specs) -> list[tuple[CityInput, np.ndarray]]:
    ordered = sorted((_normalise(c, specs) for c in cities), key=lambda pair: (pair[0].track, pair[0].city_code))
    for (before, _), (after, _) in zip(ordered, ordered[1:], strict=False):
        if (before.track, before.city_code) == (after.track, after.city_code):
            raise ScoringInputError(messages.DUPLICATE_CITY, city=after.city_code, track=after.track)
    return ordered


def canonical_cities(cities, specs) -> tuple[CityInput, ...]:
    """Cities checked, normalised and sorted by (track, city code); duplicates refused."""
    return tuple(city for city, _ in _canonical(cities, specs))


def _score_array(pairs, n_qual: int, expert_pos) -> tuple[np.ndarray, np.ndarray]:
    width = max((len(c.expert_scores) for c, _ in pairs), default=0) or 1  # ≥ 1 slot keeps shapes simple
    scores = np.full((len(pairs), n_qual, width), np.nan)
    index = np.full((len(pairs), width), -1, dtype=np.int64)
    for c, (city, matrix) in enumerate(pairs):
        scores[c, :, :len(matrix)] = matrix.T
        index[c, :len(matrix)] = [expert_pos[e] for e in city.expert_scores]
    return scores, index


def prepare(indicators, cities) -> Prepared:
    """Check and lay out a batch; raises ScoringInputError on the first problem."""
    specs = normalise_indicators(indicators)
    pairs = _canonical(cities, specs)
    canonical = tuple(city for city, _ in pairs)
    quant = tuple(i for i, s in enumerate(specs) if s.kind == QUANTITATIVE)
    qual = tuple(i for i, s in enumerate(specs) if s.kind == QUALITATIVE)
    quant_codes = [specs[i].code for i in quant]
    figures = np.array([[_nan(c.figures.get(code)) for code in quant_codes] for c in canonical], dtype=float)
    expert_ids = tuple(sorted({e for c in canonical for e in c.expert_scores}))
    expert_pos = {e: i for i, e in enumerate(expert_ids)}
    scores, index = _score_array(pairs, len(qual), expert_pos)
    defence_scores = _defence_array(canonical)
    return Prepared(
        specs=specs, cities=canonical, quant=quant, qual=qual,
        figures=figures.reshape(len(canonical), len(quant)), scores=scores,
        panels=tuple(tuple(c.expert_scores) for c in canonical), expert_ids=expert_ids,
        expert_index=index, defence=_defence(canonical, defence_scores),
        tracks=tuple(sorted({c.track for c in canonical})), defence_scores=defence_scores,
        defence_panels=tuple(tuple(c.defence_scores) for c in canonical),
    )


def _defence_array(cities) -> np.ndarray:
    width = max((len(c.defence_scores) for c in cities), default=0) or 1
    scores = np.full((len(cities), width), np.nan)
    for c, city in enumerate(cities):
        scores[c, :len(city.defence_scores)] = list(city.defence_scores.values())
    return scores


def _defence(cities, defence_scores: np.ndarray) -> np.ndarray:
    """The defence score per city: the aggregated one given, or the trimmed mean of the panel's
    (the rule of ``aggregate.trimmed_mean``), NaN when missing."""
    panel_mean = trimmed_mean(defence_scores).mean
    return np.array([panel_mean[c] if city.defence_scores else _nan(city.defence_score)
                     for c, city in enumerate(cities)], dtype=float)


def _nan(value: float | None) -> float:
    return np.nan if value is None else value
