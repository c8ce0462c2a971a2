"""Explanation: total → dimension → indicator → (figure, rule, points) or each expert's score."""

import json

import pytest

from icdc.scoring import explain, indicator_points, score_batch
from tests.scoring.builders import city, draft_system, params, random_batch, small_system


def explained_batch(calibrate=True):
    specs = draft_system()
    cities = random_batch(specs, 12, seed=21, panel=(5, 9))
    return specs, score_batch(specs, cities, params(quotas={"COMP": 3}, draws=100, calibrate=calibrate))


def test_the_tree_adds_up_to_the_composite():
    specs, result = explained_batch()
    for outcome in result.cities:
        tree = explain(result, outcome.city_code)
        assert tree.composite == outcome.composite and tree.rank == outcome.rank
        assert tree.composite == pytest.approx(tree.material * tree.w_material + tree.defence * tree.w_defence)
        assert sum(d.points for d in tree.dimensions) == pytest.approx(tree.material)
        assert [d.code for d in tree.dimensions] == ["D1", "D2", "D3", "D4", "D5", "D6"]
        for dimension in tree.dimensions:
            assert sum(i.points for i in dimension.indicators) == pytest.approx(dimension.points)
            assert dimension.max_points == sum(i.weight for i in dimension.indicators)


def test_quantitative_nodes_show_figure_rule_and_exactly_the_points_counted():
    specs, result = explained_batch()
    by_code = {s.code: s for s in specs}
    for outcome in result.cities:
        for dimension in explain(result, outcome.city_code).dimensions:
            for node in dimension.indicators:
                if node.kind != "quantitative":
                    continue
                assert node.points == indicator_points(by_code[node.code], node.figure)  # bit for bit
                assert node.rule == by_code[node.code].rule and node.rule_text


def test_qualitative_nodes_list_every_expert_and_mark_the_two_dropped():
    specs, result = explained_batch()
    tree = explain(result, result.cities[0].city_code)
    node = next(i for d in tree.dimensions for i in d.indicators if i.code == "D6.3")
    kept = [e.score for e in node.experts if e.trimmed is None]
    assert len(node.experts) >= 5 and node.aggregation == "trimmed_mean"
    assert sorted(e.trimmed for e in node.experts if e.trimmed) == ["highest", "lowest"]
    assert node.points == pytest.approx(sum(kept) / len(kept))
    assert "去掉一个最高分和一个最低分" in node.aggregation_text
    assert all(e.calibrated is not None and 0 <= e.calibrated <= node.weight for e in node.experts)


def test_a_missing_figure_is_explained_and_flags_are_worded_in_chinese():
    result = score_batch(small_system(), [city("A", None, 60, [20, 22, 24], defence=None)], params())
    tree = explain(result, "A")
    a1 = tree.dimensions[0].indicators[0]
    assert a1.figure is None and a1.points == 0.0 and a1.rule_text == "缺少统计数据，按 0 分计"
    assert "缺少答辩得分，按 0 分计" in tree.flag_texts
    b1 = tree.dimensions[1].indicators[0]
    assert b1.aggregation == "mean" and [e.trimmed for e in b1.experts] == [None, None, None]
    assert b1.experts[0].calibrated is None  # this run did not calibrate
    assert "综合得分 = 材料评审得分" in tree.composite_text


def test_the_tree_is_plain_data():
    _specs, result = explained_batch()
    data = explain(result, result.cities[-1].city_code).to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
