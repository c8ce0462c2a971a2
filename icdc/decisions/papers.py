"""The public notice (公示) and the announcement (公告) as official documents (GB/T 9704-2012),
built from the proposal's data and published as PDF and .docx with their SM3 digests."""

from __future__ import annotations

from django.utils.translation import gettext as _

from icdc.documents.official import OfficialDocument, chinese_date, render_official_docx, render_official_pdf
from icdc.documents.services import publish_document, subject_of

from .selectors import track_lists

ISSUER = "工业和信息化部办公厅文件"
SIGNATORY = "工业和信息化部办公厅"
NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if n <= 10 else str(n)


def list_paragraphs(proposal) -> list[str]:
    """One paragraph per type/domain: "一、综合型（2个）。青岛市、宁波市。"."""
    out = []
    for n, track in enumerate(track_lists(proposal, included_only=True), start=1):
        names = "、".join(e.city.name for e in track.entries)
        out.append(_("%(n)s、%(label)s（%(count)d个）。%(names)s。")
                   % {"n": _numeral(n), "label": track.label, "count": len(track.entries), "names": names})
    return out or [_("（无）")]


def notice_title(proposal) -> str:
    return _("关于%(batch)s信息消费示范城市拟定名单的公示") % {"batch": proposal.batch.title}


def announcement_title(proposal) -> str:
    return _("关于公布%(batch)s信息消费示范城市名单的公告") % {"batch": proposal.batch.title}


def notice_document(proposal, *, date) -> OfficialDocument:
    period = _("公示期为%(start)s至%(end)s（%(days)d个工作日）。") % {
        "start": chinese_date(proposal.notice_start), "end": chinese_date(proposal.notice_end),
        "days": proposal.notice_working_days}
    return OfficialDocument(
        issuer=ISSUER, doc_number="", title=notice_title(proposal), recipients=[],
        paragraphs=[
            _("根据《信息消费示范城市建设管理办法》，经城市申报、省级初审、形式审查、专家评审和答辩，"
              "现将%(batch)s信息消费示范城市拟定名单予以公示。") % {"batch": proposal.batch.title},
            period,
            *list_paragraphs(proposal),
            _("公示期间，任何单位或个人对名单有异议的，可在本平台的公示页面在线提出：个人须署真实姓名，"
              "单位须写明单位名称；留下联系方式，写明涉及的城市、异议的事实和理由，并附证据材料。"
              "提交后获得回执编号，可凭回执编号查询处理进展和答复。匿名异议和公示期满后提出的异议不予受理。"),
            _("特此公示。"),
        ],
        signatory=SIGNATORY, date=date)


def announcement_document(proposal, *, number, date) -> OfficialDocument:
    return OfficialDocument(
        issuer=ISSUER, doc_number=number, title=announcement_title(proposal), recipients=[],
        paragraphs=[
            _("根据《信息消费示范城市建设管理办法》第十三条、第十四条，经公示，现将%(batch)s信息消费示范城市名单"
              "公告如下，授予其“信息消费示范城市”称号。") % {"batch": proposal.batch.title},
            *list_paragraphs(proposal),
            _("特此公告。"),
        ],
        signatory=SIGNATORY, date=date)


def publish_pair(*, kind, document: OfficialDocument, proposal, user, number="", moment=None):
    """The document as PDF and .docx, each published with its SM3 (``publish_document``)."""
    out = []
    for fmt, render in (("pdf", render_official_pdf), ("docx", render_official_docx)):
        out.append(publish_document(kind=kind, fmt=fmt, title=document.title, number=number,
                                    content=render(document), subject=subject_of(proposal), user=user,
                                    filename=f"{document.title}.{fmt}", published_at=moment))
    return out
