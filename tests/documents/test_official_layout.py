"""GB/T 9704-2012 rules as plain functions (no PDF, no database)."""

import datetime as dt

import pytest

from icdc.documents import official as o

from .samples import notice


def test_the_type_area_and_margins_follow_the_standard():
    assert (o.TOP_MM, o.LEFT_MM, o.RIGHT_MM, o.BOTTOM_MM) == (37, 28, 26, 35)
    assert o.LEFT_MM + o.TYPE_WIDTH_MM + o.RIGHT_MM == 210 and o.TOP_MM + o.TYPE_HEIGHT_MM + o.BOTTOM_MM == 297
    # 22 lines of 28 characters fill the 156 × 225 mm type area
    assert o.LINE_PITCH_MM * 22 == pytest.approx(225)
    assert 28 * (o.BODY_PT + o.LETTER_SPACING_PT) <= 156 * o.PT_PER_MM < 28 * (o.BODY_PT + o.LETTER_SPACING_PT) + 0.2


@pytest.mark.parametrize(("date", "text"), [
    (dt.date(2026, 12, 2), "2026年12月2日"),
    (dt.date(2027, 1, 9), "2027年1月9日"),
    (dt.date(2026, 10, 31), "2026年10月31日"),
])
def test_the_date_is_written_in_arabic_numerals_without_leading_zeros(date, text):
    assert o.chinese_date(date) == text


@pytest.mark.parametrize("number", ["工信部信发[2026]12号", "工信部信发【2026】12号", "工信部信发（2026）12号",
                                    "工信部信发(2026)12号", " 工信部信发〔2026〕12号 "])
def test_the_year_of_a_document_number_goes_in_hexagonal_brackets(number):
    assert o.normalise_doc_number(number) == "工信部信发〔2026〕12号"


def test_addressees_are_joined_and_end_with_a_full_width_colon():
    assert o.recipients_line(["甲省工业和信息化厅", "乙市工业和信息化局"]) == "甲省工业和信息化厅、乙市工业和信息化局："
    assert o.recipients_line("工业和信息化部信息技术发展司:") == "工业和信息化部信息技术发展司："
    assert o.recipients_line(()) == ""


def test_first_and_second_level_headings_get_their_typefaces():
    first = o.paragraph_runs("一、公示时间。2026年12月2日至8日。")
    assert first.runs == (("一、公示时间。", "heiti"), ("2026年12月2日至8日。", "body"))
    assert o.paragraph_runs("二、有关要求").runs == (("二、有关要求", "heiti"),)
    assert o.paragraph_runs("（三）联系方式。电话。").runs[0] == ("（三）联系方式。", "kaiti")
    assert o.paragraph_runs("1.第三层用仿宋。").runs == (("1.第三层用仿宋。", "body"),)
    assert o.paragraph_runs("一般正文，不是标题。").runs == (("一般正文，不是标题。", "body"),)


def test_several_annexes_are_numbered_one_annex_is_not():
    assert o.annex_lines(["名单。"]) == (o.AnnexLine("附件：", "", "名单"),)
    assert o.annex_lines(["名单", "异议书"]) == (o.AnnexLine("附件：", "1.", "名单"), o.AnnexLine("", "2.", "异议书"))


def test_the_date_starts_two_characters_right_of_the_signatory():
    sign = o.signature_layout("工业和信息化部办公厅", "2026年12月2日")
    assert sign.signatory_left_chars == 28 - 2 - 10  # 2 characters in from the right
    assert sign.date_left_chars == sign.signatory_left_chars + 2


def test_a_date_longer_than_the_signatory_ends_two_characters_in():
    sign = o.signature_layout("某局", "2026年12月22日")  # 8 digits (4 characters) + 3 characters
    assert sign.date_left_chars == 28 - 2 - 7
    assert sign.signatory_left_chars == sign.date_left_chars - 2


def test_with_a_seal_the_date_is_four_characters_in_and_the_signatory_centred_over_it():
    sign = o.signature_layout("山东省工业和信息化厅", "2026年12月2日", sealed=True)
    date_width, signatory_width = 6.5, 10
    assert sign.date_left_chars + date_width == 28 - 4
    assert sign.signatory_left_chars + signatory_width / 2 == sign.date_left_chars + date_width / 2


def test_the_mark_is_at_most_15_mm_a_character_and_never_wider_than_the_type_area():
    assert o.mark_size_pt("工业和信息化部文件") == pytest.approx(15 * o.PT_PER_MM, abs=0.1)
    long_mark = "中华人民共和国工业和信息化部办公厅文件"  # 19 characters
    assert o.mark_size_pt(long_mark) * 19 <= 156 * o.PT_PER_MM + 0.5


def test_a_document_needs_a_title_a_body_and_a_real_date():
    with pytest.raises(ValueError):
        notice(title=" ")
    with pytest.raises(ValueError):
        notice(paragraphs=["", "  "])
    with pytest.raises(TypeError):
        notice(date="2026-12-02")


def test_layout_gathers_everything_both_renderers_need():
    laid_out = o.layout(notice())
    assert laid_out.doc_number == "工信厅信发〔2026〕12号"
    assert laid_out.title_lines == ("关于公示2026年信息消费示范城市", "拟入选名单的通知")
    assert laid_out.recipients.endswith("工业和信息化局：")
    assert laid_out.signature.date == "2026年12月2日"
    assert laid_out.author == "工业和信息化部办公厅"
