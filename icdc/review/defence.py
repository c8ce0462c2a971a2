"""Defence (答辩, art. 12; SPEC §4 "Expert review"): on site or online (线上答辩, the practice since
2021), one slot per application of a panel, each current panel member scoring it.

- ``defence_schedule`` (the officer): time in Beijing time, a place (on site) or a meeting link
  (online); two slots of one panel may not overlap (checked on the locked panel row, so two
  officers scheduling at once are checked one after the other); the city is told.
- ``defence_mark`` (the officer): held or no-show (未到场), through the declared lifecycle
  (``review/workflow.py``), audited as ``review.defence.held`` / ``review.defence.no_show``.
- ``defence_score_submit`` (a panel member): 0..100 with two decimals, once; final when submitted.
  The slot row is locked, so two submissions of the same expert land one after the other and the
  second is refused (the unique constraint is the last line, never the message).
- ``defence_scores`` / ``no_shows``: what the rankings adapter reads (the contract below).
"""

from decimal import Decimal, InvalidOperation

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.accounts.decorators import require_perm
from icdc.accounts.models import Role
from icdc.applications.models import Application
from icdc.audit.services import record_event
from icdc.batches.models import SHANGHAI
from icdc.lib.refusals import Refusal
from icdc.lib.workflow import perform
from icdc.scoring.aggregate import trimmed_mean

from . import selectors
from .models import DefenceScore, DefenceSlot, Expert, PanelDraw
from .workflow import HELD, NO_SHOW, WORKFLOW

MANAGE = "review.manage_defence"
SCORE = "review.score_defence"
MAX_SCORE = Decimal("100")
TWO_PLACES = Decimal("0.01")


def beijing(moment):
    """``2026-12-02 14:00``: an instant as Beijing wall time (what officers and cities read)."""
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%d %H:%M")


# --- reads ----------------------------------------------------------------------------------

def is_current(panel):
    return not PanelDraw.objects.filter(replaces_id=panel.pk).exists()


def panel_slots(panel):
    """The panel's slots with their application, city and scores (three queries)."""
    return list(DefenceSlot.objects.filter(panel=panel).select_related("application__city")
                .prefetch_related("scores").order_by("starts_at", "id"))


def slots_for_application(application):
    """The application's defence slots before current panels (the city's application page)."""
    return list(DefenceSlot.objects.filter(application=application, panel__replaced_by__isnull=True)
                .order_by("starts_at", "id"))


def slots_for_expert(expert):
    """Slots of the current panels ``expert`` sits on, each with ``my_score`` (None until scored)."""
    panels = [p for p in PanelDraw.objects.filter(replaced_by__isnull=True).select_related("batch")
              if expert.pk in (p.members or [])]
    slots = list(DefenceSlot.objects.filter(panel__in=panels).select_related("application__city", "panel__batch")
                 .order_by("starts_at", "id"))
    mine = {s.slot_id: s for s in DefenceScore.objects.filter(expert=expert, slot__in=slots)}
    for slot in slots:
        slot.my_score = mine.get(slot.pk)
    return slots


def mean_of(scores):
    """The trimmed mean of the engine (drop highest and lowest from five experts on), or None."""
    values = [float(s) for s in scores]
    if not values:
        return None
    return round(float(trimmed_mean(np.array([sorted(values)])).mean[0]), 2)


def defence_scores(batch):
    """Application id → track (the panel's group) → expert key (``str(expert.pk)``) → score.

    The defence scores the rankings adapter gives the engine: held slots of the batch's current
    panels by their current members (a member replaced since does not count); a no-show maps to
    ``{track: {}}`` so the missing defence is visible, never a zero typed by nobody. Two queries
    whatever the number of panels, slots and experts."""
    out = {}
    slots = (DefenceSlot.objects.filter(panel__batch=batch, panel__replaced_by__isnull=True,
                                        status__in=(HELD, NO_SHOW))
             .select_related("panel").prefetch_related("scores").order_by("id"))
    for slot in slots:
        track = out.setdefault(slot.application_id, {}).setdefault(slot.panel.group, {})
        if slot.status == HELD:
            for score in slot.scores.all():
                if score.expert_id in slot.panel.members:
                    track[str(score.expert_id)] = float(score.score)
    return out


