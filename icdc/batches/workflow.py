"""The batch lifecycle (年度批次, SPEC §4 "Batch"): draft → open → closed → in review.

Later states (in public notice, announced) come with the review and decision stages. Every
change goes through ``icdc.lib.workflow.perform``; the services in ``services.py`` call it.
"""

from django.utils.translation import gettext_lazy as _

from icdc.accounts import rules
from icdc.lib.workflow import State, Transition, Workflow

DRAFT, OPEN, CLOSED, IN_REVIEW = "draft", "open", "closed", "in_review"

STATES = (
    State(DRAFT, _("草稿")),
    State(OPEN, _("申报中")),
    State(CLOSED, _("申报截止")),
    State(IN_REVIEW, _("评审中")),
)


def indicator_version_usable(batch, ctx):
    """The batch scores against one consistent indicator-system version (SPEC §3)."""
    if batch.indicator_version_id is None:
        return _("请先选择本批次使用的评价指标体系版本。")
    if batch.indicator_version.status == "draft":
        return _("指标体系版本“%(label)s”仍是草稿，发布后才能用于批次。") % {"label": batch.indicator_version.label}
    return None


def deadlines_in_order(batch, ctx):
    """Opening ≤ city deadline ≤ province forwarding deadline, and the city deadline still ahead."""
    if not (batch.opens_on and batch.city_deadline and batch.province_deadline):
        return _("请填写开放日期、城市申报截止时间和省级报送截止时间。")
    if batch.city_deadline > batch.province_deadline:
        return _("城市申报截止时间不能晚于省级报送截止时间。")
    if batch.city_deadline <= ctx.now:
        return _("城市申报截止时间已过，不能开放申报。")
    return None


def quotas_declared(batch, ctx):
    if not batch.quotas:
        return _("请填写本批次各类型和方向的名额。")
    return None


def city_deadline_passed(batch, ctx):
    if batch.city_deadline and ctx.now < batch.city_deadline:
        return _("城市申报截止时间（%(deadline)s）未到，不能截止申报。") % {"deadline": batch.city_deadline_display}
    return None


def province_deadline_passed(batch, ctx):
    if batch.province_deadline and ctx.now < batch.province_deadline:
        return _("省级报送截止时间（%(deadline)s）未到，不能开始评审。") % {
            "deadline": batch.province_deadline_display}
    return None


def lock_indicator_version(batch, ctx):
    """Opening locks the indicator version: scores of one batch are computed on one system."""
    from icdc.indicators.services import lock_version

    lock_version(version=batch.indicator_version, reason=f"batch:{batch.pk} {batch.year}", user=ctx.user)
    batch.opened_at = ctx.now
    batch.save(update_fields=["opened_at"])
    ctx.audit["indicator_version"] = batch.indicator_version.label


def notify_batch_opened(batch, ctx):
    from . import notices

    notices.batch_opened(batch)


WORKFLOW = Workflow(
    name="batches.batch",
    title=_("年度批次"),
    model="batches.Batch",
    states=STATES,
    initial=DRAFT,
    transitions=(
        Transition("open", _("开放申报"), (DRAFT,), OPEN, rules.manages_batch,
                   guards=(indicator_version_usable, deadlines_in_order, quotas_declared),
                   effects=(lock_indicator_version,), notify=(notify_batch_opened,)),
        Transition("close", _("截止申报"), (OPEN,), CLOSED, rules.manages_batch,
                   guards=(city_deadline_passed,)),
        Transition("start_review", _("开始评审"), (CLOSED,), IN_REVIEW, rules.manages_batch,
                   guards=(province_deadline_passed,)),
    ),
)
