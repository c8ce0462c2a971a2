"""Likely undeclared conflicts (疑似未申报的回避情形, issue 14 item 3): pairs worth a look, for the officer
to judge. Nothing here changes a panel; the draw already excluded every declared conflict and the
obvious ones (same province, employer in the applicant city).

``likely_conflicts`` is pure (plain dicts in, plain dicts out); ``panel_conflicts`` reads one panel.
What is listed:

- ``lead_agency``: a member's employer shares a name with an application's lead agency (牵头单位);
- ``co_applicant``: … or with one of its co-applicant units (联合申报单位, when the form has them);
- ``same_city``: a member's employer is in an applicant's city under another city record (the same
  name, e.g. an old code), or the employer's name carries the applicant city's name;
- ``shared_employer``: two members share an employer.

Names are compared normalised: full-width → half-width (NFKC), spaces and brackets dropped, the
company-form suffix (有限公司, 有限责任公司, 股份有限公司 …) removed. A name containing the other (a
department of the lead agency) counts when the shorter has at least ``MIN_CONTAINED`` characters.
"""

from __future__ import annotations

import re
import unicodedata

MIN_CONTAINED = 4
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")
_DROP = re.compile(r"[\s()\[\]{}（）【】〔〕「」《》<>·•.,，。、\"'“”‘’_-]+")
_CITY_SUFFIX = re.compile(r"(市|地区|自治州|盟)$")


def normalise(name: str) -> str:
    """``” 济南市工业和信息化局 ”``, ``济南市工业和信息化局（本级）`` → comparable text; ``""`` for nothing."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = _DROP.sub("", text)
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


def city_key(name: str) -> str:
    """``济南市`` and ``济南`` → ``济南`` (a city's name without its administrative suffix)."""
    return _CITY_SUFFIX.sub("", normalise(name))


def same_name(a: str, b: str) -> str | None:
    """``"same"`` when the normalised names are equal, ``"contains"`` when one holds the other (the
    shorter at least ``MIN_CONTAINED`` characters), else None."""
    x, y = normalise(a), normalise(b)
    if not x or not y:
        return None
    if x == y:
        return "same"
    short, long_ = sorted((x, y), key=len)
    if len(short) >= MIN_CONTAINED and short in long_:
        return "contains"
    return None


def likely_conflicts(members: list[dict], applications: list[dict]) -> list[dict]:
    """Pairs worth a look. ``members``: ``{"id", "employer", "city", "city_name"}``;
    ``applications``: ``{"id", "city", "city_name", "lead", "co_units"}``. Each finding:
    ``{"kind", "experts": [ids], "application": id or None, "match": "same"|"contains"|…, "evidence": {...}}``
    in a stable order (kind, experts, application)."""
    found = []
    for m in members:
        for a in applications:
            lead_match = same_name(m["employer"], a.get("lead", ""))
            if lead_match:
                found.append({"kind": "lead_agency", "experts": [m["id"]], "application": a["id"], "match": lead_match,
                              "evidence": {"employer": m["employer"], "unit": a["lead"]}})
            for unit in a.get("co_units", []):
                match = same_name(m["employer"], unit)
                if match:
                    found.append({"kind": "co_applicant", "experts": [m["id"]], "application": a["id"],
                                  "match": match, "evidence": {"employer": m["employer"], "unit": unit}})
            found.extend(_same_city(m, a))
    by_employer = {}
    for m in members:
        key = normalise(m["employer"])
        if key:
            by_employer.setdefault(key, []).append(m)
    for group in by_employer.values():
        if len(group) > 1:
            found.append({"kind": "shared_employer", "experts": sorted(x["id"] for x in group), "application": None,
                          "match": "same", "evidence": {"employer": group[0]["employer"],
                                                        "employers": [x["employer"] for x in group]}})
    return sorted(found, key=lambda f: (f["kind"], f["experts"], f["application"] or 0))


def _same_city(member, application):
    if member.get("city") == application.get("city"):
        return []  # the same record: the draw already excluded it (employer in the applicant's city)
    key = city_key(application.get("city_name", ""))
    if not key:
        return []
    if city_key(member.get("city_name", "")) == key:
        return [{"kind": "same_city", "experts": [member["id"]], "application": application["id"],
                 "match": "city_record", "evidence": {"employer": member["employer"],
                                                      "expert_city": member.get("city_name", ""),
                                                      "expert_city_code": member.get("city", ""),
                                                      "applicant_city": application.get("city_name", ""),
                                                      "applicant_city_code": application.get("city", "")}}]
    if len(key) >= 2 and key in normalise(member["employer"]):
        return [{"kind": "same_city", "experts": [member["id"]], "application": application["id"],
                 "match": "employer_name", "evidence": {"employer": member["employer"],
                                                        "expert_city": member.get("city_name", ""),
                                                        "expert_city_code": member.get("city", ""),
                                                        "applicant_city": application.get("city_name", ""),
                                                        "applicant_city_code": application.get("city", "")}}]
    return []


# --- the panel's data (reads) -----------------------------------------------------------------

def _co_units(content):
    """Co-applicant units of a frozen revision, if its form has them (a list, or text one per line)."""
    sections = (content or {}).get("sections") or {}
    lead = sections.get("lead") if isinstance(sections.get("lead"), dict) else {}
    raw = lead.get("co_applicants") or lead.get("co_units") or sections.get("co_applicants") or []
    if isinstance(raw, dict):
        raw = raw.get("units") or raw.get("text") or []
    if isinstance(raw, str):
        raw = re.split(r"[\n;；、,，]+", raw)
    return [str(u).strip() for u in raw if str(u).strip()][:50]


def _lead(content):
    lead = ((content or {}).get("sections") or {}).get("lead") or {}
    return (lead.get("name") or "").strip() if isinstance(lead, dict) else ""


def panel_conflicts(panel):
    """(findings, experts by id, applications by id) for one panel: three queries, whatever its size."""
    from icdc.applications.models import Application, ApplicationRevision

    from .models import Expert

    experts = Expert.objects.filter(pk__in=panel.members or []).select_related("city").in_bulk()
    applications = Application.objects.filter(pk__in=panel.application_ids or []).select_related("city").in_bulk()
    wanted = {(a.pk, a.revision_number) for a in applications.values()}
    contents = {app_id: content for app_id, number, content in ApplicationRevision.objects.filter(
        application_id__in=list(applications)).values_list("application_id", "number", "content")
        if (app_id, number) in wanted}
    members = [{"id": e.pk, "employer": e.employer, "city": e.city_id, "city_name": e.city.name}
               for e in (experts[pk] for pk in panel.members if pk in experts)]
    apps = [{"id": a.pk, "city": a.city_id, "city_name": a.city.name, "lead": _lead(contents.get(a.pk)),
             "co_units": _co_units(contents.get(a.pk))} for a in applications.values()]
    return likely_conflicts(members, apps), experts, applications
