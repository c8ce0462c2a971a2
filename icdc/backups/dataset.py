"""What a backup contains and how rows are written, shared by ``backup`` and ``restore``.

Why not plain ``dumpdata``/``loaddata``:

- Django's JSON encoder cuts datetimes to milliseconds. Audit records are signed over
  ``occurred_at`` with microseconds, so a restored trail would fail HMAC verification on
  every row. ``ExactJSONEncoder`` keeps full ISO-8601.
- ``dumpdata --natural-primary`` would drop the primary key of users (they have a natural
  key) and renumber them on restore, while audit records keep the old ``actor_id``. Every
  row therefore keeps its primary key; only references to content types and permissions,
  whose ids are assigned afresh by ``migrate`` in the target, are written as natural keys.
- ``loaddata`` tries an UPDATE before each INSERT. The restore inserts only
  (``force_insert``), so it can never overwrite a row, and the audit table's append-only
  trigger on PostgreSQL is never touched.
"""

import datetime as dt
import hmac
import json
import tomllib

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import router
from django.db.migrations.recorder import MigrationRecorder
from django.utils.timezone import is_aware

from . import archive

#: Not backed up, and why:
#: - contenttypes.ContentType, auth.Permission: ``migrate`` recreates them in the target
#:   (with ids of its own); rows refer to them by natural key.
#: - sessions.Session, accounts.AccountSession (the sessions in use): restoring sessions would
#:   log people back in (剩余信息保护).
#: - axes: login-failure counters and lockouts are short-lived state, not programme data;
#:   every login, failure and lockout is in the audit trail, which is backed up.
EXCLUDED_LABELS = frozenset({"contenttypes.contenttype", "auth.permission", "sessions.session",
                             "accounts.accountsession"})
EXCLUDED_APPS = frozenset({"axes"})
#: Referenced by natural key, because their ids differ between installations.
NATURAL_KEY_LABELS = frozenset({"contenttypes.contenttype", "auth.permission"})
KEY_CHECK_TEXT = b"icdc-backup key check value"
FINGERPRINTS = "keyring.keyfingerprint"


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder without its loss of precision: times keep their microseconds."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            return o.isoformat()
        if isinstance(o, dt.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class RowSerializer(JSONLSerializer):
    """JSON Lines, primary keys kept, natural keys only for content types and permissions."""

    def _natural_for(self, field):
        self.use_natural_foreign_keys = field.remote_field.model._meta.label_lower in NATURAL_KEY_LABELS

    def handle_fk_field(self, obj, field):
        self._natural_for(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self._natural_for(field)
        super().handle_m2m_field(obj, field)

    def end_object(self, obj):
        # ``json.dump`` to a stream runs the pure-Python encoder; one ``dumps`` per row uses
        # the C encoder and makes large dumps several times faster.
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs))
        self.stream.write("\n")
        self._current = None


def write_rows(rows, stream):
    RowSerializer().serialize(rows, stream=stream, cls=ExactJSONEncoder)


def _dependencies(model):
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return {f.remote_field.model for f in fields if f.is_relation and f.remote_field.model is not model}


def backed_up_models(using="default"):
    """Every concrete table the project owns data in, parents before children.

    Order only keeps the load tidy (foreign-key checks are deferred to the end of the
    restore transaction); the sort is stable and cycles fall back to registry order.
    """
    candidates = [
        m for m in apps.get_models()
        if not m._meta.proxy and m._meta.managed
        and m._meta.app_label not in EXCLUDED_APPS and m._meta.label_lower not in EXCLUDED_LABELS
        and router.allow_migrate_model(using, m)
    ]
    ordered, placed = [], set()
    pending = list(candidates)
    while pending:
        ready = [m for m in pending if not (_dependencies(m) & (set(pending) - {m}))] or pending[:1]
        for model in ready:
            ordered.append(model)
            placed.add(model)
        pending = [m for m in pending if m not in placed]
    # Key fingerprints first: rows restored after them are sealed again (encrypted fields) by a
    # key confirmed against the restored fingerprint, instead of recording one that would then
    # collide with the archive's row.
    return sorted(ordered, key=lambda m: m._meta.label_lower != FINGERPRINTS)


def member_name(model):
    return f"{archive.DATABASE_DIR}/{model._meta.label_lower}.jsonl"


def migration_state(connection):
    """The latest applied migration of each app, in application order (as the manifest
    records it; a restore needs the target at the same state)."""
    latest = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("applied", "id").values_list("app", "name"):
        latest[app] = name
    return dict(sorted(latest.items()))


def platform_version():
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as fh:
            return tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def key_check_values(key_ids):
    """A short HMAC-SM3 of a fixed text per audit key id: proves, without revealing the key,
    that the target has the same keys — otherwise the restored chain could not verify.
    Never creates a key: a restore into a new installation must not invent one."""
    from icdc.audit import keys

    ring = keys.keyring(create=False)
    return {kid: hmac.new(ring[kid], KEY_CHECK_TEXT, "sm3").hexdigest()[:16] for kid in sorted(key_ids) if kid in ring}


def data_key_ids_in_use(using="default"):
    """The SM4 key ids that some encrypted value in the database is sealed with."""
    from django.db import models
    from django.db.models.functions import Cast

    from icdc.lib import sm4

    used = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not getattr(field, "encrypted", False):
                continue
            raw = model._base_manager.using(using).annotate(icdc_raw=Cast(field.name, models.TextField()))
            used |= {kid for kid in sm4.keyring(create=False)
                     if raw.filter(icdc_raw__startswith=f"{sm4.PREFIX}:{kid}:").exists()}
    return used


def data_key_check_values(key_ids):
    """As ``key_check_values``, for the SM4 data keys the backed-up data is sealed with."""
    from icdc.lib import sm4

    ring = sm4.keyring(create=False)
    return {kid: hmac.new(ring[kid], KEY_CHECK_TEXT, "sm3").hexdigest()[:16] for kid in sorted(key_ids) if kid in ring}
