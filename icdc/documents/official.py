"""Official documents (公文) laid out after GB/T 9704-2012 《党政机关公文格式》.

Used for the Ministry's public notice (公示) and announcement (公告) and for a province's letter
recommending its cities (初审推荐文件). One content model, ``OfficialDocument``, gives both a PDF
(``render_official_pdf``) and an editable Word file (``render_official_docx``, in ``word.py``)
with the same geometry, which is computed here once:

- A4; type area (版心) 156 mm × 225 mm; top margin (天头) 37 mm, left margin (订口) 28 mm,
  so right 26 mm and bottom 35 mm (§5.2);
- 22 lines of 28 characters a page, body in 3号 (16 pt) 仿宋, title in 2号 (22 pt) 小标宋 (§5.2.3, §7.3);
- the issuing authority's mark (发文机关标志) red, centred, its top 35 mm below the type area's
  top; the document number (发文字号) two lines under it; a red rule as wide as the type area
  4 mm under the number (§7.2);
- title two lines under the rule, addressees (主送机关) one line under the title, flush left and
  ending with a full-width colon; paragraphs indented two characters; headings 一、 in 黑体,
  （一） in 楷体 (§7.3.1–7.3.3);
- annex note (附件说明) one line under the body, two characters in, names numbered 1. 2. and
  wrapped lines aligned with the name (§7.3.4);
- signature and date without a seal (§7.3.5.2): the issuer two characters from the right one
  line under the body, the date on the next line starting two characters right of the issuer;
  with ``sealed=True`` (§7.3.5.1) the date four characters from the right, the issuer centred
  over it, room left for the seal;
- the date in Arabic numerals, year in full, no leading zero: 2026年12月2日 (§7.3.5.1);
- page numbers "— 1 —" in 4号 (14 pt) 宋体 7 mm under the type area, odd pages right and even
  pages left, one character in (§7.5).

The layout functions are pure (plain data in, plain data out) and tested without Django.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

PT_PER_MM = 72 / 25.4

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TYPE_WIDTH_MM, TYPE_HEIGHT_MM = 156, 225
TOP_MM, LEFT_MM = 37, 28
RIGHT_MM = PAGE_WIDTH_MM - LEFT_MM - TYPE_WIDTH_MM  # 26
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - TYPE_HEIGHT_MM  # 35
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14  # 3号, 2号, 4号
MARK_TOP_MM = 35  # mark's top edge under the type area's top
RULE_GAP_MM = 4  # red rule under the document number
RULE_WIDTH_MM = 0.5  # its thickness (not fixed by the standard)
PAGE_NUMBER_GAP_MM = 7  # page number line under the type area
MARK_MAX_CHAR_MM = 15  # mark characters no wider than this (a common house rule; §7.2.4 leaves it open)
RED = "#E60012"

#: One line of the 22-line grid: 225 mm / 22 ≈ 10.23 mm ≈ 29.0 pt.
LINE_PITCH_MM = TYPE_HEIGHT_MM / LINES_PER_PAGE
#: One character of the 28-character grid: 156 mm / 28 ≈ 15.79 pt (a 16 pt character, set tight).
CHAR_PITCH_PT = TYPE_WIDTH_MM * PT_PER_MM / CHARS_PER_LINE
#: Spacing after each 16 pt character to keep 28 to the line (a hair tighter so rounding never drops one).
LETTER_SPACING_PT = round(CHAR_PITCH_PT - BODY_PT, 3) - 0.003

HEADING_1 = re.compile(r"^[一二三四五六七八九十百]+、")
HEADING_2 = re.compile(r"^（[一二三四五六七八九十百]+）")
DOC_NUMBER_YEAR = re.compile(r"[\[［【（(〔]\s*(\d{4})\s*[\]］】）)〕]")


@dataclass(frozen=True)
class OfficialDocument:
    """公文: the content of one official document; layout is this module's business.

    - ``issuer``: the authority's mark (发文机关标志), printed red on top, as it should read:
      "工业和信息化部文件", "中华人民共和国工业和信息化部", "××省工业和信息化厅";
    - ``doc_number``: 发文字号, e.g. "工信部信发〔2026〕12号" (brackets around the year are
      normalised to 〔〕); "" for none;
    - ``title``: 标题; a "\\n" breaks it where the drafter wants (§7.3.1: words kept whole);
    - ``recipients``: 主送机关, one string or several (joined with 、); empty for a public notice;
    - ``paragraphs``: the body, one string a paragraph; a paragraph starting 一、 or （一） gets
      its heading (up to the first 。) in 黑体 or 楷体;
    - ``signatory``: 发文机关署名 (落款), the issuing body's full name;
    - ``date``: 成文日期, a ``datetime.date``;
    - ``annex_titles``: names of the annexes (附件说明), without trailing punctuation;
    - ``sealed``: lay out the signature for a seal (§7.3.5.1) instead of without one (§7.3.5.2);
    - ``author``: the PDF/Word author; the signatory when empty.
    """

    issuer: str
    doc_number: str
    title: str
    recipients: Sequence[str] | str
    paragraphs: Sequence[str]
    signatory: str
    date: dt.date
    annex_titles: Sequence[str] = ()
    sealed: bool = False
    author: str = ""

    def __post_init__(self):
        if not str(self.title).strip():
            raise ValueError("an official document needs a title")
        if not [p for p in self.paragraphs if str(p).strip()]:
            raise ValueError("an official document needs a body (GB/T 9704-2012 §7.3.3)")
        if not isinstance(self.date, dt.date):
            raise TypeError("date must be a datetime.date")


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[tuple[str, str], ...]  # (text, font role: "body", "heiti" or "kaiti")

    @property
    def text(self) -> str:
        return "".join(text for text, _role in self.runs)


@dataclass(frozen=True)
class AnnexLine:
    label: str  # "附件：" on the first line, "" after
    number: str  # "1." when several annexes, "" for one
    name: str


@dataclass(frozen=True)
class Signature:
    signatory: str
    date: str
    signatory_left_chars: float  # grid characters between the type area's left edge and the signatory
    date_left_chars: float


@dataclass(frozen=True)
class OfficialLayout:
    """Everything both renderers need, computed once from an ``OfficialDocument``."""

    mark: str
    mark_pt: float
    doc_number: str
    title_lines: tuple[str, ...]
    recipients: str
    paragraphs: tuple[Paragraph, ...]
    annexes: tuple[AnnexLine, ...]
    signature: Signature
    author: str
    sealed: bool = False
    geometry: dict = field(default_factory=dict)

    def offsets(self) -> dict:
        """Vertical steps (mm) and horizontal offsets (pt) for the PDF, from the grid."""
        line = LINE_PITCH_MM
        glyph_gap = (line - BODY_PT / PT_PER_MM) / 2  # under a 16 pt glyph, inside its 29 pt line
        return {
            "two_lines_mm": round(2 * line, 3),
            # 4 mm under the number's glyphs, so less the half-leading under them
            "rule_margin_mm": round(RULE_GAP_MM - glyph_gap, 3),
            "rule_width_mm": RULE_WIDTH_MM,
            "title_margin_mm": round(2 * line + glyph_gap - RULE_WIDTH_MM, 3),
            "signature_margin_mm": round((2 if self.sealed else 1) * line, 3),
            "signature_right_pt": round((4 if self.sealed else 2) * CHAR_PITCH_PT, 3),
            "indent_pt": round(2 * CHAR_PITCH_PT, 3),
            "annex_width_pt": round((CHARS_PER_LINE - 2) * CHAR_PITCH_PT, 3),
        }


def char_width(text: str) -> float:
    """Width in characters of the grid: a full-width (CJK) character is 1, anything else ½."""
    return sum(1 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text)


def chinese_date(date: dt.date) -> str:
    """成文日期 as GB/T 9704-2012 §7.3.5.1 writes it: 2026年12月2日 (Arabic, no leading zeros)."""
    return f"{date.year}年{date.month}月{date.day}日"


def normalise_doc_number(number: str) -> str:
    """发文字号 with the year in 六角括号: "工信部信发[2026]12号" → "工信部信发〔2026〕12号"."""
    return DOC_NUMBER_YEAR.sub(r"〔\1〕", number.strip())


def mark_size_pt(mark: str) -> float:
    """The mark's type size: characters at most 15 mm wide and the mark no wider than the type area."""
    chars = max(char_width(mark), 1)
    return round(min(MARK_MAX_CHAR_MM, TYPE_WIDTH_MM / chars) * PT_PER_MM, 1)


