"""Creating titles from the record of past awards (``load_titles``); later the announcement.

``titles_load(rows=..., programme=...)`` reads rows of ``data/titles/awards-known.csv`` (see
``rows_from_csv``), matches each city to its division by name within its province and each type and
domain to the programme definition (nothing here names a type or a domain), and creates or updates
one ``Title`` per award, keyed by (city, batch year, kind, domain): loading twice changes nothing.
Rows that do not match are reported, never guessed, and the others still load. One audit record
``titles.title.load`` per load, with the counts.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from icdc.accounts.decorators import require_perm
from icdc.audit.services import record_event
from icdc.divisions.models import Division

from .models import Title

DEFAULT_FILE = Path(settings.BASE_DIR) / "data" / "titles" / "awards-known.csv"
COLUMNS = ("batch_year", "announced", "city", "province", "title_type", "domain", "confidence", "source_note")
LEGACY = "legacy"


@dataclass
class Problem:
    line: int
    city: str
    province: str
    reason: str

    def __str__(self):
        return _("第 %(line)s 行（%(province)s %(city)s）：%(reason)s") % {
            "line": self.line, "province": self.province, "city": self.city, "reason": self.reason}


@dataclass
class LoadReport:
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list = field(default_factory=list)

    @property
    def note(self):
        return (f"rows={self.rows} created={self.created} changed={self.changed} unchanged={self.unchanged} "
                f"unmatched={len(self.problems)}")


def rows_from_csv(text: str):
    """(line number, row dict) of a CSV with the columns of ``awards-known.csv``."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        from icdc.lib.refusals import Refusal

        raise Refusal(_("称号数据缺少列：%(columns)s") % {"columns": "、".join(missing)}, code="columns")
    return [(number, {k: (v or "").strip() for k, v in row.items() if k}) for number, row in
            enumerate(reader, start=2)]


class _Divisions:
    """Cities by name within their province (name 「昆明市」 or short name 「昆明」)."""

    def __init__(self):
        self.provinces = {}
        self.cities = {}
        for d in Division.objects.all():
            if d.level == Division.Level.PROVINCE:
                for name in {d.name, d.short_name} - {""}:
                    self.provinces[name] = d
            if d.parent_id:
                for name in {d.name, d.short_name} - {""}:
                    self.cities.setdefault((d.parent_id, name), []).append(d)

    def city(self, city, province):
        """(division, None) or (None, the reason in Chinese)."""
        unit = self.provinces.get(province)
        if unit is None:
            return None, _("找不到省级单位“%(province)s”。") % {"province": province}
        if unit.is_municipality and city in {unit.name, unit.short_name}:
            return unit, None  # a 直辖市 is its own city
        found = self.cities.get((unit.code, city), [])
        if len(found) != 1:
            reason = _("在%(province)s找不到城市“%(city)s”。") if not found else _("“%(city)s”在%(province)s有多个同名单位。")
            return None, reason % {"province": unit.name, "city": city}
        return found[0], None


def _announced(text):
    """("2021-01-19" | "2020-04" | "2016") → (year, date or None), or None if unreadable."""
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            return day.year, day
        year = int(text[:4])
        if len(text) == 7:
            datetime.date(year, int(text[5:7]), 1)
        elif len(text) != 4:
            return None
        return year, None
    except ValueError:
        return None


def _by_label_or_code(items, text):
    for item in items:
        if text in (item.code, item.label):
            return item
    return None


def title_values(row, programme):
    """The ``Title`` fields of one row (city excepted), or the reason it cannot be read."""
    try:
        batch_year = int(row["batch_year"])
    except ValueError:
        return None, _("批次年度“%(value)s”不是年份。") % {"value": row["batch_year"][:20]}
    announced = _announced(row["announced"])
    if announced is None:
        return None, _("公告时间“%(value)s”应为年、年-月或年-月-日。") % {"value": row["announced"][:20]}
    values = {"batch_year": batch_year, "announced": row["announced"], "announced_year": announced[0],
              "announced_on": announced[1], "source_note": row["source_note"][:300],
              "confidence": row["confidence"] if row["confidence"] in Title.Confidence.values else "confirmed",
              "type_code": "", "domain_code": "", "domain_label": ""}
    if row["title_type"] == LEGACY:
        if row["domain"]:
            return None, _("2016 年的称号不分特色领域。")
        return {**values, "kind": Title.Kind.LEGACY, "award_title": programme.title}, None
    app_type = _by_label_or_code(programme.types, row["title_type"])
    if app_type is None:
        return None, _("申报项目定义中没有类型“%(value)s”。") % {"value": row["title_type"][:40]}
    values.update(type_code=app_type.code, award_title=app_type.award_title or programme.title,
                  kind=Title.Kind.SPECIALISED if app_type.chooses_domains else Title.Kind.COMPREHENSIVE)
    if row["domain"]:
        if not app_type.chooses_domains:
            return None, _("%(type)s称号不分特色领域。") % {"type": app_type.label}
        domain = _by_label_or_code(programme.domains, row["domain"])
        if domain is None:
            return None, _("申报项目定义中没有特色领域“%(value)s”。") % {"value": row["domain"][:40]}
        values.update(domain_code=domain.code, domain_label=domain.label)
    return values, None


