"""Quantitative indicators scored by rule (the header of the indicator yaml, SPEC §3).

* ``linear``: points = weight × clamp((x − floor) / (target − floor), 0, 1), with
  target > floor (higher is better).
* ``reverse_linear``: lower is better. Full points at or below the lower of floor/target,
  none at or above the higher, linear between. Either order of floor and target gives
  the same result, because the indicator editor does not fix which one is the smaller.
* ``threshold``: full points when x ≥ target, else 0 (floor unused).
* A missing figure scores 0 and is flagged by the caller.

Every rule is written as ``clamp((x − start) / (end − start), 0, 1)`` (threshold aside), so
one vectorised expression serves the whole batch and the explanation uses the very same
arithmetic: the points shown are bit for bit the points counted.
"""

from __future__ import annotations

import math

import numpy as np

from . import messages
from .errors import ScoringInputError
from .types import QUANTITATIVE, RULES, IndicatorSpec


def check_rule(spec: IndicatorSpec) -> None:
    """Refuse rule parameters that cannot be scored, with a message naming the indicator."""
    if spec.rule not in RULES:
        raise ScoringInputError(messages.BAD_RULE, code=spec.code)
    if spec.rule == "threshold":
        if spec.target is None or not math.isfinite(spec.target):
            raise ScoringInputError(messages.BAD_TARGET, code=spec.code)
        return
    if spec.floor is None or spec.target is None or not (math.isfinite(spec.floor) and math.isfinite(spec.target)):
        raise ScoringInputError(messages.BAD_BAND, code=spec.code)
    if spec.floor == spec.target:
        raise ScoringInputError(messages.BAD_BAND, code=spec.code)
    if spec.rule == "linear" and spec.target < spec.floor:
        raise ScoringInputError(messages.LINEAR_DIRECTION, code=spec.code)


def band(spec: IndicatorSpec) -> tuple[float, float]:
    """(start, end): the figure earning no points and the one earning full points."""
    if spec.rule == "linear":
        return spec.floor, spec.target
    if spec.rule == "reverse_linear":
        return max(spec.floor, spec.target), min(spec.floor, spec.target)
    return spec.target, spec.target  # threshold: a step at target


def rule_arrays(specs: tuple[IndicatorSpec, ...]) -> dict[str, np.ndarray]:
    """Per-indicator parameters of the quantitative ``specs`` as arrays, in their order."""
    bands = [band(s) for s in specs]
    return {
        "weight": np.array([s.weight for s in specs], dtype=float),
        "start": np.array([b[0] for b in bands], dtype=float),
        "end": np.array([b[1] for b in bands], dtype=float),
        "threshold": np.array([s.rule == "threshold" for s in specs], dtype=bool),
    }


def fractions(figures: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """Share of the weight earned, in [0, 1], for figures [cities, indicators]; NaN → 0."""
    start, end, step = params["start"], params["end"], params["threshold"]
    span = np.where(step, 1.0, end - start)  # a threshold's span is unused; avoid 0/0
    with np.errstate(invalid="ignore", over="ignore"):
        # A reverse rule divides by a negative span, so its worst figure gives 0 ÷ (−span) = −0.0,
        # which clip keeps, the canonical bytes store as "-0.0" and a page shows as "-0.00".
        # Adding +0.0 turns −0.0 into 0.0 and leaves every other value unchanged.
        share = np.clip((figures - start) / span, 0.0, 1.0) + 0.0
        share = np.where(step, figures >= end, share)
    return np.where(np.isnan(figures), 0.0, share)


def points(figures: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """Points [cities, indicators] for figures [cities, indicators] (NaN = missing)."""
    return params["weight"] * fractions(figures, params)


def indicator_points(spec: IndicatorSpec, figure: float | None) -> float:
    """Points of one quantitative indicator for one figure, exactly as the batch counts them."""
    if spec.kind != QUANTITATIVE:
        raise ValueError(spec.code)
    check_rule(spec)
    value = np.array([[np.nan if figure is None else float(figure)]])
    return float(points(value, rule_arrays((spec,)))[0, 0])
