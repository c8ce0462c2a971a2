"""Pure validation of an indicator-set document (SPEC §3): plain dicts in, problems out.

A *document* is the shape of the YAML file (see ``data/indicators/draft-2019.yaml``):
``version``, ``systems`` → ``dimensions`` → ``indicators``, ``domains``, and any other
top-level sections kept verbatim. The same checks run on an uploaded file, on the seed
loaded by ``load_indicators`` and on every edit made in the app (the service rebuilds the
document with the edit applied), so one set of rules guards every way in. No database.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

KINDS = ("quantitative", "qualitative")
RULES = ("linear", "reverse_linear", "threshold")
TOTAL_POINTS = Decimal(100)
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
LABEL_RE = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff._-]{0,63}$")

INDICATOR_KEYS = {"code", "name", "kind", "unit", "weight", "rule", "floor", "target", "source"}
DIMENSION_KEYS = {"code", "name", "domain", "indicators"}
SYSTEM_KEYS = {"code", "name", "applies_to", "dimensions"}
DOMAIN_KEYS = {"code", "name"}


@dataclass(frozen=True)
class Problem:
    """One reason a document, or one indicator of it, is refused."""

    where: str
    message: str
    field: str = ""

    def __str__(self):
        return f"{self.where}：{self.message}" if self.where else self.message


def to_decimal(value):
    """A YAML/form number as Decimal; None when empty; raises ValueError when not a finite number."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    return number


def _places(number):
    return max(0, -number.as_tuple().exponent)


def _text(value):
    return "" if value is None else str(value).strip()


def _number_problems(data, field, label, places, limit):
    try:
        number = to_decimal(data.get(field))
    except ValueError:
        return [Problem("", _("%(label)s须为数字") % {"label": label}, field)]
    if number is not None and (_places(number.normalize()) > places or abs(number) >= limit):
        return [Problem("", _("%(label)s最多%(places)s位小数，且绝对值小于 %(limit)s") % {
            "label": label, "places": places, "limit": f"{limit:,}"}, field)]
    return []


def _quantitative_problems(data):
    problems = []
    rule = _text(data.get("rule"))
    floor, target = data.get("floor"), data.get("target")
    if not _text(data.get("unit")):
        problems.append(Problem("", _("定量指标须填写单位"), "unit"))
    if rule not in RULES:
        problems.append(Problem("", _("定量指标的计分规则须为 linear、reverse_linear 或 threshold"), "rule"))
    elif rule in ("linear", "reverse_linear"):
        if floor in (None, "") or target in (None, ""):
            problems.append(Problem("", _("线性计分须同时填写下限值和目标值"), "target"))
        elif to_decimal(floor) == to_decimal(target):
            problems.append(Problem("", _("线性计分的下限值与目标值不能相同"), "target"))
        else:
            problems += _direction_problems(rule, to_decimal(floor), to_decimal(target))
    elif rule == "threshold":
        if target in (None, ""):
            problems.append(Problem("", _("达标计分须填写目标值"), "target"))
        if floor not in (None, ""):
            problems.append(Problem("", _("达标计分只用目标值，不应填写下限值"), "floor"))
    return problems


def _direction_problems(rule, floor, target):
    """The floor is the figure earning no points, the target the one earning full points: for
    “higher is better” the floor lies below the target, for “lower is better” above it. The
    other way round would score the best city 0 (the engine refuses it for ``linear``)."""
    if rule == "linear" and floor > target:
        return [Problem("", _("越高越好的线性计分，下限值（得 0 分的值）须小于目标值（得满分的值）"), "floor")]
    if rule == "reverse_linear" and floor < target:
        return [Problem("", _("越低越好的线性计分，下限值（得 0 分的值）须大于目标值（得满分的值）"), "floor")]
    return []


def _qualitative_problems(data):
    labels = {"rule": _("计分规则"), "floor": _("下限值"), "target": _("目标值"), "unit": _("单位")}
    return [
        Problem("", _("定性指标由专家评分，不应填写%(label)s") % {"label": label}, field)
        for field, label in labels.items()
        if data.get(field) not in (None, "")
    ]


def validate_indicator(data):
    """Problems of one indicator's own fields (code, name, kind, weight, rule parameters)."""
    problems = []
    if not CODE_RE.match(_text(data.get("code"))):
        problems.append(Problem("", _("指标代码须为 1–32 位字母、数字、点、连字符或下划线"), "code"))
    if not _text(data.get("name")):
        problems.append(Problem("", _("须填写指标名称"), "name"))
    problems += _number_problems(data, "weight", _("权重"), 2, 10**4)
    # 11 + 4 digits: within the 15 significant digits SQLite (the embedded default) keeps exactly
    problems += _number_problems(data, "floor", _("下限值"), 4, 10**11)
    problems += _number_problems(data, "target", _("目标值"), 4, 10**11)
    if problems:
        return problems
    weight = to_decimal(data.get("weight"))
    if weight is None or not (0 < weight <= TOTAL_POINTS):
        problems.append(Problem("", _("权重须大于 0 且不超过 100 分"), "weight"))
    kind = _text(data.get("kind"))
    if kind == "quantitative":
        problems += _quantitative_problems(data)
    elif kind == "qualitative":
        problems += _qualitative_problems(data)
    else:
        problems.append(Problem("", _("指标类型须为 quantitative（定量）或 qualitative（定性）"), "kind"))
    return problems


