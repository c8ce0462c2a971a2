"""``manage.py reencrypt_data``: the last step of an SM4 data key rotation."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from icdc.audit.services import record_event
from icdc.lib import sm4
from icdc.lib.fields import EncryptedCharField, reencrypt_all


class Command(BaseCommand):
    help = _("密钥轮换：把所有加密字段中用旧数据密钥加密的值改用当前密钥（ICDC_DATA_KEY_ID）重新加密，并记入审计日志")

    def handle(self, *args, **options):
        try:
            sm4.current_key_confirm()  # never re-seal everything under a key other than the recorded one
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        kid = settings.ICDC_DATA_KEY_ID
        rows = {}
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedCharField):
                    rows[f"{model._meta.label_lower}.{field.name}"] = reencrypt_all(model, field.name)
        total = sum(rows.values())
        with transaction.atomic():
            record_event(action="keyring.data.reencrypt", object_type="keyring.keyfingerprint", object_id=kid,
                         after={"key_id": kid, "rows": rows},
                         detail=_("数据密钥轮换：%(total)d 个加密值改用密钥“%(kid)s”") % {"total": total, "kid": kid})
        for name, count in rows.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS(
            _("已用数据密钥“%(kid)s”重新加密 %(total)d 个值。确认无误后可从 ICDC_DATA_KEYS 中移除旧密钥。")
            % {"kid": kid, "total": total}))
