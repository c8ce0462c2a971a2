"""Statistics files (.xlsx/.csv) in the platform's layout: read, check every row, write.

Pure: lookups of cities and indicators come in as plain dicts, so every rule is testable
without a database. The layout's headers are a file format and are not translated.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from icdc.lib import sheets, uploads, workbooks
from icdc.lib.refusals import Refusal

HEADERS = ("城市代码", "城市名称", "年份", "指标代码", "数值", "单位", "数据来源", "来源说明")
FIELDS = ("city_code", "city_name", "year", "indicator_code", "value", "unit", "source", "source_note")
COLUMN = dict(zip(FIELDS, HEADERS, strict=True))
SOURCE_BY_LABEL = {"国家统计局": "nbs", "工业和信息化部": "miit", "其他": "other"}
LABEL_BY_SOURCE = {v: k for k, v in SOURCE_BY_LABEL.items()}
FIRST_YEAR = 2000
MAX_ROWS = 20000
# Rows read at most (header, data, blank lines), so a small compressed .xlsx with a million
# rows is refused before it fills memory.
MAX_TABLE_ROWS = 2 * MAX_ROWS
# Columns read at most: the layout has 8; a few extra (a user's own notes) are tolerated.
MAX_COLUMNS = 32
# Cells read at most: a full file of the layout with a few extra columns, not rows × columns
# (40,000 × 32 cells would take ten times as long as the largest legitimate file).
MAX_CELLS = (MAX_ROWS + 1) * (len(HEADERS) + 4)
# Rows looked at for the header: the import template and exports have a title row above it.
HEADER_SEARCH_ROWS = 5
VALUE_LIMIT = Decimal(10) ** 15
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class RowError:
    """One reason a row is refused: spreadsheet row number (header = 1), column header, reason."""

    row: int | None
    column: str
    reason: str


@dataclass
class ImportReport:
    """What an import did, or every reason it did nothing."""

    filename: str
    rows: int = 0
    errors: list = field(default_factory=list)
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    applied: bool = False

    @property
    def ok(self):
        return not self.errors


@dataclass(frozen=True)
class CleanRow:
    row: int
    city_code: str
    year: int
    indicator_code: str
    value: Decimal
    unit: str
    source: str
    source_note: str

    @property
    def key(self):
        return (self.city_code, self.year, self.indicator_code)


class FileRejected(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.errors = [RowError(None, "", reason)]


def cell_text(value):
    """A cell as stripped text; NFKC folds full-width digits, ％ and spaces typed in Chinese IMEs."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def column_positions(header, headers, columns):
    """{field: column index} from a header row that must name every one of ``headers`` once;
    ``columns`` maps each field to its heading. Shared by every all-or-nothing import."""
    names = [cell_text(h) for h in header]
    missing = [h for h in headers if h not in names]
    duplicated = sorted({n for n in names if n in headers and names.count(n) > 1})
    if missing or duplicated:
        reason = _("表头须为：%(headers)s") % {"headers": "、".join(headers)}
        if missing:
            reason += _("；缺少列：%(cols)s") % {"cols": "、".join(missing)}
        if duplicated:
            reason += _("；重复列：%(cols)s") % {"cols": "、".join(duplicated)}
        raise FileRejected(reason)
    return {field: names.index(heading) for field, heading in columns.items()}


def _column_map(header):
    return column_positions(header, HEADERS, {f: COLUMN[f] for f in FIELDS})


def header_row(table, headers):
    """The header row: the first row naming every one of ``headers`` within the first few rows
    (an export has a title row above it), else the first row, for the error message."""
    first = None
    for _number, cells in itertools.islice(table, HEADER_SEARCH_ROWS):
        first = cells if first is None else first
        if set(headers) <= {cell_text(c) for c in cells}:
            return cells
    if first is None:
        raise FileRejected(_("文件为空"))
    return first


def _header(table):
    return header_row(table, HEADERS)


