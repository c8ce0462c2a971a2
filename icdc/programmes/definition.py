"""A programme definition (申报项目定义) as a frozen object: the rules of a call as data (SPEC §7).

Pure Python (PyYAML only; Django is used for translation only when it is already loaded), so
the batches, applications and review apps, the pure scoring side and tests share one reading
of the rules. The YAML schema is described in ``data/programmes/README.md``.

Public API (stable; everything else is internal)
------------------------------------------------

Building one::

    programme_from_yaml(text: str | bytes) -> Programme      # an upload or a file's content
    load_programme(path) -> Programme                         # a file
    programme_from_document(document: dict) -> Programme     # e.g. Batch.programme_document

  Each refuses a bad document with ``ProgrammeError`` (a ``Refusal``; ``.problems`` lists
  every problem in Chinese, each naming where it is): YAML syntax, aliases, NUL characters,
  more than ``MAX_BYTES``, missing or unknown keys, duplicate codes, unknown type codes, caps
  that are not positive integers…

Reading it (``Programme``)::

    .code .version .title .basis .sha256        # sha256 of the canonical document
    .document                                   # a fresh copy of the canonical document (JSON types)
    .types -> (ApplicationType, …)              # code, label, award_title, indicator_system, chooses_domains
    .type(code) -> ApplicationType              # Refusal for an unknown code
    .domains -> (Domain, …); .domain(code)      # code, label
    .one_type_per_batch -> bool                 # Art. 8: one type per city per batch
    .check_choice(type_code, domain_codes=()) -> (ApplicationType, (Domain, …))   # Art. 8, or Refusal
    .conditions_for(type_code) -> (Condition, …)          # code, text, basis (Art. 6, 7)
    .materials_for(route, type_code=None) -> (Material, …) # route "direct" | "province" | a Route (Art. 11)
    .outline_sections -> (OutlineSection, …)    # 申报书 outline: code, title, guidance
    .city_fact_fields -> (CityFactField, …)     # 申报表 facts: code, label, unit, kind, required
    .is_eligible(division) -> Eligibility       # truthy, or falsy with a Chinese .reason (Art. 5)
    .route_for(division) -> Route               # direct, or via which province-level channel (Art. 5, 10)
    .recommendation_cap(route_or_unit) -> int | None   # None = no cap
    .requires_ranking -> bool                   # channels must rank their recommendations
    .tracks -> (Track, …); .tracks_for(type_code); .track_label(code)
    .tracks_for_choice(type_code, domain_codes=()) -> (Track, …)   # where one application is ranked
        # scoring tracks: a type without domains is one track (code = type code); a type with
        # domains has one track per domain (code = domain code)
    .type_for_indicator_system(system_code) -> ApplicationType | None

``division`` is anything with the attributes of ``icdc.divisions.models.Division``: ``code``,
``name``, ``level``, ``kind``, ``parent`` (same shape, or None) and the flags ``can_apply``,
``applies_directly``, ``is_application_channel``, ``is_municipality``, ``is_separately_planned``.
The route is decided by those flags only, never by what an applicant typed into a form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from hashlib import sha256
from pathlib import Path

import yaml

from icdc.lib.refusals import Refusal
from icdc.lib.yaml_text import AliasRefused, NoAliasLoader, has_nul

from .validation import _, check_document

MAX_BYTES = 256 * 1024
DIRECT = "direct"
PROVINCE = "province"
LEVELS = ("province", "prefecture")  # 地级及以上 (Art. 5)
CORPS_KIND = "兵团"


class ProgrammeError(Refusal):
    """The text or document is not a valid programme definition; ``problems`` lists every reason."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(_("申报项目定义有误：") + "；".join(self.problems), code="programme_invalid")


@dataclass(frozen=True)
class ApplicationType:
    """申报类型, e.g. 综合型 / 特色型 (Art. 3)."""

    code: str
    label: str
    award_title: str
    indicator_system: str
    chooses_domains: bool
    basis: str = ""


@dataclass(frozen=True)
class Domain:
    """特色领域 (Art. 3, 7)."""

    code: str
    label: str


@dataclass(frozen=True)
class Condition:
    """申报基本条件: one item of a type's checklist (Art. 6, 7)."""

    code: str
    text: str
    basis: str = ""