def no_shows(batch):
    """Ids of the applications recorded as not appearing (未到场) before a current panel of ``batch``."""
    return set(DefenceSlot.objects.filter(panel__batch=batch, panel__replaced_by__isnull=True, status=NO_SHOW)
               .values_list("application_id", flat=True))


# --- scheduling -----------------------------------------------------------------------------

def _applicants(application):
    return get_user_model().objects.filter(is_active=True, role=Role.CITY_APPLICANT, division_id=application.city_id)


def _check_place(mode, place, meeting_link):
    if mode == DefenceSlot.Mode.ON_SITE and not place:
        raise Refusal(_("现场答辩请填写答辩地点。"), code="no_place")
    if mode == DefenceSlot.Mode.ONLINE and not meeting_link:
        raise Refusal(_("线上答辩请填写会议链接。"), code="no_link")
    if meeting_link and not meeting_link.lower().startswith(("https://", "http://")):
        raise Refusal(_("会议链接须以 https:// 或 http:// 开头。"), code="bad_link")
    if mode not in DefenceSlot.Mode.values:
        raise Refusal(_("请选择答辩方式。"), code="bad_mode")


def defence_schedule(*, panel, application, starts_at, ends_at, mode, user, place="", meeting_link="", note="",
                     request=None):
    """Art. 12: the Ministry schedules an application's defence before its panel, and the city is told.

    A slot still scheduled may be moved (the same row, audited again); one already held or recorded
    as a no-show is final."""
    require_perm(user, MANAGE, request=request)
    place, meeting_link, note = (place or "").strip(), (meeting_link or "").strip(), (note or "").strip()
    _check_place(mode, place, meeting_link)
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise Refusal(_("答辩结束时间须晚于开始时间。"), code="bad_times")
    application_id = getattr(application, "pk", application)
    with transaction.atomic():
        # The panel's row serializes its schedule: a second officer's overlap check runs after the first
        # officer's slot is committed, so two overlapping slots cannot both land.
        panel = PanelDraw.objects.select_for_update().get(pk=panel.pk)
        if PanelDraw.objects.filter(replaces_id=panel.pk).exists():
            raise Refusal(_("该评审组已被重新抽取替代，请在当前评审组安排答辩。"), code="replaced")
        if application_id not in (panel.application_ids or []):
            raise Refusal(_("该申报不属于本评审组。"), code="not_in_group")
        application = Application.objects.select_related("city").get(pk=application_id)
        existing = DefenceSlot.objects.filter(panel=panel, application=application).first()
        if existing and existing.status != DefenceSlot.Status.SCHEDULED:
            raise Refusal(_("该申报的答辩已登记为“%(state)s”，不能再改期。")
                          % {"state": existing.get_status_display()}, code="final")
        clash = (DefenceSlot.objects.filter(panel=panel, starts_at__lt=ends_at, ends_at__gt=starts_at)
                 .exclude(pk=getattr(existing, "pk", None)).select_related("application__city").first())
        if clash:
            raise Refusal(_("与%(city)s的答辩时间（%(start)s—%(end)s，北京时间）重叠，同一评审组不能同时安排两场答辩。")
                          % {"city": clash.application.city.name, "start": beijing(clash.starts_at),
                             "end": beijing(clash.ends_at)}, code="overlap")
        before = _slot_facts(existing) if existing else None
        slot = existing or DefenceSlot(panel=panel, application=application, scheduled_by=user)
        slot.starts_at, slot.ends_at, slot.mode, slot.note = starts_at, ends_at, mode, note
        slot.place = place if mode == DefenceSlot.Mode.ON_SITE else ""
        slot.meeting_link = meeting_link if mode == DefenceSlot.Mode.ONLINE else ""
        slot.scheduled_by = user
        slot.save()
        _notify_city(slot, application, rescheduled=existing is not None)
        record_event(action="review.defence.schedule", request=request, user=user, obj=slot, object_repr=str(slot),
                     before=before, after=_slot_facts(slot))
    return slot


