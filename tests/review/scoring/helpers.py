"""The scoring world: ``drawn_panel`` with the draft indicators as the batch's version, an open review
window and every member's declaration signed; and full score payloads."""

import datetime

from django.utils import timezone

from icdc.review.models import Declaration, ReviewWindow
from icdc.review.scores import qualitative_specs
from tests.review import factories


def sign(expert, batch):
    return Declaration.objects.create(expert=expert, batch=batch, text_version="2026-1", text_sha256="0" * 64,
                                      signed_at=timezone.now())


def open_window(batch, officer, *, opens=-1, closes=3):
    now = timezone.now()
    return ReviewWindow.objects.update_or_create(batch=batch, defaults={
        "opens_at": now + datetime.timedelta(days=opens), "closes_at": now + datetime.timedelta(days=closes),
        "set_by": officer, "closed_at": None})[0]


def scoring_world(version, *, size=5, experts=8, signed=True, window=True):
    world = factories.drawn_panel(size=size, experts=experts)
    batch = world["batch"]
    batch.indicator_version = version
    batch.save(update_fields=["indicator_version"])
    if signed:
        for member in world["members"]:
            sign(member, batch)
    if window:
        world["window"] = open_window(batch, world["officer"])
    world["specs"] = qualitative_specs(batch, world["panel"].group)
    return world


def full_scores(specs, fraction=0.5):
    """A score for every qualitative indicator: ``fraction`` of its weight, two places."""
    return {s.code: f"{s.weight * fraction:.2f}" for s in specs}


def frozen_attachment(application, name="附件一.pdf", content=b"%PDF-1.4\n%%EOF\n"):
    """A stored file of ``application`` named in its frozen revision (as the city's submit leaves it)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from icdc.applications.models import ApplicationRevision, Attachment

    sha = hashlib.sha256(content).hexdigest()
    stored = default_storage.save(f"applications/{application.pk}/test.pdf", ContentFile(content))
    attachment = Attachment.objects.create(application=application, purpose="material-M1", display_name=name,
                                           storage_name=stored, size=len(content), sha256=sha, kind="pdf")
    revision = ApplicationRevision.objects.get(application=application, number=application.revision_number)
    revision.content = {**revision.content, "attachments": [
        *revision.content.get("attachments", []), {"purpose": "material-M1", "name": name, "sha256": sha}]}
    revision.save(update_fields=["content"])
    return attachment
