"""Importing official statistics: all or nothing, every bad row reported, re-import changes nothing."""

import hashlib
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from icdc.audit.models import AuditRecord
from icdc.indicators.models import StatisticFigure, StatisticsImport
from icdc.indicators.services import import_version_document
from icdc.indicators.statistics_services import import_statistics

from .helpers import big_document, csv_bytes, xlsx_bytes

CJK = re.compile(r"[\u4e00-\u9fff]")
GOOD_ROWS = [
    ["370200", "青岛市", 2023, "D1.1", 1523.5, "亿元", "国家统计局", ""],
    ["370200", "青岛", "2023", "D3.1", "98.2", "%", "工业和信息化部", ""],
    ["370100", "济南市", 2022, "D1.2", "6,234.5", "元", "其他", "济南市统计年鉴 2023"],
    ["330200", "宁波市", 2023, "S1.1", 321, "亿元", "国家统计局", None],
]
NEXT_YEAR = timezone.localdate().year + 1
# One bad row per rule; the comment names the (column, reason) the report must give.
BAD_ROWS = [
    ["370200", "青岛市", 2023, "D1.1", 1600, "亿元", "国家统计局", ""],  # row 2: good (would change nothing)
    ["999999", "某市", 2023, "D1.1", 1, "亿元", "国家统计局", ""],  # 3 城市代码 does not exist
    ["370100", "青岛市", 2023, "D1.1", 1, "亿元", "国家统计局", ""],  # 4 城市名称 mismatch
    ["370200", "青岛市", 1999, "D1.1", 1, "亿元", "国家统计局", ""],  # 5 年份 too early
    ["370200", "青岛市", NEXT_YEAR, "D1.2", 1, "元", "国家统计局", ""],  # 6 年份 in the future
    ["370200", "青岛市", 2023, "X9.9", 1, "亿元", "国家统计局", ""],  # 7 指标代码 unknown
    ["370200", "青岛市", 2023, "D1.4", 1, "", "国家统计局", ""],  # 8 指标代码 qualitative
    ["370200", "青岛市", 2023, "D1.3", "十二", "%", "国家统计局", ""],  # 9 数值 not numeric
    ["370200", "青岛市", 2023, "D2.1", 10, "万元", "国家统计局", ""],  # 10 单位 mismatch
    ["370200", "青岛市", 2023, "D2.2", 10, "亿元", "统计年鉴", ""],  # 11 数据来源 not allowed
    ["370200", "青岛市", 2023, "D2.3", 10, "%", "其他", ""],  # 12 来源说明 missing for 其他
    ["370200", "青岛市", 2023, "D1.1", 1700, "亿元", "国家统计局", ""],  # 13 duplicate of row 2
    ["370000", "山东省", 2023, "D1.1", 1, "亿元", "国家统计局", ""],  # 14 城市代码 cannot apply
    ["37020", "青岛市", 2023, "D3.2", 1, "%", "工业和信息化部", ""],  # 15 城市代码 malformed
    [None, None, None, None, None, None, None, None],  # 16 blank: skipped, not an error
    ["330200", "宁波市", "二〇二三", "D3.3", "1.23456", "个", "国家统计局", ""],  # 17 年份 and 数值 both bad
    ["330200", "宁波市", 2023, "D3.4", "1234567890123.456", "件", "国家统计局", ""],  # 18 数值 16 digits
]
EXPECTED = [
    (3, "城市代码"), (4, "城市名称"), (5, "年份"), (6, "年份"), (7, "指标代码"), (8, "指标代码"), (9, "数值"),
    (10, "单位"), (11, "数据来源"), (12, "来源说明"), (13, "指标代码"), (14, "城市代码"), (15, "城市代码"),
    (17, "年份"), (17, "数值"), (18, "数值"),
]


@pytest.fixture
def existing(officer, cities):
    return StatisticFigure.objects.create(city=cities["370200"], year=2023, indicator_code="D1.1", value=1500,
                                          unit="亿元", source="nbs", entered_by=officer, entered_at=timezone.now())