def _slot_facts(slot):
    return {"panel": slot.panel_id, "application": slot.application_id, "starts_at": beijing(slot.starts_at),
            "ends_at": beijing(slot.ends_at), "mode": slot.mode, "place": slot.place,
            "meeting_link": slot.meeting_link}


def _notify_city(slot, application, *, rescheduled):
    from icdc.notifications.services import notify

    where = slot.place if slot.mode == DefenceSlot.Mode.ON_SITE else _("线上（会议链接见申报页面）")
    title = (_("答辩时间已调整：%(start)s（北京时间），%(where)s") if rescheduled
             else _("已安排答辩：%(start)s（北京时间），%(where)s")) % {"start": beijing(slot.starts_at), "where": where}
    notify(recipients=list(_applicants(application)), kind="review.defence.schedule", title=title,
           body=_("答辩方式：%(mode)s；时间：%(start)s—%(end)s（北京时间）。") % {
               "mode": slot.get_mode_display(), "start": beijing(slot.starts_at), "end": beijing(slot.ends_at)},
           link=f"/applications/{application.pk}/", obj=application)


def notify_panel_held(slot):
    """Tell the panel's current members that a defence was held and waits for their score."""
    from icdc.notifications.services import notify

    experts = Expert.objects.filter(pk__in=slot.panel.members or []).select_related("account")
    notify(recipients=[e.account for e in experts], kind="review.defence.held",
           title=_("%(city)s的答辩已举行，请评分") % {"city": slot.application.city.name},
           link=f"/review/defence/slots/{slot.pk}/score/", obj=slot)


def defence_mark(*, slot, outcome, user, note="", request=None):
    """Art. 12: the officer records that the defence was held, or that the city did not appear (未到场)."""
    if outcome not in (HELD, NO_SHOW):
        raise Refusal(_("请选择答辩结果。"), code="bad_outcome")
    return perform(WORKFLOW, slot, outcome, user=user, note=note, request=request)


# --- scoring --------------------------------------------------------------------------------

def parse_score(raw):
    """The typed score as a Decimal in 0..100 with at most two decimals, or a Chinese refusal."""
    text = str(raw if raw is not None else "").strip()
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise Refusal(_("请填写答辩得分（0～100 的数字）。"), code="not_a_number") from None
    if not value.is_finite() or value < 0 or value > MAX_SCORE:
        raise Refusal(_("答辩得分须在 0～100 之间（填写的是 %(value)s）。") % {"value": text[:20]}, code="out_of_range")
    if value != value.quantize(TWO_PLACES):
        raise Refusal(_("答辩得分最多保留两位小数。"), code="too_precise")
    return value.quantize(TWO_PLACES)


def defence_score_submit(*, slot, user, score, comment="", request=None):
    """SPEC §4: each current panel member scores the held defence once; a submitted score is final."""
    require_perm(user, SCORE, slot, request=request)
    value = parse_score(score)
    comment = (comment or "").replace("\x00", "").strip()
    if len(comment) > 2000:
        raise Refusal(_("评语不超过 2000 字。"), code="comment_too_long")
    expert = selectors.expert_of(user)
    with transaction.atomic():
        slot = DefenceSlot.objects.select_for_update().select_related("panel__batch").get(pk=slot.pk)
        if slot.status != HELD:
            raise Refusal(_("答辩尚未登记为已举行，暂不能评分。"), code="not_held")
        require_perm(user, SCORE, slot, request=request)  # membership and declaration, on the locked row
        if DefenceScore.objects.filter(slot=slot, expert=expert).exists():
            raise Refusal(_("您已提交该答辩的评分，提交后不能修改。"), code="already_scored")
        row = DefenceScore.objects.create(slot=slot, expert=expert, score=value, comment=comment,
                                          submitted_at=timezone.now())
        record_event(action="review.defence.score", request=request, user=user, obj=slot, object_repr=str(slot),
                     after={"slot": slot.pk, "application": slot.application_id, "expert": expert.pk,
                            "score": str(value)})
    return row