@dataclass(frozen=True)
class Material:
    """申报材料 (Art. 11). ``provided_by`` is "applicant" (the city) or "channel" (the province)."""

    code: str
    label: str
    description: str
    annex: str
    routes: tuple[str, ...]
    types: tuple[str, ...]  # empty: every type
    provided_by: str
    required: bool
    file_kinds: tuple[str, ...]
    multiple: bool
    basis: str = ""

    def accepts(self, filename: str) -> bool:
        """Whether a file of this name is of an accepted kind (by extension; content is the upload guard's job)."""
        suffix = Path(str(filename)).suffix.lower().lstrip(".")
        return {"jpeg": "jpg"}.get(suffix, suffix) in self.file_kinds


@dataclass(frozen=True)
class OutlineSection:
    """A section of the 申报书 outline (Annex 2)."""

    code: str
    title: str
    guidance: str = ""


@dataclass(frozen=True)
class CityFactField:
    """A city fact of the 申报表 (Annex 1); ``kind`` is number, integer or text."""

    code: str
    label: str
    unit: str
    kind: str
    required: bool


@dataclass(frozen=True)
class Track:
    """A scoring track: ranking, quota and pass mark apply per track (SPEC §4)."""

    code: str
    label: str
    type_code: str
    domain_code: str | None = None


@dataclass(frozen=True)
class Route:
    """How one city's application travels (Art. 5, 10).

    ``kind`` is "direct" (to the Ministry) or "province" (through ``channel_code``, the
    province-level authority that reviews first and recommends). ``unit_class`` classes the
    recommending unit for caps: province, municipality, separately_planned or corps.
    """

    kind: str
    city_code: str
    channel_code: str | None
    channel_name: str
    unit_class: str

    @property
    def is_direct(self) -> bool:
        return self.kind == DIRECT


@dataclass(frozen=True)
class Eligibility:
    """Whether a division may apply; falsy with a Chinese ``reason`` when it may not."""

    ok: bool
    reason: str = ""

    def __bool__(self):
        return self.ok


def unit_class(division) -> str:
    """The class of a recommending unit, the key of ``recommendation.cap``."""
    if getattr(division, "kind", "") == CORPS_KIND:
        return "corps"
    if getattr(division, "is_municipality", False):
        return "municipality"
    if getattr(division, "is_separately_planned", False):
        return "separately_planned"
    return "province"


