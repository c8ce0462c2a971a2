"""Plain data going into and coming out of the scoring engine.

Inputs are frozen dataclasses the Django adapter builds from models; results are frozen
dataclasses with a ``to_dict()`` that holds only JSON types, so they can be stored,
compared byte for byte (``canonical.result_bytes``) and exported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"
KINDS = (QUANTITATIVE, QUALITATIVE)
RULES = ("linear", "reverse_linear", "threshold")

# Stable codes for per-city flags; Chinese labels live in messages.FLAG_LABELS.
FLAG_MISSING_FIGURE = "missing_figure"
FLAG_NO_EXPERT_SCORES = "no_expert_scores"
FLAG_EXPERT_OUTLIER = "expert_outlier"
FLAG_MISSING_DEFENCE = "missing_defence"
FLAG_BELOW_PASS_MARK = "below_pass_mark"
FLAG_TIED_AT_CUTOFF = "tied_at_cutoff"
FLAG_CLOSE_CALL = "close_call"


@dataclass(frozen=True)
class IndicatorSpec:
    """评价指标: one indicator of the system a batch uses (SPEC §3).

    ``weight`` is in points. Quantitative indicators carry ``rule`` with ``floor``/``target``
    (see ``rules.py`` for their exact meaning); qualitative ones are scored by experts on
    0..weight.
    """

    code: str
    dimension: str
    kind: str
    weight: float
    rule: str | None = None
    floor: float | None = None
    target: float | None = None
    name: str = ""
    dimension_name: str = ""
    unit: str = ""


@dataclass(frozen=True)
class CityInput:
    """One application as scored: a city in one track.

    ``track`` is an opaque track code given by the programme definition (``icdc.programmes``:
    a type without domains, e.g. 综合型, or one specialised domain); a city that applies for two
    domains is two entries, one per track. ``figures`` maps quantitative
    indicator codes to the figure or None (missing); ``expert_scores`` maps expert id to
    that expert's complete score sheet {qualitative code: points}. The defence (答辩) is either
    ``defence_scores``, each panel member's score on 0..100 by expert id (aggregated by the same
    trimmed mean as the sheets and resampled by the robustness analysis like them), or one
    already aggregated ``defence_score`` on 0..100; neither (None / empty) = missing, e.g. a city
    that did not appear. Giving both is refused.
    """

    city_code: str
    track: str
    figures: Mapping[str, float | None] = field(default_factory=dict)
    expert_scores: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    defence_score: float | None = None
    name: str = ""
    defence_scores: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RunParams:
    """The batch's parameters for one scoring run; all of them go into the stored result.

    ``w_material + w_defence`` must be 1. ``quotas`` maps every track present to its
    number of titles. ``draws`` = 0 skips the robustness analysis. ``weight_cv`` sets the
    Dirichlet concentration so an indicator of average weight varies by that coefficient
    of variation. ``close_call_threshold``: a city is a close call when its official
    decision flips in at least this share of draws.
    """

    w_material: float
    w_defence: float
    pass_mark: float
    quotas: Mapping[str, int]
    seed: int = 0
    draws: int = 1000
    calibrate: bool = False
    weight_cv: float = 0.10
    perturb_weights: bool = True
    resample_experts: bool = True
    close_call_threshold: float = 0.10
    hash_algorithm: str = "sha256"

    def to_dict(self) -> dict[str, Any]:
        return {
            "w_material": float(self.w_material), "w_defence": float(self.w_defence),
            "pass_mark": float(self.pass_mark), "quotas": {k: int(v) for k, v in sorted(self.quotas.items())},
            "seed": int(self.seed), "draws": int(self.draws), "calibrate": bool(self.calibrate),
            "weight_cv": float(self.weight_cv), "perturb_weights": bool(self.perturb_weights),
            "resample_experts": bool(self.resample_experts),
            "close_call_threshold": float(self.close_call_threshold), "hash_algorithm": self.hash_algorithm,
        }


@dataclass(frozen=True)
class ExpertOutlier:
    """One expert score flagged by the outlier rule in ``aggregate.py``."""

    indicator: str
    expert_id: str
    score: float
    median: float


@dataclass(frozen=True)
class Robustness:
    """How stable a city's decision is under weight perturbation and expert resampling."""

    p_in_quota: float
    rank_p05: int
    rank_median: int
    rank_p95: int
    close_call: bool


