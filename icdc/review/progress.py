"""Progress of expert scoring (issue 14 item 5): who has scored what, the spread, reminders, the export.

The officer's page shows, per current panel, the member × application matrix of sheet states and,
per application, the spread of the submitted sheets' totals (max − min and the sample standard
deviation), flagged above ``ICDC_SCORE_SPREAD_RANGE`` / ``ICDC_SCORE_SPREAD_STDEV``. A sheet's
total is the sum of its qualitative scores: the quantitative points are the same for every expert
and do not move the spread. Everything is read in a constant number of queries.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from icdc.accounts.decorators import require_perm
from icdc.applications.models import Application
from icdc.audit.services import record_event
from icdc.lib import workbooks
from icdc.notifications.services import notify

from .models import Expert, PanelOpinion, ScoreEntry, ScoreSheet
from .replacements import LIVE
from .scores import MANAGE, current_panels, qualitative_specs

NOT_STARTED, DRAFT, SUBMITTED = "none", ScoreSheet.Status.DRAFT, ScoreSheet.Status.SUBMITTED
REMINDER_KIND = "review.score_sheet.reminder"


def spread(totals):
    """{range, stdev, flagged} over the submitted totals (stdev: sample, None below two sheets)."""
    values = [float(t) for t in totals]
    if not values:
        return {"range": None, "stdev": None, "flagged": False}
    rng = max(values) - min(values)
    stdev = statistics.stdev(values) if len(values) >= 2 else None
    flagged = rng > settings.ICDC_SCORE_SPREAD_RANGE or (stdev is not None and stdev > settings.ICDC_SCORE_SPREAD_STDEV)
    return {"range": round(rng, 2), "stdev": round(stdev, 2) if stdev is not None else None, "flagged": flagged}


def batch_progress(batch):
    """One dict per current panel: members (with leader flag), and per application its row of sheet
    states, submitted totals, spread and whether the opinion is written. Five queries."""
    panels = list(current_panels(batch).order_by("group", "pk"))
    expert_ids = {e for p in panels for e in p.members}
    application_ids = {a for p in panels for a in p.application_ids}
    experts = Expert.objects.only("pk", "name").in_bulk(expert_ids)
    applications = Application.objects.select_related("city").in_bulk(application_ids)
    sheets = {}
    for row in (ScoreSheet.objects.filter(panel__in=[p.pk for p in panels], status__in=LIVE)
                .values("panel_id", "application_id", "expert_id", "status", "submitted_at")
                .annotate(total=Sum("entries__score"))):
        sheets[(row["panel_id"], row["application_id"], row["expert_id"])] = row
    opinions = set(PanelOpinion.objects.filter(panel__in=[p.pk for p in panels])
                   .values_list("panel_id", "application_id"))
    out = []
    for panel in panels:
        members = [{"pk": pk, "name": experts[pk].masked_name if pk in experts else "—", "is_leader": pk == panel.leader}
                   for pk in panel.members]
        rows = []
        for application_id in panel.application_ids:
            application = applications.get(application_id)
            if application is None:
                continue
            cells, totals = [], []
            for member in members:
                sheet = sheets.get((panel.pk, application_id, member["pk"]))
                status = sheet["status"] if sheet else NOT_STARTED
                total = sheet["total"] if sheet and status == SUBMITTED else None
                if status == SUBMITTED:
                    totals.append(total or Decimal("0"))
                cells.append({"expert": member, "status": status, "total": total,
                              "submitted_at": sheet["submitted_at"] if sheet else None})
            rows.append({"application": application, "cells": cells, "submitted": len(totals),
                         "spread": spread(totals), "opinion": (panel.pk, application_id) in opinions})
        out.append({"panel": panel, "label": batch.programme().track_label(panel.group), "members": members,
                    "rows": rows})
    return out


def unsubmitted_experts(batch):
    """Expert pk → number of their unsubmitted sheets (no sheet, or a draft) in the current panels."""
    panels = list(current_panels(batch))
    done = set(ScoreSheet.objects.filter(panel__in=[p.pk for p in panels], status=SUBMITTED)
               .values_list("panel_id", "application_id", "expert_id"))
    due = {}
    for panel in panels:
        for expert_id in panel.members:
            for application_id in panel.application_ids:
                if (panel.pk, application_id, expert_id) not in done:
                    due[expert_id] = due.get(expert_id, 0) + 1
    return due


def reminders_send_now(*, batch, user):
    """The officer's “send reminder”: one notification per expert with unsubmitted sheets, audited."""
    require_perm(user, MANAGE)
    due = unsubmitted_experts(batch)
    experts = list(Expert.objects.filter(pk__in=due, is_active=True).select_related("account").order_by("pk"))
    link = reverse("scoring:tasks")
    with transaction.atomic():
        for expert in experts:
            notify(recipients=[expert.account], kind=REMINDER_KIND, obj=batch, link=link,
                   title=_("%(batch)s：您还有 %(n)s 份评分表未提交") % {"batch": batch.title, "n": due[expert.pk]},
                   body=_("请在评审时间窗口关闭前完成评分并提交。"))
        record_event(action="review.reminder.send", user=user, obj=batch, object_repr=str(batch),
                     after={"batch": batch.pk, "experts": [e.pk for e in experts],
                            "sheets": sum(due[e.pk] for e in experts)})
    return experts


