"""Validation of an indicator-set document: pure functions, no database."""

import copy
import re

import pytest
import yaml

from icdc.indicators.validation import system_totals, validate_document, validate_indicator
from icdc.indicators.yaml_io import DocumentError, load_document

from .conftest import DRAFT_PATH

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def raw():
    return yaml.safe_load(DRAFT_PATH.read_text(encoding="utf-8"))


def _indicator(raw, code):
    for system in raw["systems"]:
        for dimension in system["dimensions"]:
            for indicator in dimension["indicators"]:
                if indicator["code"] == code:
                    return indicator
    raise KeyError(code)


def messages(raw):
    return [str(p) for p in validate_document(raw)]


def test_the_shipped_draft_is_valid(raw):
    assert validate_document(raw) == []


def test_a_system_not_summing_to_100_is_refused(raw):
    _indicator(raw, "D1.1")["weight"] = 7
    assert messages(raw) == ["体系 COMP：共性部分合计 101 分，须为 100 分"]


def test_weights_with_decimals_sum_exactly(raw):
    _indicator(raw, "D1.1")["weight"] = 5.5
    _indicator(raw, "D1.2")["weight"] = 5.5
    assert validate_document(raw) == []


def test_duplicate_codes_are_refused_across_the_version(raw):
    _indicator(raw, "S1.1")["code"] = "D1.1"
    raw["systems"][1]["dimensions"][0]["code"] = "D1"
    raw["domains"][1]["code"] = "LIFE"
    found = messages(raw)
    assert any("代码 D1.1 重复" in m and "体系 COMP › 维度 D1 › 指标 D1.1" in m for m in found)
    assert any("代码 D1 重复" in m for m in found)
    assert any("特色领域 LIFE" in m and "代码 LIFE 重复" in m for m in found)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"floor": 2000}, "线性计分的下限值与目标值不能相同"),
        ({"floor": None}, "线性计分须同时填写下限值和目标值"),
        ({"rule": "reverse_linear", "target": None}, "线性计分须同时填写下限值和目标值"),
        ({"rule": "threshold", "target": None}, "达标计分须填写目标值"),
        ({"rule": "threshold"}, "达标计分只用目标值，不应填写下限值"),
        ({"rule": "log"}, "定量指标的计分规则须为 linear、reverse_linear 或 threshold"),
        ({"rule": None}, "定量指标的计分规则须为 linear、reverse_linear 或 threshold"),
        ({"unit": None}, "定量指标须填写单位"),
        ({"kind": "mixed"}, "指标类型须为 quantitative（定量）或 qualitative（定性）"),
        ({"weight": 0}, "权重须大于 0 且不超过 100 分"),
        ({"weight": "six"}, "权重须为数字"),
        ({"weight": 6.125}, "权重最多2位小数"),
    ],
)
def test_bad_rule_parameters_are_refused(raw, changes, expected):
    indicator = _indicator(raw, "D1.1")  # linear, floor 200, target 2000
    for key, value in changes.items():
        if value is None:
            indicator.pop(key, None)
        else:
            indicator[key] = value
    found = messages(raw)
    assert any(expected in m and m.startswith("体系 COMP › 维度 D1 › 指标 D1.1：") for m in found), found


@pytest.mark.parametrize("field", ["rule", "floor", "target", "unit"])
def test_a_qualitative_indicator_has_no_rule(raw, field):
    _indicator(raw, "D1.4")[field] = "linear" if field == "rule" else ("个" if field == "unit" else 1)
    found = messages(raw)
    assert len(found) == 1 and "定性指标由专家评分，不应填写" in found[0]


def test_unknown_fields_and_missing_parts_are_named(raw):
    _indicator(raw, "D1.1")["taget"] = 1
    raw["systems"][1]["dimensions"][2]["indicators"] = []
    raw["systems"][1]["dimensions"][0]["domain"] = "SPORT"
    found = messages(raw)
    assert "体系 COMP › 维度 D1 › 指标 D1.1：未知字段：taget" in found
    assert "体系 SPEC › 维度 S3：维度下至少须有一个指标" in found
    assert "体系 SPEC › 维度 S1：特色领域 SPORT 未在 domains 中定义" in found


def test_every_problem_is_reported_at_once_in_chinese(raw):
    _indicator(raw, "D1.1")["floor"] = 2000
    _indicator(raw, "D2.1")["weight"] = 7
    _indicator(raw, "S2.3")["rule"] = "threshold"
    found = messages(raw)
    assert found == [
        "体系 COMP › 维度 D1 › 指标 D1.1：线性计分的下限值与目标值不能相同",
        "体系 COMP：共性部分合计 101 分，须为 100 分",
        "体系 SPEC › 维度 S2 › 指标 S2.3：达标计分只用目标值，不应填写下限值",
    ]
    assert all(CJK.search(m) for m in found)


def test_not_a_document_at_all():
    assert [str(p) for p in validate_document(["a", "b"])][0].startswith("文件内容须为一个 YAML 映射")
    assert any("至少须有一个指标体系" in str(p) for p in validate_document({"version": "x", "systems": []}))


def test_per_domain_parts_each_sum_to_100_with_the_common_part(raw):
    """The yaml's SPEC system has only a common part; a version may add a part per domain."""
    spec = raw["systems"][1]
    _indicator(raw, "S1.2")["weight"] = 5  # common part now 90
    spec["dimensions"].append({"code": "S4", "name": "领域专项", "domain": "LIFE", "indicators": [
        {"code": "S4.1", "name": "生活类专项", "kind": "qualitative", "weight": 10}]})
    found = messages(raw)
    # LIFE has 100; the three other domains have only the 90 of the common part
    assert len(found) == 3 and all("共性部分加特色领域" in m and "合计 90 分" in m for m in found)
    for code in ("PUBLIC", "INDUSTRY", "PRODUCT"):
        part = copy.deepcopy(spec["dimensions"][-1])
        part.update(code=f"S4-{code}", domain=code)
        part["indicators"][0]["code"] = f"S4.{code}"
        spec["dimensions"].append(part)
    assert validate_document(raw) == []
    assert set(system_totals(spec, ["LIFE", "PUBLIC", "INDUSTRY", "PRODUCT"]).values()) == {100}


def test_validate_indicator_names_the_field():
    problems = validate_indicator({"code": "A 1", "name": "", "kind": "quantitative", "unit": "%", "weight": 5,
                                   "rule": "linear", "floor": 1, "target": 1})
    assert {p.field for p in problems} == {"code", "name"}
    problems = validate_indicator({"code": "A1", "name": "x", "kind": "quantitative", "unit": "%", "weight": 5,
                                   "rule": "linear", "floor": 1, "target": 1})
    assert [(p.field, p.message) for p in problems] == [("target", "线性计分的下限值与目标值不能相同")]


def test_yaml_syntax_errors_are_reported_with_the_line():
    with pytest.raises(DocumentError) as caught:
        load_document("version: x\nsystems: [\n  - code: A\n")
    assert "YAML 格式错误" in str(caught.value.problems[0])
    assert caught.value.problems[0].where.startswith("第 ")


def test_yaml_aliases_are_refused():
    """Nested aliases in a few lines can expand to gigabytes when walked (billion laughs)."""
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(DocumentError) as caught:
        load_document(bomb)
    assert "不支持 YAML 别名" in str(caught.value.problems[0])
