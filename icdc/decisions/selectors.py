"""Reads of the decision stage: proposals, their lists grouped by type and domain, objections."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from .models import Objection, Proposal, ProposalEntry
from .workflow import IN_NOTICE


@dataclass
class TrackList:
    track: str
    label: str  # 综合型 / 特色型 · 生活类信息消费
    type_code: str
    domain_code: str
    quota: int | None
    pass_mark: float | None
    entries: list


def proposal(pk) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("batch", "run", "proposed_by", "approved_by")
                             .defer("run__snapshot", "run__result_text"), pk=pk)


def proposals(batch=None):
    qs = (Proposal.objects.select_related("batch", "run", "proposed_by").defer("run__snapshot", "run__result_text")
          .order_by("-created_at", "-id"))
    return qs.filter(batch=batch) if batch is not None else qs


def track_label(programme, track) -> tuple[str, str, str]:
    """(label, type code, domain code) of a run's track: 综合型, or 特色型 · <domain>."""
    found = next((t for t in programme.tracks if t.code == track), None)
    if found is None:
        return str(track), "", ""
    kind = programme.type(found.type_code)
    if found.domain_code:
        return f"{kind.label} · {found.label}", kind.code, found.domain_code
    return kind.label, kind.code, ""


def track_lists(proposal: Proposal, *, included_only=False) -> list[TrackList]:
    """The proposal's cities per track, in the programme's track order, rank first."""
    from icdc.rankings.models import ScoringRun

    programme = proposal.batch.programme()
    # Only the parameters: the run's snapshot and result text are megabytes at 300 cities.
    params = ScoringRun.objects.filter(pk=proposal.run_id).values_list("params", flat=True).first() or {}
    entries = ProposalEntry.objects.filter(proposal=proposal).select_related("city").order_by("track", "rank")
    if included_only:
        entries = entries.filter(included=True)
    by_track: dict[str, list] = {}
    for entry in entries:
        by_track.setdefault(entry.track, []).append(entry)
    order = [t.code for t in programme.tracks]
    out = []
    for track in sorted(by_track, key=lambda t: (order.index(t) if t in order else len(order), t)):
        label, type_code, domain_code = track_label(programme, track)
        out.append(TrackList(track, label, type_code, domain_code, (params.get("quotas") or {}).get(track),
                             params.get("pass_mark"), by_track[track]))
    return out


def open_notices():
    return Proposal.objects.filter(status=IN_NOTICE).select_related("batch").order_by("-notice_published_at")


def past_notices():
    return (Proposal.objects.filter(notice_published_at__isnull=False).exclude(status=IN_NOTICE)
            .select_related("batch").order_by("-notice_published_at"))


def public_notice(pk) -> Proposal:
    """A published notice (open or past); anything else, or none, is the same 404."""
    return get_object_or_404(Proposal.objects.select_related("batch"), pk=pk, notice_published_at__isnull=False)


def objection(pk) -> Objection:
    return get_object_or_404(Objection.objects.select_related("proposal__batch", "city", "handled_by",
                                                              "vacancy_entry__city"), pk=pk)


def published_documents(proposal):
    from icdc.documents.models import PublishedDocument
    from icdc.documents.services import subject_of

    return PublishedDocument.objects.filter(subject=subject_of(proposal)).order_by("kind", "format")
