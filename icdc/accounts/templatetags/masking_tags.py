"""Masked display of personal numbers in templates (SECURITY.md 数据保密性)::

    {% load masking_tags %}
    {{ number|mask_phone }}                      always masked
    {% visible_phone request.user account %}     full for the holder and the system administrator
"""

from django import template

from icdc.lib import masking

register = template.Library()

register.filter("mask_phone", masking.mask_phone)
register.filter("mask_id_number", masking.mask_id_number)


@register.simple_tag
def visible_phone(viewer, owner, number=None):
    return masking.visible_phone(viewer, owner, number)
