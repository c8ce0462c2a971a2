"""Expert scoring (专家打分, issue 14 item 4): the review window, score sheets, the panel's opinion.

An expert scores the applications of the batch's current panels (not replaced by a redraw) they
sit on now, on the qualitative indicators of the panel's track (0..weight, a comment each) of the
batch's locked indicator version; the quantitative ones are shown with their figure, its source
and the points the engine's rule gives, read-only. Drafts save with a version check (a second
tab's older copy is refused, naming when the sheet was saved); submit locks the sheet.

Every write by an expert locks the batch's ``ReviewWindow`` row first, and so does the officer's
early close: an expert's save or submit and a close are serialized, so a sheet is either in
(committed before the close) or refused (the close committed first) — never half-saved.

``submitted_scores(batch)`` is the contract the rankings adapter reads.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.accounts.decorators import require_perm
from icdc.applications.form import FIGURES
from icdc.applications.models import Application, ApplicationRevision, Attachment
from icdc.audit.services import record_event
from icdc.batches.models import SHANGHAI
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import protected_file_response

from .models import Expert, PanelDraw, PanelOpinion, ReviewWindow, ScoreEntry, ScoreSheet
from .replacements import LIVE, replaced_refusal, was_replaced

MANAGE = "review.manage_scoring"
SCORE = "review.score_application"
OPINION = "review.write_panel_opinion"
QUALITATIVE, QUANTITATIVE = "qualitative", "quantitative"
TWO_PLACES = Decimal("0.01")


def _beijing(moment):
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


# --- indicators of a track ------------------------------------------------------------------


def track_specs(batch, track):
    """The engine's indicator specs the ``track`` of ``batch`` is scored on (its locked version)."""
    from icdc.rankings.adapters import track_indicators

    if batch.indicator_version_id is None:
        raise Refusal(_("该批次尚未确定评价指标体系版本，不能评分。"), code="no_indicator_version")
    programme = batch.programme()
    track_obj = next((t for t in programme.tracks if t.code == track), None)
    if track_obj is None:
        raise Refusal(_("该批次没有这个评审组。"), code="unknown_group")
    system = programme.type(track_obj.type_code).indicator_system
    return track_indicators(batch.indicator_version_id, system, track, programme=programme)


def qualitative_specs(batch, track):
    return [s for s in track_specs(batch, track) if s.kind == QUALITATIVE]


def quantitative_rows(application, specs, *, year=None):
    """Each quantitative indicator with the figure shown to the expert, its source and the points the
    engine's rule gives: the official figure (``StatisticFigure``, the latest year not after the
    batch's) first, else the figure the application declared in its frozen revision."""
    from icdc.indicators.models import StatisticFigure
    from icdc.scoring.rules import indicator_points

    quant = [s for s in specs if s.kind == QUANTITATIVE]
    year = year or application.batch.year
    official = {}
    for row in (StatisticFigure.objects.filter(city_id=application.city_id, year__lte=year,
                                               indicator_code__in=[s.code for s in quant]).order_by("year")):
        official[row.indicator_code] = row  # the latest year wins
    revision = ApplicationRevision.objects.filter(application=application,
                                                  number=application.revision_number).first()
    declared = ((revision.content if revision else {}).get("sections") or {}).get(FIGURES) or {}
    rows = []
    for spec in quant:
        figure, source = None, _("无数据（计 0 分）")
        if spec.code in official:
            row = official[spec.code]
            figure = float(row.value)
            source = _("官方统计（%(source)s，%(year)s 年）") % {"source": row.get_source_display(), "year": row.year}
        else:
            item = declared.get(spec.code) if isinstance(declared, dict) else None
            value = item.get("value") if isinstance(item, dict) else None
            try:
                figure = float(value) if value not in (None, "") else None
            except (TypeError, ValueError):
                figure = None
            if figure is not None:
                source = _("申报材料填报（%(year)s 年）") % {"year": item.get("year") or "—"}
        try:
            points = indicator_points(spec, figure)
        except Exception:  # noqa: BLE001 - a rule the engine cannot score shows no points, never a 500
            points = None
        rows.append({"spec": spec, "figure": figure, "source": source, "points": points})
    return rows


