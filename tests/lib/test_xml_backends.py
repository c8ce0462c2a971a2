"""lxml is installed (requirements/base.txt) so that openpyxl's write-only exports go through it
(linear cost, issue 12 §5). openpyxl with lxml also READS with lxml — but uploads never go through
openpyxl or lxml: ``icdc.lib.sheets`` reads them with expat and ``uploads.xml_parser`` (no DTD, no
entities). These tests hold both ends: exports written through lxml, uploads refused or read
without it, DTDs and external entities refused in every part the reader opens."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl.xml
import pytest

from icdc.lib import sheets, workbooks
from icdc.lib.refusals import Refusal

from .hostile_files import MAIN, Member, _header_row, _parts, _sheet, zip_bytes

LIMITS = {"max_rows": 100, "max_columns": 20}
DTD = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def _rows(content):
    return list(sheets.xlsx_rows(content, **LIMITS))


def test_openpyxl_writes_through_lxml():
    assert openpyxl.xml.LXML, "lxml missing: exports fall back to the pure-Python writer (not linear)"


def test_an_export_written_through_lxml_reads_back_through_the_upload_reader():
    book = workbooks.ExcelExport()
    sheet = book.sheet("表", title="测试导出", columns=["名称", "数值"])
    for text in ("青岛市", "=HYPERLINK(\"http://evil\")", "a\r\nb", "c\rd", "<&>\"'"):
        sheet.append([text, 1.5])
    rows = [values for _n, values in _rows(book.to_bytes())]  # the export as an upload
    assert rows[2:] == [["青岛市", 1.5], ["=HYPERLINK(\"http://evil\")", 1.5], ["a\nb", 1.5], ["c\nd", 1.5],
                        ["<&>\"'", 1.5]]


def _with_dtd_in(path):
    """A readable workbook whose part ``path`` starts with a DTD declaring an external entity."""
    strings = Member("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}"><si><t>x</t></si></sst>'.encode())
    with zipfile.ZipFile(io.BytesIO(zip_bytes(_parts(_sheet(_header_row()), strings)))) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    body = contents[path]
    if body.startswith(b"<?xml"):
        body = body[body.index(b"?>") + 2:]
    contents[path] = DTD + body
    return zip_bytes([Member(name, data) for name, data in contents.items()])


def test_the_workbook_built_here_reads_without_its_dtd():
    strings = Member("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}"><si><t>x</t></si></sst>'.encode())
    assert _rows(zip_bytes(_parts(_sheet(_header_row()), strings)))


@pytest.mark.parametrize("path", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
                                  "_rels/.rels", "xl/_rels/workbook.xml.rels"])
def test_a_dtd_in_any_part_is_refused_with_lxml_installed(path):
    with pytest.raises(Refusal) as refused:
        _rows(_with_dtd_in(path))
    assert refused.value.code == "xml_dtd"


READER_ALONE = """
import sys
from django.conf import settings
settings.configure(USE_I18N=False)  # the reader alone, not the apps that write exports with openpyxl
from icdc.lib import sheets
from icdc.lib.refusals import Refusal
good, hostile = sys.stdin.buffer.read().split(b"--SPLIT--")
assert list(sheets.xlsx_rows(good, max_rows=100, max_columns=20))
try:
    list(sheets.xlsx_rows(hostile, max_rows=100, max_columns=20))
except Refusal as refused:
    assert refused.code == "xml_dtd", refused.code
else:
    raise AssertionError("a DTD was read")
loaded = sorted(name for name in sys.modules if name.split(".")[0] in {"lxml", "openpyxl"}
                or name.startswith(("xml.etree", "xml.dom", "xml.sax")))
print(" ".join(loaded))
"""


def test_the_upload_reader_loads_neither_lxml_nor_openpyxl():
    """In a fresh interpreter: reading a workbook and refusing a DTD imports no other XML parser."""
    strings = Member("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}"><si><t>x</t></si></sst>'.encode())
    payload = zip_bytes(_parts(_sheet(_header_row()), strings)) + b"--SPLIT--" + _with_dtd_in("xl/sharedStrings.xml")
    done = subprocess.run([sys.executable, "-c", READER_ALONE], input=payload, capture_output=True, check=False,
                          cwd=Path(__file__).resolve().parents[2], timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().split() == []  # expat only, with defusedxml's exception classes
