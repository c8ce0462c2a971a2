from django import template

from icdc.audit import selectors

register = template.Library()


@register.simple_tag
def audit_summary():
    """Figures for the audit administrator's home page (home/auditor.html only)."""
    return selectors.summary()
