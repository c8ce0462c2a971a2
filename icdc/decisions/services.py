"""Services of the decision stage: propose a list from a scoring run, adjust it (departures with
reasons), take the proposal's and objections' transitions, file and follow objections.

Every declared state change goes through ``icdc.lib.workflow.perform`` (``workflow.py``); the
list's edits and an objection's filing, notes and files are atomic with the proposal (or the
objection) row locked, and write their audit record last.
"""

from __future__ import annotations

import secrets
from contextlib import ExitStack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icdc.accounts.decorators import require_perm
from icdc.audit.services import record_event
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import ATTACHMENT_KINDS, attachments_total_check, discard_on_error, store_upload
from icdc.lib.workflow import perform

from . import workflow
from .models import Objection, ObjectionFile, ObjectionNote, Proposal, ProposalEntry

#: At most this many evidence files with one objection.
MAX_EVIDENCE_FILES = 5


# --- the proposal -----------------------------------------------------------------------------

def proposal_create(*, batch, run, user, request=None) -> Proposal:
    """拟定名单 from ``run``: every city of every track, pre-filled with the engine's selection."""
    require_perm(user, "decisions.propose_list", request=request)
    with transaction.atomic():
        if Proposal.objects.filter(batch=batch, run=run).exists():
            raise Refusal(_("本批次已根据这一评分运行拟定过名单。"), code="exists")
        proposal = Proposal.objects.create(batch=batch, run=run, proposed_by=user)
        rows = run.city_results.all().defer("detail")
        ProposalEntry.objects.bulk_create(ProposalEntry(
            proposal=proposal, city_id=row.city_id, track=row.track, rank=row.rank, composite=row.composite,
            eligible=row.eligible, engine_selected=row.selected, close_call=row.close_call,
            p_in_quota=row.p_in_quota, included=row.selected) for row in rows)
        record_event(action="decisions.proposal.create", request=request, user=user, obj=proposal,
                     after={"batch": batch.pk, "run": run.pk, "selected": sorted(
                         [r.city_id, r.track] for r in rows if r.selected)})
    return proposal


def proposal_edit(*, proposal, choices: dict, user, request=None) -> Proposal:
    """Set which cities are on the list: ``choices`` maps entry id → (included, reason). A departure
    from the ranking (left out although selected, added although not) needs a reason; the reason
    of an entry that follows the ranking is cleared. Only while the proposal is a draft."""
    require_perm(user, "decisions.propose_list", request=request)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != workflow.PROPOSAL_DRAFT:
            raise Refusal(_("拟定名单已提交审核（%(state)s），不能再修改。"), code="not_draft",
                          params={"state": proposal.get_status_display()})
        entries = {e.pk: e for e in proposal.entries.select_related("city")}
        missing, changed = [], []
        for pk, (included, reason) in choices.items():
            entry = entries.get(pk)
            if entry is None:
                continue
            reason = (reason or "").replace("\x00", "").strip()[:2000]
            departs = bool(included) != entry.engine_selected
            if departs and not reason:
                missing.append(entry.city.name)
                continue
            reason = reason if departs else ""
            if entry.included != bool(included) or entry.reason != reason:
                changed.append({"city": entry.city_id, "track": entry.track, "included": bool(included),
                                "engine_selected": entry.engine_selected, "reason": reason})
                entry.included, entry.reason = bool(included), reason
                entry.save(update_fields=["included", "reason"])
        if missing:
            raise Refusal(_("调整排名结果须写明理由：%(cities)s。"), code="reason_required",
                          params={"cities": "、".join(missing)})
        proposal.save(update_fields=["updated_at"])
        if changed:
            record_event(action="decisions.proposal.edit", request=request, user=user, obj=proposal,
                         after={"changes": changed})
    return proposal


def proposal_transition(*, proposal, name, user, note="", data=None, request=None, now=None) -> Proposal:
    """submit / send_back / approve / publish / announce (``workflow.PROPOSAL``)."""
    return perform(workflow.PROPOSAL, proposal, name, user=user, note=note, data=data, request=request, now=now)


# --- objections -------------------------------------------------------------------------------

#: Crockford's base 32: no I, L, O, U (read aloud or typed from paper without confusion).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
BODY_LENGTH = 12  # 60 random bits


def _check_char(body: str) -> str:
    return ALPHABET[sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body)) % 32]


def new_receipt() -> str:
    """A receipt number: 12 random characters (60 bits) and a check character, as XXXX-XXXX-XXXX-C."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return f"{body[:4]}-{body[4:8]}-{body[8:]}-{_check_char(body)}"


def normalise_receipt(text: str) -> str | None:
    """The canonical receipt for what someone typed (any case, spacing, dashes), or None when it
    cannot be one (wrong length, alphabet or check character)."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum()).translate(_READ_AS)[:64]
    if len(raw) != BODY_LENGTH + 1 or any(c not in ALPHABET for c in raw):
        return None
    body, check = raw[:-1], raw[-1]
    if _check_char(body) != check:
        return None
    return f"{body[:4]}-{body[4:8]}-{body[8:]}-{check}"


def objection_by_receipt(text: str) -> Objection | None:
    """The objection a receipt names, or None. A malformed or forged number costs the same one
    query as a real one (the page answers alike and in the same time class)."""
    receipt = normalise_receipt(text) or "-"
    return Objection.objects.select_related("proposal__batch", "city").filter(receipt=receipt).first()


