"""Reading uploaded tables (.xlsx, .csv) row by row, in bounded time and memory.

Call ``uploads.upload_check`` first. Both readers yield ``(row number, [cell values])`` and
refuse (``Refusal``) a table past ``max_rows`` rows or ``max_columns`` columns as soon as they
meet it, so a row of ten million cells costs what its first ``max_columns`` cells cost.

The .xlsx reader streams the first worksheet through expat (``uploads.xml_parser``: no DTD, no
entities), holding one row at a time. It does not use openpyxl: openpyxl, even in read-only
mode, builds a whole ``<row>`` element before it yields it (5 GB for one row of 10 million
cells) and reads ~30,000 cells a second here, so a legitimate 20,000-row file would take 6 s.
Values are what the file stores: numbers (int or float), text (shared or inline), booleans,
error codes as text, formulas as their cached value; date-formatted numbers stay numbers.
"""

from __future__ import annotations

import codecs
import csv
import io
import posixpath
import zipfile

from django.utils.translation import gettext_lazy as _

from .refusals import Refusal
from .uploads import xml_feed, xml_parse_all, xml_parser

EXCEL_CELL_CHARS = 32767  # Excel's own limit on a cell's text
STRUCTURE_MAX_BYTES = 4 * 1024 * 1024  # workbook.xml and .rels: a few kB in any real file


def _too_many_rows(max_rows):
    return Refusal(_("数据行过多（上限 %(max)s 行），请分文件导入"), code="too_many_rows", params={"max": max_rows})


def _too_many_columns(max_columns):
    return Refusal(_("列数过多（上限 %(max)s 列），请只保留模板中的列"), code="too_many_columns",
                   params={"max": max_columns})


def _too_long(max_chars):
    return Refusal(_("单元格内容过长（上限 %(max)s 字）"), code="cell_too_long", params={"max": max_chars})


def _too_many_cells(max_cells):
    return Refusal(_("单元格过多（上限 %(max)s 个），请只保留模板中的列或分文件导入"), code="too_many_cells",
                   params={"max": max_cells})


def _bad_workbook():
    return Refusal(_("无法读取该 Excel 文件，请使用 .xlsx 格式（可下载导入模板）"), code="bad_workbook")


# --- .xlsx ---------------------------------------------------------------------------------------

def _parse_small(archive, path, start):
    """Parse a small structural part, calling ``start(local name, attrs)`` per element."""
    try:
        info = archive.getinfo(path)
    except KeyError as exc:
        raise _bad_workbook() from exc
    if info.file_size > STRUCTURE_MAX_BYTES:
        raise _bad_workbook()
    parser = xml_parser()
    parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    with archive.open(info) as stream:
        xml_parse_all(parser, stream)


def _relationships(archive, part):
    """{id: (type, target path)} of a part's .rels, targets resolved against the part's folder."""
    folder, base = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", base + ".rels")
    found = {}

    def start(name, attrs):
        if name == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

    _parse_small(archive, rels_path, start)
    return found


def _first_sheet_and_strings(archive):
    root = [p for t, p in _relationships(archive, "").values() if t.endswith("/officeDocument")]
    if not root:
        raise _bad_workbook()
    workbook_rels = _relationships(archive, root[0])
    sheet_ids = []

    def start(name, attrs):
        if name == "sheet":  # its relationship id: "r:id", whatever the prefix
            sheet_ids.append(next((v for k, v in attrs.items() if k.endswith(":id")), None))

    _parse_small(archive, root[0], start)
    if not sheet_ids or sheet_ids[0] not in workbook_rels:
        raise _bad_workbook()
    strings = [p for t, p in workbook_rels.values() if t.endswith("/sharedStrings")]
    return workbook_rels[sheet_ids[0]][1], (strings[0] if strings else None)


def _local(name):
    """"x:row" → "row": some writers prefix the main namespace; Excel writes it as the default."""
    return name[name.find(":") + 1:]


