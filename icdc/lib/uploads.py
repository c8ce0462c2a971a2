"""The one guard for uploaded files: every file the platform accepts passes here before it is parsed
or kept.

``upload_check`` answers "may this be parsed at all?" from the bytes alone (files read in memory);
``store_upload`` (icdc/lib/stored_uploads.py) applies the same checks to an upload streamed to
storage (attachments). Both go through ``kind_check`` and ``archive_kind`` here:

- size, against ``ICDC_UPLOAD_MAX_BYTES`` (or a smaller limit of the caller);
- the kind, sniffed from the content with ``filetype`` (a renamed .exe is not an .xlsx, a PNG is
  not a .pdf) and required to agree with the file name's suffix; an Office file (a ZIP) is
  judged by its main part, named in ``_rels/.rels`` (a ZIP is not a .docx, a workbook is not
  a .docx); the refusal names the file and what it really is;
- the name: one with a NUL character is refused;
- archives (.xlsx, .docx: OOXML is a ZIP) are checked from their central directory before one
  byte is inflated: number of members, each member's uncompressed size and compression ratio,
  the total, no encryption. Python's ``zipfile`` never inflates past a member's declared size
  (it stops there and the CRC check fails), so the declared sizes checked here bound what any
  later reader can be made to allocate, whatever the local headers claim;
- text files (.csv, .yaml) with a NUL byte are refused: no field of the platform holds one, and
  PostgreSQL refuses it in a text column (``DataError``: a 500 instead of a message).

XML inside archives is read with ``xml_parser``: expat with the handlers ``defusedxml`` installs
(no DTD, no entity declarations, no external entities), so "billion laughs" and XXE cannot start.
Every refusal is a ``Refusal`` with a Chinese message; nothing is written before these checks.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

import defusedxml
import filetype
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .refusals import Refusal

MB = 1024 * 1024
TEXT_KINDS = frozenset({"csv", "yaml", "yml", "txt"})
ARCHIVE_KINDS = frozenset({"xlsx", "docx"})
KIND_ALIASES = {"jpeg": "jpg", "apng": "png"}  # a name's suffix or a sniffed kind → the kind
HEAD_BYTES = 8192  # what filetype reads
ZIP_MAGIC = b"PK\x03\x04"
# The folder of an OOXML package's main part, named by the officeDocument relationship.
OFFICE_DOCUMENT = "/officeDocument"
MAIN_PART_KINDS = {"word": "docx", "xl": "xlsx", "ppt": "pptx"}
RELS_MAX_BYTES = 64 * 1024
KIND_LABELS = {
    "pdf": _("PDF 文档"), "docx": _("Word 文档（.docx）"), "xlsx": _("Excel 工作簿（.xlsx）"),
    "pptx": _("PowerPoint 演示文稿（.pptx）"), "doc": _("旧版 Word 文档（.doc）"), "xls": _("旧版 Excel 工作簿（.xls）"),
    "jpg": _("JPEG 图片"), "png": _("PNG 图片"), "gif": _("GIF 图片"), "zip": _("ZIP 压缩包"),
    "rar": _("RAR 压缩包"), "7z": _("7z 压缩包"), "gz": _("gzip 压缩包"), "exe": _("Windows 可执行程序"),
    "elf": _("Linux 可执行程序"), "text": _("纯文本"), "": _("无法识别的二进制数据"),
}
# Members smaller than this are not held to the ratio: a short run of spaces compresses 100:1
# and is harmless; a bomb needs size, which the size limits catch.
RATIO_FLOOR_BYTES = MB
_EOCD = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may hold, in members and inflated bytes (defaults from settings)."""

    members: int
    member_bytes: int
    total_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls, **overrides) -> ArchiveLimits:
        values = {
            "members": settings.ICDC_UPLOAD_MAX_MEMBERS,
            "member_bytes": settings.ICDC_UPLOAD_MAX_MEMBER_BYTES,
            "total_bytes": settings.ICDC_UPLOAD_MAX_TOTAL_BYTES,
            "ratio": settings.ICDC_UPLOAD_MAX_RATIO,
        }
        return cls(**{**values, **overrides})


def suffix_of(name: str) -> str:
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    return KIND_ALIASES.get(suffix, suffix)


def sniffed_kind(content: bytes) -> str:
    """The kind the bytes say they are: "xlsx", "docx", "pdf", "zip", … or "text" when no binary
    signature matches (CSV and YAML have none), "" for unknown binary data."""
    guess = filetype.guess(content[:HEAD_BYTES])
    if guess is not None:
        return KIND_ALIASES.get(guess.extension, guess.extension)
    if content.startswith(ZIP_MAGIC):
        return "zip"
    return "text"


