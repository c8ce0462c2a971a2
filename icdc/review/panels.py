"""Review panels drawn at random (随机抽取), per group of a batch: recorded, reproducible, never overwritten.

A group is a scoring track of the batch's programme (a type without domains, or one domain). The
pool is every expert of ``selectors.draw_pool``; conflicts with ANY application of the group that
reached the Ministry (declared city, declared employer = the application's 牵头单位, employer in the
applicant's city, same province) exclude the
expert before the pure ``draw.draw_panel`` runs on the rest, with the group's domain as speciality.
The snapshot stored on the draw is the canonical input of that pure draw, so ``panel_draw_verify``
re-runs it with the recorded seed and compares. The load of an expert is the number of
applications of the batch's current panels (not replaced by a redraw) they sit on.
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.accounts.decorators import require_perm
from icdc.applications.form import LEAD
from icdc.applications.models import Application, ApplicationRevision
from icdc.applications.workflow import IN_EXPERT_REVIEW
from icdc.audit.services import record_event
from icdc.batches.models import Batch
from icdc.lib.refusals import Refusal

from . import draw, replacements, selectors
from .models import Expert, PanelDraw, ReviewWindow

DRAW = "review.draw_panels"
CONFLICTS = ("declared_city", "declared_employer", "employer_city", "same_province")


def group_choices(batch):
    """(code, label) of the batch's scoring tracks: the groups a panel is drawn for."""
    return [(t.code, t.label) for t in batch.programme().tracks]


def _track(batch, group):
    track = next((t for t in batch.programme().tracks if t.code == group), None)
    if track is None:
        raise Refusal(_("该批次没有这个评审组。"), code="unknown_group")
    return track


def group_applications(batch, track):
    """The group's applications that passed formal review (art. 12), as plain data (city, province,
    units): two queries whatever their number (the applications, then their frozen revisions)."""
    arrived = [app for app in Application.objects.filter(batch=batch, status__in=IN_EXPERT_REVIEW)
               .select_related("city").order_by("id")
               if app.type_code == track.type_code
               and (not track.domain_code or track.domain_code in (app.domain_codes or []))]
    units = _units({app.pk: app.revision_number for app in arrived})
    return [{"id": app.pk, "city": app.city_id, "province": app.city.parent_id or app.city_id,
             "speciality": None, "units": units.get(app.pk, [])} for app in arrived]


def _units(revision_numbers):
    """Application id → the units matched against declared employers: the 牵头单位 of its frozen
    revision (``revision_numbers``: application id → the number of that revision). One query."""
    if not revision_numbers:
        return {}
    out = {}
    rows = (ApplicationRevision.objects.filter(application_id__in=list(revision_numbers))
            .values_list("application_id", "number", "content"))
    for application_id, number, content in rows:
        if number != revision_numbers[application_id]:
            continue
        lead = ((content or {}).get("sections") or {}).get(LEAD) or {}
        name = (lead.get("name") or "").strip() if isinstance(lead, dict) else ""
        out[application_id] = [name] if name else []
    return out


def current_draws(batch):
    """The batch's draws not replaced by a redraw."""
    return PanelDraw.objects.filter(batch=batch, replaced_by__isnull=True)


def current_draw(batch, group):
    return current_draws(batch).filter(group=group).first()


def _load(batch, *, leaving_out=None):
    load = {}
    for panel in current_draws(batch).exclude(pk=getattr(leaving_out, "pk", None)):
        for expert_id in panel.members:
            load[expert_id] = load.get(expert_id, 0) + len(panel.application_ids)
    return load


def _conflicts(pool, applications):
    """Expert id → the first conflict (a reason code) of that expert with ``applications``, for the
    experts of ``pool`` who have one.

    The same answer as checking every expert against every application in order with
    ``draw.exclusion`` (the first application that conflicts, its first reason), but the
    applications are put in canonical form and indexed by city, province and unit once per draw:
    each expert is checked only against the applications sharing one of those with them.
    """
    apps = [draw._application(a) for a in applications]
    by_city, by_province, by_unit = {}, {}, {}
    for index, app in enumerate(apps):
        if app["city"]:
            by_city.setdefault(app["city"], []).append(index)
        if app["province"]:
            by_province.setdefault(app["province"], []).append(index)
        for unit in app["units"]:
            by_unit.setdefault(unit, []).append(index)
    found = {}
    for entry in pool:
        expert = {**draw._expert(entry), "active": True, "load_limit": 1, "specialities": []}
        candidates = [*by_city.get(expert["city"], ()), *by_province.get(expert["province"], ())]
        for city in expert["conflict_cities"]:
            candidates += by_city.get(city, ())
        for employer in expert["conflict_employers"]:
            candidates += by_unit.get(employer, ())
        if candidates:
            reason = draw.exclusion(expert, apps[min(candidates)], {})
            assert reason in CONFLICTS, reason  # the index finds conflicts only
            found[expert["id"]] = reason
    return found


def _inputs(snapshot):
    """The pure draw's keyword arguments from a stored canonical snapshot (load keys back to ints)."""
    return {"pool": snapshot["pool"], "application": snapshot["application"], "size": snapshot["size"],
            "reserves": snapshot["reserves"], "load": {int(k): v for k, v in snapshot["load"].items()}}


def _audit(action, *, user, panel, after, detail=""):
    record_event(action=action, user=user, obj=panel, object_repr=str(panel), after=after, detail=detail)


