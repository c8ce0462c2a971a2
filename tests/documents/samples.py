"""Documents to render in the tests and the bench."""

import datetime as dt
from decimal import Decimal

from icdc.documents.form_print import AttachmentLine, FormPrint, Section, Table
from icdc.documents.official import OfficialDocument

LONG_SENTENCE = "信息消费示范城市建设管理平台测试段落"  # 19 characters, no punctuation


def notice(**changes) -> OfficialDocument:
    fields = dict(
        issuer="工业和信息化部办公厅文件",
        doc_number="工信厅信发[2026]12号",
        title="关于公示2026年信息消费示范城市\n拟入选名单的通知",
        recipients=["各省、自治区、直辖市及计划单列市工业和信息化主管部门", "新疆生产建设兵团工业和信息化局"],
        paragraphs=[
            "根据《信息消费示范城市建设管理办法》，经城市申报、省级推荐、形式审查、专家评审和答辩，现将拟入选名单予以公示。",
            "一、公示时间。2026年12月2日至2026年12月8日。",
            "（一）联系方式。对公示名单有异议的，请在公示期内以书面形式反馈。",
            *[LONG_SENTENCE * 9] * 6,
        ],
        signatory="工业和信息化部办公厅",
        date=dt.date(2026, 12, 2),
        annex_titles=["2026年信息消费示范城市拟入选名单", "异议书（样式）"],
    )
    fields.update(changes)
    return OfficialDocument(**fields)


def one_page_letter() -> OfficialDocument:
    """A province's recommendation letter (初审推荐文件), one page."""
    return OfficialDocument(
        issuer="山东省工业和信息化厅",
        doc_number="鲁工信发〔2026〕7号",
        title="关于推荐青岛市申报2026年信息消费示范城市的函",
        recipients="工业和信息化部信息技术发展司",
        paragraphs=["根据申报通知要求，经初审，我厅推荐青岛市申报综合型信息消费示范城市。",
                    "特此函告。"],
        signatory="山东省工业和信息化厅",
        date=dt.date(2026, 12, 2),
    )


def figures(count: int) -> list[tuple]:
    return [(f"D{n % 9}.{n % 7}", f"指标{n}（信息消费规模）", Decimal("1523.5") + n, "亿元", 2025, "国家统计局")
            for n in range(count)]


def form(rows: int = 30, **changes) -> FormPrint:
    fields = dict(
        title="2026年信息消费示范城市申报表",
        header=[("批次", "2026年第一批"), ("城市", "山东省青岛市"), ("申报编号", "ICDC-2026-0001"),
                ("版本号", 3), ("提交时间", dt.datetime(2026, 12, 2, 1, 8, tzinfo=dt.UTC)),
                ("冻结版本 SHA-256", "ab" * 32)],
        sections=[
            Section("一、基本情况", rows=[("申报类型", "综合型"), ("联系人", "张三"), ("是否直报", False)]),
            Section("二、指标数据", table=Table(["代码", "名称", "数值", "单位", "年份", "来源"], figures(rows),
                                              numeric=(2, 4))),
        ],
        attachments=[AttachmentLine("实施方案.pdf", "cd" * 32, 1_234_567)],
        footer_note="本表由系统根据第 3 版申报材料生成。",
        reference="ICDC-2026-0001 · 第 3 版",
    )
    fields.update(changes)
    return FormPrint(**fields)