def kind_label(kind: str):
    """What a sniffed kind is, for a refusal: "PNG 图片", "ZIP 压缩包", …"""
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    return _("%(ext)s 文件") % {"ext": kind.upper()}


def _refuse_size(limit: int):
    raise Refusal(_("文件过大（上限 %(mb)s MB）"), code="too_large", params={"mb": round(limit / MB, 1)})


def name_check(name: str) -> None:
    """A NUL in a file name is refused: no legitimate name has one, and PostgreSQL refuses it in text."""
    if "\x00" in name:
        raise Refusal(_("文件名含有空字符（NUL），请改名后重新上传"), code="name_nul")


def name_kind(name: str, kinds) -> str:
    """The kind the name claims (its suffix, .jpeg read as jpg), refused unless one of ``kinds``."""
    kind = suffix_of(name)
    if kind not in kinds:
        raise Refusal(_("只接受 %(kinds)s 文件"), code="kind",
                      params={"kinds": "、".join(f".{k}" for k in sorted(kinds))})
    return kind


def _mismatch(name: str, kind: str, real: str) -> Refusal:
    return Refusal(_("文件“%(name)s”的内容实际是%(real)s，与扩展名 .%(kind)s 不符，请上传真正的 .%(kind)s 文件"),
                   code="kind_mismatch", params={"name": name[:120], "kind": kind, "real": kind_label(real)})


def kind_check(*, name: str, kind: str, head: bytes) -> None:
    """Refuse unless the first bytes (``HEAD_BYTES`` are enough) agree with ``kind``. An Office
    file only needs to be a ZIP here: ``archive_kind`` says which, from its central directory."""
    if kind in ARCHIVE_KINDS:
        if not head.startswith(ZIP_MAGIC):
            raise _mismatch(name, kind, sniffed_kind(head))
        return
    sniffed = sniffed_kind(head)
    if sniffed != ("text" if kind in TEXT_KINDS else kind):
        raise _mismatch(name, kind, sniffed)


def archive_kind_check(*, name: str, kind: str, source, limits: ArchiveLimits) -> None:
    """Refuse an Office file past the archive limits or whose main part is not ``kind``'s."""
    real = archive_kind(source, limits)
    if real != kind:
        raise _mismatch(name, kind, real)


def upload_check(*, name: str, content: bytes, kinds, max_bytes: int | None = None,
                 limits: ArchiveLimits | None = None) -> str:
    """Refuse ``content`` unless it is one of ``kinds`` (suffixes, e.g. {"xlsx", "csv"}) by its
    name *and* its bytes, within the size limits; returns the kind (the suffix). Parse nothing
    before this has passed."""
    limit = max_bytes or settings.ICDC_UPLOAD_MAX_BYTES
    name_check(name)
    kind = name_kind(name, kinds)
    if len(content) > limit:
        _refuse_size(limit)
    if not content:
        raise Refusal(_("文件为空"), code="empty")
    kind_check(name=name, kind=kind, head=content[:HEAD_BYTES])
    if kind in ARCHIVE_KINDS:
        archive_kind_check(name=name, kind=kind, source=content, limits=limits or ArchiveLimits.from_settings())
    elif b"\x00" in content:
        raise Refusal(_("文件含有空字符（NUL），无法读取；请另存为 UTF-8 文本后重试"), code="nul")
    return kind


def _archive_refusal(message, **params):
    return Refusal(message, code="archive", params=params)


def _directory_check(fileobj, limits: ArchiveLimits) -> None:
    """Count members from the end record before ``zipfile`` builds one object per member."""
    size = fileobj.seek(0, io.SEEK_END)
    fileobj.seek(max(size - (65535 + _EOCD.size), 0))
    tail = fileobj.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        raise _archive_refusal(_("文件不是有效的压缩包（Office 文件），无法读取"))
    _sig, _disk, _cd_disk, _here, entries, cd_size, _offset, _comment = _EOCD.unpack_from(tail, at)
    # 0xFFFF / 0xFFFFFFFF mean "see the Zip64 record": no document within our size limit needs one.
    if entries == 0xFFFF or entries > limits.members or cd_size > limits.members * 1024:
        raise _archive_refusal(_("压缩包内文件过多（上限 %(max)s 个）"), max=limits.members)


