"""Official documents as editable Word files (.docx, python-docx), the PDF's layout in Word terms.

Officials finish a document in Word or WPS (a seal, a last wording change), so the file names the
fonts they have — 方正小标宋简体 for the mark and title, 仿宋_GB2312 for the body, 黑体 and
楷体_GB2312 for headings, 宋体 for page numbers — set for East-Asian text (``w:eastAsia``), which
is what Word uses for Chinese characters. Where those fonts are missing (LibreOffice on Linux)
the system's fallback shows instead; nothing is embedded.

The section has the PDF's geometry: A4, margins 37/26/35/28 mm, and 22 lines × 28 characters: a line grid
(``w:docGrid``, pitch 225 mm ÷ 22) and a default character spacing of -0.25 pt, so that 28
characters of 16 pt fill the 156 mm line in Word, WPS and LibreOffice alike.
"""

from __future__ import annotations

import datetime as dt
import io
import math

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from icdc.documents import official as o

FONTS = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "heiti": "黑体",
    "kaiti": "楷体_GB2312",
    "song": "宋体",
}
TWIPS_PER_MM = 1440 / 25.4
#: Character spacing keeping 28 characters of 16 pt to the line: floor((15.79 - 16) × 20) = -5 (-0.25 pt).
CHAR_SPACING_TWENTIETHS = math.floor((o.CHAR_PITCH_PT - o.BODY_PT) * 20)
#: What follows w:pBdr inside w:pPr (ECMA-376 CT_PPrBase): Word refuses a file whose order differs.
AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)


def _set_font(run_or_style, role: str, size_pt: float, *, color: str | None = None):
    font = run_or_style.font
    name = FONTS[role]
    font.name = name
    font.size = Pt(size_pt)
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), name)
    if color:
        font.color.rgb = RGBColor.from_string(color.lstrip("#"))


def _indent_chars(paragraph, *, left: float = 0, first_line: float = 0, hanging: float = 0):
    """Indents in grid characters (w:leftChars etc., hundredths) with the twips Word falls back on."""
    ind = paragraph.paragraph_format.element.get_or_add_pPr().get_or_add_ind()
    char_twips = o.CHAR_PITCH_PT * 20
    if left:
        ind.set(qn("w:leftChars"), str(round(left * 100)))
        ind.set(qn("w:left"), str(round(left * char_twips)))
    if first_line:
        ind.set(qn("w:firstLineChars"), str(round(first_line * 100)))
        ind.set(qn("w:firstLine"), str(round(first_line * char_twips)))
    if hanging:
        ind.set(qn("w:hangingChars"), str(round(hanging * 100)))
        ind.set(qn("w:hanging"), str(round(hanging * char_twips)))


def _paragraph(document, text="", *, role="body", size=o.BODY_PT, align=None, before_mm=0.0, color=None):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = Mm(before_mm) if before_mm else Pt(0)
    fmt.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    if text:
        _set_font(paragraph.add_run(text), role, size, color=color)
    return paragraph


