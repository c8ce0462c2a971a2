from django import template

from icdc.audit import actions, selectors

register = template.Library()


@register.simple_tag
def audit_summary():
    """Figures for the audit administrator's home page (home/auditor.html only)."""
    return selectors.summary()


@register.filter
def action_label(code):
    """``scoring.run`` → “计算评分排名” (``icdc.audit.actions``)."""
    return actions.action_label(code)


@register.filter
def object_type_label(object_type):
    """``decisions.scoringrun`` → “评分运行”."""
    return actions.object_type_label(object_type)


@register.filter
def audit_note(detail):
    """``rows=4 created=0`` → “行数 4，新增 0”; other notes as written."""
    return actions.readable_note(detail)
