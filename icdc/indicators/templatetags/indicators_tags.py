from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain(value):
    """A Decimal without trailing zeros (6.00 → 6, 0.5000 → 0.5); empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return value
