"""The backup archive: a gzip'd tar whose first member, ``MANIFEST.json``, names every
other member with its size, SHA-256 and SM3 digest (数据备份恢复, 密评 SM3).

Pure file handling, no database. Everything streams in fixed-size chunks so a backup of
any size is written and checked with flat memory. A damaged or edited member is named:
the caller can tell *which* part of a backup is bad, not merely that it is bad.

Both digests are kept because they answer different readers: SHA-256 is what an operator
checks with ``sha256sum`` on any machine, SM3 is what the 密评 assessor asks for.

Digests alone prove nothing against someone who can write the backup store: they can edit
a row and recompute them. The manifest is therefore signed with HMAC-SM3 under the backup
key (``icdc.backups.keys``, outside the database and the archive), and every member is
bound to the manifest by its digests: an unsigned or wrongly signed archive is refused
before anything in it is used.
"""

import contextlib
import hashlib
import hmac
import io
import json
import tarfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

FORMAT = "icdc-backup/1"
MANIFEST = "MANIFEST.json"
SIGNATURE = "signature"
MAC_ALGORITHM = "HMAC-SM3"
MAC_LABEL = b"icdc backup manifest v1\0"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024
#: What reading a damaged gzip/tar stream raises (a flipped byte breaks the deflate data or its CRC).
READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError)


class BackupCorrupt(Exception):
    """The archive does not match its manifest; ``member`` names the first bad part."""

    def __init__(self, member, message):
        super().__init__(message)
        self.member = member
        self.message = message


@dataclass
class Digest:
    """Size and both digests of one byte stream, computed in one pass."""

    size: int = 0
    sha256: "hashlib._Hash" = field(default_factory=hashlib.sha256)
    sm3: "hashlib._Hash" = field(default_factory=lambda: hashlib.new("sm3"))

    def update(self, data):
        self.size += len(data)
        self.sha256.update(data)
        self.sm3.update(data)

    def as_entry(self, name):
        return {"name": name, "size": self.size, "sha256": self.sha256.hexdigest(), "sm3": self.sm3.hexdigest()}


def digest_file(path):
    digest = Digest()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest


class HashingReader(io.RawIOBase):
    """Reads a member while hashing it, so what is loaded is what was checked.

    ``restore`` verifies the whole archive first and then reads it a second time to load
    it; hashing that second read closes the gap in which the file could be swapped.
    """

    def __init__(self, raw):
        super().__init__()
        self._raw = raw
        self.digest = Digest()

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._raw.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)

    def drain(self):
        """Read what the consumer left (trailing newline, unread buffer) so the digest is whole."""
        while self.read(CHUNK):
            pass
        return self.digest


def check_entry(entry, digest):
    """None if ``digest`` matches the manifest ``entry``, else why not (Chinese)."""
    if digest.size != entry["size"]:
        return _("大小不符（清单 %(want)s 字节，实际 %(got)s 字节）") % {"want": entry["size"], "got": digest.size}
    if digest.sha256.hexdigest() != entry["sha256"]:
        return _("SHA-256 校验值不符")
    if digest.sm3.hexdigest() != entry["sm3"]:
        return _("SM3 校验值不符")
    return None


def media_relpath(name):
    """The path under MEDIA_ROOT of a ``media/...`` member, refusing anything that could
    escape it (absolute paths, ``..``): the archive is input, never trusted to name files."""
    path = PurePosixPath(name)
    parts = path.parts
    if len(parts) < 2 or parts[0] != MEDIA_DIR or path.is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise BackupCorrupt(name, _("成员路径不安全：%(name)s") % {"name": name})
    return PurePosixPath(*parts[1:])


def _tarinfo(name, size, mtime=0):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


class ArchiveWriter:
    """Writes MANIFEST.json first, then the members, into an already opened file."""

    def __init__(self, fileobj):
        self._tar = tarfile.open(fileobj=fileobj, mode="w:gz", format=tarfile.PAX_FORMAT, compresslevel=6)

    def add_manifest(self, manifest):
        data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        self._tar.addfile(_tarinfo(MANIFEST, len(data)), io.BytesIO(data))

    def add_file(self, name, path, size, mtime=0):
        """Copy ``path`` in; the size is the one hashed, so a file that grows meanwhile
        cannot sneak unhashed bytes into the archive (tar copies exactly ``size`` bytes)."""
        with open(path, "rb") as fh:
            self._tar.addfile(_tarinfo(name, size, mtime), fh)

    def close(self):
        self._tar.close()


def _damaged(member):
    return BackupCorrupt(member or MANIFEST, _("备份文件已损坏，无法读取（%(member)s）") % {"member": member or MANIFEST})


def manifest_mac(manifest, key):
    """HMAC-SM3 of the manifest without its signature, in one canonical JSON form (sorted keys,
    no spaces), so the MAC is over what the reader parses, whatever the file's layout."""
    body = {name: value for name, value in manifest.items() if name != SIGNATURE}
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, MAC_LABEL + data, "sm3").hexdigest()


def sign_manifest(manifest, key_id, key):
    manifest[SIGNATURE] = {"algorithm": MAC_ALGORITHM, "key_id": key_id, "mac": manifest_mac(manifest, key)}


