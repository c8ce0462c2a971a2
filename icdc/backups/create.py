"""``create_backup``: database and media into one checksummed archive, atomically.

- Consistent: all tables are read in one transaction (REPEATABLE READ on PostgreSQL, so
  an audit record committed half-way cannot appear without its chain head row; on SQLite
  the transaction holds the database lock, which is the embedded profile's trade-off).
- Bounded memory: rows are streamed (``iterator``) into one JSON Lines file per model in
  the private work folder (``workdir``), then hashed and copied into the tar in chunks.
- Signed: the manifest carries an HMAC-SM3 under the backup key (``keys``), so an archive
  edited in the store, digests recomputed, is refused by ``verify_backup`` and ``restore``.
- Atomic: the archive is written in the work folder and given its final name only after
  it is complete and its ``backup.create`` audit record is written, in that record's
  transaction. Any failure removes it; a run killed outright leaves its files in the work
  folder (or a ``.part`` in the output directory), which the next run removes first.
"""

import contextlib
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.audit import verification
from icdc.audit.models import AuditChainHead, AuditRecord
from icdc.audit.services import record_event

from . import archive, dataset, keys, workdir

ITERATOR_CHUNK = 2000


class BackupFailed(Exception):
    """The backup could not be written; nothing was left behind."""


@dataclass
class BackupResult:
    path: Path
    digest: dict
    manifest: dict
    rows: int = 0
    media_files: int = 0
    skipped_media: list = field(default_factory=list)


def default_output_dir():
    return Path(settings.VAR_DIR) / "backups"