# --- the score matrix export --------------------------------------------------------------


def score_matrix_export(*, panel, user):
    """The panel's score matrix: one row per application × expert, a column per qualitative indicator,
    the total; submitted sheets only have scores (a draft shows its state, not its figures)."""
    require_perm(user, MANAGE)
    batch = panel.batch
    specs = qualitative_specs(batch, panel.group)
    experts = Expert.objects.only("pk", "name").in_bulk(panel.members)
    applications = Application.objects.select_related("city").in_bulk(panel.application_ids)
    sheets = {(s.application_id, s.expert_id): s for s in ScoreSheet.objects.filter(panel=panel, status__in=LIVE)}
    entries = {}
    for sheet_id, code, score in ScoreEntry.objects.filter(sheet__panel=panel).values_list(
            "sheet_id", "indicator_code", "score"):
        entries.setdefault(sheet_id, {})[code] = score
    label = batch.programme().track_label(panel.group)
    book = workbooks.ExcelExport()
    columns = [workbooks.Column(_("申报城市")), workbooks.Column(_("申报编号")), workbooks.Column(_("专家")),
               workbooks.Column(_("状态"))]
    columns += [workbooks.Column(f"{s.code} {s.name}（{s.weight:g}）", "0.00") for s in specs]
    columns += [workbooks.Column(_("合计"), "0.00"), workbooks.Column(_("总体意见"))]
    sheet_writer = book.sheet(_("评分矩阵"), title=_("%(batch)s %(group)s 评分矩阵") % {"batch": batch.title, "group": label},
                              columns=columns, facts=[(_("评审组"), label), (_("抽取记录"), panel.pk),
                                                      (_("导出时间"), workbooks.exported_at())])
    status_labels = dict(ScoreSheet.Status.choices)
    for application_id in panel.application_ids:
        application = applications.get(application_id)
        if application is None:
            continue
        for expert_id in panel.members:
            sheet = sheets.get((application_id, expert_id))
            submitted = sheet is not None and sheet.status == SUBMITTED
            scores = entries.get(sheet.pk, {}) if submitted else {}
            total = sum((v for v in scores.values() if v is not None), Decimal("0")) if submitted else None
            expert = experts.get(expert_id)
            sheet_writer.append([
                application.city.name, application.pk, expert.masked_name if expert else str(expert_id),
                str(status_labels[sheet.status]) if sheet else _("未开始"),
                *[scores.get(s.code) for s in specs], total, sheet.overall_comment if submitted else "",
            ])
    record_event(action="review.score_matrix.export", user=user, obj=panel, object_repr=str(panel),
                 after={"panel": panel.pk, "applications": len(panel.application_ids), "experts": len(panel.members)})
    filename = _("评分矩阵-%(batch)s-%(group)s.xlsx") % {"batch": batch.title, "group": label}
    return book.to_bytes(), filename