def panel_draw(*, batch, group, size, reserves, user, seed=None):
    """Draw a panel for ``group`` of ``batch``; a current draw of the group is replaced (kept, linked)."""
    require_perm(user, DRAW, batch)
    track = _track(batch, group)
    if size < 1 or reserves < 0:
        raise Refusal(_("专家人数至少为 1，备选人数不能为负。"), code="bad_size")
    seed = str(seed) if seed not in (None, "") else secrets.token_hex(16)
    with transaction.atomic():
        # The batch's row serializes the draws of a batch: the next draw's queries run after this one
        # committed, so it sees this draw as the group's current one (and the load it adds).
        Batch.objects.select_for_update().get(pk=batch.pk)
        # then the review window's, as a replacement and every expert's save take it before any sheet
        ReviewWindow.objects.select_for_update().filter(batch_id=batch.pk).first()
        previous = current_draw(batch, group)
        applications = group_applications(batch, track)
        if not applications:
            raise Refusal(_("该评审组还没有通过形式审查的申报，无需抽取。"), code="no_applications")
        everyone = selectors.draw_pool()
        conflicts = _conflicts(everyone, applications)
        conflicted = [{"expert": pk, "reason": reason} for pk, reason in conflicts.items()]
        pool = [expert for expert in everyone if expert["id"] not in conflicts]
        group_application = {"id": None, "city": "", "province": "", "speciality": track.domain_code, "units": []}
        load = _load(batch, leaving_out=previous)
        # The snapshot is made canonical (and hashed) once: the stored snapshot is what the draw ran on.
        snapshot = draw.canonical_snapshot(pool=pool, application=group_application, size=size, reserves=reserves,
                                           load=load)
        result = draw.draw_snapshot(snapshot, seed=seed)
        if result["shortfall"]:
            raise Refusal(_("符合条件的专家不足：还差 %(n)s 人。请调整专家人数或补充专家库。")
                          % {"n": result["shortfall"]}, code="shortfall")
        panel = PanelDraw.objects.create(
            batch=batch, group=group, size=size, reserve_count=reserves, seed=seed, pool_hash=result["pool_hash"],
            snapshot=snapshot, application_ids=[a["id"] for a in applications],
            excluded=sorted(conflicted + result["excluded"], key=lambda e: e["expert"]),
            drawn_members=result["members"], drawn_reserves=result["reserves"], drawn_leader=result["leader"],
            members=result["members"], reserves=result["reserves"], leader=result["leader"],
            drawn_by=user, drawn_at=timezone.now(), replaces=previous)
        sheets = replacements.sheets_of_a_redraw(previous=previous, panel=panel, user=user)
        _audit("review.panel.draw", user=user, panel=panel, after={
            "batch": batch.pk, "group": group, "seed": seed, "pool_hash": panel.pool_hash, "size": size,
            "reserves": reserves, "applications": len(applications), "pool": len(snapshot["pool"]) + len(conflicted),
            "excluded": len(panel.excluded), "members": panel.members, "reserve_list": panel.reserves,
            "leader": panel.leader, "replaces": previous.pk if previous else None,
            **(sheets if previous else {})})
    return panel


def panel_draw_verify(*, draw_record):
    """Re-run the pure draw with the recorded seed and snapshot: (identical?, the re-run's result)."""
    result = draw.draw_panel(seed=draw_record.seed, **_inputs(draw_record.snapshot))
    same = (result["members"] == draw_record.drawn_members and result["reserves"] == draw_record.drawn_reserves
            and result["leader"] == draw_record.drawn_leader and result["pool_hash"] == draw_record.pool_hash
            and all(e in draw_record.excluded for e in result["excluded"]))
    return same, result


def panel_member_decline(*, draw_record, expert, reason, user):
    """The member ``expert`` declines (回避或无法参加): the first reserve takes their place."""
    require_perm(user, DRAW, draw_record.batch)
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_("请填写专家不能参加的原因。"), code="no_reason")
    expert_id = expert.pk if isinstance(expert, Expert) else int(expert)
    with transaction.atomic():
        # The review window's row first, as every expert's save or submit locks it first (their sheet's
        # reference to the panel is checked at their commit: locking the panel first would deadlock).
        ReviewWindow.objects.select_for_update().filter(batch_id=draw_record.batch_id).first()
        panel = PanelDraw.objects.select_for_update().get(pk=draw_record.pk)
        if PanelDraw.objects.filter(replaces=panel).exists():
            raise Refusal(_("该抽取记录已被重新抽取替代，不能再替补。"), code="replaced")
        if expert_id not in panel.members:
            raise Refusal(_("该专家不是本组的评审专家。"), code="not_member")
        if not panel.reserves:
            raise Refusal(_("备选专家已用完，请重新抽取本组专家（原抽取记录将保留）。"), code="no_reserve")
        substitute, position = panel.reserves[0], panel.members.index(expert_id)
        panel.members = [*panel.members[:position], substitute, *panel.members[position + 1:]]
        panel.reserves = panel.reserves[1:]
        if panel.leader == expert_id:
            panel.leader = panel.members[0]
        event = {"expert": expert_id, "substitute": substitute, "reason": reason, "by": user.pk,
                 "at": timezone.now().isoformat()}
        panel.replacements = [*panel.replacements, event]
        panel.save(update_fields=["members", "reserves", "leader", "replacements"])
        out = replacements.sheets_of_the_replaced(panel=panel, expert_id=expert_id, substitute=substitute,
                                                  reason=reason, user=user)
        replacements.tell_the_replaced_and_the_substitute(panel=panel, expert_id=expert_id, substitute=substitute)
        _audit("review.panel.replace", user=user, panel=panel, after={
            "expert": expert_id, "substitute": substitute, "members": panel.members, "reserves": panel.reserves,
            "leader": panel.leader, **out}, detail=reason)
    draw_record.refresh_from_db()
    return panel

