"""Checking a programme document and putting it in canonical form (pure: no Django needed).

``check_document(raw)`` returns ``(document, problems)``: the canonical document (every optional
key filled with its default, strings stripped, keys in a fixed order) and a list of Chinese
messages, one per problem, each naming where it is. A document with problems is never used.
The schema is described key by key in ``data/programmes/README.md``.
"""

import re
import sys

FORMAT = "icdc-programme/1"
ROUTES = ("direct", "province")  # 直报工信部 / 经省级主管部门初审推荐
PROVIDERS = ("applicant", "channel")  # 申报城市上传 / 省级主管部门上传
FILE_KINDS = ("pdf", "docx", "xlsx", "jpg", "png")
FACT_KINDS = ("number", "integer", "text")
DIRECT_FLAGS = ("applies_directly", "is_municipality", "is_separately_planned")
# Who recommends: a province-level channel (省、自治区, 兵团) or a direct applicant (直辖市, 计划单列市).
UNIT_CLASSES = ("province", "municipality", "separately_planned", "corps")
CAP_KEYS = ("default", *UNIT_CLASSES)

PROGRAMME_CODE_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
CODE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,31}")
MAX_TEXT = 4000

TOP_KEYS = {
    "format": False, "code": True, "version": True, "title": True, "basis": False, "types": True,
    "domains": False, "one_type_per_batch": False, "conditions": True, "materials": True, "routing": False,
    "recommendation": False, "outline": True, "city_facts": True,
}
TYPE_KEYS = {"code": True, "label": True, "award_title": False, "indicator_system": False,
             "chooses_domains": False, "basis": False}
DOMAIN_KEYS = {"code": True, "label": True}
CONDITION_KEYS = {"code": True, "text": True, "basis": False}
MATERIAL_KEYS = {"code": True, "label": True, "description": False, "annex": False, "routes": False, "types": False,
                 "provided_by": False, "required": False, "file_kinds": True, "multiple": False, "basis": False}
OUTLINE_KEYS = {"code": True, "title": True, "guidance": False}
FACT_KEYS = {"code": True, "label": True, "unit": False, "kind": False, "required": False}
ROUTING_KEYS = {"direct_flag": False}
RECOMMENDATION_KEYS = {"cap": False, "ranking_required": False}


def _(message):
    """Translate when running inside a configured Django project, else keep the Chinese text.

    Never imports Django itself: the definition stays usable (and testable) as plain Python."""
    conf = sys.modules.get("django.conf")
    if conf is not None and conf.settings.configured:
        from django.utils.translation import gettext

        return gettext(message)
    return message


class _Checker:
    def __init__(self):
        self.problems = []

    def add(self, where, message, **params):
        text = message % params if params else message
        self.problems.append(f"{where}：{text}" if where else text)

    def mapping(self, value, where, keys):
        """``value`` as a dict with only ``keys`` (name → required); None when it is not a mapping."""
        if not isinstance(value, dict):
            self.add(where, _("应为键值对（mapping）"))
            return None
        for key in value:
            if key not in keys:
                self.add(where, _("未知的键「%(key)s」"), key=key)
        for key, required in keys.items():
            if required and key not in value:
                self.add(where, _("缺少必填项「%(key)s」"), key=key)
        return value

    def items(self, value, where, *, required=True):
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            self.add(where, _("应为非空列表"))
            return []
        return value

    def text(self, value, where, *, required=True):
        if value is None and not required:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(where, _("应为文字"))
            return ""
        value = str(value).strip()
        if required and not value:
            self.add(where, _("不能为空"))
        if len(value) > MAX_TEXT:
            self.add(where, _("文字过长（上限 %(limit)s 字）"), limit=MAX_TEXT)
        return value

    def code(self, value, where, seen):
        value = self.text(value, where)
        if value and not CODE_RE.fullmatch(value):
            self.add(where, _("代码「%(code)s」无效：须以字母开头，只含字母、数字、_ . -，不超过 32 个字符"), code=value)
        elif value in seen:
            self.add(where, _("代码「%(code)s」重复"), code=value)
        seen.add(value)
        return value

    def flag(self, value, where, default):
        if value is None:
            return default
        if not isinstance(value, bool):
            self.add(where, _("应为 true 或 false"))
            return default
        return value

    def choice(self, value, where, choices, default):
        if value is None:
            return default
        if value not in choices:
            self.add(where, _("「%(value)s」不是可选值（可选：%(choices)s）"), value=value, choices="、".join(choices))
            return default
        return value

    def choices(self, value, where, choices, default):
        if value is None:
            return list(default)
        values = self.items(value, where)
        for item in values:
            if item not in choices:
                self.add(where, _("「%(value)s」不是可选值（可选：%(choices)s）"), value=item, choices="、".join(choices))
        if len(set(map(str, values))) != len(values):
            self.add(where, _("有重复的值"))
        return [c for c in choices if c in values]

    def cap(self, value, where):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.add(where, _("推荐名额上限须为正整数，或留空（null）表示不限"))
            return None
        return value