def archive_check(source, limits: ArchiveLimits) -> zipfile.ZipFile:
    """Refuse a ZIP whose members would inflate past the limits (see the module docstring).
    ``source``: the bytes, or a seekable binary file (a stored upload: only its directory is read).
    Returns the open archive, nothing inflated yet."""
    fileobj = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    _directory_check(fileobj, limits)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, UnicodeDecodeError) as exc:
        raise _archive_refusal(_("文件不是有效的压缩包（Office 文件），无法读取")) from exc
    members = archive.infolist()
    if len(members) > limits.members:
        raise _archive_refusal(_("压缩包内文件过多（上限 %(max)s 个）"), max=limits.members)
    total = compressed = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise _archive_refusal(_("文件已加密，请去掉密码后再上传"))
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _archive_refusal(_("压缩包使用了不支持的压缩方式"))
        size, packed = member.file_size, max(member.compress_size, 1)
        if size > limits.member_bytes:
            raise _archive_refusal(_("压缩包内文件 %(name)s 解压后过大（上限 %(mb)s MB）"),
                                   name=member.filename[:80], mb=limits.member_bytes // MB)
        if size >= RATIO_FLOOR_BYTES and size / packed > limits.ratio:
            raise _archive_refusal(_("压缩包内文件 %(name)s 压缩比异常（超过 %(ratio)s 倍），疑为压缩炸弹"),
                                   name=member.filename[:80], ratio=limits.ratio)
        total, compressed = total + size, compressed + packed
    if total > limits.total_bytes:
        raise _archive_refusal(_("文件解压后过大（上限 %(mb)s MB）"), mb=limits.total_bytes // MB)
    if total >= RATIO_FLOOR_BYTES and total / compressed > limits.ratio:
        raise _archive_refusal(_("文件压缩比异常（超过 %(ratio)s 倍），疑为压缩炸弹"), ratio=limits.ratio)
    return archive


def archive_kind(source, limits: ArchiveLimits) -> str:
    """"docx", "xlsx" or "pptx" for an Office Open XML package whose main part (the
    ``officeDocument`` relationship of ``_rels/.rels``) is there; "zip" for any other ZIP.
    The archive limits are checked first; the small ``.rels`` part is the only one inflated."""
    archive = archive_check(source, limits)
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        return "zip"
    if archive.getinfo("_rels/.rels").file_size > RELS_MAX_BYTES:
        return "zip"
    targets = []

    def relationship(tag, attributes):
        if tag.rsplit(":", 1)[-1] == "Relationship" and attributes.get("Type", "").endswith(OFFICE_DOCUMENT):
            targets.append(attributes.get("Target", "").lstrip("/"))

    parser = xml_parser()
    parser.StartElementHandler = relationship
    with archive.open("_rels/.rels") as rels:
        xml_parse_all(parser, rels)
    if len(targets) != 1 or targets[0] not in names:
        return "zip"
    return MAIN_PART_KINDS.get(targets[0].split("/", 1)[0], "zip")


def _forbid_dtd(*_args):
    raise defusedxml.DTDForbidden(None, None, None)


def _forbid_entity(*_args):
    raise defusedxml.EntitiesForbidden(None, None, None, None, None, None)


def xml_parser():
    """An expat parser that refuses DTDs and entity declarations, as ``defusedxml`` does.

    Names arrive as written ("row", "x:row"): no namespace processing, which costs a third of
    the time on a large sheet. Feed it with ``xml_feed`` to turn every XML problem into a
    ``Refusal``.
    """
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _forbid_dtd
    parser.EntityDeclHandler = _forbid_entity
    parser.UnparsedEntityDeclHandler = _forbid_entity
    parser.ExternalEntityRefHandler = _forbid_entity
    parser.buffer_text = True
    return parser


def xml_feed(parser, stream, chunk=64 * 1024):
    """Feed ``stream`` to ``parser`` chunk by chunk; yields after each chunk so handlers' output
    can be consumed as it comes (constant memory). XML, ZIP and DTD problems become refusals."""
    try:
        while data := stream.read(chunk):
            parser.Parse(data, False)
            yield
        parser.Parse(b"", True)
        yield
    except defusedxml.DefusedXmlException as exc:
        raise Refusal(_("文件含有 DTD 或实体声明，出于安全原因不予读取"), code="xml_dtd") from exc
    except expat.ExpatError as exc:
        raise Refusal(_("文件内部格式错误（XML：%(error)s），无法读取"), code="xml",
                      params={"error": expat.ErrorString(exc.code)}) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:  # bad CRC, truncated member, zlib
        raise Refusal(_("文件已损坏，无法读取"), code="corrupt") from exc


def xml_parse_all(parser, stream):
    """Feed the whole of ``stream`` to ``parser`` when its handlers keep what they find themselves
    (nothing to consume between chunks); the same refusals as ``xml_feed``."""
    for _step in xml_feed(parser, stream):
        continue