class _Handlers:
    """expat handlers for shared strings and one worksheet, written for speed: a 20,000-row
    sheet is about 500,000 elements, and each costs one call here."""

    def __init__(self, *, strings, max_rows, max_columns, max_chars, max_strings=0, max_cells=0):
        self.strings, self.max_rows, self.max_columns, self.max_chars = strings, max_rows, max_columns, max_chars
        self.max_strings, self.max_cells, self.total_cells = max_strings, max_cells, 0
        # Every element costs a call: a budget of elements bounds the time of any part, however
        # it is padded (formatting runs, unknown elements), at a few per cell the table may hold.
        self.elements, self.max_elements = 0, 4 * max(max_cells, max_strings) + 2 * max_rows + 10_000
        self.done, self.row, self.row_number, self.column, self.kind, self.cells = [], None, 0, 0, "n", 0
        self.parts, self.length, self.text_on, self.phonetic = [], 0, False, 0
        self.columns = {}  # "AB" → 28, for the columns met (at most max_columns of them)

    def characters(self, data):
        if self.text_on and not self.phonetic:
            self.length += len(data)
            if self.length > self.max_chars:
                raise _too_long(self.max_chars)
            self.parts.append(data)

    # -- worksheet --
    def _over_budget(self):
        raise Refusal(_("文件内容过于复杂（元素过多），请另存为普通表格后重试"), code="too_complex")

    def start(self, name, attrs):
        self.elements += 1
        if self.elements > self.max_elements:
            self._over_budget()
        if name == "c":
            if self.row is None:
                return
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = self.columns.get(letters)
                if column is None:
                    column = self._column(letters)
            else:
                column = self.column + 1
            self.column = column
            self.cells += 1
            if self.cells > self.max_columns:
                raise _too_many_columns(self.max_columns)
            self.total_cells += 1
            if self.total_cells > self.max_cells:
                raise _too_many_cells(self.max_cells)
            self.kind = attrs.get("t", "n")
            self.parts, self.length = [], 0
        elif name == "v" or name == "t":
            self.text_on = self.row is not None
        elif name == "row":
            ref = attrs.get("r", "")
            number = int(ref) if ref.isdigit() else self.row_number + 1
            if number <= self.row_number:
                raise _bad_workbook()
            if number > self.max_rows:
                raise _too_many_rows(self.max_rows)
            self.row, self.row_number, self.column, self.cells = {}, number, 0, 0
        elif name == "rPh":
            self.phonetic += 1
        elif ":" in name:
            self.elements -= 1
            self.start(_local(name), attrs)

    def _column(self, letters):
        if not (0 < len(letters) <= 3 and letters.isascii() and letters.isupper()):
            raise _bad_workbook()
        column = 0
        for char in letters:
            column = column * 26 + ord(char) - 64
        if column > self.max_columns:
            raise _too_many_columns(self.max_columns)
        self.columns[letters] = column
        return column

    def end(self, name):
        if name == "c":
            if self.row is not None:
                value = self._value("".join(self.parts))
                if value is not None:
                    self.row[self.column] = value
        elif name == "v" or name == "t":
            self.text_on = False
        elif name == "row":
            if self.row is not None:
                row = self.row
                self.done.append((self.row_number, [row.get(c) for c in range(1, max(row, default=0) + 1)]))
                self.row = None
        elif name == "rPh":
            self.phonetic -= 1
        elif ":" in name:
            self.end(_local(name))

    def _value(self, text):
        kind = self.kind
        if kind == "s":
            try:
                return self.strings[int(text)]
            except (ValueError, IndexError) as exc:
                raise _bad_workbook() from exc
        if kind == "n":
            if not text:
                return None
            try:
                return int(text) if text.isdigit() else float(text)
            except ValueError:
                return text
        if kind == "b":
            return text == "1" if text else None
        return text or (None if kind != "inlineStr" else "")  # str, inlineStr, e (error code), d (ISO date)

    # -- shared strings --
    def start_string(self, name, _attrs):
        self.elements += 1
        if self.elements > self.max_elements:
            self._over_budget()
        if name == "t":
            self.text_on = True
        elif name == "si":
            self.parts, self.length = [], 0
        elif name == "rPh":
            self.phonetic += 1
        elif ":" in name:
            self.elements -= 1
            self.start_string(_local(name), _attrs)

    def end_string(self, name):
        if name == "t":
            self.text_on = False
        elif name == "si":
            if len(self.strings) >= self.max_strings:  # more strings than cells the table may have
                raise Refusal(_("文件中的文本过多（上限 %(max)s 个），请分文件导入"), code="too_many_strings",
                              params={"max": self.max_strings})
            self.strings.append("".join(self.parts))
        elif name == "rPh":
            self.phonetic -= 1
        elif ":" in name:
            self.end_string(_local(name))


