"""An official document as a PDF: what it shows, in which fonts, where on the page (GB/T 9704-2012)."""

import io
import logging

import pypdf
import pytest

from icdc.documents.official import render_official_pdf

from .pdf_checks import PT_PER_MM, pdffonts, pdftotext, text_lines
from .samples import LONG_SENTENCE, notice, one_page_letter


@pytest.fixture(scope="module")
def notice_pdf():
    return render_official_pdf(notice())


def test_the_text_shows_mark_number_title_body_annexes_and_signature(notice_pdf):
    text = pdftotext(notice_pdf).replace("\n", "")
    for part in ("工业和信息化部办公厅文件", "工信厅信发〔2026〕12号", "关于公示2026年信息消费示范城市", "拟入选名单的通知",
                 "各省、自治区、直辖市及计划单列市工业和信息化主管部门、新疆生产建设兵团工业和信息化局：",
                 "现将拟入选名单予以公示。", "一、公示时间。", "附件：1.2026年信息消费示范城市拟入选名单", "2.异议书（样式）",
                 "工业和信息化部办公厅", "2026年12月2日"):
        assert part in text, part


def test_cjk_fonts_are_embedded(notice_pdf):
    fonts = pdffonts(notice_pdf)
    cjk = [f for f in fonts if "CJK" in f["name"] or "WenQuanYi" in f["name"]]
    assert cjk and all(f["emb"] == "yes" for f in fonts), fonts


def test_pages_are_a4_and_numbered_in_the_margin(notice_pdf):
    reader = pypdf.PdfReader(io.BytesIO(notice_pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.3, abs=1)
        assert float(page.mediabox.height) == pytest.approx(841.9, abs=1)
    sizes, lines = text_lines(notice_pdf)
    numbers = {line.page: line for line in lines if line.text.replace(" ", "") == f"—{line.page}—"}
    assert sorted(numbers) == list(range(1, len(sizes) + 1))
    type_bottom = (37 + 225) * PT_PER_MM
    for page, line in numbers.items():
        # under the type area, its top about 7 mm below it
        assert line.y_min > type_bottom and line.y_min - type_bottom == pytest.approx(7 * PT_PER_MM, abs=3 * PT_PER_MM)
        centre = (line.x_min + line.x_max) / 2
        assert (centre > 105 * PT_PER_MM) == (page % 2 == 1), "odd pages right, even pages left"


def test_everything_else_sits_inside_the_type_area(notice_pdf):
    _sizes, lines = text_lines(notice_pdf)
    left, top = 28 * PT_PER_MM, 37 * PT_PER_MM
    right, bottom = left + 156 * PT_PER_MM, top + 225 * PT_PER_MM
    body = [line for line in lines if line.text.replace(" ", "") != f"—{line.page}—"]
    assert body
    for line in body:
        assert line.x_min >= left - 1 and line.x_max <= right + 1, line
        assert line.y_min >= top - 1 and line.y_max <= bottom + 1, line


def test_a_full_page_has_22_lines_of_28_characters(notice_pdf):
    _sizes, lines = text_lines(notice_pdf)
    full = [line for line in lines if line.text == (LONG_SENTENCE * 9)[:28] or (line.text in LONG_SENTENCE * 10
                                                                               and len(line.text) == 28)]
    assert full, "no full line of the long paragraphs"
    second = [line for line in lines if line.page == 2 and line.text.replace(" ", "") != "—2—"]
    assert len(second) == 22
    pitches = [b.y_min - a.y_min for a, b in zip(second, second[1:], strict=False)]
    assert all(p == pytest.approx(225 / 22 * PT_PER_MM, abs=0.6) for p in pitches), pitches


def test_the_title_and_mark_are_set_apart_from_the_body(notice_pdf):
    _sizes, lines = text_lines(notice_pdf)
    first = [line for line in lines if line.page == 1]
    mark, number = first[0], first[1]
    assert mark.text == "工业和信息化部办公厅文件" and number.text == "工信厅信发〔2026〕12号"
    # the mark's top 35 mm under the type area's top (pdftotext's box starts at the font's ascent,
    # a little above the characters' em box)
    assert 31 * PT_PER_MM <= mark.y_min - 37 * PT_PER_MM <= 36 * PT_PER_MM
    centre = (28 + 156 / 2) * PT_PER_MM
    for line in (mark, number, first[2]):
        assert (line.x_min + line.x_max) / 2 == pytest.approx(centre, abs=3)
    title = first[2]
    assert title.y_max - title.y_min > number.y_max - number.y_min  # 22 pt over 16 pt


def test_a_one_page_letter_has_one_page_and_no_warnings(caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = render_official_pdf(one_page_letter())
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")], [r.getMessage() for r in caplog.records]
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    text = pdftotext(data).replace("\n", "")
    assert "关于推荐青岛市申报2026年信息消费示范城市的函" in text and "特此函告。" in text


def _signature_lines(data):
    _sizes, lines = text_lines(data)
    last = max(line.page for line in lines)
    page = [line for line in lines if line.page == last]
    signatory = next(line for line in page if line.text == "工业和信息化部办公厅")
    date = next(line for line in page if line.text == "2026年12月2日")
    return signatory, date


CHAR = 156 * PT_PER_MM / 28
RIGHT_EDGE = (28 + 156) * PT_PER_MM


def test_without_a_seal_the_signatory_is_two_characters_in_and_the_date_two_right_of_it(notice_pdf):
    signatory, date = _signature_lines(notice_pdf)
    assert RIGHT_EDGE - signatory.x_max == pytest.approx(2 * CHAR, abs=2)
    assert date.x_min - signatory.x_min == pytest.approx(2 * CHAR, abs=2)
    assert date.y_min - signatory.y_min == pytest.approx(225 / 22 * PT_PER_MM, abs=1)  # the next line


def test_with_a_seal_the_date_is_four_characters_in_under_the_centred_signatory():
    signatory, date = _signature_lines(render_official_pdf(notice(sealed=True)))
    assert RIGHT_EDGE - date.x_max == pytest.approx(4 * CHAR, abs=3)
    assert (signatory.x_min + signatory.x_max) / 2 == pytest.approx((date.x_min + date.x_max) / 2, abs=2)
