"""Expert pool files (.xlsx/.csv): read, check every row, write the template and the export.

The same contract as the statistics import (``icdc.indicators.statistics_io``, whose row-error,
report and cell helpers are reused): the shared upload guard and streaming readers, then every
row checked against plain lookups (cities, domains, ID numbers already in the pool), so the rules
are testable without a database. The layout's headers are a file format and are not translated.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from icdc.indicators.statistics_io import (
    FORMULA_STARTS,
    FileRejected,
    ImportReport,
    RowError,
    cell_text,
    column_positions,
    header_row,
)
from icdc.lib import sheets, uploads, workbooks
from icdc.lib.refusals import Refusal

from .idnumbers import id_number_problem, normalized
from .models import MOBILE_PATTERN

HEADERS = ("姓名", "身份证号", "手机号码", "工作单位", "单位所在城市", "职称", "专业领域")
FIELDS = ("name", "id_number", "mobile", "employer", "city", "title", "specialities")
COLUMN = dict(zip(FIELDS, HEADERS, strict=True))
MAX_ROWS = 5000
MAX_COLUMNS = 32
MAX_CELLS = (MAX_ROWS + 1) * (len(HEADERS) + 4)
LIST_SPLIT = re.compile(r"[、,，;；/\s]+")

__all__ = ["FileRejected", "ImportReport", "RowError", "HEADERS", "read_rows", "check_rows", "CleanExpert"]


@dataclass(frozen=True)
class CleanExpert:
    row: int
    name: str
    id_number: str
    mobile: str
    employer: str
    city_code: str
    title: str
    specialities: tuple


def _header(table):
    return header_row(table, HEADERS)


def _column_map(header):
    return column_positions(header, HEADERS, {f: COLUMN[f] for f in FIELDS})


def read_rows(filename, content):
    """(row number, {field: raw cell}) for every non-blank data row; raises FileRejected."""
    try:
        kind = uploads.upload_check(name=filename, content=content, kinds={"xlsx", "csv"})
        if kind == "xlsx":
            table = sheets.xlsx_rows(content, max_rows=2 * MAX_ROWS, max_columns=MAX_COLUMNS, max_cells=MAX_CELLS,
                                     max_strings=(MAX_ROWS + 1) * len(HEADERS))
        else:
            table = sheets.csv_rows(content, max_rows=2 * MAX_ROWS, max_columns=MAX_COLUMNS, max_cells=MAX_CELLS)
        columns = _column_map(_header(table))
        rows = []
        for number, cells in table:
            if not any(cell_text(c) for c in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise FileRejected(_("数据行过多（上限 %(max)s 行），请分文件导入") % {"max": MAX_ROWS})
            rows.append((number, {f: cells[i] if i < len(cells) else None for f, i in columns.items()}))
    except Refusal as exc:
        raise FileRejected(str(exc)) from exc
    if not rows:
        raise FileRejected(_("文件中没有数据行"))
    return rows


def _digits(raw):
    """An ID number or mobile typed as a number in Excel arrives as int or float: back to text."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return cell_text(raw)


