"""The public verification page's work: an SM3 digest from a pasted text or an uploaded file.

An uploaded file passes the one upload guard (``icdc.lib.uploads``: its name, its size, its kind
sniffed from the bytes, and for a .docx the archive limits from its central directory) and is
hashed while it streams, chunk by chunk: it is never stored, and Django's temporary copy (for a
file past ``FILE_UPLOAD_MAX_MEMORY_SIZE``) goes when the request ends. Only .pdf and .docx can be a
document the Ministry published, so only those are read.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from icdc.lib import uploads
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import display_name_of

KINDS = frozenset({"pdf", "docx"})
_HEX64 = re.compile(r"[0-9a-f]{64}")


def normalise_digest(text: str) -> str:
    """A pasted SM3 digest, any case, spaces and line breaks ignored (as copied from a PDF or a
    printout; "sm3:" in front allowed); a ``Refusal`` saying what a digest looks like otherwise."""
    digest = "".join((text or "").split()).lower()
    digest = digest.removeprefix("sm3:").removeprefix("sm3：")
    if not _HEX64.fullmatch(digest):
        raise Refusal(_("SM3 摘要应为 64 位十六进制数字（0–9、a–f），您输入的是 %(n)s 个字符，请核对后重新粘贴。"),
                      code="digest", params={"n": len(digest)})
    return digest


def digest_of_upload(uploaded_file) -> str:
    """SM3 of an uploaded file, after the upload guard; streamed, never stored."""
    limit = settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES
    name = display_name_of(uploaded_file.name or "")
    kind = uploads.name_kind(name, KINDS)
    if (uploaded_file.size or 0) > limit:
        raise Refusal(_("文件“%(name)s”过大（上限 %(mb)s MB）"), code="too_large",
                      params={"name": name, "mb": round(limit / uploads.MB, 1)})
    sm3 = hashlib.new("sm3")
    head = b""
    size = 0
    for chunk in uploaded_file.chunks():
        if len(head) < uploads.HEAD_BYTES:
            head += chunk[:uploads.HEAD_BYTES - len(head)]
        size += len(chunk)
        if size > limit:
            raise Refusal(_("文件“%(name)s”过大（上限 %(mb)s MB）"), code="too_large",
                          params={"name": name, "mb": round(limit / uploads.MB, 1)})
        sm3.update(chunk)
    if not size:
        raise Refusal(_("文件“%(name)s”为空"), code="empty", params={"name": name})
    uploads.kind_check(name=name, kind=kind, head=head)
    if kind in uploads.ARCHIVE_KINDS:
        uploaded_file.seek(0)
        uploads.archive_kind_check(name=name, kind=kind, source=uploaded_file.file,
                                   limits=uploads.ArchiveLimits.from_settings(
                                       member_bytes=max(settings.ICDC_UPLOAD_MAX_MEMBER_BYTES, limit),
                                       total_bytes=max(settings.ICDC_UPLOAD_MAX_TOTAL_BYTES, 2 * limit)))
    return sm3.hexdigest()
