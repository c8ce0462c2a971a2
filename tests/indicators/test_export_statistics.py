"""Exporting statistics in the import layout (.xlsx and .csv): export → import changes nothing."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.indicators.models import StatisticFigure
from icdc.indicators.statistics_services import export_statistics, import_statistics
from tests.lib.excel_checks import fileable_workbook, header_and_rows, libreoffice_csv

from .helpers import HEADERS, xlsx_bytes
from .test_import_statistics import GOOD_ROWS


@pytest.fixture
def imported(draft_version, officer, cities):
    rows = [*GOOD_ROWS, ["370200", "青岛市", 2022, "D1.1", "0.0001", "亿元", "国家统计局", ""],
            ["370200", "青岛市", 2021, "D1.1", "12345678901.2345", "亿元", "国家统计局", ""]]
    report = import_statistics(filename="seed.xlsx", content=xlsx_bytes(rows), version=draft_version, user=officer)
    assert report.created == 6
    return report


def _xlsx_table(content):
    header, rows = header_and_rows(fileable_workbook(content).worksheets[0])
    return [list(header), *[list(r) for r in rows]]


def _csv_table(content):
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(imported, draft_version, officer, fmt):
    content, filename, _type = export_statistics(user=officer, fmt=fmt)
    table = _xlsx_table(content) if fmt == "xlsx" else _csv_table(content)
    assert table[0] == HEADERS and len(table) == 7
    before = list(StatisticFigure.objects.order_by("pk").values())
    report = import_statistics(filename=filename, content=content, version=draft_version, user=officer)
    assert report.ok and (report.created, report.changed, report.unchanged) == (0, 0, 6)
    assert list(StatisticFigure.objects.order_by("pk").values()) == before


def test_export_into_an_empty_database_recreates_the_figures(imported, draft_version, officer):
    content, filename, _type = export_statistics(user=officer, fmt="xlsx")
    expected = sorted(StatisticFigure.objects.values_list("city_id", "year", "indicator_code", "value", "unit",
                                                          "source", "source_note"))
    StatisticFigure.objects.all().delete()
    assert import_statistics(filename=filename, content=content, version=draft_version, user=officer).created == 6
    assert sorted(StatisticFigure.objects.values_list("city_id", "year", "indicator_code", "value", "unit",
                                                      "source", "source_note")) == expected
    assert StatisticFigure.objects.get(year=2021).value == Decimal("12345678901.2345")  # not rounded via float


def test_export_filters_by_year_and_city_and_is_audited(imported, officer_client):
    response = officer_client.get(reverse("indicators:statistics_export"), {"format": "csv", "year": 2023,
                                                                             "city": "370200"})
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download-2023-370200.csv\"; "
        "filename*=UTF-8''%E7%BB%9F%E8%AE%A1%E6%95%B0%E6%8D%AE-2023-370200.csv")  # 统计数据-2023-370200.csv
    rows = _csv_table(response.content)[1:]
    assert sorted((r[0], r[2], r[3], r[4]) for r in rows) == [("370200", "2023", "D1.1", "1523.5"),
                                                               ("370200", "2023", "D3.1", "98.2")]
    record = AuditRecord.objects.get(action="indicators.statistics.export")
    assert "rows=2" in record.detail and "csv" in record.detail


def test_xlsx_export_has_numbers_as_numbers(imported, officer_client):
    response = officer_client.get(reverse("indicators:statistics_export"), {"year": 2022})
    table = _xlsx_table(response.content)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sorted(r[4] for r in table[1:]) == [0.0001, 6234.5]
    assert {r[6] for r in table[1:]} == {"其他", "国家统计局"}


def test_blank_template_is_the_layout_with_a_notes_sheet(draft_version, officer_client):
    response = officer_client.get(reverse("indicators:statistics_template"))
    workbook = fileable_workbook(response.content)
    header, rows = header_and_rows(workbook.worksheets[0])
    assert list(header) == HEADERS and rows == []
    notes = [r for r in workbook["说明"].iter_rows(values_only=True)]
    assert ("D1.1", "信息消费规模", "亿元") in notes
    assert not any(r and r[0] == "D1.4" for r in notes)  # qualitative: no figures
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_the_template_offers_drop_down_lists_for_city_indicator_and_source(draft_version, cities, officer_client):
    workbook = fileable_workbook(officer_client.get(reverse("indicators:statistics_template")).content)
    sheet, options = workbook.worksheets[0], workbook["选项"]
    lists = {str(v.sqref).split(":")[0][0]: v for v in sheet.data_validations.dataValidation}
    assert set(lists) == {"A", "B", "C", "D", "G"}
    assert lists["G"].formula1 == '"国家统计局,工业和信息化部,其他"'
    assert lists["C"].type == "whole" and lists["A"].type == "list"
    _h, option_rows = header_and_rows(options)
    city_codes = [r[0] for r in option_rows if r[0]]
    indicator_codes = [r[2] for r in option_rows if r[2]]
    assert city_codes == ["330200", "370100", "370200"]  # cities that may apply; not the province
    assert "D1.1" in indicator_codes and "D1.4" not in indicator_codes
    for column, values in (("A", city_codes), ("D", indicator_codes)):
        cells = lists[column].formula1.split("!")[1].replace("$", "")
        assert [c.value for c in options[cells][0:len(values)] for c in c] == values


def test_text_that_looks_like_a_formula_is_written_as_text():
    from icdc.indicators.statistics_io import write_xlsx

    content = write_xlsx([["370200", "青岛市", 2023, "D1.1", "1", "亿元", "其他", "=1+1"]])
    _header, rows = header_and_rows(fileable_workbook(content).worksheets[0])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=1+1")
    assert (cell.value, cell.data_type) == ("=1+1", "s") and rows[0][7] == "=1+1"


def test_csv_export_neutralises_formulas_and_keeps_negative_numbers():
    from icdc.indicators.statistics_io import write_csv

    table = _csv_table(write_csv([["370200", "青岛市", 2023, "D1.1", "-12.5", "亿元", "其他", "@SUM(A1)"]]))
    assert table[1][4] == "-12.5" and table[1][7] == "'@SUM(A1)"


@pytest.mark.parametrize("view", ["indicators:statistics_export", "indicators:statistics_template"])
def test_the_workbooks_open_in_libreoffice(imported, officer_client, view):
    text = libreoffice_csv(officer_client.get(reverse(view)).content)
    lines = text.splitlines()
    assert "导出时间" in lines[0] and "城市代码,城市名称,年份" in lines[1]
    if view == "indicators:statistics_export":
        assert any(line.startswith("370200,青岛市,2023,D1.1,") for line in lines)
