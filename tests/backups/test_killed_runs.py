"""``kill -9`` in the middle of a backup or a restore leaves nothing the next run does not remove.

Each test forks the test process; the child runs the real command and stops at a chosen
point (the functions it passes through are wrapped in the child only), the parent kills it
with SIGKILL — no ``finally`` runs — then checks what was left and runs the next command.
"""

import os
import select
import signal
import time

import pytest
from django.core.management import call_command
from django.db import connections

from icdc.backups import archive, create, restore, workdir

from .conftest import MEDIA_FILES
from .test_restore import _backup, _row_counts, _wipe

WAIT = 120  # seconds for the child to reach its stopping point (a loaded machine is slow)
PLAINTEXT = ("*.jsonl", "*.part", ".icdc-*")


def _killed_at(stop, run):
    """Fork; the child calls ``stop(pause)`` to install its stopping point, then ``run()``;
    ``pause()`` tells the parent and sleeps. The parent SIGKILLs the child there."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(reader)
            # PostgreSQL: a connection of its own (the parent's socket must not be shared);
            # the old objects are kept alive so nothing closes the parent's session.
            kept = [c.connection for c in connections.all()]
            for conn in connections.all():
                if conn.vendor == "postgresql":
                    conn.connection = None

            def pause():
                os.write(writer, b"x")
                time.sleep(WAIT * 2)

            stop(pause)
            run()
            os.write(writer, b"finished without stopping")
        except BaseException as exc:  # noqa: BLE001  (reported to the parent through the pipe)
            os.write(writer, f"error: {exc!r}".encode()[:500])
        finally:
            del kept
            os._exit(0)
    os.close(writer)
    try:
        ready, _w, _x = select.select([reader], [], [], WAIT)
        said = os.read(reader, 600) if ready else b"timeout"
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(reader)
    assert said == b"x", said.decode(errors="replace")


def _files(root):
    return sorted(p for pattern in PLAINTEXT for p in root.rglob(pattern))


def _outside(paths, folder):
    return [p for p in paths if not p.is_relative_to(folder)]


@pytest.mark.django_db(transaction=True)
def test_a_backup_killed_while_writing_leaves_its_dumps_only_in_the_private_folder(programme_data, tmp_path, settings):
    out = tmp_path / "out"
    real_add_file = archive.ArchiveWriter.add_file

    def stop(pause):
        def add_file(self, name, path, size, mtime=0):
            real_add_file(self, name, path, size, mtime)
            pause()  # the dumps are written, the archive half
        archive.ArchiveWriter.add_file = add_file

    _killed_at(stop, lambda: call_command("backup", "--output", str(out)))

    work = workdir.work_root()
    assert (work.stat().st_mode & 0o777) == 0o700
    left = _files(tmp_path)
    assert any(p.suffix == ".jsonl" for p in left) and (work / "archive.part").exists()  # the kill was real
    assert _outside(left, work) == []  # nothing in plain text outside the private folder
    assert not out.exists() or list(out.iterdir()) == []

    call_command("backup", "--output", str(out))  # the next run clears the leftovers first
    assert [p.name for p in work.iterdir()] == [workdir.LOCK]
    (published,) = out.iterdir()
    assert _files(tmp_path) == [] and published.name.startswith("icdc-backup-")
    call_command("verify_backup", str(published))


@pytest.mark.django_db(transaction=True)
def test_a_backup_killed_while_copying_to_another_file_system_leaves_a_part_the_next_run_removes(
        programme_data, tmp_path):
    out = tmp_path / "out"
    real_copy = create.shutil.copyfileobj

    def stop(pause):
        def no_hard_links(src, dst):
            raise OSError(18, "Invalid cross-device link")  # EXDEV: the output is another file system

        def copy(src, dst, length=0):
            real_copy(src, dst, length)
            pause()
        create.os.link = no_hard_links
        create.shutil.copyfileobj = copy

    _killed_at(stop, lambda: call_command("backup", "--output", str(out)))
    (part,) = out.iterdir()
    assert part.name.startswith(workdir.BACKUP_PART) and part.name.endswith(workdir.PART_SUFFIX)

    call_command("backup", "--output", str(out))
    (published,) = out.iterdir()
    assert published.name.startswith("icdc-backup-") and _files(tmp_path) == []


@pytest.mark.django_db(transaction=True)
def test_a_restore_killed_half_way_leaves_no_media_for_later_backups(programme_data, media_root, tmp_path):
    path = _backup(tmp_path)
    _wipe(media_root)
    real_write_media = restore._write_media

    def stop(pause):
        def write_media(reader, target, created, journal):
            real_write_media(reader, target, created, journal)
            pause()  # one media file restored, the database transaction still open
        restore._write_media = write_media

    _killed_at(stop, lambda: call_command("restore", str(path)))
    assert any(p.is_file() for p in media_root.rglob("*"))  # the killed restore had written a file
    assert not any(_row_counts().values())  # its transaction died with it

    out = tmp_path / "later"
    call_command("backup", "--output", str(out))  # the next run undoes the killed restore first
    assert not any(p.is_file() for p in media_root.rglob("*"))
    (later,) = out.iterdir()
    members = [m["name"] for m in archive.verify(later, key_for=lambda kid: _test_key())["members"]]
    assert members and not any(name.startswith("media/") for name in members)


def _test_key():
    from django.conf import settings

    return bytes.fromhex(settings.ICDC_BACKUP_KEY)


@pytest.mark.django_db(transaction=True)
def test_after_a_killed_restore_the_same_restore_succeeds(programme_data, media_root, tmp_path):
    path = _backup(tmp_path)
    _wipe(media_root)
    real_write_media = restore._write_media

    def stop(pause):
        def write_media(reader, target, created, journal):
            real_write_media(reader, target, created, journal)
            pause()
        restore._write_media = write_media

    _killed_at(stop, lambda: call_command("restore", str(path)))
    call_command("restore", str(path))
    for name, data in MEDIA_FILES.items():
        assert (media_root / name).read_bytes() == data
    assert [p.name for p in workdir.work_root().iterdir()] == [workdir.LOCK]
    assert _files(tmp_path) == [] and _files(media_root) == []
