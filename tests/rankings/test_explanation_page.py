"""A city's explanation: composite → dimension → indicator → figure and rule, or each expert."""

import re

from django.urls import reverse


def _indicator(body, code):
    return re.search(rf'<tr data-indicator="{re.escape(code)}">.*?<td class="text-end fw-semibold" '
                     rf'data-testid="points">[^<]*</td>', body, re.S).group(0)


def _page(client, run, city="370200"):
    return client.get(reverse("rankings:city_explanation", args=[run.pk, "COMP", city])).content.decode()


def test_quantitative_indicator_shows_figure_rule_and_points(officer_client, comp_run):
    row = _indicator(_page(officer_client, comp_run), "D1.1")
    assert '<strong data-testid="figure">1820</strong> 亿元' in row
    assert "国家统计局" in row and "2022" in row
    assert "线性计分：得分 = 6 × 限定在 0～1 之间的 (数值 − 200) ÷ (2000 − 200)" in row
    assert 'data-testid="points">5.40</td>' in row  # 6 × (1820 − 200) / 1800
    threshold = _indicator(_page(officer_client, comp_run), "D5.4")
    assert "达标计分：数值不低于 95 得满分 3，否则 0 分" in threshold


def test_qualitative_indicator_shows_each_expert_and_what_was_trimmed(officer_client, comp_run):
    row = _indicator(_page(officer_client, comp_run), "D1.4")
    experts = dict(re.findall(r'<tr data-expert="(E\d)".*?>(.*?)</tr>', row, re.S))
    assert list(experts) == ["E1", "E2", "E3", "E4", "E5"]
    assert "3.20" in experts["E1"] and "去掉最低分" in experts["E1"]
    assert "4.00" in experts["E5"] and "去掉最高分" in experts["E5"]
    for expert in ("E2", "E3", "E4"):
        assert 'data-testid="trimmed"' not in experts[expert]
    assert "5 位专家评分，去掉一个最高分和一个最低分后取平均" in row
    assert 'data-testid="points">3.60</td>' in row  # mean of 3.4, 3.6, 3.8


def test_outlier_and_calibrated_value_are_shown_beside_the_raw_score(officer_client, comp_run):
    row = _indicator(_page(officer_client, comp_run, "320200"), "D6.3")
    e5 = re.search(r'<tr data-expert="E5".*?</tr>', row, re.S).group(0)
    assert 'data-testid="outlier">离群' in e5 and "5.00" in e5
    assert e5.count('<td class="text-end">') == 2  # raw score and calibrated score, side by side


def test_totals_explain_the_composite(officer_client, comp_run):
    body = _page(officer_client, comp_run, "370100")
    row = comp_run.city_results.get(city_id="370100")
    assert f'data-testid="composite">{row.composite:.2f}<' in body
    assert f"综合得分 = 材料评审得分 {row.material:.2f} × 0.7 + 答辩得分 {row.defence:.2f} × 0.3" in body
    assert "排名第 3 位" in body and "未入选" in body
    assert 'data-testid="close-call">临界' in body and "入选结果不稳定" in body
    assert 'data-testid="calibrated"' in body


def test_missing_figure_is_explained(officer_client, comp_run):
    body = _page(officer_client, comp_run, "320100")
    row = _indicator(body, "D1.1")
    assert '<strong data-testid="figure">—</strong>' in row and "缺少统计数据，按 0 分计" in row
    assert 'data-testid="points">0.00</td>' in row


def test_unknown_city_or_track_is_404(officer_client, comp_run):
    assert officer_client.get(reverse("rankings:city_explanation", args=[comp_run.pk, "COMP", "110000"])) \
        .status_code == 404
    assert officer_client.get(reverse("rankings:city_explanation", args=[comp_run.pk, "LIFE", "370200"])) \
        .status_code == 404


def test_a_result_this_engine_cannot_read_back_is_recomputed_and_said_so(officer_client, comp_run):
    import json

    from icdc.rankings.models import ScoringRun

    document = json.loads(comp_run.result_text)
    document["format"] = "icdc-scoring/0"  # an older result format, in the stored text and in the outline
    outline = comp_run.outline
    outline["parts"][0]["format"] = "icdc-scoring/0"
    ScoringRun.objects.filter(pk=comp_run.pk).update(result_text=json.dumps(document), outline=outline)
    body = _page(officer_client, comp_run)
    assert "以下数值由快照重新计算得出" in body
    assert 'data-testid="points">5.40</td>' in _indicator(body, "D1.1")


def test_a_slice_this_engine_cannot_read_falls_back_to_the_stored_result(officer_client, comp_run):
    from icdc.rankings.models import ScoringRunCity

    row = ScoringRunCity.objects.get(run=comp_run, city_id="370200")
    detail = row.detail
    del detail["result"]["indicator_points"]  # a slice written by another format
    ScoringRunCity.objects.filter(pk=row.pk).update(detail=detail)
    body = _page(officer_client, comp_run)
    assert "以下数值由快照重新计算得出" not in body  # the whole stored result still reads back
    assert 'data-testid="points">5.40</td>' in _indicator(body, "D1.1")