def _shared_strings(archive, path, *, max_strings, max_chars):
    if path is None:
        return []
    try:
        info = archive.getinfo(path)
    except KeyError as exc:
        raise _bad_workbook() from exc
    handlers = _Handlers(strings=[], max_rows=0, max_columns=0, max_chars=max_chars, max_strings=max_strings)
    parser = xml_parser()
    parser.StartElementHandler, parser.EndElementHandler = handlers.start_string, handlers.end_string
    parser.CharacterDataHandler = handlers.characters
    with archive.open(info) as stream:
        xml_parse_all(parser, stream)
    return handlers.strings


def xlsx_rows(content: bytes, *, max_rows: int, max_columns: int, max_cells: int | None = None,
              max_strings: int | None = None, max_chars: int = EXCEL_CELL_CHARS):
    """(row number, values) for every row of the first worksheet, streamed; see the module docstring.

    ``max_cells`` caps the cells of the sheet (default: rows × columns) and ``max_strings`` the
    shared-string table (default: one per cell)."""
    max_cells = max_cells or max_rows * max_columns
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _bad_workbook() from exc
    with archive:
        sheet_path, strings_path = _first_sheet_and_strings(archive)
        strings = _shared_strings(archive, strings_path, max_strings=max_strings or max_cells, max_chars=max_chars)
        handlers = _Handlers(strings=strings, max_rows=max_rows, max_columns=max_columns, max_chars=max_chars,
                             max_cells=max_cells)
        parser = xml_parser()
        parser.StartElementHandler, parser.EndElementHandler = handlers.start, handlers.end
        parser.CharacterDataHandler = handlers.characters
        try:
            stream = archive.open(sheet_path)
        except KeyError as exc:
            raise _bad_workbook() from exc
        with stream:
            for _step in xml_feed(parser, stream):
                yield from handlers.done
                handlers.done.clear()


# --- .csv ----------------------------------------------------------------------------------------

def csv_encoding(content: bytes, encodings=("utf-8-sig", "gb18030")) -> str:
    """The first encoding that decodes the whole file (checked in chunks, nothing kept)."""
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(content), 1024 * 1024):
                decoder.decode(content[start:start + 1024 * 1024])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise Refusal(_("CSV 文件编码无法识别，请使用 UTF-8 或 GBK"), code="encoding")


def _bounded_lines(text, max_line_chars):
    while line := text.readline(max_line_chars + 1):
        if len(line) > max_line_chars:
            raise Refusal(_("CSV 文件中有一行过长（上限 %(max)s 字）"), code="line_too_long",
                          params={"max": max_line_chars})
        yield line


def csv_rows(content: bytes, *, max_rows: int, max_columns: int, max_cells: int | None = None,
             max_line_chars: int = 64 * 1024):
    """(row number, cells) for every record of a CSV file (UTF-8 or GBK, as Excel saves it)."""
    max_cells, cells_read = max_cells or max_rows * max_columns, 0
    text = io.TextIOWrapper(io.BytesIO(content), encoding=csv_encoding(content), newline="")
    reader = csv.reader(_bounded_lines(text, max_line_chars))
    try:
        for number, cells in enumerate(reader, start=1):
            if number > max_rows:
                raise _too_many_rows(max_rows)
            if len(cells) > max_columns:
                raise _too_many_columns(max_columns)
            cells_read += len(cells)
            if cells_read > max_cells:
                raise _too_many_cells(max_cells)
            yield number, cells
    except csv.Error as exc:
        raise Refusal(_("CSV 格式错误：%(error)s"), code="csv", params={"error": exc}) from exc