def _section_geometry(document):
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(o.PAGE_WIDTH_MM), Mm(o.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(o.TOP_MM), Mm(o.BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(o.LEFT_MM), Mm(o.RIGHT_MM)
    section.gutter = Mm(0)
    section.header_distance = Mm(15)
    # The page number's top 7 mm under the type area: its 14 pt line ends about 12 mm under it.
    section.footer_distance = Mm(o.BOTTOM_MM - o.PAGE_NUMBER_GAP_MM - o.PAGE_NUMBER_PT / o.PT_PER_MM)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    # A line grid (22 lines); the 28 characters come from the character spacing (see _defaults).
    # "linesAndChars" would say it directly, but LibreOffice reads its w:charSpace differently
    # from Word (19 characters a line), and a file must look the same in both.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(o.LINE_PITCH_MM * TWIPS_PER_MM)))  # 579 twips ≈ 10.21 mm
    if qn("w:charSpace") in grid.attrib:
        del grid.attrib[qn("w:charSpace")]
    return section


def _page_number(footer, *, odd: bool):
    """"— 1 —" in 4号 宋体: odd pages right, even pages left, one character in (§7.5)."""
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    if odd:
        fmt.right_indent = Pt(o.PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(o.PAGE_NUMBER_PT)
    _set_font(paragraph.add_run("— "), "song", o.PAGE_NUMBER_PT)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("1")
    _set_font(run, "song", o.PAGE_NUMBER_PT)
    field.append(run._r)
    paragraph._p.append(field)
    _set_font(paragraph.add_run(" —"), "song", o.PAGE_NUMBER_PT)


def official_docx(laid_out: o.OfficialLayout, *, created: dt.datetime | None = None) -> bytes:
    """The .docx of a laid-out official document (see ``official.render_official_docx``)."""
    document = Document()
    _defaults(document)
    normal = document.styles["Normal"]
    _set_font(normal, "body", o.BODY_PT)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    document.settings.odd_and_even_pages_header_footer = True
    section = _section_geometry(document)
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)

    line = o.LINE_PITCH_MM
    mark = _paragraph(document, laid_out.mark, role="title", size=laid_out.mark_pt,
                      align=WD_ALIGN_PARAGRAPH.CENTER, before_mm=o.MARK_TOP_MM, color=o.RED)
    mark.paragraph_format.keep_with_next = True
    number = _paragraph(document, laid_out.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER, before_mm=2 * line)
    _red_rule(number)
    title = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, before_mm=2 * line)
    title.paragraph_format.line_spacing = Mm(line)  # exactly one grid line per title line
    for i, text in enumerate(laid_out.title_lines):
        run = title.add_run(text)
        _set_font(run, "title", o.TITLE_PT)
        if i < len(laid_out.title_lines) - 1:
            run.add_break()
    if laid_out.recipients:
        _paragraph(document, laid_out.recipients, before_mm=line)
    for item in laid_out.paragraphs:
        paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        _indent_chars(paragraph, first_line=2)
        for text, role in item.runs:
            _set_font(paragraph.add_run(text), role, o.BODY_PT)
    label_w = o.char_width(laid_out.annexes[0].label) if laid_out.annexes else 0
    for i, annex in enumerate(laid_out.annexes):
        # "附件：1.名称": wrapped lines align with the name (§7.3.4)
        number_w = o.char_width(annex.number)
        paragraph = _paragraph(document, f"{annex.label}{annex.number}{annex.name}", before_mm=line if i == 0 else 0)
        _indent_chars(paragraph, left=2 + label_w + number_w, hanging=(label_w if i == 0 else 0) + number_w)
    signature = laid_out.signature
    sig = _paragraph(document, signature.signatory, before_mm=(2 if laid_out.sealed else 1) * line)
    _indent_chars(sig, left=signature.signatory_left_chars)
    sig.paragraph_format.keep_with_next = True
    _indent_chars(_paragraph(document, signature.date), left=signature.date_left_chars)

    props = document.core_properties
    props.title = " ".join(laid_out.title_lines)
    props.author = props.last_modified_by = laid_out.author
    when = created or timezone.now()
    if timezone.is_aware(when):  # python-docx writes the clock time with a "Z": give it UTC
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    props.created = props.modified = when.replace(microsecond=0)
    props.comments = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _defaults(document):
    """Document defaults in the grid's terms: 16 pt 仿宋 in Chinese, single spacing, no space after.

    The grid's character pitch is counted from the default font size, and a default line taller than
    the grid's line takes two grid lines: python-docx's template (11 pt, 1.15 lines, 10 pt after,
    language en-US) would give 17 characters a line, double spaced, in a Japanese fallback font.
    """
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attribute in list(rfonts.attrib):
        del rfonts.attrib[attribute]
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), FONTS["body"])
    # 28 characters of 16 pt to a 156 mm line: each character 0.25 pt tighter (twentieths of a point)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWENTIETHS))
    rpr.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:lang")
    half_points = str(o.BODY_PT * 2)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), half_points)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


def _red_rule(paragraph):
    """The red rule under the document number, as wide as the type area, 4 mm under the number."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(round(o.RULE_WIDTH_MM * o.PT_PER_MM * 8)))  # eighths of a point
    bottom.set(qn("w:space"), str(round(o.RULE_GAP_MM * o.PT_PER_MM)))  # points
    bottom.set(qn("w:color"), o.RED.lstrip("#"))
    borders.append(bottom)
    ppr.insert_element_before(borders, *AFTER_PBDR)