@contextlib.contextmanager
def _snapshot(using):
    """One read-only, repeatable view of the database for the whole dump."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield connection


def _dump_model(model, path, using):
    """Stream one table into ``path``; returns the row count."""
    qs = model._base_manager.using(using).order_by("pk")
    m2m = [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    if m2m:
        qs = qs.prefetch_related(*m2m)
    count = 0

    def counted():
        nonlocal count
        for row in qs.iterator(chunk_size=ITERATOR_CHUNK):
            count += 1
            yield row

    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        dataset.write_rows(counted(), stream)
    return count


def _audit_state():
    """The chain as it stands in the snapshot: its head, whether it verifies now, and a
    check value per key id, so ``restore`` can tell a faithful copy from a damaged one."""
    head = AuditChainHead.objects.values("seq", "mac").first() or {"seq": 0, "mac": ""}
    result = verification.verify_chain()
    # order_by(): the model orders by -seq, which DISTINCT would otherwise include (one row per record)
    key_ids = set(AuditRecord.objects.order_by().values_list("key_id", flat=True).distinct())
    return {
        "head_seq": head["seq"], "head_mac": head["mac"], "records": AuditRecord.objects.count(),
        "verified": result.ok, "summary": result.summary,
        "key_check": dataset.key_check_values(key_ids),
    }


def _media_files(root):
    """Regular files under MEDIA_ROOT (symlinks are not followed: a link could point anywhere)."""
    files, skipped = [], []
    if not root.is_dir():
        return files, skipped
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                skipped.append(str(path.relative_to(root)))
                continue
            files.append(path)
    return files, skipped


def _write_database(scratch, using, manifest):
    """Dump every table and describe it in the manifest; returns [(member, path)]."""
    members = []
    with _snapshot(using) as connection:
        manifest["migrations"] = dataset.migration_state(connection)
        manifest["audit"] = _audit_state()
        manifest["data_key_check"] = dataset.data_key_check_values(dataset.data_key_ids_in_use(using))
        for model in dataset.backed_up_models(using):
            name = dataset.member_name(model)
            path = scratch / name
            path.parent.mkdir(parents=True, exist_ok=True)
            rows = _dump_model(model, path, using)
            manifest["database"]["models"].append({"label": model._meta.label_lower, "member": name, "rows": rows})
            members.append((name, path))
    return members


def _build(fileobj, scratch, using, media_root, signing_key):
    created = timezone.now()
    manifest = {
        "format": archive.FORMAT,
        "created_at": created.isoformat(),
        "platform": {"name": "icdc", "version": dataset.platform_version(), "django": django.get_version(),
                     "python": platform.python_version()},
        "database": {"vendor": connections[using].vendor, "models": []},
        "media": {"files": 0, "skipped": []},
        "members": [],
    }
    sources = _write_database(scratch, using, manifest)
    media, skipped = _media_files(media_root)
    manifest["media"] = {"files": len(media), "skipped": skipped}
    sources += [(f"{archive.MEDIA_DIR}/{p.relative_to(media_root).as_posix()}", p) for p in media]
    entries = []
    for name, path in sources:
        digest = archive.digest_file(path)
        manifest["members"].append(digest.as_entry(name))
        entries.append((name, path, digest.size, path.stat().st_mtime))
    archive.sign_manifest(manifest, *signing_key)
    writer = archive.ArchiveWriter(fileobj)
    writer.add_manifest(manifest)
    for name, path, size, mtime in entries:
        writer.add_file(name, path, size, mtime)
    writer.close()
    return manifest, created, skipped


def archive_name(created):
    """``icdc-backup-YYYYmmdd-HHMMSS.tar.gz`` in local time (what operators read on the shelf)."""
    return f"icdc-backup-{timezone.localtime(created):%Y%m%d-%H%M%S}.tar.gz"


def _publish(tmp, final):
    """Give the finished archive its name without ever replacing an existing backup.

    A hard link is atomic and fails if the name exists. Where the output directory is on
    another file system (or has no hard links) the archive is first copied next to its
    final name as a ``.part`` (removed by the next run if this one is killed meanwhile).
    The directory is synced so the name survives a power cut.
    """
    if final.exists():
        raise BackupFailed(_("备份文件已存在：%(name)s") % {"name": final})
    try:
        os.link(tmp, final)
    except FileExistsError as exc:
        raise BackupFailed(_("备份文件已存在：%(name)s") % {"name": final}) from exc
    except OSError:
        _publish_by_copy(tmp, final)
    with contextlib.suppress(OSError):
        dirfd = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)
    return final


def _publish_by_copy(tmp, final):
    fd, part_name = tempfile.mkstemp(prefix=workdir.BACKUP_PART, suffix=workdir.PART_SUFFIX, dir=final.parent)
    part = Path(part_name)
    try:
        with os.fdopen(fd, "wb") as out, open(tmp, "rb") as src:
            shutil.copyfileobj(src, out, archive.CHUNK)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(part, final)
        except FileExistsError as exc:
            raise BackupFailed(_("备份文件已存在：%(name)s") % {"name": final}) from exc
        except OSError:
            if final.exists():
                raise BackupFailed(_("备份文件已存在：%(name)s") % {"name": final}) from None
            os.replace(part, final)
    finally:
        part.unlink(missing_ok=True)


def create_backup(output_dir=None, *, using="default"):
    """Write ``icdc-backup-YYYYmmdd-HHMMSS.tar.gz`` into ``output_dir``, signed, and audit it."""
    output_dir = Path(output_dir or default_output_dir())
    output_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    media_root = Path(settings.MEDIA_ROOT)
    signing_key = keys.signing_key()  # before any work: no key, no backup
    with workdir.work_folder(output_dir=output_dir) as work:
        return _create_in(work, output_dir, media_root, signing_key, using)


def _create_in(work, output_dir, media_root, signing_key, using):
    tmp = work / "archive.part"
    scratch = work / "dump"
    scratch.mkdir(mode=0o700)
    published = None
    try:
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fileobj:
            manifest, created, skipped = _build(fileobj, scratch, using, media_root, signing_key)
            fileobj.flush()
            os.fsync(fileobj.fileno())
        shutil.rmtree(scratch)  # the plaintext dumps go as soon as the archive holds them
        digest = archive.whole_file_digest(tmp)
        final = output_dir / archive_name(created)
        rows = sum(m["rows"] for m in manifest["database"]["models"])
        with transaction.atomic(using=using):
            record_event(
                action="backups.archive.create", object_type="backup", object_id=final.name[:64], object_repr=final.name,
                after={"file": final.name, **digest, "rows": rows, "media_files": manifest["media"]["files"],
                       "audit_head_seq": manifest["audit"]["head_seq"], "migrations": manifest["migrations"],
                       "backup_key_id": signing_key[0]},
                detail=_("备份 %(name)s：%(tables)d 张表 %(rows)d 行，媒体文件 %(files)d 个，SM3 %(sm3)s")
                % {"name": final.name, "tables": len(manifest["database"]["models"]), "rows": rows,
                   "files": manifest["media"]["files"], "sm3": digest["sm3"]},
            )
            published = _publish(tmp, final)
    except BaseException:
        if published is not None:  # the record did not commit: no archive without its record
            published.unlink(missing_ok=True)
        raise
    return BackupResult(path=final, digest=digest, manifest=manifest, rows=rows,
                        media_files=manifest["media"]["files"], skipped_media=skipped)
