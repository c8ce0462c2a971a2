"""The ranking page of a track: decision, close calls, flags, hashes and seed."""

import re

from django.urls import reverse

from icdc.rankings.services import create_run

from . import helpers


def _rows(body):
    return {m.group(1): m.group(0) for m in re.finditer(r'<tr data-city="(\d{6})".*?</tr>', body, re.S)}


def test_ranking_marks_selected_cities_and_close_calls(officer_client, comp_run):
    response = officer_client.get(reverse("rankings:run_detail", args=[comp_run.pk]), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("rankings:run_track", args=[comp_run.pk, "COMP"])
    rows = _rows(body)
    assert list(rows) == ["370200", "330200", "370100", "320200", "320100"]  # rank order
    assert 'data-selected="1" data-close-call="0" class="table-success"' in rows["370200"]
    assert 'data-selected="1" data-close-call="1" class="table-warning"' in rows["330200"]
    assert 'data-selected="0" data-close-call="1" class="table-warning"' in rows["370100"]
    assert 'data-testid="close-call">临界<' in rows["370100"]
    assert "入选</span>" in rows["330200"] and "入选</span>" not in rows["370100"]
    assert "未达到" in rows["320200"] and "未达合格线" in rows["320200"] and "专家评分离群" in rows["320200"]
    assert "缺统计数据" in rows["320100"]


def test_ranking_shows_the_numbers_of_the_stored_result(officer_client, comp_run):
    body = officer_client.get(reverse("rankings:run_track", args=[comp_run.pk, "COMP"])).content.decode()
    rows = _rows(body)
    for row in comp_run.city_results.all():
        assert f"{row.composite:.2f}" in rows[row.city_id] and f"{row.defence:.2f}" in rows[row.city_id]
        assert f"{row.p_in_quota * 100:.1f}%" in rows[row.city_id]
    assert "名额 2 个；合格分数线 60.00 分" in body


def test_ranking_shows_input_hash_seed_and_calibrated_beside_raw(officer_client, comp_run):
    body = officer_client.get(reverse("rankings:run_track", args=[comp_run.pk, "COMP"])).content.decode()
    assert f'<code data-testid="input-hash">{comp_run.input_hash}</code>' in body
    assert '<code data-testid="seed">7</code>' in body
    assert comp_run.result_hash in body and comp_run.engine in body
    assert "校准后综合得分" in body and "不替代原始得分" in body
    assert "重新计算并核对" in body


def test_specialised_run_has_one_tab_per_domain(officer_client, figures, draft_version, officer):
    apps = helpers.applications(draft_version, "SPEC", {"370200": ["LIFE", "PUBLIC"], "330200": ["LIFE"]})
    run = create_run(user=officer, version=draft_version, system_code="SPEC", year=helpers.YEAR, label="特色型",
                     applications=apps, params=helpers.params(quotas={"LIFE": 1, "PUBLIC": 1}))
    body = officer_client.get(reverse("rankings:run_track", args=[run.pk, "PUBLIC"])).content.decode()
    assert "生活类信息消费</a>" in body and "公共服务类信息消费</a>" in body
    assert list(_rows(body)) == ["370200"]
    assert officer_client.get(reverse("rankings:run_track", args=[run.pk, "COMP"])).status_code == 404


def test_run_list(officer_client, comp_run):
    body = officer_client.get(reverse("rankings:run_list")).content.decode()
    assert "2022 年度综合型评分" in body and "draft-2019 / 综合型" in body
    assert '<td class="text-end">5</td><td class="text-end">2</td>' in body  # five scored, two selected


def test_a_long_ranking_is_shown_a_page_at_a_time(officer_client, draft_version, officer):
    from icdc.rankings.selectors import RANKING_PAGE_SIZE

    run = helpers.big_run(draft_version, officer, RANKING_PAGE_SIZE + 10)
    url = reverse("rankings:run_track", args=[run.pk, "COMP"])
    ranked = list(run.city_results.order_by("rank").values_list("city_id", flat=True))
    first = officer_client.get(url).content.decode()
    assert list(_rows(first)) == ranked[:RANKING_PAGE_SIZE]
    assert 'data-testid="ranking-pages"' in first and f"第 1～{RANKING_PAGE_SIZE} 名，共 {len(ranked)} 个城市" in first
    second = officer_client.get(url + "?page=2").content.decode()
    assert list(_rows(second)) == ranked[RANKING_PAGE_SIZE:]
    assert officer_client.get(url + "?page=99").content.decode().count("<tr data-city=") == 10  # the last page
    assert list(_rows(officer_client.get(url + "?page=x").content.decode())) == ranked[:RANKING_PAGE_SIZE]


def test_a_short_ranking_has_no_page_links(officer_client, comp_run):
    body = officer_client.get(reverse("rankings:run_track", args=[comp_run.pk, "COMP"])).content.decode()
    assert 'data-testid="ranking-pages"' not in body and len(_rows(body)) == 5