def _where(section, index, item):
    code = item.get("code") if isinstance(item, dict) else None
    return f"{section} 第 {index + 1} 项" + (f"（{code}）" if isinstance(code, str) and code else "")


def _types(c, raw):
    out, seen = [], set()
    for i, item in enumerate(c.items(raw.get("types"), "types")):
        where = _where("types", i, item)
        if c.mapping(item, where, TYPE_KEYS) is None:
            continue
        out.append({
            "code": c.code(item.get("code"), f"{where}.code", seen),
            "label": c.text(item.get("label"), f"{where}.label"),
            "award_title": c.text(item.get("award_title"), f"{where}.award_title", required=False),
            "indicator_system": c.text(item.get("indicator_system"), f"{where}.indicator_system", required=False),
            "chooses_domains": c.flag(item.get("chooses_domains"), f"{where}.chooses_domains", False),
            "basis": c.text(item.get("basis"), f"{where}.basis", required=False),
        })
    systems = [t["indicator_system"] for t in out if t["indicator_system"]]
    if len(systems) != len(set(systems)):
        c.add("types", _("两种申报类型不能使用同一个指标体系"))
    return out


def _domains(c, raw, types):
    out, seen = [], set()
    for i, item in enumerate(c.items(raw.get("domains"), "domains", required=False)):
        where = _where("domains", i, item)
        if c.mapping(item, where, DOMAIN_KEYS) is not None:
            out.append({"code": c.code(item.get("code"), f"{where}.code", seen),
                        "label": c.text(item.get("label"), f"{where}.label")})
    if any(t["chooses_domains"] for t in types) and not out:
        c.add("domains", _("有申报类型须选择领域（chooses_domains: true），但未列出任何领域"))
    clash = sorted({t["code"] for t in types} & {d["code"] for d in out} - {""})
    if clash:
        c.add("domains", _("领域代码与申报类型代码重复：%(codes)s（二者都是评分赛道代码）"), codes="、".join(clash))
    return out


def _conditions(c, raw, type_codes):
    value = raw.get("conditions")
    if not isinstance(value, dict):
        c.add("conditions", _("应为键值对：申报类型代码 → 基本条件列表"))
        return {}
    for key in value:
        if key not in type_codes:
            c.add("conditions", _("未知的申报类型「%(code)s」"), code=key)
    out, seen = {}, set()
    for type_code in type_codes:
        where = f"conditions.{type_code}"
        if type_code not in value:
            c.add("conditions", _("缺少申报类型「%(code)s」的基本条件"), code=type_code)
        conditions = []
        for i, item in enumerate(c.items(value.get(type_code), where) if type_code in value else []):
            at = _where(where, i, item)
            if c.mapping(item, at, CONDITION_KEYS) is not None:
                conditions.append({"code": c.code(item.get("code"), f"{at}.code", seen),
                                   "text": c.text(item.get("text"), f"{at}.text"),
                                   "basis": c.text(item.get("basis"), f"{at}.basis", required=False)})
        out[type_code] = conditions
    return out


def _materials(c, raw, type_codes):
    out, seen = [], set()
    for i, item in enumerate(c.items(raw.get("materials"), "materials")):
        where = _where("materials", i, item)
        if c.mapping(item, where, MATERIAL_KEYS) is None:
            continue
        material = {
            "code": c.code(item.get("code"), f"{where}.code", seen),
            "label": c.text(item.get("label"), f"{where}.label"),
            "description": c.text(item.get("description"), f"{where}.description", required=False),
            "annex": c.text(item.get("annex"), f"{where}.annex", required=False),
            "routes": c.choices(item.get("routes"), f"{where}.routes", ROUTES, ROUTES),
            "types": [],
            "provided_by": c.choice(item.get("provided_by"), f"{where}.provided_by", PROVIDERS, "applicant"),
            "required": c.flag(item.get("required"), f"{where}.required", True),
            "file_kinds": c.choices(item.get("file_kinds"), f"{where}.file_kinds", FILE_KINDS, ()),
            "multiple": c.flag(item.get("multiple"), f"{where}.multiple", False),
            "basis": c.text(item.get("basis"), f"{where}.basis", required=False),
        }
        if item.get("types") is not None:  # [] or absent: every type
            types = c.items(item.get("types"), f"{where}.types", required=False)
            for code in types:
                if code not in type_codes:
                    c.add(f"{where}.types", _("未知的申报类型「%(code)s」"), code=code)
            material["types"] = [t for t in type_codes if t in types]
        if material["provided_by"] == "channel" and "direct" in material["routes"]:
            c.add(where, _("由省级主管部门提供的材料只能用于经省级初审的申报（routes: [province]）"))
        out.append(material)
    return out


