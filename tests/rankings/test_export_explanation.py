"""Excel export of a city's explanation: the page's indicators, figures, rules and expert scores."""

import re

from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.rankings import selectors
from tests.lib.excel_checks import fileable_workbook, libreoffice_csv


def _export(client, run, city="370200"):
    response = client.get(reverse("rankings:export_explanation", args=[run.pk, "COMP", city]))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    return fileable_workbook(response.content)


def test_explanation_workbook_matches_the_page(officer_client, comp_run):
    book = _export(officer_client, comp_run)
    assert book.sheetnames == ["指标得分", "专家评分"]
    rows = list(book["指标得分"].iter_rows(values_only=True))
    facts = {r[0]: r[1] for r in rows if r[0] and r[1] is not None}
    tree = selectors.explanation(comp_run, "COMP", "370200")
    assert facts["综合得分"] == tree["composite"] and facts["排名"] == 1 and facts["入选"] == "是"
    assert facts["校准后综合得分"] == tree["calibrated"]["composite"]
    by_code = {r[1]: r for r in rows if r[1] and r[0] is None}  # indicator rows leave column A empty
    d11 = by_code["D1.1"]
    assert d11[2:8] == ("信息消费规模", "定量", 6, 1820, "亿元", "国家统计局")
    assert d11[8].startswith("线性计分") and round(d11[9], 2) == 5.40
    page = officer_client.get(reverse("rankings:city_explanation", args=[comp_run.pk, "COMP", "370200"]))
    body = page.content.decode()
    for code, row in by_code.items():
        assert f'data-indicator="{code}"' in body and f"{row[9]:.2f}" in body
    experts = [r for r in book["专家评分"].iter_rows(min_row=2, values_only=True) if r[0] == "D1.4"]
    assert [(r[2], r[3], r[4]) for r in experts] == [
        ("E1", 3.2, "去掉最低分"), ("E2", 3.4, None), ("E3", 3.6, None), ("E4", 3.8, None), ("E5", 4.0, "去掉最高分")]
    record = AuditRecord.objects.get(action="rankings.scoring_run.export")
    assert record.detail == "explanation track=COMP city=370200" and record.object_id == str(comp_run.pk)


def test_unknown_city_is_404_and_not_audited(officer_client, comp_run):
    response = officer_client.get(reverse("rankings:export_explanation", args=[comp_run.pk, "COMP", "110000"]))
    assert response.status_code == 404
    assert not AuditRecord.objects.filter(action="rankings.scoring_run.export").exists()


def test_explanation_totals_show_two_decimals_and_open_in_libreoffice(officer_client, comp_run):
    response = officer_client.get(reverse("rankings:export_explanation", args=[comp_run.pk, "COMP", "370200"]))
    sheet = fileable_workbook(response.content)["指标得分"]
    facts = {r[0].value: r[1] for r in sheet.iter_rows(max_col=2) if r[0].value}
    assert facts["综合得分"].number_format == "0.00" and isinstance(facts["综合得分"].value, float)
    text = libreoffice_csv(response.content)
    composite = next(line for line in text.splitlines() if line.startswith("综合得分,"))
    assert re.fullmatch(r"综合得分,\d+\.\d\d,*", composite), composite  # 51.93, not 51.93387185…
