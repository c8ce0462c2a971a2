"""Excel workbooks of a ranking and of a city's explanation (SPEC §5: export every list).

Built from the same selector data the pages render, so a sheet and its page cannot
disagree. Numbers are written at full precision and displayed with two decimals, as on
the pages.
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMAT = "0.00"
PERCENT_FORMAT = "0.0%"
HIGHLIGHT = PatternFill("solid", fgColor="FFF3CD")  # the pages' warning colour: close calls
BOLD = Font(bold=True)


def _yes(value) -> str:
    return _("是") if value else _("否")


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "sheet"
    while title in used:
        title = title[:28] + f"~{len(used)}"
    used.add(title)
    return title


def _header(sheet, pairs) -> None:
    for label, value in pairs:
        sheet.append([label, value])
        sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([])


def _table_head(sheet, labels) -> None:
    sheet.append(labels)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _formats(sheet, row: int, numbers=(), percents=()) -> None:
    for column in numbers:
        sheet.cell(row, column).number_format = NUMBER_FORMAT
    for column in percents:
        sheet.cell(row, column).number_format = PERCENT_FORMAT


def run_header(run) -> list[tuple[str, object]]:
    return [
        (_("运行名称"), run.label),
        (_("指标体系版本"), f"{run.version.label} / {run.system_code}"),
        (_("统计数据年份"), run.year),
        (_("随机种子"), run.seed),
        (_("输入摘要"), run.input_hash),
        (_("结果摘要"), run.result_hash),
        (_("计分引擎"), run.engine),
    ]


RANKING_COLUMNS = (
    gettext_lazy("排名"),
    gettext_lazy("城市代码"),
    gettext_lazy("城市"),
    gettext_lazy("综合得分"),
    gettext_lazy("材料评审得分"),
    gettext_lazy("答辩得分"),
    gettext_lazy("达到合格线"),
    gettext_lazy("入选"),
    gettext_lazy("入选概率"),
    gettext_lazy("临界"),
    gettext_lazy("校准后综合得分"),
    gettext_lazy("校准后排名"),
    gettext_lazy("提示"),
)


def _ranking_row(row) -> list:
    return [
        row.rank,
        row.city_id,
        row.city.name,
        row.composite,
        row.material,
        row.defence,
        _yes(row.eligible),
        _yes(row.selected),
        row.p_in_quota,
        _yes(row.close_call),
        row.calibrated_composite,
        row.calibrated_rank,
        "；".join(row.flag_labels),
    ]


def ranking_workbook(run, tracks) -> bytes:
    """``tracks``: [(header dict, rows)] as the selectors give them; one sheet per track."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for header, rows in tracks:
        sheet = book.create_sheet(_sheet_title(header["name"], used))
        _header(
            sheet,
            [
                *run_header(run),
                (_("类别"), header["name"]),
                (_("名额"), header["quota"]),
                (_("合格分数线"), header["pass_mark"]),
                (_("本类别输入摘要"), header["part_input_hash"]),
            ],
        )
        _table_head(sheet, [str(c) for c in RANKING_COLUMNS])
        for row in rows:
            sheet.append(_ranking_row(row))
            _formats(sheet, sheet.max_row, numbers=(4, 5, 6, 11), percents=(9,))
            if row.close_call:
                for cell in sheet[sheet.max_row]:
                    cell.fill = HIGHLIGHT
    return _bytes(book)


INDICATOR_COLUMNS = (
    gettext_lazy("维度"),
    gettext_lazy("指标代码"),
    gettext_lazy("指标名称"),
    gettext_lazy("类型"),
    gettext_lazy("分值"),
    gettext_lazy("数值"),
    gettext_lazy("单位"),
    gettext_lazy("数据来源"),
    gettext_lazy("计分规则或汇总方法"),
    gettext_lazy("得分"),
)
EXPERT_COLUMNS = (
    gettext_lazy("指标代码"),
    gettext_lazy("指标名称"),
    gettext_lazy("专家"),
    gettext_lazy("评分"),
    gettext_lazy("去掉最高/最低分"),
    gettext_lazy("离群"),
    gettext_lazy("校准后评分"),
)


def _totals(tree) -> list[tuple[str, object]]:
    pairs = [
        (_("城市"), f"{tree['city_name']}（{tree['city_code']}）"),
        (_("类别"), tree["track_name"]),
        (_("综合得分"), tree["composite"]),
        (_("计算方法"), tree["composite_text"]),
        (_("材料评审得分"), tree["material"]),
        (_("答辩得分"), tree["defence"]),
        (_("排名"), tree["rank"]),
        (_("达到合格线"), _yes(tree["eligible"])),
        (_("入选"), _yes(tree["selected"])),
    ]
    if tree["calibrated"]:
        pairs += [
            (_("校准后材料评审得分"), tree["calibrated"]["material"]),
            (_("校准后综合得分"), tree["calibrated"]["composite"]),
            (_("校准后排名"), tree["calibrated"]["rank"]),
        ]
    if tree["robustness"]:
        pairs += [
            (_("入选概率"), tree["robustness"]["p_in_quota"]),
            (_("临界"), _yes(tree["robustness"]["close_call"])),
        ]
    return pairs + [(_("提示"), "；".join(tree["flag_texts"]))]


def _trimmed_label(value) -> str:
    return {"highest": _("去掉最高分"), "lowest": _("去掉最低分")}.get(value, "")


def _kind_label(kind) -> str:
    return _("定量") if kind == "quantitative" else _("定性")


def explanation_workbook(run, tree) -> bytes:
    """The explanation page as two sheets: indicator points, and every expert's score."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("指标得分")
    _header(sheet, [*run_header(run), *_totals(tree)])
    _table_head(sheet, [str(c) for c in INDICATOR_COLUMNS])
    experts = book.create_sheet(_("专家评分"))
    _table_head(experts, [str(c) for c in EXPERT_COLUMNS])
    for dimension in tree["dimensions"]:
        sheet.append(
            [
                f"{dimension['code']} {dimension['name']}",
                "",
                "",
                "",
                dimension["max_points"],
                "",
                "",
                "",
                "",
                dimension["points"],
            ]
        )
        for node in dimension["indicators"]:
            quantitative = node["kind"] == "quantitative"
            sheet.append(
                [
                    "",
                    node["code"],
                    node["name"],
                    _kind_label(node["kind"]),
                    node["weight"],
                    node["figure"] if quantitative else len(node["experts"]),
                    node["unit"] if quantitative else "",
                    node.get("source", ""),
                    node["rule_text"] if quantitative else node["aggregation_text"],
                    node["points"],
                ]
            )
            _formats(sheet, sheet.max_row, numbers=(10,))
            for expert in node["experts"]:
                experts.append(
                    [
                        node["code"],
                        node["name"],
                        expert["expert_id"],
                        expert["score"],
                        _trimmed_label(expert["trimmed"]),
                        _yes(expert["outlier"]),
                        expert["calibrated"],
                    ]
                )
                _formats(experts, experts.max_row, numbers=(7,))
    return _bytes(book)


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