def _sections(c, raw, key, keys, build):
    out, seen = [], set()
    for i, item in enumerate(c.items(raw.get(key), key)):
        where = _where(key, i, item)
        if c.mapping(item, where, keys) is not None:
            out.append(build(item, where, seen))
    return out


def _routing(c, raw):
    value = raw.get("routing") or {}
    if c.mapping(value, "routing", ROUTING_KEYS) is None:
        value = {}
    return {"direct_flag": c.choice(value.get("direct_flag"), "routing.direct_flag", DIRECT_FLAGS,
                                    "applies_directly")}


def _recommendation(c, raw):
    value = raw.get("recommendation") or {}
    if c.mapping(value, "recommendation", RECOMMENDATION_KEYS) is None:
        value = {}
    cap = value.get("cap")
    if isinstance(cap, dict):
        for key in cap:
            if key not in CAP_KEYS:
                c.add("recommendation.cap", _("未知的推荐单位类别「%(key)s」（可选：%(choices)s）"), key=key,
                      choices="、".join(CAP_KEYS))
        caps = {key: c.cap(cap.get(key), f"recommendation.cap.{key}") for key in CAP_KEYS}
    else:
        caps = dict.fromkeys(CAP_KEYS)
        caps["default"] = c.cap(cap, "recommendation.cap")
    return {"cap": caps, "ranking_required": c.flag(value.get("ranking_required"), "recommendation.ranking_required",
                                                   False)}


def check_document(raw):
    """``(canonical document, problems)`` for a parsed YAML document; see the module docstring."""
    c = _Checker()
    if c.mapping(raw, "", TOP_KEYS) is None:
        return None, c.problems
    if raw.get("format", FORMAT) != FORMAT:
        c.add("format", _("不支持的格式「%(value)s」（应为 %(format)s）"), value=raw.get("format"), format=FORMAT)
    code = c.text(raw.get("code"), "code")
    if code and not PROGRAMME_CODE_RE.fullmatch(code):
        c.add("code", _("项目代码「%(code)s」无效：只含小写字母、数字和连字符，2～64 个字符"), code=code)
    types = _types(c, raw)
    type_codes = [t["code"] for t in types if t["code"]]
    document = {
        "format": FORMAT,
        "code": code,
        "version": c.text(raw.get("version"), "version"),
        "title": c.text(raw.get("title"), "title"),
        "basis": c.text(raw.get("basis"), "basis", required=False),
        "types": types,
        "domains": _domains(c, raw, types),
        "one_type_per_batch": c.flag(raw.get("one_type_per_batch"), "one_type_per_batch", True),
        "conditions": _conditions(c, raw, type_codes),
        "materials": _materials(c, raw, type_codes),
        "routing": _routing(c, raw),
        "recommendation": _recommendation(c, raw),
        "outline": _sections(c, raw, "outline", OUTLINE_KEYS, lambda item, where, seen: {
            "code": c.code(item.get("code"), f"{where}.code", seen),
            "title": c.text(item.get("title"), f"{where}.title"),
            "guidance": c.text(item.get("guidance"), f"{where}.guidance", required=False)}),
        "city_facts": _sections(c, raw, "city_facts", FACT_KEYS, lambda item, where, seen: {
            "code": c.code(item.get("code"), f"{where}.code", seen),
            "label": c.text(item.get("label"), f"{where}.label"),
            "unit": c.text(item.get("unit"), f"{where}.unit", required=False),
            "kind": c.choice(item.get("kind"), f"{where}.kind", FACT_KINDS, "number"),
            "required": c.flag(item.get("required"), f"{where}.required", True)}),
    }
    if len(document["version"]) > 32:
        c.add("version", _("版本标识不超过 32 个字符"))
    return document, c.problems
