"""Aggregation of expert scores on qualitative indicators (SPEC §4, expert review).

Arrays are [..., experts] with NaN where a panel has fewer experts than the widest one;
experts sit in ascending order of their id, so every tie below is broken the same way
whatever order the caller listed them in.

* Trimmed mean: with five or more experts drop exactly one highest and one lowest score
  and average the rest; with fewer, plain mean; with none, 0 (flagged by the caller).
  When several experts share the lowest score, the one with the smallest id is the one
  dropped; when several share the highest, the one with the largest id.
* Outlier rule (flag only, never changes a score): with three or more experts, a score is
  an outlier when |score − median| > max(2 × 1.4826 × MAD, 0.25 × weight). The MAD term
  adapts to a panel's own spread (1.4826 × MAD estimates σ for normal scores); the 25 %
  of the weight floor stops a near-unanimous panel (MAD = 0) from flagging a one-point
  difference.
* Leniency calibration: each expert's scores, as shares of the weight, are standardised
  over everything that expert scored in the batch and mapped onto the batch's overall
  mean and spread. It is shown beside the raw result and never replaces it: an expert who
  happened to review only strong cities looks lenient, which is why officers see both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TRIM_FROM = 5
OUTLIER_MIN_EXPERTS = 3
MAD_TO_SIGMA = 1.4826
OUTLIER_SIGMAS = 2.0
OUTLIER_WEIGHT_SHARE = 0.25


@dataclass(frozen=True)
class Aggregate:
    """Trimmed means and which experts (positions on the last axis) were dropped."""

    mean: np.ndarray  # [...]
    count: np.ndarray  # [...] experts who scored
    low: np.ndarray  # [...] position dropped as lowest (meaningful where trimmed)
    high: np.ndarray  # [...] position dropped as highest
    trimmed: np.ndarray  # [...] bool


def _order(values: np.ndarray) -> np.ndarray:
    """Ascending stable order with absent (NaN) scores last."""
    return np.argsort(np.where(np.isnan(values), np.inf, values), axis=-1, kind="stable")


def _at(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    return np.take_along_axis(values, positions[..., None], axis=-1)[..., 0]


def trimmed_mean(values: np.ndarray) -> Aggregate:
    """Trimmed mean over the last axis (see the module docstring for the rule)."""
    valid = ~np.isnan(values)
    count = valid.sum(axis=-1)
    total = np.where(valid, values, 0.0).sum(axis=-1)
    order = _order(values)
    low = order[..., 0]
    high = _at(order, np.maximum(count - 1, 0))
    trimmed = count >= TRIM_FROM
    kept = np.where(trimmed, total - _at(values, low) - _at(values, high), total)
    divisor = np.where(trimmed, count - 2, np.maximum(count, 1))
    mean = np.where(count > 0, kept / divisor, 0.0)
    return Aggregate(mean=mean, count=count, low=low, high=high, trimmed=trimmed)


def _median(values: np.ndarray, count: np.ndarray) -> np.ndarray:
    ordered = np.take_along_axis(values, _order(values), axis=-1)
    lower = _at(ordered, np.maximum((count - 1) // 2, 0))
    upper = _at(ordered, count // 2)
    return (lower + upper) / 2.0


def outliers(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(outlier mask like ``values``, median [...]) for scores [..., indicators, experts]."""
    count = (~np.isnan(values)).sum(axis=-1)
    median = _median(values, count)
    deviation = np.abs(values - median[..., None])
    mad = _median(deviation, count)
    limit = np.maximum(OUTLIER_SIGMAS * MAD_TO_SIGMA * mad, OUTLIER_WEIGHT_SHARE * weights)
    with np.errstate(invalid="ignore"):
        mask = (deviation > limit[..., None]) & (count >= OUTLIER_MIN_EXPERTS)[..., None]
    return mask, median


@dataclass(frozen=True)
class Leniency:
    """Per expert (global index): mean and sd of score shares, count; plus the batch's."""

    mean: np.ndarray
    sd: np.ndarray
    count: np.ndarray
    overall_mean: float
    overall_sd: float


def leniency(shares: np.ndarray, expert_index: np.ndarray, n_experts: int) -> Leniency:
    """Each expert's mean/sd of ``shares`` [cities, indicators, experts] (score / weight).

    ``expert_index`` [cities, experts] maps panel positions to a global expert index
    (−1 for padding)."""
    valid = ~np.isnan(shares)
    slots = np.broadcast_to(expert_index[:, None, :], shares.shape)[valid]
    values = shares[valid]
    count = np.bincount(slots, minlength=n_experts)
    mean = np.bincount(slots, weights=values, minlength=n_experts) / np.maximum(count, 1)
    square = np.bincount(slots, weights=(values - mean[slots]) ** 2, minlength=n_experts)
    sd = np.sqrt(square / np.maximum(count, 1))
    overall_mean = float(values.mean()) if values.size else 0.0
    overall_sd = float(values.std()) if values.size else 0.0
    return Leniency(mean=mean, sd=sd, count=count, overall_mean=overall_mean, overall_sd=overall_sd)


def calibrate(shares: np.ndarray, expert_index: np.ndarray, stats: Leniency) -> np.ndarray:
    """Shares with each expert's leniency removed: mapped onto the batch's mean and spread.

    An expert whose scores do not vary (sd = 0) is only shifted, not stretched."""
    if stats.mean.size == 0:  # nobody scored anything: nothing to calibrate
        return shares.copy()
    safe = np.maximum(expert_index, 0)
    mean = stats.mean[safe][:, None, :]
    sd = stats.sd[safe][:, None, :]
    stretch = np.where(sd > 0, stats.overall_sd / np.where(sd > 0, sd, 1.0), 1.0)
    return np.clip(stats.overall_mean + (shares - mean) * stretch, 0.0, 1.0)


def calibrated_share(share: float, expert: tuple[float, float], overall: tuple[float, float]) -> float:
    """One score share calibrated as ``calibrate`` does it, for explanations."""
    mean, sd = expert
    stretch = overall[1] / sd if sd > 0 else 1.0
    return float(min(max(overall[0] + (share - mean) * stretch, 0.0), 1.0))