class Programme:
    """申报项目定义: one version of a programme's rules, read-only (see the module docstring)."""

    def __init__(self, document: dict):
        """Use ``programme_from_document``: this takes an already checked canonical document."""
        canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        object.__setattr__(self, "_canonical", canonical)
        object.__setattr__(self, "_document", json.loads(canonical))  # never the caller's dict

    def __setattr__(self, name, value):
        raise AttributeError(f"Programme is read-only: {name}")

    def __delattr__(self, name):
        raise AttributeError(f"Programme is read-only: {name}")

    def __eq__(self, other):
        return isinstance(other, Programme) and other.sha256 == self.sha256

    def __hash__(self):
        return hash(self.sha256)

    def __repr__(self):
        return f"<Programme {self.code} {self.version}>"

    # -- identity -------------------------------------------------------------------------
    code = property(lambda self: self._document["code"])
    version = property(lambda self: self._document["version"])
    title = property(lambda self: self._document["title"])
    basis = property(lambda self: self._document["basis"])
    one_type_per_batch = property(lambda self: self._document["one_type_per_batch"])

    @cached_property
    def sha256(self) -> str:
        """SHA-256 (hex) of the canonical document: equal rules, equal hash, whatever the file's layout."""
        return sha256(self._canonical.encode("utf-8")).hexdigest()

    @property
    def document(self) -> dict:
        """A fresh copy of the canonical document (JSON types only), e.g. to store in a batch."""
        return json.loads(self._canonical)

    # -- types and domains ----------------------------------------------------------------
    @cached_property
    def types(self) -> tuple[ApplicationType, ...]:
        return tuple(ApplicationType(**t) for t in self._document["types"])

    def type(self, code) -> ApplicationType:
        for item in self.types:
            if item.code == code:
                return item
        raise Refusal(_("没有申报类型「%(code)s」（可选：%(choices)s）"), code="unknown_type",
                      params={"code": code, "choices": "、".join(f"{t.code} {t.label}" for t in self.types)})

    @cached_property
    def domains(self) -> tuple[Domain, ...]:
        return tuple(Domain(**d) for d in self._document["domains"])

    def domain(self, code) -> Domain:
        for item in self.domains:
            if item.code == code:
                return item
        raise Refusal(_("没有特色领域「%(code)s」（可选：%(choices)s）"), code="unknown_domain",
                      params={"code": code, "choices": "、".join(f"{d.code} {d.label}" for d in self.domains)})

    def check_choice(self, type_code, domain_codes=()) -> tuple[ApplicationType, tuple[Domain, ...]]:
        """Art. 8: one type; a type that chooses domains names one or more, each once; others name none."""
        kind = self.type(type_code)
        codes = list(domain_codes or ())
        if not kind.chooses_domains:
            if codes:
                raise Refusal(_("申报类型「%(type)s」不选择特色领域"), code="domains_not_allowed",
                              params={"type": kind.label})
            return kind, ()
        if not codes:
            raise Refusal(_("申报类型「%(type)s」须至少选择一个特色领域"), code="domains_required",
                          params={"type": kind.label})
        if len(set(codes)) != len(codes):
            raise Refusal(_("特色领域不能重复选择"), code="duplicate_domain")
        chosen = {self.domain(code).code for code in codes}
        return kind, tuple(d for d in self.domains if d.code in chosen)

    def type_for_indicator_system(self, system_code) -> ApplicationType | None:
        """The type scored on indicator system ``system_code`` (e.g. COMP → 综合型), or None."""
        return next((t for t in self.types if t.indicator_system and t.indicator_system == system_code), None)

    # -- tracks ---------------------------------------------------------------------------
    @cached_property
    def tracks(self) -> tuple[Track, ...]:
        out = []
        for kind in self.types:
            if kind.chooses_domains:
                out += [Track(code=d.code, label=d.label, type_code=kind.code, domain_code=d.code)
                        for d in self.domains]
            else:
                out.append(Track(code=kind.code, label=kind.label, type_code=kind.code))
        return tuple(out)

    def tracks_for(self, type_code) -> tuple[Track, ...]:
        code = self.type(type_code).code
        return tuple(t for t in self.tracks if t.type_code == code)

    def tracks_for_choice(self, type_code, domain_codes=()) -> tuple[Track, ...]:
        """The tracks one application is ranked in: its type's track, or one per chosen domain
        (checked as ``check_choice`` does)."""
        kind, domains = self.check_choice(type_code, domain_codes)
        if not kind.chooses_domains:
            return self.tracks_for(kind.code)
        chosen = {d.code for d in domains}
        return tuple(t for t in self.tracks_for(kind.code) if t.domain_code in chosen)

    def track_label(self, track_code) -> str:
        """The label of a scoring track (综合型, 生活类信息消费, …); an unknown code reads as itself."""
        return next((t.label for t in self.tracks if t.code == track_code), str(track_code))

    # -- conditions, materials, outline, facts ----------------------------------------------
    def conditions_for(self, type_code) -> tuple[Condition, ...]:
        code = self.type(type_code).code
        return tuple(Condition(**c) for c in self._document["conditions"][code])

    @cached_property
    def _materials(self) -> tuple[Material, ...]:
        return tuple(Material(**{k: tuple(v) if isinstance(v, list) else v for k, v in m.items()})
                     for m in self._document["materials"])

    def materials_for(self, route, type_code=None) -> tuple[Material, ...]:
        """The materials of one route ("direct", "province" or a Route), for one type when given."""
        key = route.kind if isinstance(route, Route) else route
        if key not in (DIRECT, PROVINCE):
            raise Refusal(_("申报途径应为 direct 或 province，而不是「%(route)s」"), code="unknown_route",
                          params={"route": key})
        if type_code is not None:
            type_code = self.type(type_code).code
        return tuple(m for m in self._materials
                     if key in m.routes and (type_code is None or not m.types or type_code in m.types))

    @cached_property
    def outline_sections(self) -> tuple[OutlineSection, ...]:
        return tuple(OutlineSection(**s) for s in self._document["outline"])

    @cached_property
    def city_fact_fields(self) -> tuple[CityFactField, ...]:
        return tuple(CityFactField(**f) for f in self._document["city_facts"])

    # -- who applies and how --------------------------------------------------------------
    def is_eligible(self, division) -> Eligibility:
        """Art. 5: cities of prefecture level and above (the division data's ``can_apply``), with a
        route: direct, or a parent that is a province-level application channel."""
        name = getattr(division, "name", "") or getattr(division, "code", "")
        if not getattr(division, "can_apply", False):
            if getattr(division, "is_application_channel", False):
                reason = _("%(name)s是省级申报渠道，负责初审推荐，本身不能作为城市申报")
            elif getattr(division, "level", "") == "province":
                reason = _("%(name)s是省级单位，不能作为城市申报；请由所辖地级及以上城市申报")
            else:
                reason = _("%(name)s不在可申报城市之列（限地级市及以上城市）")
            return Eligibility(False, reason % {"name": name})
        if getattr(division, "level", "") not in LEVELS:
            return Eligibility(False, _("%(name)s不是地级及以上城市，不能申报") % {"name": name})
        if not self._applies_directly(division):
            parent = getattr(division, "parent", None)
            if parent is None or not getattr(parent, "is_application_channel", False):
                return Eligibility(False, _("%(name)s没有可受理申报的省级工业和信息化主管部门") % {"name": name})
        return Eligibility(True)

    def _applies_directly(self, division) -> bool:
        return bool(getattr(division, self._document["routing"]["direct_flag"], False))

    def route_for(self, division) -> Route:
        """Direct to the Ministry, or through the province-level parent (Art. 5, 10); Refusal when
        the division may not apply (``is_eligible`` gives the reason)."""
        verdict = self.is_eligible(division)
        if not verdict:
            raise Refusal(verdict.reason, code="not_eligible")
        if self._applies_directly(division):
            return Route(kind=DIRECT, city_code=division.code, channel_code=None, channel_name="",
                         unit_class=unit_class(division))
        parent = division.parent
        return Route(kind=PROVINCE, city_code=division.code, channel_code=parent.code, channel_name=parent.name,
                     unit_class=unit_class(parent))

    def recommendation_cap(self, route_or_unit) -> int | None:
        """At most how many recommendations one unit may forward in a batch; None = no cap.

        ``route_or_unit`` is a Route (the unit is its channel, or the direct applicant itself) or
        the recommending division."""
        key = route_or_unit.unit_class if isinstance(route_or_unit, Route) else unit_class(route_or_unit)
        caps = self._document["recommendation"]["cap"]
        return caps[key] if caps.get(key) is not None else caps["default"]

    @property
    def requires_ranking(self) -> bool:
        return self._document["recommendation"]["ranking_required"]


