from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from . import chain


class AuditConfig(AppConfig):
    name = "icdc.audit"
    verbose_name = _("安全审计")

    def ready(self):
        """Refuse to start without SM3 (密评: the chain must be HMAC-SM3), then hook auditing."""
        if not chain.sm3_available():
            raise ImproperlyConfigured(
                "SM3 (GB/T 32905) is not available from hashlib/OpenSSL, or fails the standard's test "
                "vector; the audit chain needs it (OpenSSL 3 with SM3 enabled)."
            )
        from . import checks  # noqa: F401  (registers the system checks)
        from .registry import audit_model

        # Programme data owned by the foundation apps; other apps register theirs in their ready().
        audit_model(self.apps.get_model("accounts", "User"), exclude=["password", "last_login"])
        audit_model(self.apps.get_model("divisions", "Division"))
