"""``restore_backup``: an archive back into an empty, migrated database (数据备份恢复).

Order, and why:

1. The manifest's HMAC-SM3 signature and every checksum are verified before anything is
   written (a bad or forged archive changes nothing).
2. Preconditions, all before writing: same migration state as the backup (rows from
   another schema would not load identically), the same audit keys (checked by key check
   value, else the restored chain could not verify), an empty database (a restore never
   merges into or overwrites live data), no media file that would be overwritten.
3. One transaction: rows are inserted as stored (primary keys kept, INSERT only), media
   files written, sequences reset, foreign keys checked, row counts compared with the
   manifest, and the audit chain verified against the head the backup recorded. Only if
   the chain verifies as it did at backup time is ``backup.restore`` appended to it and
   the transaction committed; otherwise everything, media included, is undone.
"""

import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connections, transaction
from django.utils.translation import gettext as _

from icdc.audit import verification
from icdc.audit.registry import audited_elsewhere
from icdc.audit.services import record_event

from . import archive, dataset, keys, workdir

INSERT_BATCH = 1000


class RestoreRefused(Exception):
    """A precondition failed or the restored data did not check out; nothing was changed."""


@dataclass
class RestoreResult:
    manifest: dict
    rows: int
    media_files: int
    chain: verification.VerifyResult


def _check_migrations(manifest, connection):
    ours = dataset.migration_state(connection)
    theirs = manifest.get("migrations", {})
    if ours != theirs:
        diff = sorted(app for app in set(ours) | set(theirs) if ours.get(app) != theirs.get(app))
        shown = "；".join(f"{app}: {theirs.get(app) or '—'} / {ours.get(app) or '—'}" for app in diff[:5])
        raise RestoreRefused(
            _("目标数据库的迁移状态与备份不一致（应用: 备份 / 目标）：%(diff)s。请先部署与备份相同的版本并执行 migrate，"
              "恢复后再升级。") % {"diff": shown})


def _check_keys(manifest):
    """The target holds the keys the data needs, checked by key check value (never created here)."""
    want = manifest.get("audit", {}).get("key_check", {})
    have = dataset.key_check_values(want)
    for kid, value in want.items():
        if have.get(kid) != value:
            raise RestoreRefused(
                _("目标环境的审计密钥“%(kid)s”缺失或与备份时不同，恢复后的审计链将无法校验。"
                  "请配置与源系统相同的 ICDC_AUDIT_KEY / ICDC_AUDIT_OLD_KEYS。") % {"kid": kid})
    want = manifest.get("data_key_check", {})
    if not isinstance(want, dict):
        raise RestoreRefused(_("备份清单中的数据密钥校验值格式不正确。"))
    have = dataset.data_key_check_values(want) if want else {}
    for kid, value in want.items():
        if have.get(kid) != value:
            raise RestoreRefused(
                _("目标环境的 SM4 数据密钥“%(kid)s”缺失或与备份时不同，加密的个人信息将无法解密。"
                  "请配置与源系统相同的 ICDC_DATA_KEYS（或数据密钥文件）。") % {"kid": kid})


def _check_models(manifest, using):
    """Every model the archive holds exists here and is one a backup may hold."""
    ours = {m._meta.label_lower: m for m in dataset.backed_up_models(using)}
    plan = {}
    for item in manifest["database"]["models"]:
        model = ours.get(item["label"])
        if model is None or item["member"] != dataset.member_name(model):
            raise RestoreRefused(_("备份中包含本系统不认识的数据表：%(label)s") % {"label": item["label"]})
        plan[item["member"]] = (model, item["rows"])
    for entry in manifest["members"]:
        if entry["name"] not in plan:
            archive.media_relpath(entry["name"])  # anything else must be a safe media path
    return ours, plan


def _check_empty(models, using):
    filled = [m._meta.label for m in models if m._base_manager.using(using).exists()]
    if filled:
        raise RestoreRefused(
            _("目标数据库不是空库（%(tables)s 等表中已有数据）。恢复只能写入刚执行过 migrate 的空数据库，"
              "不会覆盖或合并现有数据。") % {"tables": "、".join(filled[:5])})


def _media_target(root, name):
    target = root / archive.media_relpath(name)
    if not target.resolve().is_relative_to(root.resolve()):
        raise RestoreRefused(_("媒体文件路径越出 MEDIA_ROOT：%(name)s") % {"name": name})
    return target


def _check_media(manifest, root):
    """Refuse if a media file would replace a different one; identical files are kept."""
    for entry in manifest["members"]:
        if not entry["name"].startswith(archive.MEDIA_DIR + "/"):
            continue
        target = _media_target(root, entry["name"])
        if target.is_symlink() or (target.exists() and archive.check_entry(entry, archive.digest_file(target))):
            raise RestoreRefused(_("媒体文件已存在且内容不同：%(path)s") % {"path": target})


def _insert_raw(model, objs, using):
    """INSERT rows exactly as stored, many per statement.

    This is what ``Model.save_base(raw=True, force_insert=True)`` does for one row
    (``_insert`` with ``raw=True`` keeps ``auto_now_add`` values as stored, which
    ``bulk_create`` would overwrite with the current time), batched as ``bulk_create``
    batches it. No signals: nothing should react to rows coming back from a backup.
    """
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    size = max(connections[using].ops.bulk_batch_size(fields, objs) or len(objs), 1)
    manager = model._base_manager.db_manager(using)
    for start in range(0, len(objs), size):
        manager._insert(objs[start:start + size], fields=fields, using=using, raw=True)
    # With DEBUG on (the embedded profile) Django keeps the last 9000 statements; these
    # are large, so forget them rather than hold hundreds of megabytes.
    connections[using].queries_log.clear()