def check_signature(manifest, key_for):
    """Refuse an unsigned manifest, one signed under a key we do not hold, or a wrong MAC.
    ``key_for(key_id)`` gives the key or None."""
    signature = manifest.get(SIGNATURE)
    if not isinstance(signature, dict) or not all(isinstance(signature.get(f), str)
                                                  for f in ("algorithm", "key_id", "mac")):
        raise BackupCorrupt(MANIFEST, _("备份清单没有签名（HMAC-SM3）：不能证明它来自本系统，拒绝使用。"))
    if signature["algorithm"] != MAC_ALGORITHM:
        raise BackupCorrupt(MANIFEST, _("不支持的备份清单签名算法：%(alg)s") % {"alg": signature["algorithm"]})
    key = key_for(signature["key_id"])
    if key is None:
        raise BackupCorrupt(MANIFEST, _("没有备份签名密钥“%(kid)s”，无法核验备份清单的签名。请配置制作该备份时的 ICDC_BACKUP_KEY "
                                        "（已轮换的放在 ICDC_BACKUP_OLD_KEYS）。") % {"kid": signature["key_id"]})
    if not hmac.compare_digest(manifest_mac(manifest, key), signature["mac"]):
        raise BackupCorrupt(MANIFEST, _("备份清单的签名（HMAC-SM3）不符：清单被改动，或签名密钥不同。拒绝使用。"))


def read_manifest(tar, key_for):
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise BackupCorrupt(MANIFEST, _("第一个成员不是 MANIFEST.json，这不是 ICDC 备份文件"))
    try:
        manifest = json.load(tar.extractfile(first))
    except ValueError as exc:
        raise BackupCorrupt(MANIFEST, _("MANIFEST.json 不是有效的 JSON")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupCorrupt(MANIFEST, _("不支持的备份格式：%(format)s") % {"format": manifest.get("format")
                                                                       if isinstance(manifest, dict) else "?"})
    if not _well_formed(manifest):
        raise BackupCorrupt(MANIFEST, _("MANIFEST.json 结构不完整"))
    check_signature(manifest, key_for)
    return manifest


def _well_formed(manifest):
    """The fields later code relies on are there and of the right type (the manifest is input)."""
    members = manifest.get("members")
    tables = (manifest.get("database") or {}).get("models") if isinstance(manifest.get("database"), dict) else None
    if not isinstance(members, list) or not isinstance(tables, list) or not isinstance(manifest.get("audit"), dict):
        return False
    names = [m.get("name") if isinstance(m, dict) else None for m in members]
    return (
        len(set(names)) == len(names) and MANIFEST not in names
        and all(isinstance(m.get("name"), str) and isinstance(m.get("size"), int)
                and isinstance(m.get("sha256"), str) and isinstance(m.get("sm3"), str) for m in members)
        and all(isinstance(t, dict) and isinstance(t.get("label"), str) and isinstance(t.get("member"), str)
                and isinstance(t.get("rows"), int) and t["member"] in names for t in tables)
    )


class ArchiveReader:
    """Opens an archive and reads its manifest; ``members()`` then yields (entry, fileobj)
    for each member in archive order, refusing members the manifest does not list, links,
    devices and duplicates, and at the end members the manifest lists but the archive
    lacks. Read errors of the gzip stream (a flipped byte breaks it) name the member."""

    def __init__(self, path, *, key_for):
        self._current = MANIFEST
        try:
            self._tar = tarfile.open(path, mode="r:gz")
        except READ_ERRORS as exc:
            if isinstance(exc, FileNotFoundError):
                raise
            raise _damaged(MANIFEST) from exc
        try:
            with self._reading():
                self.manifest = read_manifest(self._tar, key_for)
        except BaseException:
            self._tar.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._tar.close()

    @contextlib.contextmanager
    def _reading(self):
        try:
            yield
        except READ_ERRORS as exc:
            raise _damaged(self._current) from exc

    def members(self):
        entries = {entry["name"]: entry for entry in self.manifest["members"]}
        seen = set()
        while True:
            with self._reading():
                info = self._tar.next()
            if info is None:
                break
            self._current = info.name
            entry = entries.get(info.name)
            if entry is None:
                raise BackupCorrupt(info.name, _("成员不在清单中：%(name)s") % {"name": info.name})
            if not info.isfile():
                raise BackupCorrupt(info.name, _("成员不是普通文件：%(name)s") % {"name": info.name})
            if info.name in seen:
                raise BackupCorrupt(info.name, _("成员重复：%(name)s") % {"name": info.name})
            seen.add(info.name)
            yield entry, _GuardedFile(self._tar.extractfile(info), info.name)
        missing = [name for name in entries if name not in seen]
        if missing:
            raise BackupCorrupt(missing[0], _("清单中的成员缺失：%(name)s") % {"name": missing[0]})


class _GuardedFile:
    """A member's file object whose read errors become ``BackupCorrupt`` naming the member."""

    def __init__(self, raw, name):
        self._raw, self.name = raw, name

    def read(self, size=-1):
        try:
            return self._raw.read(size)
        except READ_ERRORS as exc:
            raise _damaged(self.name) from exc


def verify(path, *, key_for):
    """Check the manifest's signature and every member against the manifest; return the
    manifest, or raise ``BackupCorrupt`` naming the first bad part."""
    with ArchiveReader(path, key_for=key_for) as reader:
        for entry, fileobj in reader.members():
            digest = Digest()
            while chunk := fileobj.read(CHUNK):
                digest.update(chunk)
            problem = check_entry(entry, digest)
            if problem:
                raise BackupCorrupt(entry["name"], _("%(name)s：%(why)s") % {"name": entry["name"], "why": problem})
        return reader.manifest


def whole_file_digest(path):
    """SHA-256 and SM3 of the archive file itself (recorded in the audit trail, since the
    manifest inside cannot vouch for itself)."""
    digest = digest_file(Path(path))
    return {"size": digest.size, "sha256": digest.sha256.hexdigest(), "sm3": digest.sm3.hexdigest()}
