"""The 申报表 as the city prints it to sign and stamp (art. 11; the paper original): a frozen revision,
or the current draft (to stamp and upload before submitting, when the programme asks for the
stamped form as a material), laid out by ``icdc.documents.form_print``."""

from django.utils.translation import gettext as _

from . import revisions
from .effects import content_digest, revision_content


def form_print(application, content, *, viewer, revision=None):
    """A ``FormPrint`` of ``content`` (a revision's, or the draft's ``revision_content``)."""
    from icdc.documents.form_print import AttachmentLine, FormPrint, Section

    rows, files = revisions.revision_sections(application, content, viewer)
    number = revision.number if revision else application.revision_number
    header = [(_("批次"), application.batch.title), (_("申报城市"), application.city.name),
              (_("申报编号"), application.number), (_("修订版本"), number),
              (_("申报途径"), application.get_route_display()
               + (f"（{application.province.name}）" if application.province_id else ""))]
    if revision is not None:
        header += [(_("提交时间"), revision.frozen_at), (_("内容摘要（SHA-256）"), revision.sha256)]
    else:
        header += [(_("状态"), _("草稿（未提交）")), (_("内容摘要（SHA-256）"), content_digest(content))]
    sections = [Section(title=section.title, rows=[(row.label, row.value) for row in section_rows])
                for section, section_rows in rows]
    attachments = [AttachmentLine(name=f"{purpose} · {item.get('name')}", sha256=item.get("sha256", ""),
                                  size=item.get("size")) for purpose, items in files for item in items]
    note = (_("本表由平台根据第 %(number)s 版提交内容生成，内容摘要与平台存档一致。") % {"number": number}
            if revision else _("本表由平台根据当前草稿生成，提交时以冻结的修订版本为准。"))
    return FormPrint(title=_("%(batch)s申报表 · %(city)s") % {"batch": application.batch.title,
                                                             "city": application.city.name},
                     header=header, sections=sections, attachments=attachments, footer_note=note,
                     reference=f"{application.number} v{number}")


def draft_content(application):
    return revision_content(application)
