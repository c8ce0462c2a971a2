"""The printed form (申报表): what each page shows, the table header on every page, the values formatted."""

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest

from icdc.documents.form_print import AttachmentLine, Section, Table, display, file_size, form_context, render_form_pdf

from .pdf_checks import pages_text, pdffonts
from .samples import form


@pytest.mark.parametrize(("value", "shown"), [
    (None, "—"), ("", "—"), (True, "是"), (False, "否"), (Decimal("1523.50"), "1523.50"), (Decimal("1E+3"), "1000"),
    (3, "3"), (0.5, "0.5"), (dt.date(2026, 1, 9), "2026年1月9日"),
    (dt.datetime(2026, 12, 2, 1, 8, tzinfo=dt.UTC), "2026年12月2日 09:08"),  # the site's time zone
])
def test_values_are_formatted_once_for_print(value, shown):
    assert display(value) == shown


def test_sizes_and_digests():
    assert [file_size(n) for n in (None, 999, 2048, 1_234_567)] == ["—", "999 B", "2.0 KB", "1.2 MB"]
    context = form_context(form(rows=2))
    digest = next(cell for cell in context["header"] if cell["label"] == "冻结版本 SHA-256")
    assert digest["digest"] and digest["value"] == "ab" * 32
    assert context["signatures"] == ["申报单位（盖章）"]


def test_a_table_row_must_match_its_columns():
    with pytest.raises(ValueError):
        Table(["代码", "名称"], [("D1",)])
    with pytest.raises(ValueError):
        Table(["代码", "名称"], [("D1", "x")], widths=("20%",))


def test_a_short_form_shows_header_sections_attachments_and_signature():
    data = render_form_pdf(form(rows=5))
    count = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    text = "".join(pages_text(data, count)).replace(" ", "")
    assert "第1页共" in text
    for part in ("2026年信息消费示范城市申报表", "ICDC-2026-0001·第3版", "申报编号", "2026年12月2日09:08",
                 "ab" * 16, "一、基本情况", "是否直报", "否", "二、指标数据", "指标4（信息消费规模）", "1527.5",
                 "附件清单", "序号", "实施方案.pdf", "1.2MB", "本表由系统根据第3版申报材料生成。", "申报单位（盖章）：",
                 "日期："):
        assert part in text, part
    fonts = pdffonts(data)
    assert any("CJK" in f["name"] for f in fonts) and all(f["emb"] == "yes" for f in fonts)


def test_a_long_form_repeats_the_table_header_and_the_reference_on_every_page():
    data = render_form_pdf(form(rows=150))
    reader = pypdf.PdfReader(io.BytesIO(data))
    count = len(reader.pages)
    assert count >= 4
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.3, abs=1)
    texts = pages_text(data, count)
    table_pages = [n for n, text in enumerate(texts, start=1) if "（信息消费规模）" in text]
    assert len(table_pages) >= 3
    for n in table_pages:
        text = texts[n - 1]
        assert all(column in text for column in ("代码", "名称", "数值", "单位", "年份", "来源")), n
    for n, text in enumerate(texts, start=1):
        text = text.replace(" ", "")
        assert "ICDC-2026-0001·第3版" in text and f"第{n}页共{count}页" in text
    assert "指标149（信息消费规模）" in "".join(texts)
    assert "申报单位（盖章）" in texts[-1]


def test_sections_may_hold_rows_and_a_table_with_fixed_widths():
    table = Table(["代码", "数值"], [("D1", Decimal("2.5"))], numeric=(1,), widths=("30%", "70%"))
    data = render_form_pdf(form(sections=[Section("三、其他", rows=[("说明", "第一行\n第二行")], table=table,
                                                  note="数据来源：统计年鉴。")],
                                attachments=[AttachmentLine("a.pdf", "ef" * 32)], signatures=["城市人民政府（盖章）"]))
    text = "".join(pages_text(data, len(pypdf.PdfReader(io.BytesIO(data)).pages)))
    assert "第一行\n第二行" in text and "数据来源：统计年鉴。" in text and "城市人民政府（盖章）：" in text