def _snapshot():
    return list(StatisticFigure.objects.order_by("pk").values())


@pytest.mark.parametrize(("name", "build"), [("bad.xlsx", xlsx_bytes), ("bad.csv", csv_bytes)])
def test_a_bad_file_changes_nothing_and_lists_every_bad_row(draft_version, officer, existing, name, build):
    before = _snapshot()
    report = import_statistics(filename=name, content=build(BAD_ROWS), version=draft_version, user=officer)
    assert not report.ok and not report.applied
    assert [(e.row, e.column) for e in report.errors] == EXPECTED
    assert all(CJK.search(e.reason) for e in report.errors)
    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert reasons[(3, "城市代码")] == "城市代码 999999 不存在"
    assert reasons[(4, "城市名称")] == "城市名称“青岛市”与代码 370100（济南市）不符"
    assert reasons[(8, "指标代码")] == "指标 D1.4 是定性指标，由专家评分，不录入统计数据"
    assert reasons[(10, "单位")] == "单位须为“亿元”（指标 D2.1），文件中为“万元”"
    assert reasons[(12, "来源说明")] == "数据来源为“其他”时须填写来源说明"
    assert reasons[(13, "指标代码")] == "与第 2 行重复（同一城市、年份、指标）"
    assert reasons[(14, "城市代码")] == "山东省（370000）不是可申报的地级及以上城市"
    assert (report.created, report.changed, report.rows) == (0, 0, 16)
    assert _snapshot() == before
    record = AuditRecord.objects.get(action="indicators.statistics.import")
    assert record.result == "rejected" and "errors=16" in record.detail


@pytest.mark.parametrize(("name", "build"), [("good.xlsx", xlsx_bytes), ("good.csv", csv_bytes)])
def test_a_good_file_imports_and_reimport_changes_nothing(draft_version, officer, cities, name, build):
    content = build(GOOD_ROWS)
    report = import_statistics(filename=name, content=content, version=draft_version, user=officer)
    assert report.ok and report.applied and (report.created, report.changed, report.unchanged) == (4, 0, 0)
    jinan = StatisticFigure.objects.get(city_id="370100")
    assert (jinan.year, jinan.value, jinan.source, jinan.source_note, jinan.entered_by) == (
        2022, Decimal("6234.5"), "other", "济南市统计年鉴 2023", officer)
    assert StatisticFigure.objects.get(city_id="370200", indicator_code="D1.1").value == Decimal("1523.5")
    before = _snapshot()
    again = import_statistics(filename=name, content=content, version=draft_version, user=officer)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 4)
    assert _snapshot() == before
    first, second = StatisticsImport.objects.order_by("pk")
    assert first.after["370200/2023/D1.1"]["value"] == "1523.5" and second.after == {}
    assert first.sha256 == second.sha256 == hashlib.sha256(content).hexdigest()


def test_a_changed_figure_is_updated_with_before_and_after_audited(draft_version, officer, existing):
    content = xlsx_bytes([["370200", "青岛市", 2023, "D1.1", 1600, "亿元", "工业和信息化部", ""]])
    report = import_statistics(filename="fix.xlsx", content=content, version=draft_version, user=officer)
    assert (report.created, report.changed) == (0, 1)
    existing.refresh_from_db()
    assert (existing.value, existing.source) == (1600, "miit")
    record = StatisticsImport.objects.get()
    assert record.before == {"370200/2023/D1.1": {"value": "1500.0000", "unit": "亿元", "source": "nbs",
                                                  "source_note": ""}}
    assert record.after["370200/2023/D1.1"]["source"] == "miit"
    audit = AuditRecord.objects.get(action="indicators.statistics.import")
    assert audit.object_id == str(record.pk) and audit.before is None
    assert audit.after == {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content),
                           "version": draft_version.label, "rows": 1, "created": 0, "changed": 1, "unchanged": 0,
                           "errors": 0}


