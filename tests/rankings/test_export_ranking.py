"""Excel export of a run's ranking: one sheet per track, the numbers of the page, audited."""

import re
from urllib.parse import quote

from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.rankings.services import create_run
from tests.lib.excel_checks import fileable_workbook, libreoffice_csv

from . import helpers


def _table(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "排名")
    return rows[start], rows[start + 1:]


def test_ranking_workbook_has_the_page_numbers(officer_client, comp_run):
    response = officer_client.get(reverse("rankings:export_ranking", args=[comp_run.pk]))
    assert response["Content-Disposition"].endswith("filename*=UTF-8''" + quote(f"排名-{comp_run.label}.xlsx"))
    book = fileable_workbook(response.content)
    assert book.sheetnames == ["综合型"]
    sheet = book["综合型"]
    facts = {r[0]: r[1] for r in sheet.iter_rows(max_col=2, values_only=True) if r[0]}
    assert facts["输入摘要"] == comp_run.input_hash and facts["随机种子"] == 7 and facts["名额"] == 2
    head, rows = _table(sheet)
    assert head[:8] == ("排名", "城市代码", "城市", "综合得分", "材料评审得分", "答辩得分", "达到合格线", "入选")
    page = officer_client.get(reverse("rankings:run_track", args=[comp_run.pk, "COMP"])).content.decode()
    for row in rows:
        rank, code, name, composite, material, defence, _eligible, selected, p_in_quota, close_call = row[:10]
        html = re.search(rf'<tr data-city="{code}".*?</tr>', page, re.S).group(0)
        assert name in html and f">{rank}</td>" in html
        for value in (composite, material, defence):
            assert f"{value:.2f}" in html
        assert f"{p_in_quota * 100:.1f}%" in html
        assert (selected == "是") == ('data-selected="1"' in html)
        assert (close_call == "是") == ('data-close-call="1"' in html)
    assert [r[1] for r in rows] == ["370200", "330200", "370100", "320200", "320100"]
    assert sheet.cell(sheet.max_row, 4).number_format == "0.00"
    assert AuditRecord.objects.get(action="rankings.scoring_run.export").detail == "ranking tracks=COMP"


def test_one_sheet_per_domain(officer_client, figures, draft_version, officer):
    apps = helpers.applications(draft_version, "SPEC", {"370200": ["LIFE", "PUBLIC"], "330200": ["LIFE"]})
    run = create_run(user=officer, version=draft_version, system_code="SPEC", year=helpers.YEAR, label="特色型",
                     applications=apps, params=helpers.params(quotas={"LIFE": 1, "PUBLIC": 1}))
    book = helpers.workbook(officer_client.get(reverse("rankings:export_ranking", args=[run.pk])).content)
    assert book.sheetnames == ["生活类信息消费", "公共服务类信息消费"]
    assert [r[1] for r in _table(book["生活类信息消费"])[1]] == ["370200", "330200"]


def test_ranking_workbook_is_fileable_and_opens_in_libreoffice(officer_client, comp_run):
    content = officer_client.get(reverse("rankings:export_ranking", args=[comp_run.pk])).content
    sheet = fileable_workbook(content)["综合型"]
    head, rows = _table(sheet)
    assert sheet.freeze_panes == f"A{next(c.row for c in sheet['A'] if c.value == '排名') + 1}"
    composite = head.index("综合得分") + 1
    header_row = int(sheet.freeze_panes[1:]) - 1
    assert all(sheet.cell(r, composite).number_format == "0.00" for r in range(header_row + 1, sheet.max_row + 1))
    facts = {r[0].value: r for r in sheet.iter_rows(max_col=2)}
    assert facts["合格分数线"][1].data_type == "n"
    text = libreoffice_csv(content)
    assert "排名,城市代码,城市,综合得分" in text and "370200" in text
