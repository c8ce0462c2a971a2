"""Excel exports of the review stage (issue 14 item 9): the panels' composition and the defence scores.

Through ``icdc.lib.workbooks`` (formula-safe, formatted, Chinese file names); names of experts are
always masked (张*); each export is audited.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from icdc.accounts.decorators import require_perm
from icdc.audit.services import record_event
from icdc.lib import workbooks

from .defence import MANAGE, beijing, mean_of
from .models import DefenceScore, DefenceSlot, Expert, PanelDraw
from .panels import current_draws
from .texts import DRAW_REASONS


def _experts(ids):
    return Expert.objects.filter(pk__in=ids).select_related("city").in_bulk()


def panel_composition_rows(batch):
    """(group label, role, masked name, employer, city, title, note) per person of every draw of the batch,
    current draws first; redrawn ones stay listed, marked."""
    programme = batch.programme()
    draws = list(PanelDraw.objects.filter(batch=batch).order_by("group", "-drawn_at", "-id"))
    current = set(current_draws(batch).values_list("pk", flat=True))
    ids = {e for d in draws for e in (*d.members, *d.reserves, *(x["expert"] for x in d.excluded),
                                      *(r["expert"] for r in d.replacements))}
    experts = _experts(ids)
    rows = []
    for d in sorted(draws, key=lambda d: d.pk not in current):
        label = programme.track_label(d.group)
        state = _("当前有效") if d.pk in current else _("已被重新抽取替代")
        drawn = f"{d.drawn_at:%Y-%m-%d %H:%M} · {state}"

        def row(pk, role, note="", *, label=label, drawn=drawn):
            e = experts.get(pk)
            return [label, drawn, role, e.masked_name if e else "—", e.employer if e else "", e.city.name if e else "",
                    e.title if e else "", note]

        for pk in d.members:
            rows.append(row(pk, _("组长") if pk == d.leader else _("专家")))
        for pk in d.reserves:
            rows.append(row(pk, _("备选")))
        for r in d.replacements:
            substitute = experts.get(r["substitute"])
            rows.append(row(r["expert"], _("已替补"), _("由 %(name)s 替补：%(reason)s") % {
                "name": substitute.masked_name if substitute else "—", "reason": r.get("reason", "")}))
        for x in d.excluded:
            rows.append(row(x["expert"], _("排除"), str(DRAW_REASONS.get(x["reason"], x["reason"]))))
    return rows


def panel_composition_export(*, batch, user, request=None):
    """The composition of every panel of ``batch`` as .xlsx (names masked); audited."""
    require_perm(user, MANAGE, request=request)
    rows = panel_composition_rows(batch)
    book = workbooks.ExcelExport()
    sheet = book.sheet(_("评审组组成"), title=_("评审组组成：%(batch)s") % {"batch": batch.title},
                       columns=[workbooks.Column(h) for h in (
                           _("评审组"), _("抽取时间"), _("身份"), _("专家"), _("工作单位"), _("单位所在城市"), _("职称"),
                           _("说明"))])
    for r in rows:
        sheet.append(r)
    record_event(action="review.panel.export", request=request, user=user, obj=batch, object_repr=str(batch),
                 detail=f"rows={len(rows)}")
    return book.to_bytes(), _("评审组组成-%(batch)s.xlsx") % {"batch": batch.title}


def defence_score_rows(batch):
    """(slot facts, city, expert, score, comment) per score and one summary line per slot (mean, or 未到场)."""
    programme = batch.programme()
    slots = list(DefenceSlot.objects.filter(panel__batch=batch, panel__replaced_by__isnull=True)
                 .select_related("panel", "application__city")
                 .prefetch_related(Prefetch("scores", queryset=DefenceScore.objects.order_by("expert_id")))
                 .order_by("panel__group", "starts_at", "id"))
    experts = _experts({s.expert_id for slot in slots for s in slot.scores.all()})
    rows = []
    for slot in slots:
        head = [programme.track_label(slot.panel.group), slot.application.city.name,
                f"{beijing(slot.starts_at)}—{beijing(slot.ends_at)}", slot.get_mode_display(),
                slot.place or slot.meeting_link, slot.get_status_display()]
        scores = list(slot.scores.all())
        for s in scores:
            e = experts.get(s.expert_id)
            rows.append(([*head, e.masked_name if e else "—", s.score, s.comment], False))
        if slot.status == DefenceSlot.Status.NO_SHOW:
            rows.append(([*head, _("未到场"), None, _("申报城市未到场答辩")], True))
        else:
            mean = mean_of([s.score for s in scores])
            rows.append(([*head, _("平均分（去掉最高、最低分，5 人及以上时）"), mean,
                          _("%(n)s / %(m)s 位专家已评分") % {"n": len(scores), "m": len(slot.panel.members)}], True))
    return rows


def defence_scores_export(*, batch, user, request=None):
    """The defence scores of ``batch`` as .xlsx: each expert's score, the mean per slot, the no-shows."""
    require_perm(user, MANAGE, request=request)
    rows = defence_score_rows(batch)
    book = workbooks.ExcelExport()
    sheet = book.sheet(_("答辩评分"), title=_("答辩评分：%(batch)s") % {"batch": batch.title},
                       columns=[workbooks.Column(_("评审组")), workbooks.Column(_("申报城市")),
                                workbooks.Column(_("答辩时间（北京时间）")), workbooks.Column(_("方式")),
                                workbooks.Column(_("地点或会议链接")), workbooks.Column(_("状态")),
                                workbooks.Column(_("专家")), workbooks.Column(_("得分"), "0.00"),
                                workbooks.Column(_("评语"))])
    for values, summary in rows:
        sheet.append(values, highlight=summary)
    record_event(action="review.defence.export", request=request, user=user, obj=batch, object_repr=str(batch),
                 detail=f"rows={len(rows)}")
    return book.to_bytes(), _("答辩评分-%(batch)s.xlsx") % {"batch": batch.title}
