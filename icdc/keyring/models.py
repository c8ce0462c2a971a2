from django.db import models
from django.utils.translation import gettext_lazy as _

from .purposes import Purpose


class KeyFingerprint(models.Model):
    """密钥指纹: HMAC-SM3 of a fixed label under one key (never the key itself).

    Recorded at the key's first use, so that a key file that went missing, or another
    key put in its place under the same id, is recognised at start-up and refused instead
    of silently sealing new data that the real key will never open.
    """

    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    key_id = models.CharField(_("密钥编号"), max_length=32)
    fingerprint = models.CharField(_("指纹（HMAC-SM3）"), max_length=64)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("密钥指纹")
        verbose_name_plural = _("密钥指纹")
        constraints = [models.UniqueConstraint(fields=["purpose", "key_id"], name="keyring_one_fingerprint_per_key")]

    def __str__(self):
        return f"{self.purpose}:{self.key_id}"
