"""What every exported workbook must be (issue 11 §9): read back with openpyxl, and opened by
LibreOffice headless. Used by the tests of each export."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def fileable_workbook(content: bytes, *, hidden=("选项",)):
    """Check each visible sheet: a title row saying when, a bold header row frozen below it, an
    auto-filter from the header row over the data, a width on every column, no formula cell.
    Returns the workbook (openpyxl, full mode) for further checks."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
        if sheet.title in hidden:
            assert sheet.sheet_state == "hidden"
            continue
        assert "导出时间" in str(sheet["A1"].value), sheet.title
        header_row = int(sheet.freeze_panes[1:]) - 1
        assert sheet.freeze_panes == f"A{header_row + 1}" and header_row >= 2
        assert sheet.auto_filter.ref.startswith(f"A{header_row}:"), (sheet.title, sheet.auto_filter.ref)
        assert int(sheet.auto_filter.ref.rsplit(":", 1)[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == sheet.max_row
        header = [c for c in sheet[header_row] if c.value is not None]
        assert header and all(c.font.bold for c in header)
        for cell in header:
            assert sheet.column_dimensions[cell.column_letter].width >= 6, (sheet.title, cell.value)
    return book


def header_and_rows(sheet):
    """The table of a sheet written by the shared writer: (header, data rows) as values."""
    header_row = int(sheet.freeze_panes[1:]) - 1
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    return rows[0], rows[1:]


def libreoffice_csv(content: bytes, suffix=".xlsx") -> str:
    """The first sheet as LibreOffice reads it (``soffice --headless --convert-to csv``)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"export{suffix}"
        source.write_bytes(content)
        profile = Path(folder) / "profile"
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", folder, str(source)],
            check=True, capture_output=True, timeout=180)
        return (Path(folder) / "export.csv").read_text(encoding="utf-8")
