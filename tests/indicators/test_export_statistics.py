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
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


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
    assert response["Content-Disposition"] == 'attachment; filename="statistics-2023-370200.csv"'
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
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)] == [HEADERS]
    notes = [r for r in workbook["说明"].iter_rows(values_only=True)]
    assert ("D1.1", "信息消费规模", "亿元") in notes
    assert not any(r and r[0] == "D1.4" for r in notes)  # qualitative: no figures


def test_text_that_looks_like_a_formula_is_written_as_text():
    from icdc.indicators.statistics_io import write_xlsx

    content = write_xlsx([["370200", "青岛市", 2023, "D1.1", "1", "亿元", "其他", "=1+1"]])
    cell = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]["H2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
