"""Uploads kept as files (attachments): streamed to storage through the upload guard, served back
only through a view that has checked permission.

``store_upload`` reads a Django ``UploadedFile`` chunk by chunk (Django has already streamed
anything over ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file; nothing here reads a whole
file into memory) and, with the checks of ``icdc/lib/uploads.py``:

- refuses a name with NUL and a suffix outside ``kinds``; keeps a safe display name (the last
  path segment, no control or format characters, no ``\\/:*?"<>|``, at most
  ``DISPLAY_NAME_MAX_CHARS``; Chinese kept) and stores the file under a random name in a date
  folder, never a path the user chose: ``<folder>/2026/12/02/<32 hex>.pdf``;
- judges the kind from the first bytes before anything is written (a renamed program, a PNG
  named .pdf: refused, naming the file and what it really is); an Office file is written, then
  its central directory is checked (member count, inflated sizes, ratio: a zip bomb) and its
  main part must be the right one (a ZIP or a workbook named .docx is refused);
- enforces the size limit while streaming and computes the SHA-256 while writing;
- on any refusal or error, deletes what was written: no partial file stays.

Files are written by Django's default storage (``MEDIA_ROOT`` in the embedded default), which
no URL serves: ``protected_file_response`` is the only way back out.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from . import uploads
from .refusals import Refusal
from .workbooks import content_disposition

ATTACHMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "jpg", "png"})
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
    "csv": "text/csv",
}
DISPLAY_NAME_MAX_CHARS = 120
_FOLDER = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*")
_UNSAFE = re.compile(r'[:*?"<>|]')
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # controls, bidi overrides, surrogates


@dataclass(frozen=True)
class StoredUpload:
    """A file kept in storage: ``name`` is its storage name (relative to MEDIA_ROOT), what the
    caller records; ``display_name`` the cleaned name the user gave, for pages and downloads."""

    name: str
    display_name: str
    size: int
    sha256: str
    kind: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.kind, "application/octet-stream")


def display_name_of(name: str) -> str:
    """The name to show and to offer on download: "../../etc/报告\\x07.pdf" → "报告.pdf".
    A name with NUL is refused (``Refusal``)."""
    uploads.name_check(name)
    name = unicodedata.normalize("NFC", re.split(r"[\\/]", name)[-1])
    name = "".join(c for c in name if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    name = re.sub(r"\s+", " ", _UNSAFE.sub("_", name))
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    suffix = suffix.strip()[:16]
    stem = stem.strip(" .")[:DISPLAY_NAME_MAX_CHARS - len(suffix) - 1].rstrip(" .") or gettext_now("附件")
    return f"{stem}.{suffix}" if dot and suffix else stem


def _too_large(name: str, limit: int) -> Refusal:
    return Refusal(_("文件“%(name)s”过大（上限 %(mb)s MB）"), code="too_large",
                   params={"name": name, "mb": round(limit / uploads.MB, 1)})


class _MeteredChunks(File):
    """The upload's chunks as storage writes them: counted against the limit, hashed, and (for
    text kinds) checked for NUL on the way."""

    def __init__(self, chunks, *, limit: int, display_name: str, text: bool):
        super().__init__(None, name=display_name)
        self._source, self._limit, self._text = chunks, limit, text
        self.size, self.digest = 0, hashlib.sha256()

    def chunks(self, chunk_size=None):
        for chunk in self._source:
            self.size += len(chunk)
            if self.size > self._limit:
                raise _too_large(self.name, self._limit)
            if self._text and b"\x00" in chunk:
                raise Refusal(_("文件含有空字符（NUL），无法读取；请另存为 UTF-8 文本后重试"), code="nul")
            self.digest.update(chunk)
            yield chunk

    def close(self):
        """Nothing to close here: the uploaded file it reads from is Django's to close."""


class UploadSizeLimitHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: a file past ``ICDC_UPLOAD_MAX_ATTACHMENT_BYTES`` (the
    largest file the platform keeps) is dropped while it arrives, so an oversized upload never
    fills the temporary folder. It is left out of ``request.FILES`` and its name kept for
    ``oversized_uploads_check``, which tells the user why."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES:
            if not hasattr(self.request, "oversized_uploads"):
                self.request.oversized_uploads = []
            self.request.oversized_uploads.append(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def oversized_uploads_check(*, request) -> None:
    """Refuse, naming the file, when ``UploadSizeLimitHandler`` dropped an upload of this request
    (call it before reading ``request.FILES``' absence as "no file chosen")."""
    request.FILES  # noqa: B018  (the body is parsed lazily: the handler notes dropped files while it runs)
    names = getattr(request, "oversized_uploads", [])
    if names:
        raise _too_large(display_name_of(names[0].replace("\x00", "")), settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES)


def _archive_limits(limit: int) -> uploads.ArchiveLimits:
    """The guard's archive limits, widened to what a document of ``limit`` bytes may hold
    (pictures in a .docx are stored, not compressed); the ratio and member count stay."""
    return uploads.ArchiveLimits.from_settings(member_bytes=max(settings.ICDC_UPLOAD_MAX_MEMBER_BYTES, limit),
                                               total_bytes=max(settings.ICDC_UPLOAD_MAX_TOTAL_BYTES, 2 * limit))


def store_upload(*, uploaded_file, kinds, folder: str, max_bytes: int | None = None,
                 limits: uploads.ArchiveLimits | None = None, storage=None) -> StoredUpload:
    """Check ``uploaded_file`` and stream it to storage under ``folder`` (e.g. "applications/17");
    returns what was stored. Raises ``Refusal`` (a Chinese message naming the file) and leaves
    nothing behind when the file is refused. The caller records ``StoredUpload.name`` and, if its
    own transaction fails, deletes the file (``discard_on_error``)."""
    if not _FOLDER.fullmatch(folder):
        raise ValueError(f"folder must be a relative path of [A-Za-z0-9_-] segments, not {folder!r}")
    limit = max_bytes or settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES
    display_name = display_name_of(uploaded_file.name or "")
    kind = uploads.name_kind(display_name, kinds)
    if (uploaded_file.size or 0) > limit:  # the size Django counted while receiving: refuse before reading
        raise _too_large(display_name, limit)
    source = iter(uploaded_file.chunks())
    head_chunks, head_size = [], 0
    for chunk in source:
        head_chunks.append(chunk)
        head_size += len(chunk)
        if head_size >= uploads.HEAD_BYTES:
            break
    if not head_size:
        raise Refusal(_("文件“%(name)s”为空"), code="empty", params={"name": display_name})
    head = b"".join(c[:uploads.HEAD_BYTES] for c in head_chunks)[:uploads.HEAD_BYTES]
    uploads.kind_check(name=display_name, kind=kind, head=head)

    storage = storage or default_storage
    name = f"{folder}/{timezone.localdate():%Y/%m/%d}/{uuid.uuid4().hex}.{kind}"
    metered = _MeteredChunks(itertools.chain(head_chunks, source), limit=limit, display_name=display_name,
                             text=kind in uploads.TEXT_KINDS)
    try:
        name = storage.save(name, metered)
        if kind in uploads.ARCHIVE_KINDS:
            with storage.open(name, "rb") as handle:
                uploads.archive_kind_check(name=display_name, kind=kind, source=handle,
                                           limits=limits or _archive_limits(limit))
    except BaseException:
        stored_file_delete(name=name, storage=storage)
        raise
    return StoredUpload(name=name, display_name=display_name, size=metered.size,
                        sha256=metered.digest.hexdigest(), kind=kind)


def stored_file_delete(*, name: str, storage=None) -> None:
    """Delete a stored file if it is there (after the row naming it is gone: ``on_commit``)."""
    storage = storage or default_storage
    with contextlib.suppress(FileNotFoundError):
        storage.delete(name)


@contextlib.contextmanager
def discard_on_error(stored: StoredUpload, *, storage=None):
    """``with discard_on_error(stored): <the transaction recording it>``: if the block raises (a
    refusal, a database error), the stored file is deleted and the exception goes on."""
    try:
        yield stored
    except BaseException:
        stored_file_delete(name=stored.name, storage=storage)
        raise


def attachments_total_check(*, current_total: int, size: int, max_bytes: int | None = None) -> None:
    """Refuse a file that would take one application's attachments past the limit
    (``ICDC_UPLOAD_MAX_APPLICATION_BYTES``); ``current_total`` is the caller's sum, read under lock."""
    limit = max_bytes or settings.ICDC_UPLOAD_MAX_APPLICATION_BYTES
    if current_total + size > limit:
        raise Refusal(_("附件总大小将超过上限 %(limit)s MB（已上传 %(used)s MB，本文件 %(size)s MB），"
                        "请删除不需要的附件或压缩后再上传"), code="total_too_large",
                      params={"limit": round(limit / uploads.MB, 1), "used": round(current_total / uploads.MB, 1),
                              "size": round(size / uploads.MB, 1)})


def protected_file_response(*, request, stored_name: str, display_name: str, storage=None) -> FileResponse:
    """A stored file as a download, streamed from storage: always an attachment (never shown
    inline), named in Chinese (RFC 6266), ``nosniff``, not cached by shared caches. The caller
    has checked the permission and audits the download; an anonymous request is refused here
    as a second line."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    storage = storage or default_storage
    try:
        handle = storage.open(stored_name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("附件文件不存在或已被删除")) from exc
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(uploads.suffix_of(stored_name),
                                                                   "application/octet-stream"))
    response["Content-Disposition"] = content_disposition(display_name)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def public_file_response(*, stored_name: str, display_name: str, storage=None) -> FileResponse:
    """A file the Ministry published, as a public download (the portal): the exact stored bytes,
    an attachment named in Chinese (RFC 6266), ``nosniff``. No login: the caller serves only
    published documents."""
    storage = storage or default_storage
    try:
        handle = storage.open(stored_name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("文件不存在或已被删除")) from exc
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(uploads.suffix_of(stored_name),
                                                                   "application/octet-stream"))
    response["Content-Disposition"] = content_disposition(display_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
