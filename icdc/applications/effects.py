"""The writes a transition makes beside the state (called by ``icdc.lib.workflow.perform`` on the
locked application, before the audit record)."""

import hashlib
import json

from .models import ApplicationRevision, ProvincialReview


def revision_content(application):
    """Everything the city declares, as plain JSON: sections, type and domains, and files by hash.
    Only the sections the chosen type asks for (a condition of a type given up is not declared)."""
    from .form import definition

    keys = set(definition(application).keys)
    sections = {s.key: s.data for s in application.sections.order_by("key") if s.key in keys}
    files = [{"purpose": a.purpose, "name": a.display_name, "sha256": a.sha256, "size": a.size, "kind": a.kind}
             for a in application.attachments.filter(removed_at__isnull=True).order_by("purpose", "pk")]
    return {"type": application.type_code, "domains": list(application.domain_codes), "sections": sections,
            "attachments": files}


def content_digest(content):
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def freeze_revision(application, ctx):
    """Submission freezes the current revision (SPEC §4: submitted material is frozen)."""
    content = revision_content(application)
    revision = ApplicationRevision.objects.create(
        application=application, number=application.revision_number, content=content,
        sha256=content_digest(content), frozen_by=ctx.user, frozen_at=ctx.now)
    application.submitted_at = ctx.now
    application.save(update_fields=["submitted_at"])
    ctx.audit.update(revision=revision.number, sha256=revision.sha256)


def arrive_at_ministry(application, ctx):
    application.arrived_at = ctx.now
    application.save(update_fields=["arrived_at"])


def record_return(application, ctx):
    """A return keeps the province's reasons and opens the next revision for the city."""
    ProvincialReview.objects.create(application=application, revision_number=application.revision_number,
                                    outcome=ProvincialReview.Outcome.RETURNED, comments=ctx.note,
                                    decided_by=ctx.user, decided_at=ctx.now)
    application.revision_number += 1
    application.save(update_fields=["revision_number"])
    ctx.audit["next_revision"] = application.revision_number


def record_recommendation(application, ctx):
    rank = ctx.data.get("rank")
    ProvincialReview.objects.create(application=application, revision_number=application.revision_number,
                                    outcome=ProvincialReview.Outcome.RECOMMENDED, comments=ctx.note,
                                    decided_by=ctx.user, decided_at=ctx.now)
    if rank is not None:
        application.recommendation_rank = rank
        application.save(update_fields=["recommendation_rank"])
        ctx.audit["rank"] = rank
