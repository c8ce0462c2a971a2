from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def account_overview():
    """Account counts for the system administrator's home page."""
    return selectors.account_overview()
