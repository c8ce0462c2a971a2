"""The scoring engine (评分引擎): plain Python and numpy, no Django (house style rule 5).

Takes plain data, returns plain data; the Django adapter translates models to and from it.
Nothing here touches a database, a clock or the network, so a run is a pure function of
its inputs, parameters and seed.

Public API (stable; everything else is internal)
------------------------------------------------

Scoring a batch::

    score_batch(indicators: Sequence[IndicatorSpec], cities: Sequence[CityInput],
                params: RunParams) -> BatchResult

* One call scores one indicator system (综合型 or 特色型). ``CityInput.track`` is an opaque
  code the caller takes from the programme definition (a type without domains, or one
  domain); the engine knows no type or domain. A specialised city applying for two domains
  is two entries. Ranking, quota and pass mark apply per track.
* The defence is ``CityInput.defence_scores`` (each panel member's score, aggregated by the
  sheets' trimmed mean and resampled by the robustness analysis) or one ``defence_score``; a
  city without per-expert scores hashes and scores exactly as before they existed.
* ``BatchResult``: ``input_hash``, ``params``, ``indicators`` (canonical), ``cities``
  (``CityResult`` sorted by track then city code: composite, material, defence,
  quantitative/qualitative totals, ``dimension_points``, ``indicator_points``,
  ``trimmed`` experts, ``outliers``, ``flags``, ``rank``, ``eligible``, ``selected``,
  ``calibrated`` (when ``params.calibrate``), ``robustness`` (when ``params.draws`` > 0:
  ``p_in_quota``, rank 5/50/95 % quantiles, ``close_call``)), ``tracks``
  (``TrackResult``: ranking and selected, best first), ``leniency`` table.
  ``result.city(code, track=None)`` finds one city.
* Refusals raise ``ScoringInputError`` (``.message`` in Chinese, ``.template``,
  ``.fields``) before anything is computed.

Explaining a city::

    explain(result: BatchResult, city_code: str, track: str | None = None) -> CityExplanation

  composite → dimensions → indicators → (figure, rule, points) or (each expert's score,
  dropped as highest/lowest or not, outlier or not, calibrated), and the defence with each
  member's score (``defence_experts``, ``defence_aggregation``); ``.to_dict()``.

Reproducibility::

    input_hash(indicators, cities, algorithm="sha256") -> str   # "sha256:…" / "sm3:…"
    result_bytes(result: BatchResult) -> bytes                  # canonical JSON
    result_hash(result: BatchResult) -> str

  Same inputs (in any order), parameters and seed → identical bytes.

AHP weights::

    analyse(matrix, labels=None) -> AHPResult        # never refuses on CR
    ahp_weights(matrix, labels=None) -> AHPResult    # raises InconsistentJudgementsError if CR ≥ 0.10
    pairwise_matrix(labels, {(a, b): value, ...}) -> np.ndarray

  ``AHPResult``: weights (sum 1; ``.scaled(100)`` for points), lambda_max, ci, ri, cr,
  disagreements (worst first), acceptable, message (Chinese, names the worst pairs).

Cross-check::

    cross_check(result: BatchResult) -> tuple[CrossCheck, ...]   # entropy-weight TOPSIS per track
    entropy_weights(matrix) -> np.ndarray
    topsis(matrix, weights, types=None, normalization="minmax") -> np.ndarray

Rules and their exact definitions are in the module docstrings: ``rules`` (quantitative
rules), ``aggregate`` (trimmed mean, outlier rule, leniency calibration), ``ranking``
(tie-break order), ``robustness`` (Monte Carlo), ``canonical`` (serialisation).
User-facing strings are in ``messages``.
"""

from .ahp import AHPResult, Disagreement, ahp_weights, analyse, pairwise_matrix
from .canonical import input_hash, result_bytes, result_hash
from .engine import score_batch
from .errors import InconsistentJudgementsError, ScoringInputError
from .explain import CityExplanation, explain
from .rules import indicator_points
from .topsis import CrossCheck, cross_check, entropy_weights, topsis
from .types import (
    BatchResult,
    Calibrated,
    CityInput,
    CityResult,
    ExpertLeniency,
    ExpertOutlier,
    IndicatorSpec,
    Robustness,
    RunParams,
    TrackResult,
)

__all__ = [
    "AHPResult", "BatchResult", "Calibrated", "CityExplanation", "CityInput", "CityResult", "CrossCheck",
    "Disagreement", "ExpertLeniency", "ExpertOutlier", "InconsistentJudgementsError", "IndicatorSpec",
    "Robustness", "RunParams", "ScoringInputError", "TrackResult", "ahp_weights", "analyse", "cross_check",
    "entropy_weights", "explain", "indicator_points", "input_hash", "pairwise_matrix", "result_bytes",
    "result_hash", "score_batch", "topsis",
]
