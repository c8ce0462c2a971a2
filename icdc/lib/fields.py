"""Model fields that keep personal numbers encrypted at rest (SM4-GCM, see ``icdc.lib.sm4``).

``EncryptedCharField`` — why and what it means for code using it (密评 GB/T 39786-2021,
重要数据存储机密性; SECURITY.md 数据保密性):

- The column holds an ``sm4gcm:`` token (a raw SELECT shows ciphertext); Python code, forms
  and the admin see the plaintext. ``max_length`` and validators apply to the plaintext.
- Not queryable by value: each encryption uses a fresh nonce, so equal numbers give
  different tokens. Only ``field=""`` and ``field__isnull`` are allowed; any other lookup
  raises ``FieldError`` rather than silently matching nothing. For exact-match search add
  a ``BlindIndexField`` (HMAC-SM3) and filter with ``matching()``.
- ``""`` and ``None`` are stored as they are: the absence of a number is not personal data.
- A row whose value is not a token, or whose token was altered, raises ``DecryptionError``
  when loaded: an integrity violation is loud, never shown as data.
- Serialization (backups, ``dumpdata``) writes the token, not the plaintext; loading a token
  decrypts it, so the target needs the same keys. A form refuses a token, so the application
  cannot be used to decrypt a ciphertext stolen from the database.
- The token is bound to ``context`` (default ``"<app_label>.<model>.<field>"``), so it will
  not decrypt when copied into another column. Renaming the model or field: pass the old
  label as ``context=`` to keep existing rows readable.
- Key rotation: ``reencrypt_all(Model, "field")`` after changing ``ICDC_DATA_KEY_ID``.
"""

from django.core.exceptions import FieldError, ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sm4


class _EmptyOnlyExact(Exact):
    """``field=""`` (no number) is answerable; ``field="138..."`` is not — say so."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(_("加密字段“%(field)s”不能按值查询；请用盲索引字段精确查找。") % {"field": self.lhs.target.name})
        return super().get_prep_lookup()


class EncryptedCharField(models.CharField):
    description = gettext_lazy("SM4 加密存储的字符串")
    encrypted = True  # for generic code (audit, exports) that must not copy the plaintext

    def __init__(self, *args, context=None, **kwargs):
        self._context = context
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self._context is not None:
            kwargs["context"] = self._context
        return name, path, args, kwargs

    @property
    def context(self):
        return self._context if self._context is not None else f"{self.model._meta.label_lower}.{self.name}"

    def get_internal_type(self):
        return "TextField"  # a token is longer than the plaintext's max_length

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return sm4.decrypt(value, context=self.context)

    def to_python(self, value):
        if sm4.is_token(value):  # deserialization of a backup
            return sm4.decrypt(value, context=self.context)
        return super().to_python(value)

    def clean(self, value, model_instance):
        if sm4.is_token(value):
            raise ValidationError(_("不能直接提交加密数据。"), code="token")
        return super().clean(value, model_instance)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        sm4.current_key_confirm()  # never seal data with a key other than the one first used under its id
        return sm4.encrypt(value, context=self.context)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return sm4.encrypt(value, context=self.context) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name):
        return None


class BlindIndexField(models.CharField):
    """HMAC-SM3 of another field's plaintext, kept in step on every ``save()``: exact-match
    search over encrypted data without decrypting every row. Reveals only which rows share
    a value. Saving with ``update_fields`` must name this field too."""

    def __init__(self, source, *args, **kwargs):
        self.source = source
        for key, value in {"max_length": 64, "editable": False, "blank": True, "default": "", "db_index": True}.items():
            kwargs.setdefault(key, value)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key in ("editable", "blank", "default"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def digest(self, value, key_id=None):
        if not value:
            return ""
        return sm4.blind_index(value, context=self.model._meta.get_field(self.source).context, key_id=key_id)

    def candidates(self, value):
        """The index of ``value`` under every known key (rows not yet re-encrypted still match)."""
        return sorted({self.digest(value, kid) for kid in sm4.keyring()})

    def pre_save(self, model_instance, add):
        value = self.digest(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def matching(model, index_field, value):
    """A filter for rows whose encrypted source equals ``value``:
    ``User.objects.filter(matching(User, "mobile_hash", "13812345678"))``."""
    return models.Q(**{f"{index_field}__in": model._meta.get_field(index_field).candidates(value)})


def reencrypt_all(model, field_name, *, batch_size=500):
    """Rewrite every value of ``model.field_name`` not sealed with the current key (key
    rotation; also encrypts legacy plaintext left by converting a plain column). Blind
    indexes of the field are recomputed. Each row is rewritten only if it still holds what
    was read (compare and swap), so a concurrent edit is never overwritten with an old value.
    Uses ``update()``: no signals; the caller records the rotation in the audit trail.
    Returns the number of rows rewritten."""
    field = model._meta.get_field(field_name)
    indexes = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField) and f.source == field_name]
    manager = model._base_manager
    raw = Cast(field_name, models.TextField())
    pending = (
        manager.annotate(icdc_raw=raw)
        .exclude(icdc_raw__isnull=True).exclude(icdc_raw="")
        .exclude(icdc_raw__startswith=f"{sm4.PREFIX}:{sm4.current_key()[0]}:")
        .order_by("pk").values_list("pk", "icdc_raw")
    )
    rewritten, last = 0, None
    while True:
        batch = list((pending if last is None else pending.filter(pk__gt=last))[:batch_size])
        if not batch:
            return rewritten
        with transaction.atomic(using=manager.db):
            for pk, stored in batch:
                plain = sm4.decrypt(stored, context=field.context) if sm4.is_token(stored) else stored
                values = {field_name: plain, **{f.name: f.digest(plain) for f in indexes}}
                rewritten += manager.annotate(icdc_raw=raw).filter(pk=pk, icdc_raw=stored).update(**values)
        last = batch[-1][0]