def _unknown_keys(node, allowed, where):
    extra = sorted(str(k) for k in node if k not in allowed)
    return [Problem(where, _("未知字段：%(keys)s") % {"keys": "、".join(extra)})] if extra else []


def _list_of_dicts(value):
    return isinstance(value, list) and value and all(isinstance(item, dict) for item in value)


def _where(parent, noun, node, index):
    code = _text(node.get("code")) if isinstance(node, dict) else ""
    name = f"{noun} {code}" if code else _("第 %(n)s 个%(noun)s") % {"n": index + 1, "noun": noun}
    return f"{parent} › {name}" if parent else name


class _Checker:
    """Walks a document once, collecting problems and the codes seen."""

    def __init__(self):
        self.problems = []
        self.seen = {"system": {}, "dimension": {}, "indicator": {}, "domain": {}}

    def add(self, where, message):
        self.problems.append(Problem(where, message))

    def code(self, kind, node, where):
        code = _text(node.get("code"))
        if not CODE_RE.match(code):
            self.add(where, _("代码须为 1–32 位字母、数字、点、连字符或下划线"))
        elif code in self.seen[kind]:
            self.add(where, _("代码 %(code)s 重复（已用于 %(other)s）") % {"code": code, "other": self.seen[kind][code]})
        else:
            self.seen[kind][code] = where
        if not _text(node.get("name")):
            self.add(where, _("须填写名称"))

    def domains(self, domains):
        if domains is None:
            return
        if not isinstance(domains, list) or not all(isinstance(d, dict) for d in domains):
            self.add(_("特色领域"), _("domains 须为列表，每项含 code 和 name"))
            return
        for index, domain in enumerate(domains):
            where = _where("", _("特色领域"), domain, index)
            self.problems += _unknown_keys(domain, DOMAIN_KEYS, where)
            self.code("domain", domain, where)

    def indicator(self, node, where):
        self.problems += _unknown_keys(node, INDICATOR_KEYS, where)
        for problem in validate_indicator(node):
            if problem.field == "code" and not CODE_RE.match(_text(node.get("code"))):
                continue  # reported once by self.code below
            self.add(where, problem.message)
        self.code("indicator", node, where)

    def dimension(self, node, where):
        self.problems += _unknown_keys(node, DIMENSION_KEYS, where)
        self.code("dimension", node, where)
        domain = _text(node.get("domain"))
        if domain and domain not in self.seen["domain"]:
            self.add(where, _("特色领域 %(code)s 未在 domains 中定义") % {"code": domain})
        if not _list_of_dicts(node.get("indicators")):
            self.add(where, _("维度下至少须有一个指标"))
            return
        for index, indicator in enumerate(node["indicators"]):
            self.indicator(indicator, _where(where, _("指标"), indicator, index))

    def system(self, node, where):
        self.problems += _unknown_keys(node, SYSTEM_KEYS, where)
        self.code("system", node, where)
        if not _text(node.get("applies_to")):
            self.add(where, _("须填写适用类型（如 综合型、特色型）"))
        if not _list_of_dicts(node.get("dimensions")):
            self.add(where, _("体系下至少须有一个维度"))
            return
        for index, dimension in enumerate(node["dimensions"]):
            self.dimension(dimension, _where(where, _("维度"), dimension, index))
        self.totals(node, where)

    def totals(self, node, where):
        try:
            totals = system_totals(node, list(self.seen["domain"]))
        except (ValueError, TypeError, KeyError, AttributeError):
            return  # malformed weights are reported per indicator
        for domain, total in totals.items():
            if total != TOTAL_POINTS:
                part = _("共性部分") if domain is None else _("共性部分加特色领域 %(code)s 部分") % {"code": domain}
                self.add(where, _("%(part)s合计 %(total)s 分，须为 100 分") % {"part": part, "total": _fmt(total)})


def _fmt(number):
    text = format(number.normalize(), "f")
    return text


def system_totals(system, domain_codes):
    """Points of a system as scored: {None: total} when it has no per-domain part, else
    {domain code: common part + that domain's part} for every domain of the version.

    A specialised application is scored once per domain it applies for (yaml comment on SPEC).
    """
    common, parts = Decimal(0), {}
    for dimension in system["dimensions"]:
        points = sum((to_decimal(i["weight"]) or Decimal(0) for i in dimension["indicators"]), Decimal(0))
        domain = _text(dimension.get("domain")) or None
        if domain is None:
            common += points
        else:
            parts[domain] = parts.get(domain, Decimal(0)) + points
    if not parts:
        return {None: common}
    return {code: common + parts.get(code, Decimal(0)) for code in domain_codes}


def validate_document(document):
    """Every problem of a whole document, in reading order; empty list means valid."""
    if not isinstance(document, dict):
        return [Problem("", _("文件内容须为一个 YAML 映射（含 version、systems、domains）"))]
    checker = _Checker()
    label = _text(document.get("version"))
    if not LABEL_RE.match(label):
        checker.add("version", _("版本标识须为 1–64 位字母、数字、汉字、点、连字符或下划线"))
    checker.domains(document.get("domains"))
    systems = document.get("systems")
    if not _list_of_dicts(systems):
        checker.add("systems", _("至少须有一个指标体系"))
        return checker.problems
    for index, system in enumerate(systems):
        checker.system(system, _where("", _("体系"), system, index))
    return checker.problems


def validate_label(label):
    """Problems of a version label typed by an officer."""
    if LABEL_RE.match(_text(label)):
        return []
    return [Problem("", _("版本标识须为 1–64 位字母、数字、汉字、点、连字符或下划线"), "label")]