def objection_cities(proposal):
    """The cities an objection may concern: those on the published list (still on it, or taken off
    by an upheld objection)."""
    from django.db.models import Q

    from icdc.divisions.models import Division

    ids = (ProposalEntry.objects.filter(Q(included=True) | Q(removed_by__isnull=False), proposal=proposal)
           .values_list("city_id", flat=True))
    return Division.objects.filter(pk__in=list(ids)).order_by("pk")


def objection_file(*, proposal, filer_kind, name, unit_name, contact, city, facts, files=(), request=None,
                   now=None) -> Objection:
    """异议: anyone, during the notice period (to the last second of its last day, Beijing time).
    Evidence files follow the attachment rules of intake (kinds, size, content checks)."""
    now = now or timezone.now()
    if filer_kind == Objection.Filer.UNIT and not (unit_name or "").strip():
        raise Refusal(_("以单位名义提出异议的，请填写单位名称。"), code="unit_name")
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        raise Refusal(_("证据材料最多 %(n)d 个文件。"), code="too_many_files", params={"n": MAX_EVIDENCE_FILES})
    _check_open(proposal, now)
    with ExitStack() as stack:
        stored = []
        for uploaded in files:
            item = store_upload(uploaded_file=uploaded, kinds=ATTACHMENT_KINDS, folder=f"objections/{proposal.pk}")
            stack.enter_context(discard_on_error(item))
            stored.append(item)
        attachments_total_check(current_total=0, size=sum(s.size for s in stored))
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
            _check_open(proposal, now)
            if not objection_cities(proposal).filter(pk=getattr(city, "pk", city)).exists():
                raise Refusal(_("请选择公示名单中的城市。"), code="city")
            objection = Objection.objects.create(
                proposal=proposal, receipt=new_receipt(), filer_kind=filer_kind, name=name.strip()[:60],
                unit_name=(unit_name or "").strip()[:120] if filer_kind == Objection.Filer.UNIT else "",
                contact=contact.strip()[:120], city_id=getattr(city, "pk", city), facts=facts.strip()[:10000],
                filed_at=now)
            for item in stored:
                ObjectionFile.objects.create(objection=objection, purpose=ObjectionFile.Purpose.EVIDENCE,
                                             display_name=item.display_name, storage_name=item.name, size=item.size,
                                             sha256=item.sha256, kind=item.kind)
            _tell_officers(objection)
            record_event(action="decisions.objection.file", request=request, obj=objection,
                         after={"proposal": proposal.pk, "city": objection.city_id, "files": len(stored),
                                "filer_kind": filer_kind})
    return objection


def _check_open(proposal, now):
    if proposal.status != workflow.IN_NOTICE or proposal.notice_ends_at is None:
        raise Refusal(_("该名单不在公示期内，不受理异议。"), code="not_in_notice")
    if now > proposal.notice_ends_at:
        raise Refusal(_("公示期已于 %(end)s 24 时（北京时间）结束，不再受理异议。"), code="period_over",
                      params={"end": proposal.notice_end.isoformat()})


def _tell_officers(objection):
    from icdc.notifications.selectors import ministry_officers
    from icdc.notifications.services import notify

    notify(recipients=list(ministry_officers()), kind="decisions.objection.file",
           title=str(_("收到对%(city)s的公示异议") % {"city": objection.city.name}),
           link=f"/decisions/objections/{objection.pk}/", obj=objection)


def objection_transition(*, objection, name, user, note="", data=None, request=None, now=None) -> Objection:
    """investigate / uphold / dismiss (``workflow.OBJECTION``)."""
    return perform(workflow.OBJECTION, objection, name, user=user, note=note, data=data, request=request, now=now)


def _locked_open_objection(objection):
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status in workflow.HANDLED:
        raise Refusal(_("异议已处理完毕（%(state)s），不能再添加调查记录。"), code="handled",
                      params={"state": objection.get_status_display()})
    return objection


def objection_note_add(*, objection, text, user, request=None) -> ObjectionNote:
    require_perm(user, "decisions.handle_objection", request=request)
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise Refusal(_("请填写调查记录。"), code="empty")
    with transaction.atomic():
        objection = _locked_open_objection(objection)
        note = ObjectionNote.objects.create(objection=objection, text=text[:10000], author=user)
        record_event(action="decisions.objection.note", request=request, user=user, obj=objection,
                     after={"note": note.pk})
    return note


def objection_file_add(*, objection, uploaded_file, user, request=None) -> ObjectionFile:
    """An officer's investigation file, under the attachment rules of intake."""
    require_perm(user, "decisions.handle_objection", request=request)
    stored = store_upload(uploaded_file=uploaded_file, kinds=ATTACHMENT_KINDS, folder=f"objections/{objection.proposal_id}")
    with discard_on_error(stored), transaction.atomic():
        objection = _locked_open_objection(objection)
        item = ObjectionFile.objects.create(
            objection=objection, purpose=ObjectionFile.Purpose.INVESTIGATION, display_name=stored.display_name,
            storage_name=stored.name, size=stored.size, sha256=stored.sha256, kind=stored.kind, uploaded_by=user)
        record_event(action="decisions.objection.upload", request=request, user=user, obj=objection,
                     after={"file": item.pk, "name": stored.display_name, "sha256": stored.sha256})
    return item


def _closed_message():
    return _("该名单不在公示期内，不受理异议。")