def _load_rows(reader, model, using):
    """Insert one member's rows; returns (count, objects with forward references).

    Rows of models with many-to-many fields (or whose references wait for later rows) go
    through ``DeserializedObject.save``; the rest are inserted in batches, which makes a
    large audit table load several times faster.
    """
    batchable = not model._meta.many_to_many and not model._meta.parents
    buffered = io.BufferedReader(reader, archive.CHUNK)
    text = io.TextIOWrapper(buffered, encoding="utf-8", newline="\n")
    count, deferred, batch = 0, [], []
    try:
        for obj in serializers.deserialize("jsonl", text, using=using, handle_forward_references=True):
            if type(obj.object) is not model:
                raise RestoreRefused(_("%(member)s 中混入了其他数据表的记录") % {"member": dataset.member_name(model)})
            count += 1
            if batchable and not obj.deferred_fields:
                batch.append(obj.object)
                if len(batch) >= INSERT_BATCH:
                    _insert_raw(model, batch, using)
                    batch = []
                continue
            obj.save(using=using, force_insert=True)
            if obj.deferred_fields:
                deferred.append(obj)
        if batch:
            _insert_raw(model, batch, using)
    finally:
        # Detach, or closing the wrappers would close ``reader`` before its digest is complete.
        text.detach()
        buffered.detach()
    return count, deferred


def _write_media(reader, target, created, journal):
    """Write next to the target (same file system, so the final rename is atomic), each
    name written down in the journal first: a killed restore leaves nothing behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f"{workdir.RESTORE_PART}{secrets.token_hex(8)}{workdir.PART_SUFFIX}"
    journal.temporary(tmp)  # named in the journal before it exists: no moment it could be missed
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := reader.read(archive.CHUNK):
                out.write(chunk)
        if target.exists():  # identical (checked before): keep the original file
            os.unlink(tmp)
            return
        journal.created(target)
        os.replace(tmp, target)
        created.append(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load(path, plan, using, media_root, created, journal):
    """Second pass over the archive: insert rows, write media, re-check every digest."""
    rows, media, deferred = 0, 0, []
    with archive.ArchiveReader(path, key_for=keys.verifying_key) as archived:
        for entry, fileobj in archived.members():
            reader = archive.HashingReader(fileobj)
            name = entry["name"]
            if name in plan:
                model, expected = plan[name]
                count, later = _load_rows(reader, model, using)
                if count != expected:
                    raise RestoreRefused(_("%(member)s 的行数与清单不符（清单 %(want)s，实际 %(got)s）")
                                         % {"member": name, "want": expected, "got": count})
                rows, deferred = rows + count, deferred + later
            else:
                _write_media(reader, _media_target(media_root, name), created, journal)
                media += 1
            problem = archive.check_entry(entry, reader.drain())
            if problem:
                raise RestoreRefused(_("%(name)s：%(why)s（读取期间文件被改动？）") % {"name": name, "why": problem})
    for obj in deferred:
        obj.save_deferred_fields(using=using)
    return rows, media


def _finish_database(connection, models):
    """What ``loaddata`` does after inserting: make the next id follow the restored ones
    (else the first new audit record would collide), then check every foreign key."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    connection.check_constraints(table_names=[m._meta.db_table for m in models])


def _check_chain(manifest):
    """The restored chain must verify exactly as it did at backup time, up to the same head."""
    audit = manifest.get("audit", {})
    anchor = (audit["head_seq"], audit["head_mac"]) if audit.get("head_seq") else None
    result = verification.verify_chain(anchor=anchor)
    if result.ok != audit.get("verified") or (not result.ok and result.summary != audit.get("summary")):
        raise RestoreRefused(_("恢复后的审计链与备份时的校验结果不一致：%(summary)s") % {"summary": result.summary})
    return result


def restore_backup(path, *, using="default"):
    """Restore ``path`` into the empty database ``using`` and MEDIA_ROOT; see module docstring."""
    path = Path(path)
    with workdir.work_folder() as work:
        return _restore_in(work, path, using)


def _restore_in(work, path, using):
    manifest = archive.verify(path, key_for=keys.verifying_key)
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    _check_migrations(manifest, connection)
    _check_keys(manifest)
    ours, plan = _check_models(manifest, using)
    _check_empty(ours.values(), using)
    _check_media(manifest, media_root)
    created = []
    journal = workdir.RestoreJournal(work, archive=path.name, created_at=manifest.get("created_at"))
    try:
        with transaction.atomic(using=using), audited_elsewhere():
            with connection.constraint_checks_disabled():
                rows, media = _load(path, plan, using, media_root, created, journal)
            _finish_database(connection, [model for model, _rows in plan.values()])
            chain = _check_chain(manifest)
            record_event(
                action="backups.archive.restore", object_type="backup", object_id=path.name[:64], object_repr=path.name,
                result="ok" if chain.ok else "failed",
                after={"file": path.name, "created_at": manifest.get("created_at"), "rows": rows,
                       "media_files": media, "audit_head_seq": manifest["audit"].get("head_seq")},
                detail=_("从备份 %(name)s（%(created)s）恢复：%(rows)d 行，媒体文件 %(files)d 个；%(chain)s")
                % {"name": path.name, "created": manifest.get("created_at"), "rows": rows, "files": media,
                   "chain": chain.summary},
            )
    except BaseException:
        for target in created:
            target.unlink(missing_ok=True)
        raise
    finally:
        journal.close()
    return RestoreResult(manifest=manifest, rows=rows, media_files=media, chain=chain)
