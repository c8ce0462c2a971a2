"""The one export writer: Excel workbooks and CSV files an official can file, and the download.

Every export of the platform goes through here, so each gets the same guarantees:

- **streaming**: openpyxl's write-only mode, rows written as they come (linear cost, constant
  memory per row); only the first ``SAMPLE_ROWS`` rows are held, to size the columns;
- **formula-safe**: text is always stored as text (an explicit string cell, never a formula),
  so ``=HYPERLINK(...)`` typed by anyone stays text in Excel and LibreOffice; in CSV, where
  nothing is typed, text starting with = + - @ tab or CR gets a leading apostrophe (OWASP);
  numbers stay numbers;
- **formatted**: a title row saying what and when, optional facts (label, value) under it, a
  bold header row, frozen below the header, an auto-filter on the header row over the data,
  CJK-aware column widths (a Chinese character counts two), number formats per column;
- **named**: the file name in Chinese in the download (RFC 6266 ``filename*=UTF-8''…``) with
  an ASCII fallback for old clients (``download``).
"""

from __future__ import annotations

import csv
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HIGHLIGHT = PatternFill("solid", fgColor="FFF3CD")  # the pages' warning colour
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A column of an exported table: header, optional number format and width (characters)."""

    header: str
    number_format: str | None = None
    width: float | None = None


def display_width(value) -> int:
    """Columns a value takes on screen: East Asian wide and full-width characters count two."""
    if value is None:
        return 0
    text = value if isinstance(value, str) else (f"{value:.2f}" if isinstance(value, float) else str(value))
    longest = max(text.split("\n"), key=len) if "\n" in text else text
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


def csv_safe(value):
    """A CSV cell Excel will not run: text that would start a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def sheet_title(name: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, no []:*?/\\), unique in the workbook."""
    title = _SHEET_TITLE_BAD.sub("", str(name))[:31] or "sheet"
    base, n = title, 1
    while title in used:
        n += 1
        title = f"{base[:28]}~{n}"
    used.add(title)
    return title


def exported_at() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


class SheetWriter:
    """One worksheet: title, facts, header, then rows appended one by one (``append``)."""

    def __init__(self, book: ExcelExport, name: str, *, title: str, columns, facts=()):
        self.sheet = book.workbook.create_sheet(sheet_title(name, book.used_titles))
        self.columns = [c if isinstance(c, Column) else Column(str(c)) for c in columns]
        self.title, self.facts = title, list(facts)
        self.header_row = 2 + (len(self.facts) + 1 if self.facts else 0)
        self.sample, self.rows, self.started = [], 0, False

    # -- cells --
    def _cell(self, value, number_format=None, font=None, fill=None):
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        if value == "":
            value = None  # an empty cell, not an empty text
        if isinstance(value, str):
            if "\r" in value:  # what any XML reader makes of a CR in text, whichever serialiser wrote it
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            cell = WriteOnlyCell(self.sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # text, never a formula: openpyxl would write "=…" as one
        else:
            if isinstance(value, Decimal):
                value = float(value) if value.is_finite() else str(value)
            cell = WriteOnlyCell(self.sheet, value)
            if number_format and isinstance(value, int | float):
                cell.number_format = number_format
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        return cell

    def _start(self):
        """Widths and frozen panes go before the first row in write-only mode: size from the sample."""
        self.started = True
        sheet = self.sheet
        for index, column in enumerate(self.columns, start=1):
            width = column.width or max([display_width(column.header),
                                         *(display_width(row[index - 1]) for row, _f in self.sample
                                           if index <= len(row))]) + 2
            if index <= 2 and self.facts:
                width = max(width, *(min(display_width(fact[index - 1]), 30) + 2 for fact in self.facts))
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, MIN_WIDTH), MAX_WIDTH)
        sheet.freeze_panes = f"A{self.header_row + 1}"
        title = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", f"{self.title}（{_('导出时间')}：{exported_at()}）"))
        title.data_type, title.font = "s", TITLE_FONT
        sheet.append([title])
        if self.facts:
            for label, value, *number_format in self.facts:  # (label, value[, number format])
                fmt = number_format[0] if number_format else ("0.00" if isinstance(value, float) else None)
                sheet.append([self._cell(str(label), font=BOLD), self._cell(value, fmt)])
            sheet.append([])
        header = []
        for column in self.columns:
            cell = self._cell(column.header, font=BOLD, fill=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        sheet.append(header)
        for row, fill in self.sample:
            self._write(row, fill)
        self.sample = None

    def _write(self, values, fill=None):
        formats = self.columns
        self.sheet.append([self._cell(v, formats[i].number_format if i < len(formats) else None, fill=fill)
                           for i, v in enumerate(values)])

    def append(self, values, *, highlight: bool = False):
        self.rows += 1
        fill = HIGHLIGHT if highlight else None
        if self.started:
            self._write(values, fill)
        else:
            self.sample.append((list(values), fill))
            if len(self.sample) >= SAMPLE_ROWS:
                self._start()

    def close(self):
        if not self.started:
            self._start()
        last = get_column_letter(max(len(self.columns), 1))
        self.sheet.auto_filter.ref = f"A{self.header_row}:{last}{self.header_row + self.rows}"


class ExcelExport:
    """A workbook of one or more ``SheetWriter``s, saved once (``to_bytes`` or ``response``)."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self.used_titles: set[str] = set()
        self.sheets: list[SheetWriter] = []

    def sheet(self, name: str, *, title: str, columns, facts=()) -> SheetWriter:
        writer = SheetWriter(self, name, title=title, columns=columns, facts=facts)
        self.sheets.append(writer)
        return writer

    def _save(self, target):
        for sheet in self.sheets:
            sheet.close()
        if not self.sheets:
            self.sheet("sheet", title="", columns=[]).close()
        self.workbook.save(target)

    def to_bytes(self) -> bytes:
        with tempfile.TemporaryFile(suffix=".xlsx") as tmp:
            self._save(tmp)
            tmp.seek(0)
            return tmp.read()

    def response(self, *, filename: str, fallback: str | None = None) -> FileResponse:
        """The workbook as a download, from an anonymous temporary file that disappears when the
        response closes (剩余信息保护: no export left on disk)."""
        tmp = tempfile.TemporaryFile(suffix=".xlsx")
        self._save(tmp)
        tmp.seek(0)
        response = FileResponse(tmp, content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition(filename, fallback)
        return response


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def ascii_fallback(filename: str) -> str:
    """An ASCII name for clients that ignore ``filename*``: "统计数据-2023.xlsx" → "download-2023.xlsx"."""
    stem, dot, suffix = filename.rpartition(".") if "." in filename else (filename, "", "")
    ascii_stem = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9_-]+", "-", stem)).strip("-_")
    if not re.search(r"[A-Za-z]", ascii_stem):
        ascii_stem = f"download-{ascii_stem}".rstrip("-")
    return ascii_stem + dot + re.sub(r"[^A-Za-z0-9]", "", suffix)


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """RFC 6266: an ASCII ``fallback`` for old clients, the real (Chinese) name in ``filename*``."""
    filename = _UNSAFE_NAME.sub("_", filename).strip() or "download"
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", fallback or ascii_fallback(filename))
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(content: bytes, *, filename: str, content_type: str, fallback: str | None = None) -> HttpResponse:
    """An attachment response for bytes built by a service (the one place that names downloads)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return response


class _Echo:
    def write(self, value):
        return value


def csv_lines(headers, rows):
    """CSV text, line by line: BOM first (Excel then reads UTF-8), every text cell formula-safe."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff"
    yield writer.writerow([csv_safe(str(h)) for h in headers])
    for row in rows:
        yield writer.writerow([csv_safe(v) for v in row])


def csv_bytes(headers, rows) -> bytes:
    return "".join(csv_lines(headers, rows)).encode("utf-8")


def csv_response(headers, rows, *, filename: str, fallback: str | None = None) -> StreamingHttpResponse:
    response = StreamingHttpResponse((line.encode("utf-8") for line in csv_lines(headers, rows)),
                                     content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return response
