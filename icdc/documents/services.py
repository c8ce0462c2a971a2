"""Publishing a document: store the exact bytes, record their SM3, find them again by digest."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from icdc.audit.services import record_event

from .digest import document_digest
from .models import PublishedDocument


def subject_of(obj) -> str:
    """"<app_label>.<model>:<pk>" of the object a published document is about."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def publish_document(*, kind, fmt, title, content: bytes, subject, user=None, number="", filename=None,
                     published_at=None) -> PublishedDocument:
    """Store ``content`` and record it as published, with its SM3. The same bytes published again
    return the row already there (a digest names one document). Call inside the caller's atomic
    block so the record and the state change that published it land together; the file written
    before a rollback is left as an orphan, never referenced."""
    content = bytes(content)
    sm3 = document_digest(content)
    existing = PublishedDocument.objects.filter(sm3=sm3).first()
    if existing is not None:
        return existing
    moment = published_at or timezone.now()
    name = default_storage.save(f"published/{kind}/{moment:%Y/%m}/{sm3[:16]}.{fmt}", ContentFile(content))
    with transaction.atomic():
        document = PublishedDocument.objects.create(
            kind=kind, format=fmt, title=title, number=number, file=name, size=len(content), sm3=sm3,
            sha256=hashlib.sha256(content).hexdigest(), subject=subject, published_at=moment, published_by=user)
        record_event(action="documents.document.publish", user=user, obj=document, object_repr=str(document),
                     after={"kind": kind, "format": fmt, "title": title, "number": number, "sm3": sm3,
                            "subject": subject, "filename": filename or ""})
    return document


def find_published(*, digest: str = "", content: bytes | None = None) -> PublishedDocument | None:
    """The published document with this SM3 digest (pasted, any case and spacing) or these bytes."""
    if content is not None:
        digest = document_digest(content)
    digest = "".join((digest or "").split()).lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        return None
    return PublishedDocument.objects.filter(sm3=digest).first()
