"""One private work folder for backups and restores, emptied at the next run (剩余信息保护).

A backup's table dumps are the database in plain text, and its archive is written before
it has a name; a restore writes media files before its transaction commits. A process
killed with ``kill -9`` cleans none of that up. So:

- Everything transient lives in ``VAR_DIR/backup-work`` (mode 0700): the JSON Lines dumps
  and the archive being written. Outside it there is only the finished archive, and, where
  the output directory is on another file system, a ``.icdc-backup-*.part`` copy being
  published; a restore's media files are written next to their target as
  ``.icdc-restore-*.part`` (so the final rename is atomic) and listed in a journal first.
- One run at a time holds an exclusive ``flock`` on the folder's lock file. The kernel
  releases it when the holder dies, however it dies, so whoever takes it next knows that
  anything left in the folder, any ``.part`` file and any journal is a leftover, and
  removes it before starting: the dumps, the partial archive, and the media files a killed
  restore had written (unless its ``backup.restore`` record shows it committed).
"""

import contextlib
import fcntl
import json
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

LOCK = ".lock"
JOURNAL = "restore-journal.jsonl"
BACKUP_PART = ".icdc-backup-"
RESTORE_PART = ".icdc-restore-"
PART_SUFFIX = ".part"


class WorkFolderBusy(Exception):
    """Another backup or restore holds the work folder."""


def work_root():
    return Path(settings.VAR_DIR) / "backup-work"


def _remove(path):
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _restore_committed(header):
    """Whether the journal's restore got as far as its audit record (then its media stay)."""
    from icdc.audit.actions import stored_codes
    from icdc.audit.models import AuditRecord

    return AuditRecord.objects.filter(action__in=stored_codes("backups.archive.restore"), object_id=str(header.get("archive", ""))[:64],
                                      after__created_at=header.get("created_at")).exists()


def _undo_journal(path):
    """Remove what a killed restore wrote into MEDIA_ROOT: its temporary files always, the
    files it created only if it never committed."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    header = lines[0] if lines and "archive" in lines[0] else {}
    committed = _restore_committed(header) if header else False
    for entry in lines:
        for kind in ("tmp",) if committed else ("tmp", "new"):
            if kind in entry:
                Path(entry[kind]).unlink(missing_ok=True)


def leftovers_remove(root, output_dir=None):
    """Everything a killed run left: called with the lock held, before the run starts."""
    journal = root / JOURNAL
    if journal.exists():
        _undo_journal(journal)
    for path in root.iterdir():
        if path.name != LOCK:
            _remove(path)
    if output_dir is not None and Path(output_dir).is_dir():
        for path in Path(output_dir).glob(f"{BACKUP_PART}*{PART_SUFFIX}"):
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def work_folder(*, output_dir=None):
    """Hold the work folder for one run: take the lock, clear leftovers, yield the folder,
    and empty it again at the end (however the run ends, short of being killed)."""
    root = work_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)  # also when it already existed with a wider mode
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WorkFolderBusy(_("另一个备份或恢复正在进行（工作目录 %(dir)s 被占用），请稍后再试。")
                                 % {"dir": root}) from None
        leftovers_remove(root, output_dir)
        try:
            yield root
        finally:
            for path in root.iterdir():
                if path.name != LOCK:
                    _remove(path)
    finally:
        os.close(fd)  # releases the lock


class RestoreJournal:
    """What a restore writes into MEDIA_ROOT, written down before it is written there."""

    def __init__(self, root, *, archive, created_at):
        self._file = open(root / JOURNAL, "w", encoding="utf-8", buffering=1)  # line-buffered: each line reaches the file
        self._write({"archive": archive, "created_at": created_at})

    def _write(self, entry):
        self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._file.flush()

    def temporary(self, path):
        self._write({"tmp": str(path)})

    def created(self, path):
        self._write({"new": str(path)})

    def close(self):
        self._file.close()