def _data_rows(table):
    """(row number, {field: raw cell}) for the non-blank rows after the header row."""
    columns = _column_map(_header(table))
    rows = []
    for number, cells in table:
        if not any(cell_text(c) for c in cells):
            continue
        if len(rows) == MAX_ROWS:
            raise FileRejected(_("数据行过多（上限 %(max)s 行），请分文件导入") % {"max": MAX_ROWS})
        rows.append((number, {f: cells[i] if i < len(cells) else None for f, i in columns.items()}))
    if not rows:
        raise FileRejected(_("文件中没有数据行"))
    return rows


def read_rows(filename, content):
    """(row number, {field: raw cell}) for every non-blank data row; raises FileRejected.

    The shared upload guard checks size, kind and (for .xlsx) the archive before anything is
    parsed; the readers stream the table and stop at the first row or column past the caps, so
    any file within the size limit is refused or read in bounded time and memory.
    """
    try:
        kind = uploads.upload_check(name=filename, content=content, kinds={"xlsx", "csv"})
        if kind == "xlsx":
            # One shared string per cell of the layout at most: more is padding to exhaust the server.
            table = sheets.xlsx_rows(content, max_rows=MAX_TABLE_ROWS, max_columns=MAX_COLUMNS, max_cells=MAX_CELLS,
                                     max_strings=(MAX_ROWS + 1) * len(HEADERS))
        else:
            table = sheets.csv_rows(content, max_rows=MAX_TABLE_ROWS, max_columns=MAX_COLUMNS, max_cells=MAX_CELLS)
        return _data_rows(table)
    except Refusal as exc:
        raise FileRejected(str(exc)) from exc


def parse_value(raw):
    """A figure as Decimal; accepts numbers and text like "1,234.5". Raises ValueError."""
    if isinstance(raw, bool):
        raise ValueError(raw)
    text = cell_text(raw).replace(",", "")
    if isinstance(raw, float):
        text = repr(raw)
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(raw) from exc
    if not value.is_finite():
        raise ValueError(raw)
    return value


