"""An official document as Word: same content and page as the PDF, the official fonts named for
Chinese text, and a file LibreOffice opens and prints."""

import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from icdc.documents.official import render_official_docx

from .pdf_checks import pdftotext, soffice_to_pdf
from .samples import notice


@pytest.fixture(scope="module")
def notice_docx():
    return render_official_docx(notice(), created=dt.datetime(2026, 12, 2, 9, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))))


def _east_asian_font(run):
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_page_is_a4_with_the_standard_margins_and_22_lines(notice_docx):
    document = docx.Document(io.BytesIO(notice_docx))
    section = document.sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)  # twips
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(m.mm) for m in margins] == [37, 26, 35, 28]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert int(grid.get(qn("w:linePitch"))) * 22 <= Mm(225).twips
    assert int(grid.get(qn("w:linePitch"))) * 22 > Mm(224).twips


def test_the_content_and_the_fonts_officials_use(notice_docx):
    document = docx.Document(io.BytesIO(notice_docx))
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    assert texts[:3] == ["工业和信息化部办公厅文件", "工信厅信发〔2026〕12号", "关于公示2026年信息消费示范城市\n拟入选名单的通知"]
    assert "附件：1.2026年信息消费示范城市拟入选名单" in texts and "2.异议书（样式）" in texts
    assert texts[-2:] == ["工业和信息化部办公厅", "2026年12月2日"]
    mark, title = paragraphs[0].runs[0], paragraphs[2].runs[0]
    assert _east_asian_font(mark) == _east_asian_font(title) == "方正小标宋简体"
    assert mark.font.color.rgb == docx.shared.RGBColor(0xE6, 0x00, 0x12)
    assert title.font.size.pt == 22
    body = next(p for p in paragraphs if p.text.startswith("根据"))
    assert _east_asian_font(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    heading = next(p for p in paragraphs if p.text.startswith("一、"))
    assert _east_asian_font(heading.runs[0]) == "黑体" and _east_asian_font(heading.runs[1]) == "仿宋_GB2312"
    assert body.paragraph_format.element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    props = document.core_properties
    assert props.title.startswith("关于公示") and props.author == "工业和信息化部办公厅"
    assert props.created.replace(tzinfo=None) == dt.datetime(2026, 12, 2, 1, 8)  # UTC


def test_page_numbers_are_fields_right_on_odd_pages_left_on_even(notice_docx):
    document = docx.Document(io.BytesIO(notice_docx))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert "".join(t.text for t in paragraph._p.iter(qn("w:t"))) == "— 1 —"  # the 1 inside the PAGE field
        assert paragraph.alignment.name.lower() == alignment
        assert paragraph._p.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"


def test_libreoffice_opens_and_prints_it(notice_docx):
    data = soffice_to_pdf(notice_docx)
    text = pdftotext(data).replace("\n", "").replace(" ", "")
    assert "关于公示2026年信息消费示范城市" in text and "工业和信息化部办公厅文件" in text
    assert "2026年12月2日" in text
