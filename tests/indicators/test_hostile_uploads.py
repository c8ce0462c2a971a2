"""入侵防范: every hostile statistics file is refused with a Chinese message, before it can
exhaust the server (bounded memory: the readers stop at the first row, column, string or
archive member past the limits), and nothing is written."""

import re
import tracemalloc

import pytest

from icdc.audit.models import AuditRecord
from icdc.indicators.models import StatisticFigure
from icdc.indicators.statistics_services import import_statistics
from tests.lib import hostile_files

CJK = re.compile(r"[\u4e00-\u9fff]")
MEMORY_LIMIT = 100 * 1024 * 1024
EXPECTED = {
    "one-row-ten-million-cells.xlsx": "解压后过大",
    "wide-row.xlsx": "列数过多",
    "every-column-filled.xlsx": "单元格过多",
    "padded-with-elements.xlsx": "元素过多",
    "shared-string-1gb.xlsx": "解压后过大",
    "many-shared-strings.xlsx": "解压后过大",
    "many-distinct-strings.xlsx": "文本过多",
    "huge-ratio-member.xlsx": "压缩比异常",
    "too-many-members.xlsx": "文件过多",
    "dtd.xlsx": "DTD",
    "malformed.xlsx": "格式错误",
}


@pytest.mark.parametrize("name", list(hostile_files.HOSTILE))
def test_a_hostile_workbook_is_refused_in_bounded_memory(draft_version, officer, cities, name):
    content = hostile_files.HOSTILE[name]()
    tracemalloc.start()
    try:
        report = import_statistics(filename=name, content=content, version=draft_version, user=officer)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not report.applied and len(report.errors) == 1
    reason = report.errors[0].reason
    assert EXPECTED[name] in reason and CJK.search(reason), reason
    assert peak < MEMORY_LIMIT, f"{name}: {peak / 1e6:.0f} MB"
    assert StatisticFigure.objects.count() == 0
    assert AuditRecord.objects.get(action="indicators.statistics.import").result == "rejected"


def test_a_cell_past_the_column_cap_is_refused_even_alone(draft_version, officer, cities):
    """A single cell at column XFD would make a naive reader pad every row to 16,384 cells."""
    sheet = hostile_files._sheet(hostile_files._header_row() + b'<row r="2"><c r="XFD2"><v>1</v></c></row>')
    content = hostile_files.zip_bytes(hostile_files._parts(sheet))
    report = import_statistics(filename="far.xlsx", content=content, version=draft_version, user=officer)
    assert "列数过多" in report.errors[0].reason and StatisticFigure.objects.count() == 0


def test_a_row_far_down_is_refused_as_too_many_rows(draft_version, officer, cities):
    sheet = hostile_files._sheet(hostile_files._header_row() + b'<row r="1048576"><c><v>1</v></c></row>')
    content = hostile_files.zip_bytes(hostile_files._parts(sheet))
    report = import_statistics(filename="far.xlsx", content=content, version=draft_version, user=officer)
    assert "数据行过多" in report.errors[0].reason and StatisticFigure.objects.count() == 0


def test_a_hand_written_workbook_with_inline_strings_is_read(draft_version, officer, cities):
    """The streaming reader reads what other writers produce too (inline strings, no styles)."""
    row = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in
                  ["370200", "青岛市", "2023", "D1.1"]) + '<c><v>1523.5</v></c>' + "".join(
        f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in ["亿元", "国家统计局"])
    sheet = hostile_files._sheet(hostile_files._header_row() + f'<row r="2">{row}</row>'.encode())
    content = hostile_files.zip_bytes(hostile_files._parts(sheet))
    report = import_statistics(filename="hand.xlsx", content=content, version=draft_version, user=officer)
    assert report.ok and report.created == 1, report.errors
    assert StatisticFigure.objects.get().value == 1523.5


def test_a_csv_with_every_column_filled_is_refused_at_the_cell_cap(draft_version, officer, cities):
    line = ",".join(str(n) for n in range(32)) + "\r\n"
    content = (",".join(hostile_files.HEADER) + "\r\n" + line * 8000).encode()
    report = import_statistics(filename="wide.csv", content=content, version=draft_version, user=officer)
    assert "单元格过多" in report.errors[0].reason and StatisticFigure.objects.count() == 0


def test_a_csv_line_longer_than_any_row_of_the_layout_is_refused(draft_version, officer, cities):
    content = (",".join(hostile_files.HEADER) + "\r\n" + "x" * 100_000 + "\r\n").encode()
    report = import_statistics(filename="long.csv", content=content, version=draft_version, user=officer)
    assert "过长" in report.errors[0].reason and StatisticFigure.objects.count() == 0