class _RowChecker:
    """Checks one row's cells; collects one RowError per bad cell."""

    def __init__(self, number, cells, lookups):
        self.number, self.cells, self.lookups = number, cells, lookups
        self.errors = []

    def fail(self, field_name, reason):
        self.errors.append(RowError(self.number, COLUMN[field_name], reason))

    def text(self, field_name):
        return cell_text(self.cells.get(field_name))

    def city(self):
        code, name = self.text("city_code"), self.text("city_name")
        city = self.lookups["cities"].get(code)
        if not re.fullmatch(r"\d{6}", code):
            self.fail("city_code", _("城市代码须为 6 位行政区划代码"))
        elif city is None:
            self.fail("city_code", _("城市代码 %(code)s 不存在") % {"code": code})
        elif not city["can_apply"]:
            self.fail("city_code", _("%(name)s（%(code)s）不是可申报的地级及以上城市") % {"name": city["name"], "code": code})
        elif not name:
            self.fail("city_name", _("须填写城市名称"))
        elif name not in (city["name"], city["short_name"]):
            self.fail("city_name", _("城市名称“%(name)s”与代码 %(code)s（%(real)s）不符") % {
                "name": name, "code": code, "real": city["name"]})
        return code

    def year(self):
        text = self.text("year").removesuffix("年")
        last = self.lookups["max_year"]
        if not re.fullmatch(r"\d{4}", text) or not FIRST_YEAR <= int(text) <= last:
            self.fail("year", _("年份须为 %(first)s 至 %(last)s 之间的四位数字") % {"first": FIRST_YEAR, "last": last})
            return None
        return int(text)

    def indicator(self):
        code = self.text("indicator_code")
        indicator = self.lookups["indicators"].get(code)
        if not code:
            self.fail("indicator_code", _("须填写指标代码"))
        elif indicator is None:
            self.fail("indicator_code", _("指标代码 %(code)s 不在指标体系版本 %(version)s 中") % {
                "code": code, "version": self.lookups["version_label"]})
        elif indicator["kind"] != "quantitative":
            self.fail("indicator_code", _("指标 %(code)s 是定性指标，由专家评分，不录入统计数据") % {"code": code})
        else:
            unit = self.text("unit")
            if unit != indicator["unit"]:
                self.fail("unit", _("单位须为“%(expected)s”（指标 %(code)s），文件中为“%(unit)s”") % {
                    "expected": indicator["unit"], "code": code, "unit": unit})
        return code

    def value(self):
        try:
            value = parse_value(self.cells.get("value"))
        except ValueError:
            self.fail("value", _("数值须为数字（可含千位分隔符，如 1,234.5）"))
            return None
        digits = value.normalize().as_tuple()
        if -digits.exponent > 4 or len(digits.digits) > 15 or abs(value) >= VALUE_LIMIT:
            # 15 significant digits: what SQLite (the embedded default) stores exactly
            self.fail("value", _("数值最多 4 位小数、15 位有效数字"))
            return None
        return value

    def source(self):
        label, note = self.text("source"), self.text("source_note")
        source = SOURCE_BY_LABEL.get(label)
        if source is None:
            self.fail("source", _("数据来源须为：%(labels)s") % {"labels": "、".join(SOURCE_BY_LABEL)})
        elif source == "other" and not note:
            self.fail("source_note", _("数据来源为“其他”时须填写来源说明"))
        if len(note) > 200:
            self.fail("source_note", _("来源说明不超过 200 字"))
        elif note[:1] in FORMULA_STARTS:
            # A note like "=HYPERLINK(...)" would run as a formula when the export is opened.
            self.fail("source_note", _("来源说明不能以 = + - @ 开头"))
        return source, note

    def check(self):
        city, year, code = self.city(), self.year(), self.indicator()
        value, (source, note) = self.value(), self.source()
        if self.errors:
            return None
        return CleanRow(self.number, city, year, code, value, self.text("unit"), source, note)


def check_rows(rows, *, cities, indicators, version_label, max_year):
    """Check every row; returns (clean rows, errors). Duplicates of city × year × indicator
    within the file are errors on the later row, naming the first.

    ``cities``: code → {name, short_name, can_apply}; ``indicators``: code → {kind, unit}.
    """
    lookups = {"cities": cities, "indicators": indicators, "version_label": version_label, "max_year": max_year}
    clean, errors, first_row = [], [], {}
    for number, cells in rows:
        checker = _RowChecker(number, cells, lookups)
        row = checker.check()
        errors += checker.errors
        if row is None:
            continue
        if row.key in first_row:
            errors.append(RowError(number, COLUMN["indicator_code"], _(
                "与第 %(row)s 行重复（同一城市、年份、指标）") % {"row": first_row[row.key]}))
            continue
        first_row[row.key] = number
        clean.append(row)
    return clean, errors


def _plain(value):
    return format(value.normalize(), "f") if value != 0 else "0"


def figure_row(figure):
    """A StatisticFigure as a row of the layout (value as plain decimal text)."""
    return [figure.city_id, figure.city.name, figure.year, figure.indicator_code, _plain(figure.value),
            figure.unit, LABEL_BY_SOURCE[figure.source], figure.source_note]


def write_csv(rows):
    """UTF-8 with BOM, so Excel on Chinese Windows opens it without mojibake; formula-safe."""
    return workbooks.csv_bytes(HEADERS, rows)


def _xlsx_value(text):
    value = Decimal(text)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else text  # never round a figure silently


def export_columns():
    widths = (10, 12, 8, 10, 16, 8, 14, 30)
    # 数值 keeps Excel's General format: a fixed format such as "#,##0.####" shows "1,523." for 1523.
    return [workbooks.Column(h, width=w) for h, w in zip(HEADERS, widths, strict=True)]


