"""Bad input is refused with a Chinese message naming what is wrong, before anything is computed."""

from dataclasses import replace

import pytest

from icdc.scoring import CityInput, IndicatorSpec, ScoringInputError, score_batch
from tests.scoring.builders import city, params, small_system

GOOD = city("110000", 50, 60, [20, 22, 24])


def refusal(cities, run=None, indicators=None):
    with pytest.raises(ScoringInputError) as refused:
        score_batch(indicators or small_system(), cities, run or params())
    return refused.value.message


def test_an_incomplete_score_sheet_names_city_expert_and_indicator():
    sheets = {"E1": {"B1": 20, "B2": 10}, "E2": {"B1": 20}}
    message = refusal([replace(GOOD, expert_scores=sheets)])
    assert message == "城市 110000 专家 E2 的评分表缺少指标：B2"


def test_a_score_outside_zero_to_weight_is_refused():
    sheets = {"E1": {"B1": 31, "B2": 10}}
    assert refusal([replace(GOOD, expert_scores=sheets)]) == "城市 110000 专家 E1 对指标 B1 的评分 31.0 超出 0～30 分的范围"
    sheets = {"E1": {"B1": float("nan"), "B2": 10}}
    assert "超出 0～30 分的范围" in refusal([replace(GOOD, expert_scores=sheets)])
    sheets = {"E1": {"B1": "很好", "B2": 10}}
    assert "很好" in refusal([replace(GOOD, expert_scores=sheets)])


def test_unknown_codes_and_bad_figures_are_refused():
    assert "B1" in refusal([replace(GOOD, figures={"A1": 3, "B1": 2})])  # B1 is qualitative
    assert "不是有限数值" in refusal([replace(GOOD, figures={"A1": float("inf")})])
    sheets = {"E1": {"B1": 20, "B2": 10, "Z9": 1}}
    assert "Z9" in refusal([replace(GOOD, expert_scores=sheets)])


def test_duplicates_defence_range_and_empty_codes():
    assert refusal([GOOD, GOOD]) == "城市 110000 在 COMP 类别中重复出现"
    assert "答辩得分" in refusal([replace(GOOD, defence_score=101)])
    assert "不能为空" in refusal([replace(GOOD, city_code="")])


def test_run_parameters_are_checked():
    assert "合计为 1" in refusal([GOOD], params(w_material=0.7, w_defence=0.4))
    assert refusal([replace(GOOD, track="LIFE")]) == "未设置 LIFE 类别的名额"
    assert "非负整数" in refusal([GOOD], params(quotas={"COMP": -1}))
    assert "随机种子" in refusal([GOOD], params(seed=-5))
    assert "抽样次数" in refusal([GOOD], params(draws=2.5))


def test_indicator_system_problems_are_named():
    twice = [*small_system(), small_system()[0]]
    assert refusal([GOOD], indicators=twice) == "指标代码 A1 重复"
    odd = [IndicatorSpec(code="X", dimension="D", kind="guess", weight=1)]
    assert "类型" in refusal([], indicators=odd)
    zero = [IndicatorSpec(code="X", dimension="D", kind="qualitative", weight=0)]
    assert "权重" in refusal([], indicators=zero)


def test_an_empty_batch_is_scored_as_empty():
    result = score_batch(small_system(), [], params(quotas={}))
    assert result.cities == () and result.tracks == ()


def test_refusal_changes_nothing_in_the_callers_data():
    sheets = {"E1": {"B1": 20, "B2": 10}, "E2": {"B1": 20}}
    bad = CityInput(city_code="1", track="COMP", figures={"A1": 5}, expert_scores=sheets)
    with pytest.raises(ScoringInputError):
        score_batch(small_system(), [bad], params())
    assert bad.expert_scores == {"E1": {"B1": 20, "B2": 10}, "E2": {"B1": 20}}
