"""AHP weights (层次分析法): principal eigenvector, Saaty's CR, refusal at CR ≥ 0.10."""

from fractions import Fraction

import numpy as np
import pytest

from icdc.scoring import InconsistentJudgementsError, ScoringInputError, ahp_weights, analyse, pairwise_matrix
from icdc.scoring.ahp import judgement_text

HOUSE_CRITERIA = ["住房面积", "交通", "邻里环境", "房龄", "院落", "现代设施", "总体状况", "融资条件"]
HOUSE = """
1   5   3   7   6   6   1/3 1/4
1/5 1   1/3 5   3   3   1/5 1/7
1/3 3   1   6   3   4   6   1/5
1/7 1/5 1/6 1   1/3 1/4 1/7 1/8
1/6 1/3 1/3 3   1   1/2 1/5 1/6
1/6 1/3 1/4 4   2   1   1/5 1/6
3   5   1/6 7   5   5   1   1/2
4   7   5   8   6   6   2   1
"""
YARD = """
1   5   4
1/5 1   1/3
1/4 3   1
"""


def matrix(text):
    return [[float(Fraction(x)) for x in line.split()] for line in text.strip().splitlines()]


def test_saaty_house_example_reproduces_published_weights_and_cr_and_is_refused():
    """Saaty's house-buying example, level of criteria: size of house, transportation,
    neighbourhood, age of house, yard space, modern facilities, general condition, financing.

    Source: T. L. Saaty, "How to make a decision: The analytic hierarchy process",
    European Journal of Operational Research 48 (1990) 9–26, house example (also in
    Saaty, The Analytic Hierarchy Process, McGraw-Hill 1980, ch. 2). Published:
    priorities .173 .054 .188 .018 .031 .036 .167 .333; λmax = 9.669, CI = 0.238, CR = 0.169.
    Saaty used it to illustrate; by the 0.10 rule it must be revised, so we refuse it.
    """
    result = analyse(matrix(HOUSE), HOUSE_CRITERIA)
    assert [round(w, 3) for w in result.weights] == [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert round(result.lambda_max, 3) == 9.669
    assert round(result.ci, 3) == 0.238
    assert round(result.cr, 3) == 0.169
    assert result.ri == 1.41 and not result.acceptable

    with pytest.raises(InconsistentJudgementsError) as refused:
        ahp_weights(matrix(HOUSE), HOUSE_CRITERIA)
    worst = refused.value.result.disagreements[0]
    # Neighbourhood judged 6 × as important as general condition, while the weights say ≈ 1.13.
    assert (worst.a, worst.b, worst.given) == ("邻里环境", "总体状况", 6.0)
    assert worst.implied == pytest.approx(1.13, abs=0.01)
    message = refused.value.message
    assert "CR = 0.169" in message
    assert "「邻里环境」相对「总体状况」判断为 6" in message
    assert message.index("「邻里环境」相对「总体状况」") < message.index("「住房面积」相对「邻里环境」")


def test_revising_the_named_comparison_improves_consistency():
    revised = np.array(matrix(HOUSE))
    revised[2, 6], revised[6, 2] = 1.0, 1.0
    assert analyse(revised).cr < analyse(matrix(HOUSE)).cr


def test_saaty_yard_space_comparison_is_accepted_with_published_values():
    """Same source, houses A, B, C compared on yard space: priorities .674 .101 .226,
    λmax = 3.086, CI = 0.043, CR = 0.074 (< 0.10, accepted)."""
    result = ahp_weights(matrix(YARD), ["A", "B", "C"])
    assert [round(w, 3) for w in result.weights] == [0.674, 0.101, 0.226]
    assert round(result.lambda_max, 3) == 3.086
    assert round(result.ci, 3) == 0.043
    assert round(result.cr, 3) == 0.074
    assert result.acceptable and result.message == ""
    assert sum(result.scaled(100).values()) == pytest.approx(100)


def test_a_perfectly_consistent_matrix_returns_the_weights_it_was_built_from():
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    result = ahp_weights(weights[:, None] / weights[None, :])
    assert np.allclose(result.weights, weights) and result.cr == pytest.approx(0, abs=1e-9)
    assert result.disagreements[0].deviation == pytest.approx(0, abs=1e-9)


def test_pairwise_matrix_from_one_judgement_per_pair():
    labels = ["D1", "D2", "D3"]
    built = pairwise_matrix(labels, {("D1", "D2"): 3, ("D3", "D1"): 1 / 5, ("D2", "D3"): 1})
    assert built[1, 0] == pytest.approx(1 / 3) and built[0, 2] == pytest.approx(5)
    with pytest.raises(ScoringInputError, match="缺少「D2」与「D3」"):
        pairwise_matrix(labels, {("D1", "D2"): 3, ("D1", "D3"): 5})


@pytest.mark.parametrize(("bad", "words"), [
    ([[1, 3], [1 / 2, 1]], "不互为倒数"),
    ([[1, 12], [1 / 12, 1]], "标度范围"),
    ([[1, 0], [0, 1]], "正的有限数值"),
    ([[2, 3], [1 / 3, 1]], "对角线"),
    ([[1, 2, 3], [1 / 2, 1, 1]], "方阵"),
    (np.ones((11, 11)), "超过 10 阶"),
])
def test_malformed_matrices_are_refused_in_chinese(bad, words):
    with pytest.raises(ScoringInputError, match=words):
        analyse(bad)


def test_judgements_are_written_as_officers_write_them():
    assert [judgement_text(v) for v in (3.0, 1 / 3, 0.333, 1 / 9, 2.5)] == ["3", "1/3", "1/3", "1/9", "5/2"]