def template_notes(indicators, version_label):
    """Rows of the template's 说明 sheet: the rules of each column and the indicators to use."""
    notes = [
        ["列", "填写说明"],
        ["城市代码", "6 位行政区划代码（GB/T 2260），须为可申报的地级及以上城市"],
        ["城市名称", "与城市代码一致，如 青岛市"],
        ["年份", f"{FIRST_YEAR} 年至今的四位年份"],
        ["指标代码", f"指标体系版本 {version_label} 中的定量指标代码，见下表"],
        ["数值", "数字，可含千位分隔符，最多 4 位小数"],
        ["单位", "与指标的单位一致，见下表"],
        ["数据来源", "、".join(SOURCE_BY_LABEL)],
        ["来源说明", "数据来源为“其他”时必填"],
        [],
        ["指标代码", "指标名称", "单位"],
    ]
    return notes + [[i["code"], i["name"], i["unit"]] for i in indicators if i["kind"] == "quantitative"]


def write_xlsx(rows, notes=None, *, title=None, choices=None):
    """The layout as .xlsx (first sheet = data) through the shared writer; ``notes`` (list of
    rows) adds a 说明 sheet; ``choices`` ({"cities": [(code, name)], "indicators": [code],
    "max_year": int}) adds drop-down lists for city, indicator and source (the import template)."""
    book = workbooks.ExcelExport()
    sheet = book.sheet("统计数据", title=title or _("统计数据"), columns=export_columns())
    for row in rows:
        sheet.append([*row[:4], _xlsx_value(row[4]), *row[5:]])
    if choices:
        _add_choices(book, sheet, choices)
    if notes:
        notes_sheet = book.sheet("说明", title=_("填写说明"), columns=[
            workbooks.Column(notes[0][0], width=14), workbooks.Column(notes[0][1], width=60),
            workbooks.Column("", width=10)])
        for row in notes[1:]:
            notes_sheet.append(row)
    return book.to_bytes()


def _list_validation(formula, prompt):
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                          showInputMessage=True, promptTitle=_("请选择"), prompt=prompt,
                          errorTitle=_("不在可选范围内"), error=_("请从下拉列表中选择"))


def _add_choices(book, sheet, choices):
    """Drop-down lists on the data sheet; long lists live on a hidden 选项 sheet (a list typed
    into the validation itself is limited to 255 characters)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    cities, indicators = choices["cities"], choices["indicators"]
    options = book.sheet("选项", title=_("下拉选项"), columns=["城市代码", "城市名称", "指标代码"])
    for n in range(max(len(cities), len(indicators))):
        city = cities[n] if n < len(cities) else ("", "")
        options.append([city[0], city[1], indicators[n] if n < len(indicators) else ""])
    options.sheet.sheet_state = "hidden"
    first = options.header_row + 1
    rows = f"{sheet.header_row + 1}:{{col}}{sheet.header_row + MAX_ROWS}"
    ranges = {
        "A": (f"'选项'!$A${first}:$A${first + max(len(cities), 1) - 1}", _("可申报城市的 6 位代码")),
        "B": (f"'选项'!$B${first}:$B${first + max(len(cities), 1) - 1}", _("与城市代码一致的城市名称")),
        "D": (f"'选项'!$C${first}:$C${first + max(len(indicators), 1) - 1}", _("定量指标的代码")),
        "G": ('"' + ",".join(SOURCE_BY_LABEL) + '"', _("数据来源")),
    }
    for col, (formula, prompt) in ranges.items():
        validation = _list_validation(formula, prompt)
        validation.add(f"{col}{rows.format(col=col)}")
        sheet.sheet.data_validations.append(validation)
    year = DataValidation(type="whole", operator="between", formula1=str(FIRST_YEAR), formula2=str(choices["max_year"]),
                          allow_blank=True, showErrorMessage=True, errorTitle=_("年份不正确"),
                          error=_("年份须为四位数字"))
    year.add(f"C{rows.format(col='C')}")
    sheet.sheet.data_validations.append(year)
