"""AHP (层次分析法) weights from a pairwise comparison matrix, with Saaty's consistency check.

* Weights: the principal right eigenvector of the matrix, normalised to sum to 1 (Saaty
  1980; Saaty 2003, "Decision-making with the AHP: Why is the principal eigenvector
  necessary", EJOR 145:85–91).
* Consistency: CI = (λmax − n) / (n − 1), CR = CI / RI(n), with Saaty's random index for
  n = 1..10. Matrices larger than 10 are refused: Saaty's table stops there and his advice
  is to compare at most 7 ± 2 elements per level, so the system is weighted level by level.
* Refusal: CR ≥ 0.10. The message names the comparisons that disagree most with the weights
  the whole matrix implies, measured by |ln(a_ij · w_j / w_i)| — 0 for a judgement that
  agrees exactly; Saaty (2003) suggests revising the judgement with the largest such ratio.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from . import messages
from .errors import InconsistentJudgementsError, ScoringInputError

# Saaty's random consistency index RI(n) (The Analytic Hierarchy Process, 1980).
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
CR_LIMIT = 0.10
RECIPROCAL_TOLERANCE = 5e-3  # judges type 0.333 for 1/3
SCALE = (1 / 9, 9.0)
PAIRS_IN_MESSAGE = 3


@dataclass(frozen=True)
class Disagreement:
    """One judgement a_ij against the ratio w_i / w_j the weights imply."""

    i: int
    j: int
    a: str
    b: str
    given: float
    implied: float
    deviation: float  # |ln(given / implied)|


@dataclass(frozen=True)
class AHPResult:
    labels: tuple[str, ...]
    weights: tuple[float, ...]  # sum to 1
    lambda_max: float
    ci: float
    ri: float
    cr: float
    disagreements: tuple[Disagreement, ...]  # every pair i < j, worst first
    acceptable: bool
    message: str  # empty when acceptable

    def scaled(self, total: float = 100.0) -> dict[str, float]:
        """Weights as points summing to ``total`` (the indicator system uses 100)."""
        return {label: w * total for label, w in zip(self.labels, self.weights, strict=True)}


def _check(matrix: np.ndarray, labels: tuple[str, ...]) -> None:
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise ScoringInputError(messages.AHP_NOT_SQUARE)
    n = matrix.shape[0]
    if n > max(RANDOM_INDEX):
        raise ScoringInputError(messages.AHP_TOO_LARGE, n=n)
    if len(labels) != n:
        raise ScoringInputError(messages.AHP_LABELS)
    if not (np.isfinite(matrix).all() and (matrix > 0).all()):
        raise ScoringInputError(messages.AHP_NOT_POSITIVE)
    for i in range(n):
        if not math.isclose(matrix[i, i], 1.0, rel_tol=RECIPROCAL_TOLERANCE):
            raise ScoringInputError(messages.AHP_DIAGONAL, i=labels[i])
        for j in range(i + 1, n):
            _check_pair(matrix, labels, i, j)


def _check_pair(matrix: np.ndarray, labels: tuple[str, ...], i: int, j: int) -> None:
    value, back = matrix[i, j], matrix[j, i]
    fields = {"a": labels[i], "b": labels[j], "value": judgement_text(value)}
    low, high = SCALE
    if not low * (1 - RECIPROCAL_TOLERANCE) <= value <= high * (1 + RECIPROCAL_TOLERANCE):
        raise ScoringInputError(messages.AHP_SCALE, **fields)
    if not math.isclose(value * back, 1.0, rel_tol=RECIPROCAL_TOLERANCE):
        raise ScoringInputError(messages.AHP_RECIPROCAL, back=judgement_text(back), **fields)


def judgement_text(value: float) -> str:
    """A judgement as an officer writes it: 3, 1/5, or 2.5 for an off-scale value."""
    ratio = Fraction(value).limit_denominator(9)
    if math.isclose(float(ratio), value, rel_tol=RECIPROCAL_TOLERANCE):
        return str(ratio.numerator) if ratio.denominator == 1 else f"{ratio.numerator}/{ratio.denominator}"
    return f"{value:.2f}"


def principal_eigenvector(matrix: np.ndarray) -> tuple[float, np.ndarray]:
    """(λmax, weights summing to 1). A positive matrix has a simple real Perron root."""
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)
    return float(values[k].real), vector / vector.sum()


def disagreements(matrix: np.ndarray, weights: np.ndarray, labels: tuple[str, ...]) -> tuple[Disagreement, ...]:
    n = len(weights)
    found = []
    for i in range(n):
        for j in range(i + 1, n):
            implied = weights[i] / weights[j]
            found.append(Disagreement(i=i, j=j, a=labels[i], b=labels[j], given=float(matrix[i, j]),
                                      implied=float(implied), deviation=abs(math.log(matrix[i, j] / implied))))
    return tuple(sorted(found, key=lambda d: (-d.deviation, d.i, d.j)))


def _message(cr: float, worst: tuple[Disagreement, ...]) -> str:
    pairs = messages.AHP_PAIR_SEPARATOR.join(
        messages.AHP_PAIR.format(a=d.a, b=d.b, given=judgement_text(d.given), implied=f"{d.implied:.2f}")
        for d in worst[:PAIRS_IN_MESSAGE]
    )
    return messages.AHP_INCONSISTENT.format(cr=cr, pairs=pairs)


def analyse(matrix, labels: Sequence[str] | None = None) -> AHPResult:
    """Weights, λmax, CI, CR and disagreements of a pairwise matrix; never refuses on CR."""
    matrix = np.asarray(matrix, dtype=float)
    n = matrix.shape[0] if matrix.ndim == 2 else 0
    labels = tuple(labels) if labels is not None else tuple(str(i + 1) for i in range(n))
    _check(matrix, labels)
    lam, weights = principal_eigenvector(matrix)
    ci = max(lam - n, 0.0) / (n - 1) if n > 1 else 0.0
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    found = disagreements(matrix, weights, labels)
    acceptable = cr < CR_LIMIT
    return AHPResult(labels=labels, weights=tuple(float(w) for w in weights), lambda_max=lam, ci=ci, ri=ri, cr=cr,
                     disagreements=found, acceptable=acceptable, message="" if acceptable else _message(cr, found))


def ahp_weights(matrix, labels: Sequence[str] | None = None) -> AHPResult:
    """Like ``analyse`` but refuses CR ≥ 0.10 with InconsistentJudgementsError (Chinese message
    naming the comparisons that disagree most; ``error.result`` holds the full analysis)."""
    result = analyse(matrix, labels)
    if not result.acceptable:
        raise InconsistentJudgementsError("{text}", result, text=result.message)
    return result


def pairwise_matrix(labels: Sequence[str], judgements: Mapping[tuple[str, str], float]) -> np.ndarray:
    """A full reciprocal matrix from one judgement per pair, as a form collects them:
    ``{(a, b): 3}`` means a is moderately more important than b."""
    index = {label: k for k, label in enumerate(labels)}
    matrix = np.ones((len(labels), len(labels)))
    for (a, b), value in judgements.items():
        value = float(value)
        if not (math.isfinite(value) and value > 0):
            raise ScoringInputError(messages.AHP_NOT_POSITIVE)
        matrix[index[a], index[b]] = value
        matrix[index[b], index[a]] = 1.0 / value
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if (a, b) not in judgements and (b, a) not in judgements:
                raise ScoringInputError(messages.AHP_MISSING_PAIR, a=a, b=b)
    return matrix
