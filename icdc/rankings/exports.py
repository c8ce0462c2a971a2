"""Excel workbooks of a ranking and of a city's explanation (SPEC §5: export every list).

Built from the same selector data the pages render, so a sheet and its page cannot
disagree. Numbers are written at full precision and displayed with two decimals, as on
the pages. Written by the shared writer (``icdc.lib.workbooks``): title row, frozen header,
filter, widths, formula-safe text, streaming.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icdc.lib.workbooks import XLSX_TYPE, Column, ExcelExport

NUMBER_FORMAT = "0.00"
PERCENT_FORMAT = "0.0%"
__all__ = ["XLSX_TYPE", "explanation_workbook", "ranking_workbook"]


def _yes(value) -> str:
    return _("是") if value else _("否")


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
    (gettext_lazy("排名"), None),
    (gettext_lazy("城市代码"), None),
    (gettext_lazy("城市"), None),
    (gettext_lazy("综合得分"), NUMBER_FORMAT),
    (gettext_lazy("材料评审得分"), NUMBER_FORMAT),
    (gettext_lazy("答辩得分"), NUMBER_FORMAT),
    (gettext_lazy("达到合格线"), None),
    (gettext_lazy("入选"), None),
    (gettext_lazy("入选概率"), PERCENT_FORMAT),
    (gettext_lazy("临界"), None),
    (gettext_lazy("校准后综合得分"), NUMBER_FORMAT),
    (gettext_lazy("校准后排名"), None),
    (gettext_lazy("提示"), None),
)


def _columns(specs) -> list[Column]:
    return [Column(str(label), number_format=fmt) for label, fmt in specs]


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
    book = ExcelExport()
    for header, rows in tracks:
        facts = [
            *run_header(run),
            (_("类别"), header["name"]),
            (_("名额"), header["quota"]),
            (_("合格分数线"), header["pass_mark"]),
            (_("本类别输入摘要"), header["part_input_hash"]),
        ]
        sheet = book.sheet(header["name"], title=_("排名：%(run)s · %(track)s") % {"run": run.label, "track": header["name"]},
                           columns=_columns(RANKING_COLUMNS), facts=facts)
        for row in rows:
            sheet.append(_ranking_row(row), highlight=row.close_call)
    return book.to_bytes()


INDICATOR_COLUMNS = (
    (gettext_lazy("维度"), None),
    (gettext_lazy("指标代码"), None),
    (gettext_lazy("指标名称"), None),
    (gettext_lazy("类型"), None),
    (gettext_lazy("分值"), None),
    (gettext_lazy("数值"), None),
    (gettext_lazy("单位"), None),
    (gettext_lazy("数据来源"), None),
    (gettext_lazy("计分规则或汇总方法"), None),
    (gettext_lazy("得分"), NUMBER_FORMAT),
)
EXPERT_COLUMNS = (
    (gettext_lazy("指标代码"), None),
    (gettext_lazy("指标名称"), None),
    (gettext_lazy("专家"), None),
    (gettext_lazy("评分"), None),
    (gettext_lazy("去掉最高/最低分"), None),
    (gettext_lazy("离群"), None),
    (gettext_lazy("校准后评分"), NUMBER_FORMAT),
)

DEFENCE_COLUMNS = (
    (gettext_lazy("专家"), None),
    (gettext_lazy("答辩评分"), None),
    (gettext_lazy("去掉最高/最低分"), None),
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
            (_("入选概率"), tree["robustness"]["p_in_quota"], PERCENT_FORMAT),
            (_("临界"), _yes(tree["robustness"]["close_call"])),
        ]
    return pairs + [(_("提示"), "；".join(tree["flag_texts"]))]


def _trimmed_label(value) -> str:
    return {"highest": _("去掉最高分"), "lowest": _("去掉最低分")}.get(value, "")


def _kind_label(kind) -> str:
    return _("定量") if kind == "quantitative" else _("定性")


def explanation_workbook(run, tree) -> bytes:
    """The explanation page as two sheets: indicator points, and every expert's score."""
    book = ExcelExport()
    city = f"{tree['city_name']}（{tree['city_code']}）"
    sheet = book.sheet(_("指标得分"), title=_("得分说明：%(run)s · %(city)s") % {"run": run.label, "city": city},
                       columns=_columns(INDICATOR_COLUMNS), facts=[*run_header(run), *_totals(tree)])
    experts = book.sheet(_("专家评分"), title=_("专家评分：%(run)s · %(city)s") % {"run": run.label, "city": city},
                         columns=_columns(EXPERT_COLUMNS))
    for dimension in tree["dimensions"]:
        sheet.append([f"{dimension['code']} {dimension['name']}", "", "", "", dimension["max_points"], "", "", "", "",
                      dimension["points"]])
        for node in dimension["indicators"]:
            quantitative = node["kind"] == "quantitative"
            sheet.append([
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
            ])
            for expert in node["experts"]:
                experts.append([
                    node["code"],
                    node["name"],
                    expert.get("label") or expert["expert_id"],
                    expert["score"],
                    _trimmed_label(expert["trimmed"]),
                    _yes(expert["outlier"]),
                    expert["calibrated"],
                ])
    if tree["defence_experts"]:
        defence = book.sheet(_("答辩评分"), title=_("答辩评分：%(run)s · %(city)s") % {"run": run.label, "city": city},
                             columns=_columns(DEFENCE_COLUMNS),
                             facts=[(_("答辩得分"), tree["defence"]), (_("汇总方法"), tree["defence_aggregation_text"])])
        for expert in tree["defence_experts"]:
            defence.append([expert.get("label") or expert["expert_id"], expert["score"], _trimmed_label(expert["trimmed"])])
    return book.to_bytes()
