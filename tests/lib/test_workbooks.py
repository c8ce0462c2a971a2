"""The one export writer: formula-safe, formatted, streaming, named in Chinese."""

import csv
import io
from urllib.parse import unquote

import openpyxl

from icdc.lib import workbooks
from tests.lib.excel_checks import fileable_workbook, header_and_rows

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-1+2", "@SUM(A1)", "\tx", "\rx", "=1+1"]


def _book(rows, columns=("名称", "得分")):
    book = workbooks.ExcelExport()
    sheet = book.sheet("表", title="测试导出", columns=[workbooks.Column(columns[0]),
                                                        workbooks.Column(columns[1], number_format="0.00")])
    for row in rows:
        sheet.append(row)
    return book.to_bytes()


def test_text_is_never_a_formula_and_numbers_stay_numbers():
    content = _book([[text, -1.5] for text in HOSTILE])
    header, rows = header_and_rows(fileable_workbook(content).active)
    assert header == ("名称", "得分")
    expected = [text.replace("\r", "\n") for text in HOSTILE]  # XML reads a lone CR as a line break
    assert [r[0] for r in rows] == expected and all(r[1] == -1.5 for r in rows)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    kinds = {c.value: (c.data_type, c.number_format) for row in sheet.iter_rows() for c in row if c.value}
    assert all(kinds[text][0] == "s" for text in expected)
    assert kinds[-1.5] == ("n", "0.00")


def test_title_frozen_header_filter_and_cjk_widths():
    content = _book([["信息消费示范城市综合评价", 1.0], ["abc", 2.0]])
    sheet = fileable_workbook(content).active
    assert sheet["A1"].value.startswith("测试导出（导出时间：")
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:B4"
    # 12 Chinese characters take 24 columns on screen (+2 of margin); Latin text of that length, 12
    assert sheet.column_dimensions["A"].width == 26


def test_an_empty_export_is_still_a_fileable_table():
    sheet = fileable_workbook(_book([])).active
    assert sheet.auto_filter.ref == "A2:B2"


def test_csv_has_a_bom_and_neutralised_formulas():
    content = workbooks.csv_bytes(["名称", "数值"], [[text, "-12.5"] for text in HOSTILE])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'" + text for text in HOSTILE]
    assert {r[1] for r in rows[1:]} == {"-12.5"}  # a negative number is a number, not a formula


def test_content_disposition_has_the_chinese_name_and_an_ascii_fallback():
    header = workbooks.content_disposition("排名-2024 综合型/第1批.xlsx")
    ascii_part, utf8_part = header.split("; filename*=UTF-8''")
    assert ascii_part.startswith('attachment; filename="') and ascii_part.isascii()
    assert unquote(utf8_part) == "排名-2024 综合型_第1批.xlsx"  # no path separator survives
    assert workbooks.content_disposition("x.xlsx", "ranking-1.xlsx").startswith('attachment; filename="ranking-1.xlsx"')