def recipients_line(recipients: Sequence[str] | str) -> str:
    if isinstance(recipients, str):
        names = [recipients.strip()]
    else:
        names = [str(name).strip() for name in recipients]
    line = "、".join(name for name in names if name).rstrip(":：")
    return f"{line}：" if line else ""


def paragraph_runs(text: str) -> Paragraph:
    """A paragraph's runs: a leading 一、 heading in 黑体, （一） in 楷体, up to its first 。."""
    text = text.strip()
    for pattern, role in ((HEADING_1, "heiti"), (HEADING_2, "kaiti")):
        if pattern.match(text):
            end = text.find("。")
            head, rest = (text, "") if end == -1 else (text[:end + 1], text[end + 1:])
            if char_width(head) <= CHARS_PER_LINE * 2:
                return Paragraph(runs=((head, role), (rest, "body")) if rest else ((head, role),))
    return Paragraph(runs=((text, "body"),))


def annex_lines(titles: Sequence[str]) -> tuple[AnnexLine, ...]:
    names = [str(t).strip().rstrip("。；;，,") for t in titles if str(t).strip()]
    if len(names) == 1:
        return (AnnexLine(_("附件："), "", names[0]),)
    return tuple(AnnexLine(_("附件：") if i == 0 else "", f"{i + 1}.", name) for i, name in enumerate(names))


