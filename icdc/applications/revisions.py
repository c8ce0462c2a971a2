"""Reading frozen revisions: one revision as labelled rows, and the differences between two, field by
field (art. 10: after a return the province and the Ministry see what the city changed).

A revision's ``content`` is plain JSON (``effects.revision_content``); labels come from the form
definition of the type that revision chose, so a change of type reads as the sections it removed
and added. Files are compared by SHA-256: a file re-uploaded unchanged is no difference.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from icdc.accounts.models import Role
from icdc.lib.masking import mask_phone

from . import form as form_definition
from .forms import reveal

#: Who reads the contact's mobile number in full: the city itself and the two offices that contact it
#: about its application; anyone else (e.g. an expert later) reads it masked.
FULL_MOBILE_ROLES = {Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.MINISTRY_OFFICER}


def shown_mobile(viewer, value):
    number = reveal(value)
    if viewer is not None and getattr(viewer, "role", None) in FULL_MOBILE_ROLES:
        return number
    return mask_phone(number)


def definition_of(application, content, programme=None):
    return form_definition.definition(application, programme=programme, type_code=content.get("type") or "",
                                      domain_codes=content.get("domains") or [])


def _display(f, value, viewer):
    if form_definition.is_blank(value):
        return ""
    if f.kind == "mobile":
        return shown_mobile(viewer, value)
    if f.kind == "choice":
        return str(dict(f.choices).get(value, value))
    if f.kind == "choices":
        labels = dict(f.choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    return str(value)


@dataclass
class Row:
    label: str
    value: str
    kind: str = "text"


def revision_sections(application, content, viewer, *, programme=None):
    """[(Section, [Row]), …] and the files by purpose, for the frozen view and the PDF."""
    definition = definition_of(application, content, programme)
    stored = content.get("sections", {})
    out = []
    for section in definition.sections:
        data = stored.get(section.key, {})
        rows = [Row(f"{f.group} · {f.label}" if f.group else str(f.label), _display(f, form_definition.get(
            data, f.path), viewer), f.kind) for f in section.fields]
        out.append((section, rows))
    files = {}
    for item in content.get("attachments", []):
        files.setdefault(item.get("purpose"), []).append(item)
    purposes = definition.purposes()
    attachments = [(purposes.get(p, p), items) for p, items in files.items()]
    return out, attachments


def _flatten(application, content, viewer, programme):
    definition = definition_of(application, content, programme)
    stored = content.get("sections", {})
    values, labels = {}, {}
    type_label = _("申报类型")
    values[("type",)] = _display(definition.sections[0].fields[0], content.get("type"), viewer)
    values[("domains",)] = _display(definition.sections[0].fields[1], content.get("domains") or [], viewer)
    labels[("type",)], labels[("domains",)] = type_label, _("特色领域")
    for section in definition.sections[1:]:
        for f in section.fields:
            key = (section.key, *f.path)
            value = form_definition.get(stored.get(section.key, {}), f.path)
            # a sealed mobile number differs on every save: compare the numbers, show them as allowed
            values[key] = (reveal(value), _display(f, value, viewer)) if f.kind == "mobile" else _display(f, value,
                                                                                                         viewer)
            labels[key] = f"{section.title} · {f.group + ' · ' if f.group else ''}{f.label}"
    return values, labels, definition.purposes()


def _compared(value):
    return value[0] if isinstance(value, tuple) else value


def _shown(value):
    return value[1] if isinstance(value, tuple) else value


def revision_diff(application, old, new, viewer, *, programme=None):
    """The fields that differ between two revisions' contents: [{label, change, before, after}], where
    change is "changed", "added" or "removed"; then the files added and removed (by SHA-256)."""
    old_values, old_labels, old_purposes = _flatten(application, old, viewer, programme)
    new_values, new_labels, new_purposes = _flatten(application, new, viewer, programme)
    rows = []
    for key in list(dict.fromkeys([*old_values, *new_values])):
        before, after = old_values.get(key, ""), new_values.get(key, "")
        if _compared(before) == _compared(after):
            continue
        change = "added" if form_definition.is_blank(_compared(before)) else (
            "removed" if form_definition.is_blank(_compared(after)) else "changed")
        rows.append({"label": new_labels.get(key) or old_labels.get(key), "change": change,
                     "before": _shown(before), "after": _shown(after)})
    purposes = old_purposes | new_purposes

    def files(content):
        return {(f.get("purpose"), f.get("sha256")): f for f in content.get("attachments", [])}

    old_files, new_files = files(old), files(new)
    file_rows = [{"change": "removed", "purpose": purposes.get(k[0], k[0]), **old_files[k]}
                 for k in old_files if k not in new_files]
    file_rows += [{"change": "added", "purpose": purposes.get(k[0], k[0]), **new_files[k]}
                  for k in new_files if k not in old_files]
    return rows, file_rows