def test_a_large_import_leaves_a_small_audit_record(draft_version, officer, cities):
    """Issue 12 §4: the row detail stays in the import's record, not in the audit chain."""
    rows = [["370200", "青岛市", year, code, n, unit, "国家统计局", ""] for n, (year, (code, unit)) in enumerate(
        (y, c) for y in range(2000, 2024) for c in (("D1.1", "亿元"), ("D1.2", "元"), ("D3.1", "%")))]
    content = csv_bytes(rows)
    report = import_statistics(filename="big.csv", content=content, version=draft_version, user=officer)
    assert report.created == len(rows) == 72
    audit = AuditRecord.objects.get(action="indicators.statistics.import")
    assert audit.after["created"] == 72 and audit.after["sha256"] == hashlib.sha256(content).hexdigest()
    assert len(json.dumps(audit.after)) < 300 and audit.before is None
    assert len(StatisticsImport.objects.get(pk=audit.object_id).after) == 72


def test_a_refused_file_is_recorded_with_its_errors(draft_version, officer, cities):
    content = csv_bytes([["999999", "某市", 2023, "D1.1", 1, "亿元", "国家统计局", ""]])
    import_statistics(filename="bad.csv", content=content, version=draft_version, user=officer)
    record = StatisticsImport.objects.get()
    assert not record.applied and record.errors == [[2, "城市代码", "城市代码 999999 不存在"]]
    assert AuditRecord.objects.get(action="indicators.statistics.import").after["errors"] == 1


def test_gbk_csv_from_chinese_excel_is_read(draft_version, officer, cities):
    content = csv_bytes(GOOD_ROWS[:1], encoding="gb18030")
    assert import_statistics(filename="gbk.csv", content=content, version=draft_version, user=officer).created == 1


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("x.xls", b"abc", "只接受 .csv、.xlsx 文件"),
    ("x.xlsx", b"not a zip", "的内容实际是纯文本，与扩展名 .xlsx 不符"),
    ("x.csv", csv_bytes([], headers=["城市", "年份"]), "缺少列：城市代码、城市名称"),
    ("x.csv", csv_bytes([]), "文件中没有数据行"),
    ("x.csv", b"", "文件为空"),
])
def test_a_file_that_is_not_the_layout_is_refused_whole(draft_version, officer, name, content, reason):
    report = import_statistics(filename=name, content=content, version=draft_version, user=officer)
    assert len(report.errors) == 1 and report.errors[0].row is None and reason in report.errors[0].reason
    assert StatisticFigure.objects.count() == 0


def test_codes_are_checked_against_the_chosen_version(draft_version, officer, cities):
    other, _ = import_version_document(document=big_document("other"))
    content = xlsx_bytes(GOOD_ROWS[:1])
    report = import_statistics(filename="a.xlsx", content=content, version=other, user=officer)
    assert [e.reason for e in report.errors] == ["指标代码 D1.1 不在指标体系版本 other 中"]


def test_a_note_that_would_be_a_formula_is_refused(draft_version, officer, cities):
    row = ["370200", "青岛市", 2023, "D1.1", 1, "亿元", "其他", '=HYPERLINK("http://x","统计年鉴")']
    report = import_statistics(filename="f.csv", content=csv_bytes([row]), version=draft_version, user=officer)
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(2, "来源说明", "来源说明不能以 = + - @ 开头")]


def test_too_many_rows_are_refused_before_reading_them_all(draft_version, officer, cities, monkeypatch):
    from icdc.indicators import statistics_io

    monkeypatch.setattr(statistics_io, "MAX_ROWS", 2)
    monkeypatch.setattr(statistics_io, "MAX_TABLE_ROWS", 4)
    report = import_statistics(filename="big.xlsx", content=xlsx_bytes(GOOD_ROWS * 2), version=draft_version,
                               user=officer)
    assert "数据行过多" in report.errors[0].reason and StatisticFigure.objects.count() == 0
