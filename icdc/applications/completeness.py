"""The live checklist (art. 11): what the programme requires that the draft does not have yet.

Items are read from the batch's copy of the programme definition (``form.definition``); nothing
here names a type, a domain or a material.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import form as form_definition


@dataclass(frozen=True)
class Item:
    """One missing thing: its text, and the section or material (anchor) to go to."""

    text: str
    anchor: str

    def __str__(self):
        return str(self.text)


def checklist(application, *, definition=None, sections=None, attachments=None):
    """Missing items in form order (empty: ready to submit). ``sections`` (key → data) and
    ``attachments`` (live rows) may be passed in when the page has read them already."""
    definition = definition or form_definition.definition(application)
    if sections is None:
        sections = {s.key: s.data for s in application.sections.all()}
    if attachments is None:
        attachments = list(application.attachments.filter(removed_at__isnull=True))
    purposes = {a.purpose for a in attachments if a.removed_at is None}
    programme = application.batch.programme()
    missing = []
    chosen = next((t for t in programme.types if t.code == application.type_code), None)
    if chosen is None:
        missing.append(Item(_("选择申报类型"), form_definition.TYPE))
    elif chosen.chooses_domains and not application.domain_codes:
        missing.append(Item(_("%(type)s须至少选择一个特色领域") % {"type": chosen.label}, form_definition.TYPE))
    for section in definition.sections:
        if section.key == form_definition.TYPE:
            continue
        data = sections.get(section.key) or {}
        blank = [f for f in section.fields if f.required and form_definition.is_blank(form_definition.get(data, f.path))]
        if blank:
            if len(section.fields) == 1:
                missing.append(Item(_("填写“%(section)s”") % {"section": section.title}, section.key))
            else:
                names = "、".join(dict.fromkeys(f"{f.group}{f.label}" if f.group else str(f.label) for f in blank[:3]))
                missing.append(Item(_("“%(section)s”尚缺 %(count)d 项（%(names)s%(more)s）") % {
                    "section": section.title, "count": len(blank), "names": names,
                    "more": "…" if len(blank) > 3 else ""}, section.key))
        if section.evidence and section.key not in purposes:
            missing.append(Item(_("为“%(section)s”上传至少一份佐证材料") % {"section": section.title}, section.key))
    for material in definition.materials:
        if material.required and material.purpose not in purposes:
            missing.append(Item(_("上传“%(material)s”") % {"material": material.label}, material.purpose))
    return missing


def missing_items(application):
    """Human-readable items still missing, in form order (empty: ready to submit)."""
    return checklist(application)
