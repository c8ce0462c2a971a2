"""System checks for the audit trail's configuration (run by ``manage.py check`` and at start-up)."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

#: 《网络安全法》第二十一条: network logs kept no less than six months.
MINIMUM_RETENTION_DAYS = 180
MINIMUM_KEY_BYTES = 16


@register("security")
def check_audit_key(app_configs=None, **kwargs):
    from . import keys

    try:
        ring = keys.keyring(create=False)  # a check never creates a key (missing files: icdc.keyring)
    except (ImproperlyConfigured, OSError) as exc:
        return [Error(f"The audit HMAC key cannot be loaded: {exc}", id="audit.E001")]
    short = sorted(kid for kid, key in ring.items() if len(key) < MINIMUM_KEY_BYTES)
    if short:
        return [Error(f"Audit HMAC keys shorter than {MINIMUM_KEY_BYTES} bytes: {', '.join(short)}",
                      hint="Use 32 random bytes in hex (ICDC_AUDIT_KEY).", id="audit.E001")]
    return []


@register("security")
def check_retention(app_configs=None, **kwargs):
    days = settings.ICDC_AUDIT_RETENTION_DAYS
    if days < MINIMUM_RETENTION_DAYS:
        return [Error(f"ICDC_AUDIT_RETENTION_DAYS is {days}; the Cybersecurity Law (art. 21) requires "
                      f"at least {MINIMUM_RETENTION_DAYS}.", id="audit.E002")]
    return []
