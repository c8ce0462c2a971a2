"""Masking of personal numbers for display (SECURITY.md 数据保密性: "masked for roles that
don't need them"; 《个人信息保护法》 minimum necessary; 密评 GB/T 39786 protects them at rest,
masking keeps them from leaking through the screen, print-outs and screenshots).

The shapes follow common practice in government systems: a mobile number keeps its carrier
prefix and last four digits (138****5678); an ID number keeps its region prefix and last
four (110***********1234). Masking keeps the length, so a masked number still looks like one.
"""

HEAD, TAIL = 3, 4


def _mask_middle(value, head=HEAD, tail=TAIL):
    value = "" if value is None else str(value).strip()
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)  # too short to show anything safely
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_phone(value):
    """Mobile "13812345678" → "138****5678"."""
    return _mask_middle(value)


def mask_id_number(value):
    """18-digit 居民身份证号 "110101199003071234" → "110***********1234" (birth date hidden)."""
    return _mask_middle(value)


def sees_in_full(viewer, owner, *, full_roles=None):
    """Whether ``viewer`` may see ``owner``'s numbers unmasked: the owner themself, and the
    roles whose work needs them (default: the system administrator, who maintains accounts).
    A future expert or contact model passes its own ``full_roles``."""
    from icdc.accounts.models import Role  # lazy: this package is not an app

    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if owner is not None and type(owner) is type(viewer) and owner.pk == viewer.pk:
        return True
    roles = {Role.SYSTEM_ADMIN} if full_roles is None else set(full_roles)
    return getattr(viewer, "role", None) in roles


def visible_phone(viewer, owner, number=None, *, full_roles=None):
    """``owner``'s phone as ``viewer`` may see it (``number`` defaults to ``owner.mobile``)."""
    if number is None:
        number = getattr(owner, "mobile", "")
    if sees_in_full(viewer, owner, full_roles=full_roles):
        return number or ""
    return mask_phone(number)
