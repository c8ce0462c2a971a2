"""The notice and announcement as published: Chinese text readable by pdftotext, CJK fonts embedded,
the GB/T 9704 type area on a pdftoppm rendering of page 1, LibreOffice opens every .docx."""

import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from icdc.decisions.services import proposal_transition
from icdc.documents.models import PublishedDocument
from tests.documents.pdf_checks import pdffonts, pdftotext, require, soffice_to_pdf

from .helpers import at

DPI = 150
MM = DPI / 25.4


@pytest.fixture
def announced(in_notice, officer):
    return proposal_transition(proposal=in_notice, name="announce", user=officer,
                               data={"number": "工信部信发〔2024〕12号"}, now=at(2024, 10, 11, 9))


def _content(kind, fmt):
    return PublishedDocument.objects.get(kind=kind, format=fmt).file.read()


def ink_box(pdf: bytes):
    """(left, top, right, bottom) of everything printed on page 1, in mm from the page's corner."""
    tool = require("pdftoppm", "poppler-utils")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "d.pdf"
        source.write_bytes(pdf)
        subprocess.run([tool, "-f", "1", "-l", "1", "-r", str(DPI), "-png", str(source), str(Path(folder) / "p")],
                       check=True, capture_output=True, timeout=120)
        image = Image.open(next(Path(folder).glob("p*.png"))).convert("L")
        size_mm = (image.width / MM, image.height / MM)
        mask = image.point(lambda v: 255 if v < 200 else 0)
        # The page number sits in the bottom margin (GB/T 9704 §7.5): measure above it.
        body = mask.crop((0, 0, image.width, int((297 - 35) * MM)))
        left, top, right, bottom = body.getbbox()
    return size_mm, (left / MM, top / MM, right / MM, bottom / MM)


@pytest.mark.parametrize("kind", ["notice", "announcement"])
def test_pdf_text_fonts_and_type_area(announced, kind):
    pdf = _content(kind, "pdf")
    text = "".join(pdftotext(pdf).split())
    assert "青岛市" in text and "宁波市" in text and "工业和信息化部办公厅" in text
    if kind == "notice":
        assert "拟定名单的公示" in text and "2024年9月29日至2024年10月10日" in text and "回执编号" in text
    else:
        assert "工信部信发〔2024〕12号" in text and "综合型" in text
    fonts = pdffonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    (width, height), (left, top, right, bottom) = ink_box(pdf)
    assert round(width) == 210 and round(height) == 297  # A4
    # Type area 156 × 225 mm: top margin 37 mm, left 28 mm (the red rule spans the whole width:
    # 28 → 184 mm). The first ink is the red mark, its top 35 mm under the type area's top (§7.2.3):
    # 37 + 35 = 72 mm (the glyphs' own side bearing adds a little).
    assert 27.0 <= left <= 29.0, left
    assert 182.5 <= right <= 184.5, right
    assert 72.0 <= top <= 74.0, top
    assert bottom <= 37 + 225 + 0.5, bottom


@pytest.mark.parametrize("kind", ["notice", "announcement"])
def test_libreoffice_opens_every_docx(announced, kind):
    pdf = soffice_to_pdf(_content(kind, "docx"))
    text = "".join(pdftotext(pdf).split())
    assert "青岛市" in text and "工业和信息化部办公厅" in text


def test_the_docx_is_a_real_word_file(announced):
    import docx

    document = docx.Document(io.BytesIO(_content("announcement", "docx")))
    assert any("工信部信发〔2024〕12号" in p.text for p in document.paragraphs)
