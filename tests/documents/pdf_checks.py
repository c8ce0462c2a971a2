"""Reading generated documents back the way a person (or poppler, or LibreOffice) sees them.

The system tools (poppler's pdftotext/pdffonts, LibreOffice's soffice) are installed by
scripts/system_deps.sh. Missing on a developer's machine: the test is skipped with the command
to run. Missing under CI (CI set): the test fails — a document check never passes by not running.
"""

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

PT_PER_MM = 72 / 25.4


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    message = f"{tool} is not installed: apt-get install {package} (or scripts/system_deps.sh)"
    if under_ci():
        pytest.fail(message)
    pytest.skip(message)


def _run(args, data: bytes, *, to_stdout=("-",), timeout=120) -> str:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(data)
        out = subprocess.run([*args, str(source), *to_stdout], capture_output=True, check=True, timeout=timeout)
        return out.stdout.decode("utf-8")


def pdftotext(data: bytes, *, first: int | None = None, last: int | None = None, layout=False) -> str:
    args = [require("pdftotext", "poppler-utils"), "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    if layout:
        args.append("-layout")
    return _run(args, data)


def pages_text(data: bytes, count: int) -> list[str]:
    return [pdftotext(data, first=n, last=n) for n in range(1, count + 1)]


def pdffonts(data: bytes) -> list[dict]:
    """pdffonts' table: name, type, encoding, emb, sub, uni."""
    text = _run([require("pdffonts", "poppler-utils")], data, to_stdout=()).splitlines()
    fonts = []
    for line in text[2:]:
        parts = line.split()
        if len(parts) >= 7:
            # name may hold no spaces; type may ("CID Type 0C (OT)"): count from the end
            fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


@dataclass(frozen=True)
class Line:
    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


def text_lines(data: bytes) -> tuple[list[tuple[float, float]], list[Line]]:
    """Page sizes (pt) and every text line with its box (pt, origin top left), via pdftotext -bbox-layout."""
    html = _run([require("pdftotext", "poppler-utils"), "-bbox-layout", "-enc", "UTF-8"], data)
    sizes, lines = [], []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), start=1):
        width, height = re.match(r'width="([\d.]+)" height="([\d.]+)"', page).groups()
        sizes.append((float(width), float(height)))
        for attrs, body in re.findall(r"<line (.*?)>(.*?)</line>", page, re.S):
            box = dict(re.findall(r'(\w+)="([\d.]+)"', attrs))
            words = re.findall(r"<word [^>]*>(.*?)</word>", body, re.S)
            lines.append(Line(number, float(box["xMin"]), float(box["yMin"]), float(box["xMax"]), float(box["yMax"]),
                              "".join(unescape(w) for w in words)))
    return sizes, lines


def soffice_to_pdf(data: bytes, suffix=".docx") -> bytes:
    """What LibreOffice makes of a file: its own PDF export, with a private profile (parallel-safe)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice") or require("soffice", "libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"document{suffix}"
        source.write_bytes(data)
        profile = Path(folder) / "profile"
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True, capture_output=True, timeout=240)
        return (Path(folder) / "document.pdf").read_bytes()