def signature_layout(signatory: str, date_text: str, *, sealed: bool = False) -> Signature:
    """Where the signatory and the date start, in grid characters from the type area's left edge.

    Without a seal (§7.3.5.2): the signatory ends 2 characters from the right; the date starts 2
    characters right of the signatory's first character; if the date would then come closer than
    2 characters to the right edge, it ends 2 characters in and the signatory starts 2 characters
    left of it. With a seal (§7.3.5.1): the date ends 4 characters in, the signatory centred over it.
    Widths of half-width digits are estimated (½ character): the Word file uses these offsets;
    the PDF places both lines in a box of their real width (the same rule, exactly).
    """
    sig_w, date_w = char_width(signatory), char_width(date_text)
    if sealed:
        date_left = CHARS_PER_LINE - 4 - date_w
        sig_left = date_left + (date_w - sig_w) / 2
    else:
        sig_left = CHARS_PER_LINE - 2 - sig_w
        date_left = sig_left + 2
        if date_left + date_w > CHARS_PER_LINE - 2:
            date_left = CHARS_PER_LINE - 2 - date_w
            sig_left = date_left - 2
    return Signature(signatory=signatory, date=date_text, signatory_left_chars=max(0.0, sig_left),
                     date_left_chars=max(0.0, date_left))


def geometry() -> dict:
    """The numbers the CSS and the Word section use (mm and pt)."""
    return {
        "top_mm": TOP_MM, "right_mm": RIGHT_MM, "bottom_mm": BOTTOM_MM, "left_mm": LEFT_MM,
        # rounded down: 22 lines of a rounded-up pitch overflow the type area by a hair, and lose a line
        "line_mm": math.floor(LINE_PITCH_MM * 1000) / 1000, "char_pt": round(CHAR_PITCH_PT, 4),
        "letter_spacing_pt": LETTER_SPACING_PT, "body_pt": BODY_PT, "title_pt": TITLE_PT,
        "page_number_pt": PAGE_NUMBER_PT, "mark_top_mm": MARK_TOP_MM, "rule_gap_mm": RULE_GAP_MM,
        "page_number_gap_mm": PAGE_NUMBER_GAP_MM, "red": RED,
    }


def layout(document: OfficialDocument) -> OfficialLayout:
    """The pure layout of a document: texts normalised, sizes and offsets computed."""
    return OfficialLayout(
        mark=document.issuer.strip(),
        mark_pt=mark_size_pt(document.issuer.strip()),
        doc_number=normalise_doc_number(document.doc_number or ""),
        title_lines=tuple(line.strip() for line in document.title.strip().splitlines() if line.strip()),
        recipients=recipients_line(document.recipients),
        paragraphs=tuple(paragraph_runs(str(p)) for p in document.paragraphs if str(p).strip()),
        annexes=annex_lines(document.annex_titles),
        signature=signature_layout(document.signatory.strip(), chinese_date(document.date), sealed=document.sealed),
        author=document.author or document.signatory.strip(),
        sealed=document.sealed,
        geometry=geometry(),
    )


def render_official_pdf(document: OfficialDocument, *, created: dt.datetime | None = None) -> bytes:
    """The document as a PDF (A4, GB/T 9704-2012 layout, CJK fonts embedded)."""
    from icdc.documents.fonts import font_css
    from icdc.documents.pdf import render_pdf

    with translation.override(settings.LANGUAGE_CODE):  # a document reads the same whoever asks for it
        laid_out = layout(document)
    return render_pdf(template_name="documents/official.html",
                      context={"doc": laid_out, "g": laid_out.geometry, "o": laid_out.offsets(),
                               "fonts": font_css()},
                      title=" ".join(laid_out.title_lines), author=laid_out.author, created=created)


def render_official_docx(document: OfficialDocument, *, created: dt.datetime | None = None) -> bytes:
    """The document as an editable Word file with the same layout (see ``icdc.documents.word``)."""
    from icdc.documents.word import official_docx

    with translation.override(settings.LANGUAGE_CODE):
        laid_out = layout(document)
    return official_docx(laid_out, created=created)
