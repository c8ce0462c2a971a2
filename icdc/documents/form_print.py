"""The printed form (申报表打印件): a frozen application revision as a PDF to sign and stamp.

The applications app builds a ``FormPrint`` from a frozen revision (issue 13 item 7) and calls
``render_form_pdf``; this module knows nothing of applications. Every page carries the form's
reference (e.g. application number and revision) at the top and "第 N 页 共 M 页" at the
bottom, so a loose page can be put back; tables repeat their header row on every page.

Values are formatted here, once: None → "—", True/False → 是/否, dates as 2026年12月2日,
date-times in the site's time zone, Decimals as written; a 64-digit hex value (a SHA-256 or SM3
digest) is set in a monospaced font and may break anywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from icdc.documents.official import chinese_date

HEX_DIGEST = re.compile(r"^[0-9a-fA-F]{64}$")


@dataclass(frozen=True)
class Table:
    """A table inside a section: column titles and rows of values (same length as ``columns``).

    ``numeric`` lists the indexes of columns aligned right (figures); ``widths`` optionally gives
    each column's CSS width ("12%", "30mm"), all or none: with widths the table is laid out with
    ``table-layout: fixed``, which is faster on long tables than measuring every cell.
    """

    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    numeric: Sequence[int] = ()
    widths: Sequence[str] = ()

    def __post_init__(self):
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"row of {len(row)} cells in a table of {len(self.columns)} columns")
        if self.widths and len(self.widths) != len(self.columns):
            raise ValueError("give a width for every column or for none")


@dataclass(frozen=True)
class Section:
    """One part of the form: label/value rows, then optionally a table, then an optional note."""

    title: str
    rows: Sequence[tuple[str, object]] = ()
    table: Table | None = None
    note: str = ""


@dataclass(frozen=True)
class AttachmentLine:
    """An attachment as listed on the form: its name, SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int | None = None


@dataclass(frozen=True)
class FormPrint:
    """申报表打印件: what the form shows, in order.

    - ``title``: the form's title (申报表 of which batch);
    - ``header``: (label, value) rows at the top: batch, city, application number, revision,
      submitted at, SHA-256 of the frozen revision…;
    - ``sections``: the form's content;
    - ``attachments``: the attached files with their SHA-256;
    - ``footer_note``: a closing note (e.g. "本表由系统根据第 3 版申报材料生成…");
    - ``reference``: printed at the top of every page (application number and revision);
    - ``signatures``: the signature/stamp lines at the end, each followed by a date line
      (empty: one line, 申报单位（盖章）);
    - ``author``: PDF author (the platform by default).
    """

    title: str
    header: Sequence[tuple[str, object]]
    sections: Sequence[Section]
    attachments: Sequence[AttachmentLine] = ()
    footer_note: str = ""
    reference: str = ""
    signatures: Sequence[str] = ()
    author: str = ""


def display(value) -> str:
    """A value as the form prints it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{chinese_date(moment.date())} {moment:%H:%M}"
    if isinstance(value, dt.date):
        return chinese_date(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else f"{value:.0f}"
    return str(value)


def is_digest(value) -> bool:
    return isinstance(value, str) and bool(HEX_DIGEST.match(value))


def file_size(size: int | None) -> str:
    if size is None:
        return "—"
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= step:
            return f"{size / step:.1f} {unit}"
    return f"{size} B"


def _cells(rows):
    return [{"label": label, "value": display(value), "digest": is_digest(value)} for label, value in rows]


def form_context(form: FormPrint) -> dict:
    """The template's context: every value already formatted (pure; used by the tests)."""
    sections = []
    for section in form.sections:
        table = None
        if section.table is not None:
            t = section.table
            widths = list(t.widths) + [""] * (len(t.columns) - len(t.widths))
            table = {
                "fixed": bool(t.widths),
                "columns": [{"title": title, "width": width, "numeric": i in t.numeric}
                            for i, (title, width) in enumerate(zip(t.columns, widths, strict=True))],
                "rows": [[{"value": display(v), "numeric": i in t.numeric, "digest": is_digest(v)}
                          for i, v in enumerate(row)] for row in t.rows],
            }
        sections.append({"title": section.title, "rows": _cells(section.rows), "table": table, "note": section.note})
    return {
        "form": form,
        "header": _cells(form.header),
        "sections": sections,
        "attachments": [{"name": a.name, "sha256": a.sha256, "size": file_size(a.size)} for a in form.attachments],
        "signatures": list(form.signatures) or [_("申报单位（盖章）")],
    }


def render_form_pdf(form: FormPrint, *, created: dt.datetime | None = None) -> bytes:
    """The form as a PDF (A4, CJK fonts embedded, header row repeated on every page)."""
    from icdc.documents.pdf import DEFAULT_AUTHOR, render_pdf

    with translation.override(settings.LANGUAGE_CODE):  # the printed form reads the same whoever prints it
        context = form_context(form)
    return render_pdf(template_name="documents/form_print.html", context=context, title=form.title,
                      author=form.author or DEFAULT_AUTHOR, created=created)
