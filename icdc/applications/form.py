"""The 申报表 (Annex 1) and 申报书 outline (Annex 2) as sections, read from the programme definition.

Nothing here names a type, a domain, a condition or a material: each comes from the batch's copy
of the programme (``batch.programme()``) and, for the declared figures, from the quantitative
indicators of the batch's indicator-system version. One ``Section`` is saved on its own
(``services.section_save``), so an idle logout or a closed tab loses at most the field being typed.

Section keys (stable: they are the keys of ``ApplicationSection`` and of a frozen revision):
``type`` (art. 8), ``facts`` (city facts with year), ``lead`` (牵头单位, art. 9), ``contact``,
``summary``, ``cond-<condition code>`` (arts. 6–7, text; evidence files by purpose),
``figures`` (one figure per quantitative indicator code), ``outline-<section code>`` (申报书).
Attachments' purposes: ``cond-<code>`` (evidence) and ``material-<code>`` (art. 11).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

TYPE, FACTS, LEAD, CONTACT, SUMMARY, FIGURES = "type", "facts", "lead", "contact", "summary", "figures"
CONDITION_PREFIX, OUTLINE_PREFIX, MATERIAL_PREFIX = "cond-", "outline-", "material-"
MOBILE_CONTEXT = "applications.contact.mobile"  # the SM4 token's context (see icdc/lib/fields.py)
APPLICANT = "applicant"

#: Where a declared figure comes from (the same codes as ``indicators.StatisticFigure.Source``).
SOURCES = (("nbs", _("国家统计局")), ("miit", _("工业和信息化部")), ("other", _("其他（请注明）")))


@dataclass(frozen=True)
class Field:
    """One input. ``path`` is where its value sits in the section's data: ``("name",)`` or, for a
    figure, ``("D1.1", "value")`` (declared figures are kept per indicator code)."""

    path: tuple[str, ...]
    label: str
    kind: str = "text"  # text, textarea, number, year, email, mobile, choice, choices
    required: bool = True
    choices: tuple = ()
    unit: str = ""
    help: str = ""
    group: str = ""  # a heading for a run of fields (a figure's indicator)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    part: str  # "form" (申报表) or "book" (申报书)
    fields: tuple[Field, ...]
    help: str = ""
    evidence: bool = False  # each needs at least one evidence file of purpose ``key``


@dataclass(frozen=True)
class Material:
    purpose: str
    label: str
    description: str
    required: bool
    multiple: bool
    kinds: tuple[str, ...]


@dataclass
class FormDefinition:
    """Every section and material of one application, in form order."""

    sections: list[Section] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)

    def section(self, key) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def keys(self):
        return [s.key for s in self.sections]

    def purposes(self):
        """Attachment purposes allowed: evidence of each condition, each material."""
        return {s.key: s.title for s in self.sections if s.evidence} | {m.purpose: m.label for m in self.materials}

    def field_labels(self):
        """(section key, field path) → "section · field" label, for the differences between revisions."""
        labels = {}
        for s in self.sections:
            for f in s.fields:
                labels[(s.key, f.path)] = f"{s.title} · {f.group + ' · ' if f.group else ''}{f.label}"
        return labels


def quantitative_indicators(application, type_code=None, domain_codes=None):
    """The batch version's quantitative indicators the chosen type is scored on (its system's common
    part, plus the parts of the chosen domains), in reading order."""
    batch = application.batch
    type_code = application.type_code if type_code is None else type_code
    if not type_code or batch.indicator_version_id is None:
        return []
    from icdc.indicators.selectors import ordered_indicators

    try:
        system = batch.programme().type(type_code).indicator_system
    except Exception:  # noqa: BLE001 - an unknown type code (a stale draft) has no figures
        return []
    domains = set(application.domain_codes if domain_codes is None else domain_codes)
    return [i for i in ordered_indicators(batch.indicator_version)
            if i.kind == "quantitative" and i.dimension.system.code == system
            and (i.dimension.domain_id is None or i.dimension.domain.code in domains)]


def _figure_fields(indicators):
    out = []
    for i in indicators:
        group = f"{i.code} {i.name}"
        out += [
            Field((i.code, "value"), _("数值"), "number", group=group),
            Field((i.code, "unit"), _("单位"), "text", help=i.unit, group=group),
            Field((i.code, "year"), _("年份"), "year", group=group),
            Field((i.code, "source"), _("数据来源"), "choice", choices=SOURCES, group=group),
            Field((i.code, "note"), _("来源说明"), "text", required=False, group=group,
                  help=_("来源为“其他”时必填")),
        ]
    return tuple(out)


def definition(application, *, programme=None, indicators=None, type_code=None, domain_codes=None) -> FormDefinition:
    """The sections and materials of ``application`` as its programme and chosen type ask for them.

    ``type_code``/``domain_codes`` read another choice (a frozen revision's) than the draft's."""
    programme = programme or application.batch.programme()
    type_code = application.type_code if type_code is None else type_code
    domain_codes = application.domain_codes if domain_codes is None else domain_codes
    chosen = None
    if type_code:
        try:
            chosen = programme.type(type_code)
        except Exception:  # noqa: BLE001 - a type no longer in the programme: chosen anew
            chosen = None
    form = FormDefinition()
    form.sections.append(Section(TYPE, _("申报类型"), "form", (
        Field(("type",), _("申报类型"), "choice", choices=tuple((t.code, t.label) for t in programme.types),
              help=_("每个城市每批次只能选择一种类型申报（第八条）")),
        Field(("domains",), _("特色领域"), "choices", required=False,
              choices=tuple((d.code, d.label) for d in programme.domains),
              help=_("选择特色型的，须选择一个或多个特色领域")),
    )))
    facts = []
    for f in programme.city_fact_fields:
        group = f.label
        facts += [Field((f.code, "value"), _("数值"), "number" if f.kind in ("number", "integer") else "text",
                        required=f.required, unit=f.unit, group=group),
                  Field((f.code, "year"), _("年份"), "year", required=f.required, group=group)]
    form.sections.append(Section(FACTS, _("城市基本数据"), "form", tuple(facts),
                                 help=_("常住人口、地区生产总值、居民人均可支配收入等，注明数据年份")))
    form.sections.append(Section(LEAD, _("牵头单位"), "form", (
        Field(("name",), _("牵头单位名称"), help=_("负责组织推进示范城市建设的市级部门（第九条）")),
        Field(("leader",), _("分管负责人"), required=False),
    )))
    form.sections.append(Section(CONTACT, _("联系人"), "form", (
        Field(("name",), _("联系人姓名")),
        Field(("title",), _("职务"), required=False),
        Field(("mobile",), _("手机号码"), "mobile"),
        Field(("email",), _("电子邮箱"), "email"),
    )))
    form.sections.append(Section(SUMMARY, _("工作概述"), "form", (
        Field(("text",), _("信息消费工作概述"), "textarea", help=_("简要说明本市信息消费工作情况（1000字以内）")),
    )))
    if chosen is not None:
        for c in programme.conditions_for(chosen.code):
            form.sections.append(Section(f"{CONDITION_PREFIX}{c.code}", _("基本条件 %(code)s") % {"code": c.code},
                                         "form", (Field(("text",), _("达标情况说明"), "textarea"),),
                                         help=f"{c.text}（{c.basis}）" if c.basis else c.text, evidence=True))
        if indicators is None:
            indicators = quantitative_indicators(application, type_code, domain_codes)
        if indicators:
            form.sections.append(Section(FIGURES, _("定量指标数据"), "form", _figure_fields(indicators),
                                         help=_("每项定量指标填写数值、单位、年份和来源；以国家统计局、工业和信息化部公开"
                                                "或认定的数据为准")))
    for o in programme.outline_sections:
        form.sections.append(Section(f"{OUTLINE_PREFIX}{o.code}", o.title, "book",
                                     (Field(("text",), o.title, "textarea"),), help=o.guidance))
    route = application.route or "province"
    for m in programme.materials_for(route, chosen.code if chosen else None):
        if m.provided_by != APPLICANT:
            continue
        form.materials.append(Material(f"{MATERIAL_PREFIX}{m.code}", m.label, m.description, m.required,
                                       m.multiple, tuple(m.file_kinds)))
    return form


def get(data, path):
    value = data
    for step in path:
        if not isinstance(value, dict):
            return None
        value = value.get(step)
    return value


def put(data, path, value):
    target = data
    for step in path[:-1]:
        target = target.setdefault(step, {})
    target[path[-1]] = value


def is_blank(value):
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())