class _RowChecker:
    def __init__(self, number, cells, lookups):
        self.number, self.cells, self.lookups = number, cells, lookups
        self.errors = []

    def fail(self, field_name, reason):
        self.errors.append(RowError(self.number, COLUMN[field_name], reason))

    def text(self, field_name, limit):
        value = cell_text(self.cells.get(field_name))
        if len(value) > limit:
            self.fail(field_name, _("不超过 %(n)s 个字") % {"n": limit})
        elif value[:1] in FORMULA_STARTS:
            self.fail(field_name, _("不能以 = + - @ 开头"))
        return value

    def name(self):
        value = self.text("name", 32)
        if not value:
            self.fail("name", _("须填写姓名"))
        return value

    def id_number(self):
        raw = self.cells.get("id_number")
        value = normalized(_digits(raw))
        problem = id_number_problem(value)
        if isinstance(raw, float) and len(value) > 15:
            # Excel keeps 15 significant digits: an 18-digit number typed into a number cell lost its tail.
            self.fail("id_number", _("身份证号被 Excel 当作数字保存，末几位已丢失；请将该列设为文本格式后重新填写"))
        elif problem:
            self.fail("id_number", problem)
        elif value in self.lookups["in_pool"]:
            self.fail("id_number", _("专家库中已有该身份证号的专家"))
        return value

    def mobile(self):
        value = _digits(self.cells.get("mobile")).replace(" ", "").replace("-", "")
        if not re.fullmatch(MOBILE_PATTERN, value):
            self.fail("mobile", _("手机号码须为 11 位，以 1 开头"))
        return value

    def city(self):
        value = cell_text(self.cells.get("city"))
        codes = self.lookups["cities"].get(value, ())
        if not value:
            self.fail("city", _("须填写单位所在城市（名称或 6 位区划代码）"))
        elif not codes:
            self.fail("city", _("没有名为或代码为“%(city)s”的城市") % {"city": value})
        elif len(codes) > 1:
            self.fail("city", _("“%(city)s”对应多个区划，请填写 6 位区划代码") % {"city": value})
        else:
            return codes[0]
        return ""

    def specialities(self):
        domains = self.lookups["domains"]
        words = [w for w in LIST_SPLIT.split(cell_text(self.cells.get("specialities"))) if w]
        unknown = [w for w in words if w not in domains]
        if not words:
            self.fail("specialities", _("须填写至少一个专业领域"))
        elif unknown:
            self.fail("specialities", _("未知的专业领域：%(words)s（可选：%(choices)s）") % {
                "words": "、".join(unknown), "choices": self.lookups["domain_choices"]})
        return tuple(dict.fromkeys(domains[w] for w in words if w in domains))

    def check(self):
        name, id_number, mobile = self.name(), self.id_number(), self.mobile()
        employer = self.text("employer", 200)
        if not employer:
            self.fail("employer", _("须填写工作单位"))
        city, title, specialities = self.city(), self.text("title", 64), self.specialities()
        if self.errors:
            return None
        return CleanExpert(self.number, name, id_number, mobile, employer, city, title, specialities)


def check_rows(rows, *, cities, domains, in_pool):
    """Check every row; returns (clean rows, errors). A second row with an ID number already in
    the file is an error naming the first.

    ``cities``: name, short name or code → (codes…); ``domains``: code or label → code;
    ``in_pool``: the normalized ID numbers of the file already in the pool.
    """
    choices = "、".join(sorted(set(domains.values())))
    lookups = {"cities": cities, "domains": domains, "in_pool": in_pool, "domain_choices": choices}
    clean, errors, first_row = [], [], {}
    for number, cells in rows:
        checker = _RowChecker(number, cells, lookups)
        row = checker.check()
        errors += checker.errors
        if row is None:
            continue
        if row.id_number in first_row:
            errors.append(RowError(number, COLUMN["id_number"], _("与第 %(row)s 行的身份证号重复") % {
                "row": first_row[row.id_number]}))
            continue
        first_row[row.id_number] = number
        clean.append(row)
    return clean, errors


def id_numbers_of(rows):
    """The normalized ID numbers a file names (to look up the pool before checking)."""
    return {normalized(_digits(cells.get("id_number"))) for _n, cells in rows} - {""}


EXPORT_HEADERS = ("编号", "姓名", "身份证号", "手机号码", "工作单位", "单位所在城市", "所在省份", "职称", "专业领域", "状态")


def write_template(*, domains):
    """The import template: the layout, one example-free data sheet and a 说明 sheet."""
    book = workbooks.ExcelExport()
    book.sheet("专家", title=_("评审专家导入模板"), columns=[workbooks.Column(h, width=w) for h, w in zip(
        HEADERS, (10, 22, 14, 30, 14, 14, 24), strict=True)])
    notes = book.sheet("说明", title=_("填写说明"), columns=[workbooks.Column("列", width=14),
                                                           workbooks.Column("填写说明", width=70)])
    for row in (
        ["姓名", "必填"],
        ["身份证号", "18 位居民身份证号码，校验位须正确（GB 11643）；请将单元格设为文本格式"],
        ["手机号码", "11 位手机号码"],
        ["工作单位", "必填，不超过 200 字"],
        ["单位所在城市", "地级及以上城市的名称（如 青岛市）或 6 位区划代码"],
        ["职称", "如 教授、研究员、正高级工程师"],
        ["专业领域", "一个或多个，以顿号分隔；可填代码或名称：" + "、".join(f"{c} {label}" for c, label in domains)],
        [],
        ["整个文件要么全部导入，要么全部不导入：只要有一行有误，就不写入任何数据，并列出每一处错误。"],
    ):
        notes.append(row)
    return book.to_bytes()


def write_export(rows, *, title):
    """The pool as .xlsx (numbers already masked by the caller)."""
    book = workbooks.ExcelExport()
    sheet = book.sheet("专家库", title=title, columns=[workbooks.Column(h) for h in EXPORT_HEADERS])
    for row in rows:
        sheet.append(row)
    return book.to_bytes()
