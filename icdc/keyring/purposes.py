from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """What a key is for; each has its own ids, fingerprints and key files (one key, one use)."""

    AUDIT = "audit", _("审计 HMAC 密钥")
    DATA = "data", _("SM4 数据密钥")
    BACKUP = "backup", _("备份签名密钥")