# --- the review window --------------------------------------------------------------------


def window_of(batch):
    return ReviewWindow.objects.filter(batch=batch).first()


def review_window_set(*, batch, opens_at, closes_at, user):
    """Set (or move) the batch's review window; a window closed early stays closed."""
    require_perm(user, MANAGE)
    if opens_at is None or closes_at is None or opens_at >= closes_at:
        raise Refusal(_("评审截止时间须晚于开始时间。"), code="bad_window")
    with transaction.atomic():
        window = ReviewWindow.objects.select_for_update().filter(batch=batch).first()
        before = None
        if window is not None:
            if window.closed_at is not None:
                raise Refusal(_("评审时间窗口已于 %(when)s 提前关闭，不能再修改。")
                              % {"when": _beijing(window.closed_at)}, code="closed")
            before = {"opens_at": window.opens_at.isoformat(), "closes_at": window.closes_at.isoformat()}
            window.opens_at, window.closes_at, window.set_by = opens_at, closes_at, user
            window.save(update_fields=["opens_at", "closes_at", "set_by", "updated_at"])
        else:
            window = ReviewWindow.objects.create(batch=batch, opens_at=opens_at, closes_at=closes_at, set_by=user)
        record_event(action="review.window.set", user=user, obj=window, object_repr=str(window), before=before,
                     after={"batch": batch.pk, "opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()})
    return window


def review_window_close(*, batch, user):
    """Close the window now (提前关闭): afterwards no sheet can be saved or submitted."""
    require_perm(user, MANAGE)
    with transaction.atomic():
        window = ReviewWindow.objects.select_for_update().filter(batch=batch).first()
        if window is None:
            raise Refusal(_("该批次尚未设置评审时间窗口。"), code="no_window")
        now = timezone.now()
        if not window.is_open_at(now):
            raise Refusal(_("评审时间窗口当前未开放，无需关闭。"), code="not_open")
        window.closed_at = now
        window.save(update_fields=["closed_at", "updated_at"])
        submitted = ScoreSheet.objects.filter(panel__batch=batch, status=ScoreSheet.Status.SUBMITTED).count()
        record_event(action="review.window.close", user=user, obj=window, object_repr=str(window),
                     after={"batch": batch.pk, "closed_at": now.isoformat(), "submitted_sheets": submitted})
    return window


def _locked_open_window(batch):
    """The batch's window row, locked; refused unless open now (the lock serializes with a close)."""
    window = ReviewWindow.objects.select_for_update().filter(batch_id=batch.pk).first()
    now = timezone.now()
    if window is None:
        raise Refusal(_("评审时间窗口尚未设置，不能评分。"), code="no_window")
    if now < window.opens_at:
        raise Refusal(_("评审时间窗口尚未开放（开始时间：%(when)s，北京时间）。") % {"when": _beijing(window.opens_at)},
                      code="not_yet_open")
    if not window.is_open_at(now):
        when = window.closed_at if window.closed_at and window.closed_at < window.closes_at else window.closes_at
        raise Refusal(_("评审时间窗口已于 %(when)s（北京时间）关闭，评分不能再修改或提交。") % {"when": _beijing(when)},
                      code="window_closed")
    return window


# --- assignments ----------------------------------------------------------------------------


def expert_of_user(user):
    return Expert.objects.filter(account_id=getattr(user, "pk", None), is_active=True).first()


def current_panels(batch=None):
    panels = PanelDraw.objects.filter(replaced_by__isnull=True)
    return panels.filter(batch=batch) if batch is not None else panels


def assignment(user, panel_pk, application_pk):
    """(panel, application, expert) when ``user`` is a current member of the current panel ``panel_pk``
    and the application is one of its; else None (the view answers 404, whatever the reason)."""
    expert = expert_of_user(user)
    if expert is None:
        return None
    panel = current_panels().select_related("batch").filter(pk=panel_pk).first()
    if panel is None or expert.pk not in panel.members or application_pk not in panel.application_ids:
        return None
    application = Application.objects.select_related("city", "batch").filter(pk=application_pk,
                                                                            batch_id=panel.batch_id).first()
    if application is None:
        return None
    return panel, application, expert


def review_tasks(expert):
    """The expert's tasks: (panel, application, sheet or None) for every application of every current
    panel they sit on, in a constant number of queries."""
    panels = [p for p in current_panels().select_related("batch").order_by("batch_id", "group", "pk")
              if expert.pk in p.members]
    ids = {a for p in panels for a in p.application_ids}
    applications = Application.objects.select_related("city").in_bulk(ids)
    sheets = {(s.panel_id, s.application_id): s for s in ScoreSheet.objects.filter(
        expert=expert, panel__in=[p.pk for p in panels], status__in=LIVE)}
    return [(p, applications[a], sheets.get((p.pk, a))) for p in panels for a in p.application_ids
            if a in applications]


# --- score sheets ---------------------------------------------------------------------------


def _parse(specs, scores, comments):
    """{code: (Decimal or None, comment)} for the qualitative ``specs``; bad or out-of-range values refused."""
    out, errors = {}, []
    for spec in specs:
        raw = scores.get(spec.code)
        raw = raw.strip() if isinstance(raw, str) else raw
        comment = (comments.get(spec.code) or "").strip()
        if raw in (None, ""):
            out[spec.code] = (None, comment)
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            errors.append(_("指标 %(code)s（%(name)s）的得分“%(raw)s”不是数字。")
                          % {"code": spec.code, "name": spec.name, "raw": raw})
            continue
        weight = Decimal(str(spec.weight))
        if not value.is_finite() or value < 0 or value > weight:
            errors.append(_("指标 %(code)s（%(name)s）的得分须在 0 到 %(weight)s 之间。")
                          % {"code": spec.code, "name": spec.name, "weight": f"{spec.weight:g}"})
            continue
        if value != value.quantize(TWO_PLACES):
            errors.append(_("指标 %(code)s（%(name)s）的得分最多保留两位小数。") % {"code": spec.code, "name": spec.name})
            continue
        out[spec.code] = (value.quantize(TWO_PLACES), comment)
    if errors:
        raise Refusal(" ".join(errors), code="bad_score")
    return out


def _write(*, panel, application, expert, user, scores, comments, overall_comment, version, submit):
    specs = qualitative_specs(panel.batch, panel.group)
    parsed = _parse(specs, scores or {}, comments or {})
    if submit:
        missing = [f"{s.code} {s.name}" for s in specs if parsed[s.code][0] is None]
        if missing:
            raise Refusal(_("以下指标尚未打分，不能提交：%(codes)s。") % {"codes": "、".join(missing)},
                          code="missing_scores")
    with transaction.atomic():
        _locked_open_window(panel.batch)
        # Re-read under the window's lock, which a replacement takes too: a member replaced while this
        # request was on its way finds out here, not after writing a sheet no one would count.
        current = PanelDraw.objects.only("pk", "members", "replacements").get(pk=panel.pk)
        if expert.pk not in current.members:
            raise replaced_refusal() if was_replaced(expert, current) else Refusal(
                _("您不是该申报的评审专家。"), code="not_assigned")
        sheet, _created = ScoreSheet.objects.filter(status__in=LIVE).get_or_create(
            application=application, expert=expert, track=panel.group, defaults={"panel": panel})
        sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.status not in LIVE:  # withdrawn between the two reads
            raise replaced_refusal()
        if sheet.status == ScoreSheet.Status.SUBMITTED:
            raise Refusal(_("该评分表已于 %(when)s 提交，不能再修改。") % {"when": _beijing(sheet.submitted_at)},
                          code="submitted")
        if version is not None and int(version) != sheet.version:
            raise Refusal(_("该评分表已于 %(when)s 在其他页面保存过（版本 %(version)s），本页内容已过期。"
                            "请重新打开评分表，核对后再保存。")
                          % {"when": _beijing(timezone.localtime(sheet.updated_at)), "version": sheet.version},
                          code="stale")
        before = {e.indicator_code: str(e.score) if e.score is not None else None for e in sheet.entries.all()}
        sheet.entries.all().delete()
        ScoreEntry.objects.bulk_create(ScoreEntry(sheet=sheet, indicator_code=code, score=score, comment=comment)
                                       for code, (score, comment) in parsed.items())
        sheet.panel = panel
        sheet.overall_comment = (overall_comment or "").strip()
        sheet.version += 1
        fields = ["panel", "overall_comment", "version", "updated_at"]
        if submit:
            sheet.status, sheet.submitted_at = ScoreSheet.Status.SUBMITTED, timezone.now()
            fields += ["status", "submitted_at"]
        sheet.save(update_fields=fields)
        after = {code: str(score) if score is not None else None for code, (score, _c) in parsed.items()}
        record_event(action="review.score_sheet.submit" if submit else "review.score_sheet.save", user=user,
                     obj=sheet, object_repr=str(sheet), before=before or None,
                     after={"application": application.pk, "panel": panel.pk, "track": panel.group,
                            "version": sheet.version, "scores": after, "total": str(_total(parsed))})
    return sheet


def _total(parsed):
    return sum((score for score, _c in parsed.values() if score is not None), Decimal("0"))


def score_sheet_save(*, panel, application, user, scores, comments=None, overall_comment="", version=None):
    """Save a draft: any subset of the qualitative indicators, each within 0..weight."""
    expert = _member(user, panel, application)
    return _write(panel=panel, application=application, expert=expert, user=user, scores=scores,
                  comments=comments, overall_comment=overall_comment, version=version, submit=False)


def score_sheet_submit(*, panel, application, user, scores, comments=None, overall_comment="", version=None):
    """Submit: every qualitative indicator scored within 0..weight, the window open; the sheet locks."""
    expert = _member(user, panel, application)
    return _write(panel=panel, application=application, expert=expert, user=user, scores=scores,
                  comments=comments, overall_comment=overall_comment, version=version, submit=True)


def _member(user, panel, application):
    if was_replaced(expert_of_user(user), panel):
        raise replaced_refusal()
    require_perm(user, SCORE, panel)
    require_perm(user, "review.open_batch_material", panel.batch)
    expert = expert_of_user(user)
    if expert is None or application.pk not in panel.application_ids:
        raise Refusal(_("您不是该申报的评审专家。"), code="not_assigned")
    return expert


def sheet_of(expert, panel, application):
    return (ScoreSheet.objects.filter(expert=expert, application=application, track=panel.group, status__in=LIVE)
            .prefetch_related("entries").first())


def others_scores(*, panel, application, expert):
    """The other current members' submitted sheets for ``application`` — only once ``expert`` has
    submitted their own (else an empty list)."""
    own = ScoreSheet.objects.filter(expert=expert, application=application, track=panel.group,
                                    status=ScoreSheet.Status.SUBMITTED).exists()
    if not own:
        return []
    others = [m for m in panel.members if m != expert.pk]
    sheets = list(ScoreSheet.objects.filter(application=application, track=panel.group, expert_id__in=others,
                                            status=ScoreSheet.Status.SUBMITTED)
                  .select_related("expert").prefetch_related("entries").order_by("expert_id"))
    return [{"expert": s.expert, "sheet": s, "scores": {e.indicator_code: e.score for e in s.entries.all()},
             "total": sum((e.score for e in s.entries.all() if e.score is not None), Decimal("0"))} for s in sheets]


def all_submitted(panel, application):
    done = set(ScoreSheet.objects.filter(application=application, track=panel.group, expert_id__in=panel.members,
                                         status=ScoreSheet.Status.SUBMITTED).values_list("expert_id", flat=True))
    return bool(panel.members) and done >= set(panel.members)


# --- the panel's opinion ------------------------------------------------------------------


def panel_opinion_write(*, panel, application, text, user):
    """The leader writes (or rewrites) the 专家组意见 once every current member has submitted."""
    require_perm(user, OPINION, panel)
    require_perm(user, "review.open_batch_material", panel.batch)
    text = (text or "").strip()
    if not text:
        raise Refusal(_("请填写专家组意见。"), code="empty")
    if application.pk not in panel.application_ids:
        raise Refusal(_("该申报不属于本评审组。"), code="not_assigned")
    leader = expert_of_user(user)
    with transaction.atomic():
        PanelDraw.objects.select_for_update().get(pk=panel.pk)
        if not all_submitted(panel, application):
            raise Refusal(_("本组专家尚未全部提交评分，暂不能填写专家组意见。"), code="not_all_submitted")
        opinion = PanelOpinion.objects.filter(panel=panel, application=application).first()
        before = {"text": opinion.text} if opinion else None
        if opinion is None:
            opinion = PanelOpinion(panel=panel, application=application)
        opinion.text, opinion.written_by, opinion.written_at = text, leader, timezone.now()
        opinion.save()
        record_event(action="review.panel_opinion.write", user=user, obj=opinion, object_repr=str(opinion),
                     before=before, after={"application": application.pk, "panel": panel.pk, "text": text})
    return opinion


# --- attachments ----------------------------------------------------------------------------


def frozen_attachment(application, attachment_pk):
    """The attachment ``attachment_pk`` of ``application`` if its file is in the frozen revision."""
    attachment = Attachment.objects.filter(pk=attachment_pk, application=application).first()
    if attachment is None:
        return None
    revision = ApplicationRevision.objects.filter(application=application, number=application.revision_number).first()
    files = (revision.content if revision else {}).get("attachments", [])
    if not any(f.get("sha256") == attachment.sha256 and f.get("purpose") == attachment.purpose for f in files):
        return None
    return attachment


def attachment_download(*, panel, application, attachment, user, request):
    """A file of an assigned application, during the window; every download audited."""
    _member(user, panel, application)
    window = window_of(panel.batch)
    if window is None or not window.is_open_at(timezone.now()):
        raise Refusal(_("评审时间窗口未开放，不能查看申报材料。"), code="window_closed")
    record_event(action="review.attachment.download", request=request, user=user, obj=application,
                 after={"attachment": attachment.pk, "panel": panel.pk, "name": attachment.display_name,
                        "sha256": attachment.sha256})
    return protected_file_response(request=request, stored_name=attachment.storage_name,
                                   display_name=attachment.display_name)


# --- the rankings contract ------------------------------------------------------------------


def submitted_scores(batch):
    """application id → track → expert key (str(expert.pk)) → {qualitative indicator code: score}.

    Only submitted sheets of the batch's current panels (not replaced by a redraw) by their current
    members; two queries whatever the number of experts and applications."""
    panels = {p.pk: p for p in current_panels(batch).only("pk", "members", "application_ids", "group")}
    rows = (ScoreEntry.objects.filter(sheet__panel_id__in=list(panels), sheet__status=ScoreSheet.Status.SUBMITTED,
                                      score__isnull=False)
            .values_list("sheet__panel_id", "sheet__application_id", "sheet__track", "sheet__expert_id",
                         "indicator_code", "score").order_by("sheet__application_id", "sheet__expert_id", "id"))
    out: dict[int, dict[str, dict[str, dict[str, float]]]] = {}
    for panel_id, application_id, track, expert_id, code, score in rows:
        panel = panels[panel_id]
        if expert_id not in panel.members or application_id not in panel.application_ids:
            continue
        out.setdefault(application_id, {}).setdefault(track, {}).setdefault(str(expert_id), {})[code] = float(score)
    return out


def expert_labels(batch):
    """expert key (str(expert.pk)) → masked name, for the current panels' members."""
    ids = {e for p in current_panels(batch).only("members") for e in p.members}
    return {str(e.pk): e.masked_name for e in Expert.objects.filter(pk__in=ids).only("pk", "name")}
