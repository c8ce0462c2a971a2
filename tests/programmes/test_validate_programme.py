"""A bad programme document is refused with every problem, in Chinese, naming where it is."""

import pytest

from icdc.lib.refusals import Refusal
from icdc.programmes.definition import MAX_BYTES, ProgrammeError, programme_from_document, programme_from_yaml

from .helpers import REAL, raw


def problems_of(document):
    with pytest.raises(ProgrammeError) as caught:
        programme_from_document(document)
    assert isinstance(caught.value, Refusal) and str(caught.value).startswith("申报项目定义有误：")
    return caught.value.problems


def yaml_problems(text):
    with pytest.raises(ProgrammeError) as caught:
        programme_from_yaml(text)
    return caught.value.problems


def test_missing_and_unknown_keys():
    document = raw()
    del document["types"], document["title"]
    document["typo_key"] = 1
    problems = problems_of(document)
    assert "缺少必填项「types」" in problems and "缺少必填项「title」" in problems
    assert "未知的键「typo_key」" in problems


def test_not_a_mapping_at_all():
    assert problems_of(["a", "list"]) == ["应为键值对（mapping）"]
    assert yaml_problems("just text") == ["应为键值对（mapping）"]


def test_duplicate_codes():
    document = raw()
    document["types"][1]["code"] = "COMP"
    document["domains"][1]["code"] = "LIFE"
    document["materials"][1]["code"] = "RECOMMENDATION"
    problems = problems_of(document)
    assert "types 第 2 项（COMP）.code：代码「COMP」重复" in problems
    assert "domains 第 2 项（LIFE）.code：代码「LIFE」重复" in problems
    assert "materials 第 2 项（RECOMMENDATION）.code：代码「RECOMMENDATION」重复" in problems


def test_a_domain_code_may_not_equal_a_type_code_since_both_are_tracks():
    document = raw()
    document["domains"][0]["code"] = "COMP"
    assert any("领域代码与申报类型代码重复：COMP" in p for p in problems_of(document))


def test_unknown_type_in_materials_and_conditions():
    document = raw()
    document["materials"][3]["types"] = ["COMP", "SPORT"]
    document["conditions"]["SPORT"] = [{"code": "X-1", "text": "x"}]
    del document["conditions"]["SPEC"]
    problems = problems_of(document)
    assert "materials 第 4 项（OTHER）.types：未知的申报类型「SPORT」" in problems
    assert "conditions：未知的申报类型「SPORT」" in problems
    assert "conditions：缺少申报类型「SPEC」的基本条件" in problems


def test_bad_choices_file_kinds_and_routes():
    document = raw()
    document["materials"][1]["file_kinds"] = ["pdf", "exe"]
    document["materials"][1]["routes"] = ["post"]
    document["materials"][0]["routes"] = ["direct", "province"]  # a province's document on the direct route
    problems = problems_of(document)
    assert any("「exe」不是可选值" in p and "pdf、docx、xlsx、jpg、png" in p for p in problems)
    assert any(p.startswith("materials 第 2 项（FORM）.routes：「post」不是可选值") for p in problems)
    assert any("由省级主管部门提供的材料只能用于经省级初审的申报" in p for p in problems)


@pytest.mark.parametrize("cap", [0, -3, 2.5, "10", True, {"province": 0}, {"county": 3}])
def test_a_cap_must_be_a_positive_integer_or_null(cap):
    document = raw()
    document["recommendation"]["cap"] = cap
    problems = problems_of(document)
    assert any("推荐名额上限须为正整数" in p or "未知的推荐单位类别「county」" in p for p in problems)


def test_flags_must_be_booleans_and_texts_not_empty():
    document = raw()
    document["one_type_per_batch"] = "yes please"
    document["types"][0]["label"] = "  "
    document["conditions"]["COMP"][0]["text"] = {"nested": "x"}
    problems = problems_of(document)
    assert "one_type_per_batch：应为 true 或 false" in problems
    assert "types 第 1 项（COMP）.label：不能为空" in problems
    assert "conditions.COMP 第 1 项（COMP-1）.text：应为文字" in problems


def test_a_type_that_chooses_domains_needs_domains():
    document = raw()
    del document["domains"]
    assert any("未列出任何领域" in p for p in problems_of(document))


def test_bad_codes():
    document = raw()
    document["code"] = "Info Consumption"
    document["types"][0]["code"] = "1-bad code"
    problems = problems_of(document)
    assert any(p.startswith("code：项目代码「Info Consumption」无效") for p in problems)
    assert any("代码「1-bad code」无效" in p for p in problems)


def test_a_nul_byte_in_the_file_or_as_an_escape_is_refused():
    text = REAL.read_text(encoding="utf-8")
    assert yaml_problems(text.replace("综合型", "综合\x00型", 1).encode()) == ["文件含有空字符（NUL），请删除后重试"]
    assert yaml_problems(text.replace("title: 信息消费示范城市", 'title: "信息\\0消费"', 1)) == [
        "文件含有空字符（NUL），请删除后重试"]


def test_aliases_are_refused_before_they_expand():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n"
    assert yaml_problems(bomb) == ["第 2 行：不支持 YAML 别名（*）"]


def test_size_syntax_nesting_and_encoding():
    assert "文件过大" in yaml_problems(b"#" * (MAX_BYTES + 1))[0]
    assert "YAML 格式错误" in yaml_problems("code: [unclosed\n")[0]
    assert yaml_problems("[" * 5000 + "]" * 5000) == ["YAML 嵌套层数过多"]
    assert yaml_problems("title: 信息".encode("gbk")) == ["文件须为 UTF-8 编码的 YAML"]


def test_a_date_or_other_non_text_value_is_refused_not_stored():
    document = raw()
    document["version"] = None
    document["basis"] = ["a", "list"]
    problems = problems_of(document)
    assert "version：应为文字" in problems and "basis：应为文字" in problems
    assert any("应为文字" in p for p in yaml_problems(REAL.read_text(encoding="utf-8").replace(
        'version: "2019"', "version: 2019-03-18")))
