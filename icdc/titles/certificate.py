"""The title certificate (称号证书): one A4 landscape page from a ``Title`` record, as a PDF.

Pure layout from the record: the city, the award title (with its domain for a specialised title),
the batch year, the announcement date as known, the certificate number and the issue date, over
the Ministry's name. Fonts are chosen by ``icdc.documents.fonts`` (小标宋 for the heading when
installed, else Noto Serif CJK Bold; 仿宋 or Noto Serif for the text) and embedded by WeasyPrint.
``titles.services.issue_certificate`` publishes it (SM3 recorded, verifiable on the portal).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from icdc.documents.official import chinese_date

ISSUER = "中华人民共和国工业和信息化部"


def certificate_number(title) -> str:
    """证书编号: batch year, the city's division code and the record's number — unique per title."""
    return f"ICDC-{title.batch_year}-{title.city_id}-{title.pk:05d}"


def announced_text(title) -> str:
    """The announcement date to the precision known: 2022年1月25日, 2020年4月 or 2016年."""
    if title.announced_on:
        return chinese_date(title.announced_on)
    parts = (title.announced or "").split("-")
    if len(parts) == 2:
        return f"{int(parts[0])}年{int(parts[1])}月"
    return f"{title.announced_year}年"


def certificate_context(title, *, issued_on: dt.date) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "heading": _("信息消费示范城市称号证书"),
            "city": title.city.name,
            "award_title": title.award_title,
            "domain": title.domain_label,
            "kind": title.get_kind_display(),
            "batch_year": title.batch_year,
            "announced": announced_text(title),
            "number": certificate_number(title),
            "issuer": ISSUER,
            "issued": chinese_date(issued_on),
        }


def certificate_title(title) -> str:
    """The published document's title (what the verification page names)."""
    name = f"{title.city.name}{title.batch_year}年度{title.award_title}"
    if title.domain_label:
        name += f"（{title.domain_label}）"
    return f"{name}称号证书"


def render_certificate_pdf(title, *, issued_at: dt.datetime | None = None) -> bytes:
    """The certificate of ``title`` as a one-page PDF with its CJK fonts embedded."""
    from icdc.documents.fonts import font_css
    from icdc.documents.pdf import render_pdf

    issued_at = issued_at or timezone.now()
    context = {**certificate_context(title, issued_on=timezone.localdate(issued_at)), "fonts": font_css()}
    return render_pdf(template_name="titles/certificate.html", context=context, title=certificate_title(title),
                      author=ISSUER, created=issued_at)