def titles_load(*, rows, programme, user=None, request=None) -> LoadReport:
    """Create or update one title per matched row (see the module docstring)."""
    if user is not None:
        require_perm(user, "titles.load_titles", request=request)
    report = LoadReport(rows=len(rows))
    divisions = _Divisions()
    with transaction.atomic():
        for line, row in rows:
            city, reason = divisions.city(row.get("city", ""), row.get("province", ""))
            values = None
            if city is not None:
                values, reason = title_values(row, programme)
            if reason:
                report.problems.append(Problem(line, row.get("city", ""), row.get("province", ""), reason))
                continue
            key = {"city": city, "batch_year": values.pop("batch_year"), "kind": values.pop("kind"),
                   "domain_code": values.pop("domain_code")}
            title = Title.objects.filter(**key).first()
            if title is None:
                Title.objects.create(**key, **values)
                report.created += 1
            elif any(getattr(title, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(title, k, v)
                title.save()
                report.changed += 1
            else:
                report.unchanged += 1
        record_event(action="titles.title.load", request=request, user=user, object_type="titles.title",
                     object_repr=_("示范城市称号"), after={"rows": report.rows, "created": report.created,
                                                       "changed": report.changed, "unchanged": report.unchanged,
                                                       "unmatched": [str(p) for p in report.problems]},
                     detail=report.note)
    return report


def issue_certificate(*, title, user, request=None):
    """Publish the title certificate (称号证书) of ``title`` as a PDF, once: a title whose
    certificate is already published gives that row back, unchanged (the PDF carries its issue
    date, so a second rendering would be other bytes, hence another document). The title row is
    locked so two officers pressing at once publish one certificate. Audited as
    ``titles.certificate.issue`` (and ``documents.document.publish`` by ``publish_document``)."""
    from icdc.documents.models import PublishedDocument
    from icdc.documents.services import publish_document, subject_of

    from .certificate import certificate_number, certificate_title, render_certificate_pdf

    require_perm(user, "titles.issue_certificates", title, request=request)
    with transaction.atomic():
        locked = Title.objects.select_for_update().select_related("city").get(pk=title.pk)
        subject = subject_of(locked)
        existing = (PublishedDocument.objects.filter(kind=PublishedDocument.Kind.CERTIFICATE, subject=subject)
                    .order_by("published_at", "pk").first())
        if existing is not None:
            return existing
        content = render_certificate_pdf(locked)
        document = publish_document(kind=PublishedDocument.Kind.CERTIFICATE, fmt="pdf",
                                    title=certificate_title(locked), content=content, subject=subject, user=user,
                                    number=certificate_number(locked), filename=f"{certificate_title(locked)}.pdf")
        record_event(action="titles.certificate.issue", request=request, user=user, obj=locked,
                     object_repr=str(locked), after={"document": document.pk, "number": document.number,
                                                     "sm3": document.sm3},
                     detail=document.number)
    return document
def award_values(*, programme, type_code, domain_code="") -> dict:
    """The ``Title`` fields that name an award of ``type_code`` (and ``domain_code``) under
    ``programme``, read from its definition as ``title_values`` does."""
    app_type = programme.type(type_code)
    values = {"type_code": app_type.code, "award_title": app_type.award_title or programme.title,
              "kind": Title.Kind.SPECIALISED if app_type.chooses_domains else Title.Kind.COMPREHENSIVE,
              "domain_code": "", "domain_label": ""}
    if domain_code:
        domain = programme.domain(domain_code)
        values.update(domain_code=domain.code, domain_label=domain.label)
    return values


def award_titles(*, batch, awards, announced_on, source_note="") -> list[Title]:
    """Art. 14: one active title per (city, type, domain) announced for ``batch`` — ``awards`` is a
    list of (city, type code, domain code). Called by the announcement inside its transaction (its
    audit record lists the titles); an award already recorded is returned, never duplicated."""
    programme = batch.programme()
    out = []
    for city, type_code, domain_code in awards:
        values = award_values(programme=programme, type_code=type_code, domain_code=domain_code)
        key = {"city": city, "batch_year": batch.year, "kind": values.pop("kind"),
               "domain_code": values.pop("domain_code")}
        title, _created = Title.objects.get_or_create(
            **key, defaults={**values, "announced": announced_on.isoformat(), "announced_on": announced_on,
                             "announced_year": announced_on.year, "source_note": source_note[:300],
                             "confidence": Title.Confidence.CONFIRMED})
        out.append(title)
    return out