def programme_from_document(document) -> Programme:
    """A checked Programme from a (raw or canonical) document; ProgrammeError listing every problem."""
    canonical, problems = check_document(document)
    if problems:
        raise ProgrammeError(problems)
    return Programme(canonical)


def programme_from_yaml(text) -> Programme:
    """YAML text or bytes → Programme (see ``parse_yaml`` for what is refused before checking)."""
    return programme_from_document(parse_yaml(text))


def load_programme(path) -> Programme:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ProgrammeError([_("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc.strerror}]) from exc
    return programme_from_yaml(data)


def parse_yaml(text):
    """YAML → plain data: safe loader, no aliases, no NUL, at most MAX_BYTES, UTF-8."""
    if isinstance(text, str):
        text = text.encode("utf-8")
    if len(text) > MAX_BYTES:
        raise ProgrammeError([_("文件过大（上限 %(limit)s KB）") % {"limit": MAX_BYTES // 1024}])
    if b"\x00" in text:
        raise ProgrammeError([_("文件含有空字符（NUL），请删除后重试")])
    try:
        text = text.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProgrammeError([_("文件须为 UTF-8 编码的 YAML")]) from exc
    try:
        raw = yaml.load(text, Loader=NoAliasLoader)  # a SafeLoader subclass
    except AliasRefused as exc:
        raise ProgrammeError([_("第 %(line)s 行：不支持 YAML 别名（*）") % {"line": exc.problem_mark.line + 1}]) from exc
    except RecursionError as exc:
        raise ProgrammeError([_("YAML 嵌套层数过多")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("第 %(line)s 行：") % {"line": mark.line + 1} if mark else ""
        raise ProgrammeError([where + _("YAML 格式错误：%(error)s") % {"error": getattr(exc, "problem", exc)}]) \
            from exc
    if has_nul(raw):
        raise ProgrammeError([_("文件含有空字符（NUL），请删除后重试")])
    return raw
