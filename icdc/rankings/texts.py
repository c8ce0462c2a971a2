"""The scoring engine's texts in the user's language.

The engine (``icdc.scoring``, no Django) writes its messages in Chinese and hands over, beside
each text, what it was made from: an error's ``template`` and ``fields``, an explanation
node's rule key and fields, the flag codes. Here the same template is looked up in the
catalogue (``icdc/scoring/messages.py`` marks every one for ``makemessages``) and filled in
with the same fields, at render time — so a page or an export reads in the reader's language
whichever language the run was created in.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from icdc.scoring import messages
from icdc.scoring.types import QUANTITATIVE


def engine_text(template: str, **fields) -> str:
    """One engine message template, translated, then filled in."""
    return gettext(template).format(**fields)


def error_text(exc) -> str:
    """A ``ScoringInputError``'s message in the user's language."""
    return engine_text(exc.template, **exc.fields)


def translate_explanation(tree: dict) -> dict:
    """``explain(...).to_dict()`` with its texts (composite, flags, rules, aggregations)
    rendered in the active language; changes ``tree`` in place and returns it."""
    tree["composite_text"] = engine_text(messages.COMPOSITE_TEXT, material=tree["material"], w1=tree["w_material"],
                                         defence=tree["defence"], w2=tree["w_defence"])
    tree["flag_texts"] = [gettext(messages.FLAG_LABELS[flag]) for flag in tree["flags"]]
    tree["defence_aggregation_text"] = engine_text(messages.DEFENCE_AGGREGATION_TEXT[tree["defence_aggregation"]],
                                                   n=len(tree["defence_experts"]))
    for dimension in tree["dimensions"]:
        for node in dimension["indicators"]:
            if node["kind"] == QUANTITATIVE:
                node["rule_text"] = engine_text(messages.RULE_TEXT[node["rule_key"]], **node["rule_fields"])
            else:
                node["aggregation_text"] = engine_text(messages.AGGREGATION_TEXT[node["aggregation"]],
                                                       n=len(node["experts"]))
    return tree


#: Why a re-check did not match, by the code ``services._compare`` stores.
RECHECK_REASONS = {
    "unreadable": gettext_lazy("快照无法复算：%(error)s"),
    "input": gettext_lazy("输入摘要不一致（快照可能被改动）"),
    "content": gettext_lazy("结果内容不一致"),
    "hash": gettext_lazy("结果摘要不一致"),
    "copies": gettext_lazy("页面所用的运行概要或城市明细与复算结果不一致"),
    "engine": gettext_lazy("计分引擎已由 %(old)s 变为 %(new)s"),
}


def recheck_text(*, matched: bool, reasons: list) -> str:
    """The result of a re-check (``ReproductionCheck``) in the active language."""
    if matched:
        return gettext("复算结果与存储结果逐字节一致")
    return gettext("；").join(str(RECHECK_REASONS[code]) % values for code, values in reasons)


def check_summary(check) -> str:
    """What a stored re-check found, in the reader's language (its stored ``detail`` only for
    checks recorded before the reasons were kept as codes)."""
    if check.reasons is None:
        return check.detail
    return recheck_text(matched=check.matched, reasons=check.reasons)