@dataclass(frozen=True)
class Calibrated:
    """Scores with each expert's leniency standardised away, shown beside the raw ones."""

    material: float
    composite: float
    rank: int


@dataclass(frozen=True)
class CityResult:
    """One application's result: totals, detail, rank and decision within its track."""

    city_code: str
    track: str
    composite: float
    material: float
    defence: float
    quantitative_total: float
    qualitative_total: float
    dimension_points: Mapping[str, float]
    indicator_points: Mapping[str, float]
    # {qualitative code: (lowest expert dropped, highest expert dropped)} when trimmed.
    trimmed: Mapping[str, tuple[str, str]]
    outliers: tuple[ExpertOutlier, ...]
    flags: tuple[str, ...]
    rank: int
    eligible: bool
    selected: bool
    calibrated: Calibrated | None = None
    robustness: Robustness | None = None
    # (lowest, highest) defence expert dropped when per-expert defence scores were trimmed.
    defence_trimmed: tuple[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        # ``defence_trimmed`` only when there is one: a result without per-expert defence scores
        # serialises exactly as before they existed, so stored runs still reproduce to the byte.
        extra = {"defence_trimmed": list(self.defence_trimmed)} if self.defence_trimmed else {}
        return {**extra,
            "city_code": self.city_code, "track": self.track, "composite": self.composite,
            "material": self.material, "defence": self.defence,
            "quantitative_total": self.quantitative_total, "qualitative_total": self.qualitative_total,
            "dimension_points": dict(self.dimension_points), "indicator_points": dict(self.indicator_points),
            "trimmed": {k: list(v) for k, v in self.trimmed.items()},
            "outliers": [vars(o) for o in self.outliers], "flags": list(self.flags),
            "rank": self.rank, "eligible": self.eligible, "selected": self.selected,
            "calibrated": vars(self.calibrated) if self.calibrated else None,
            "robustness": vars(self.robustness) if self.robustness else None,
        }


@dataclass(frozen=True)
class TrackResult:
    """The ranking of one track (综合型 or one specialised domain)."""

    track: str
    quota: int
    ranking: tuple[str, ...]  # city codes, rank 1 first
    selected: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"track": self.track, "quota": self.quota, "ranking": list(self.ranking),
                "selected": list(self.selected)}


@dataclass(frozen=True)
class ExpertLeniency:
    """An expert's mean and spread of scores (as shares of the weight) over this batch."""

    expert_id: str
    mean: float
    sd: float
    n_scores: int


@dataclass(frozen=True)
class BatchResult:
    """Everything a scoring run produced; ``canonical.result_bytes`` serialises it."""

    input_hash: str
    params: RunParams
    indicators: tuple[IndicatorSpec, ...]
    cities: tuple[CityResult, ...]  # sorted by (track, city_code)
    tracks: tuple[TrackResult, ...]
    leniency: tuple[ExpertLeniency, ...] = ()
    # (mean, sd) of all score shares in the batch: what calibration maps each expert onto.
    leniency_baseline: tuple[float, float] | None = None
    # The canonicalised inputs, kept for explain(); not part of the serialised result.
    inputs: tuple[CityInput, ...] = field(default=(), repr=False, compare=False)

    def city(self, city_code: str, track: str | None = None) -> CityResult:
        for result in self.cities:
            if result.city_code == city_code and (track is None or result.track == track):
                return result
        raise KeyError((city_code, track))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "icdc-scoring/1",
            "input_hash": self.input_hash,
            "params": self.params.to_dict(),
            "indicators": [vars(spec) for spec in self.indicators],
            "cities": [c.to_dict() for c in self.cities],
            "tracks": [t.to_dict() for t in self.tracks],
            "leniency": [vars(e) for e in self.leniency],
            "leniency_baseline": list(self.leniency_baseline) if self.leniency_baseline else None,
        }
