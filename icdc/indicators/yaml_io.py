"""YAML text ↔ indicator-set document, and the canonical form services store and compare.

Pure: no database. The canonical document has Decimals for numbers, empty strings/None for
absent optional fields and ``extras`` for the top-level sections this app does not model
(e.g. ``basic_conditions``), so two documents compare equal exactly when they hold the
same data, whatever the file's formatting or comments.
"""

import hashlib
import json

import yaml
from django.utils.translation import gettext as _

from icdc.lib.yaml_text import AliasRefused, NoAliasLoader, has_nul

from .validation import Problem, to_decimal, validate_document

MODELLED_KEYS = ("version", "systems", "domains")
MAX_BYTES = 1024 * 1024


class DocumentError(Exception):
    """The text is not a valid indicator-set document; ``problems`` lists every reason."""

    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)


def _text(value):
    return "" if value is None else str(value).strip()


def parse_yaml(text):
    """YAML text → raw document (plain Python data); raises DocumentError on syntax errors."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise DocumentError([Problem("", _("文件过大（上限 1 MB）"))])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError([Problem("", _("文件须为 UTF-8 编码的 YAML"))]) from exc
    try:
        raw = yaml.load(text, Loader=NoAliasLoader)  # a SafeLoader subclass
    except AliasRefused as exc:
        where = _("第 %(line)s 行") % {"line": exc.problem_mark.line + 1}
        raise DocumentError([Problem(where, _("不支持 YAML 别名（*）"))]) from exc
    except RecursionError as exc:  # PyYAML composes recursively: "[[[[…" a few thousand deep
        raise DocumentError([Problem("", _("YAML 嵌套层数过多"))]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("第 %(line)s 行") % {"line": mark.line + 1} if mark else ""
        raise DocumentError([Problem(where, _("YAML 格式错误：%(error)s") % {"error": getattr(exc, "problem", exc)})]) \
            from exc
    if has_nul(raw):
        # A "\0" escape gives a NUL character, which PostgreSQL refuses in text (a 500, not a message).
        raise DocumentError([Problem("", _("文件含有空字符（NUL），请删除后重试"))])
    return raw


def _extras(raw):
    extras = {k: v for k, v in raw.items() if k not in MODELLED_KEYS}
    try:
        json.dumps(extras, ensure_ascii=False)
    except (TypeError, ValueError):
        return extras, [Problem("", _("其他内容（%(keys)s）含无法保存的值，如日期；请写成文本") % {
            "keys": "、".join(map(str, extras))})]
    return extras, []


def _indicator(raw):
    return {
        "code": _text(raw["code"]), "name": _text(raw["name"]), "kind": _text(raw["kind"]),
        "unit": _text(raw.get("unit")), "weight": to_decimal(raw["weight"]), "rule": _text(raw.get("rule")),
        "floor": to_decimal(raw.get("floor")), "target": to_decimal(raw.get("target")),
        "source": _text(raw.get("source")),
    }


def _dimension(raw):
    return {
        "code": _text(raw["code"]), "name": _text(raw["name"]), "domain": _text(raw.get("domain")) or None,
        "indicators": [_indicator(i) for i in raw["indicators"]],
    }


def normalize_document(raw):
    """A *valid* raw document in canonical form (see the module docstring)."""
    return {
        "version": _text(raw["version"]),
        "systems": [
            {"code": _text(s["code"]), "name": _text(s["name"]), "applies_to": _text(s["applies_to"]),
             "dimensions": [_dimension(d) for d in s["dimensions"]]}
            for s in raw["systems"]
        ],
        "domains": [{"code": _text(d["code"]), "name": _text(d["name"])} for d in raw.get("domains") or []],
        "extras": {k: v for k, v in raw.items() if k not in MODELLED_KEYS},
    }


def load_document(text, label=None):
    """YAML text → canonical document, validated; ``label`` overrides the file's ``version``.

    Raises DocumentError listing every problem; nothing is partially accepted.
    """
    raw = parse_yaml(text)
    if isinstance(raw, dict) and label:
        raw = {**raw, "version": label}
    problems = validate_document(raw)
    if isinstance(raw, dict):
        problems += _extras(raw)[1]
    if problems:
        raise DocumentError(problems)
    return normalize_document(raw)


def _number(value):
    """Decimal → int when whole, else float, so the YAML reads like the hand-written draft."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class _FlowDict(dict):
    """An indicator mapping, written on one line as in the draft file."""


class _Dumper(yaml.SafeDumper):
    """A SafeDumper of our own, so the representers registered below do not change PyYAML's."""


_Dumper.add_representer(
    _FlowDict, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)
)


def _indicator_out(indicator):
    out = {"code": indicator["code"], "name": indicator["name"], "kind": indicator["kind"]}
    if indicator["unit"]:
        out["unit"] = indicator["unit"]
    out["weight"] = _number(indicator["weight"])
    for key in ("rule", "floor", "target", "source"):
        value = indicator[key]
        if value not in (None, ""):
            out[key] = _number(value) if key in ("floor", "target") else value
    return _FlowDict(out)


def _dimension_out(dimension):
    out = {"code": dimension["code"], "name": dimension["name"]}
    if dimension["domain"]:
        out["domain"] = dimension["domain"]
    out["indicators"] = [_indicator_out(i) for i in dimension["indicators"]]
    return out


def dump_yaml(document):
    """Canonical document → YAML text in the draft file's layout (loadable by ``load_document``)."""
    out = {
        "version": document["version"],
        "systems": [
            {"code": s["code"], "name": s["name"], "applies_to": s["applies_to"],
             "dimensions": [_dimension_out(d) for d in s["dimensions"]]}
            for s in document["systems"]
        ],
        "domains": [_FlowDict(d) for d in document["domains"]],
        **document["extras"],
    }
    return yaml.dump(out, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)


def document_sha256(document):
    """A content hash of a canonical document: equal data, equal hash, whatever the layout or label."""
    content = {k: v for k, v in document.items() if k != "version"}
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, default=lambda d: format(d.normalize(), "f"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
