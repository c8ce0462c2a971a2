"""Retention of audit records: archive-with-anchor, never a silent delete.

《网络安全法》第二十一条 requires network logs to be kept for at least six months; we keep
them ``ICDC_AUDIT_RETENTION_DAYS`` (never less than 180). Older records may leave the
database, but only like this, in one transaction holding the chain head lock:

1. the whole chain is verified (a broken chain is evidence: nothing is pruned);
2. the oldest records, a prefix of the chain that is entirely older than the cut-off, are
   written with their macs to an archive file outside the database (JSON lines), and the
   file's SM3 digest is taken;
3. a signed ``audit.prune`` checkpoint record is appended, naming the last archived seq,
   its mac, the archive file and its digest;
4. the archived rows are deleted.

``verify_chain`` then starts from the checkpoint: the first remaining record must attach
to the mac the checkpoint names. Deleting a prefix without a checkpoint, or forging one
without the key, is detected. The archive stays verifiable (``verify_audit --archive``).
Keeping the archive files (write-once storage, backups) is the operator's duty.
"""

import json
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import chain, verification
from .checks import MINIMUM_RETENTION_DAYS
from .models import AuditRecord
from .services import _lock_head, record_event


class PruneRefused(Exception):
    """The prune would break the law, the settings or the evidence; nothing was deleted."""


@dataclass
class PruneResult:
    count: int = 0
    through_seq: int | None = None
    archive: Path | None = None
    archive_sm3: str = ""


def retention_days():
    days = settings.ICDC_AUDIT_RETENTION_DAYS
    if days < MINIMUM_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"ICDC_AUDIT_RETENTION_DAYS={days} is below the legal minimum of {MINIMUM_RETENTION_DAYS} days")
    return days


def archive_dir():
    return Path(getattr(settings, "ICDC_AUDIT_ARCHIVE_DIR", settings.VAR_DIR / "audit-archive"))


def _prunable_through(cutoff):
    """The last seq of the longest prefix of the chain that is entirely older than ``cutoff``."""
    first_young = (AuditRecord.objects.filter(occurred_at__gte=cutoff)
                   .order_by("seq").values_list("seq", flat=True).first())
    older = AuditRecord.objects.filter(occurred_at__lt=cutoff)
    if first_young is not None:
        older = older.filter(seq__lt=first_young)
    return older.order_by("-seq").values_list("seq", flat=True).first()


def _write_archive(rows, directory, name):
    directory.mkdir(parents=True, exist_ok=True)
    final, partial = directory / name, directory / f"{name}.partial"
    with partial.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({**chain.normalise(row), "id": row["id"], "mac": row["mac"]},
                                 ensure_ascii=False, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    partial.chmod(0o400)
    partial.rename(final)
    return final, chain.sm3_hexdigest(final.read_bytes())


def prune(*, older_than_days=None, directory=None, now=None) -> PruneResult:
    """Archive and remove records older than the retention period (see module docstring).

    Refuses (``PruneRefused``) a period shorter than ``ICDC_AUDIT_RETENTION_DAYS`` and a
    chain that does not verify.
    """
    days = retention_days()
    older_than_days = days if older_than_days is None else older_than_days
    if older_than_days < days:
        raise PruneRefused(_("审计记录至少保存 %(days)d 天，不能删除 %(asked)d 天内的记录。")
                           % {"days": days, "asked": older_than_days})
    now = now or timezone.now()
    cutoff = now - timedelta(days=older_than_days)
    with transaction.atomic():
        _lock_head()
        through = _prunable_through(cutoff)
        if through is None:
            return PruneResult()
        checked = verification.verify_chain()
        if not checked.ok:
            raise PruneRefused(_("审计日志完整性校验未通过，拒绝归档：%(why)s") % {"why": checked.failure.message})
        rows = AuditRecord.objects.filter(seq__lte=through).order_by("seq").values(*verification._COLUMNS)
        first_seq = rows.first()["seq"]
        name = f"audit-{first_seq:012d}-{through:012d}-{now:%Y%m%dT%H%M%S}.jsonl"
        path, digest = _write_archive(rows.iterator(chunk_size=2000), directory or archive_dir(), name)
        last_mac = AuditRecord.objects.get(seq=through).mac
        count = AuditRecord.objects.filter(seq__lte=through).count()
        record_event(
            action=verification.PRUNE_ACTION,
            object_type="audit.auditrecord",
            object_repr=_("归档第 %(first)d–%(last)d 号审计记录") % {"first": first_seq, "last": through},
            after={"pruned_from_seq": first_seq, "pruned_through_seq": through, "last_pruned_mac": last_mac,
                   "pruned_count": count, "cutoff": cutoff.isoformat(), "archive": path.name,
                   "archive_sm3": digest},
            detail=_("保存期限 %(days)d 天") % {"days": older_than_days},
        )
        AuditRecord.objects.filter(seq__lte=through)._delete_archived()
    return PruneResult(count=count, through_seq=through, archive=path, archive_sm3=digest)
