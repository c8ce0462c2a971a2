"""Services for batches (年度批次, SPEC §4 "Batch"; the call of arts. 8–10).

A Ministry officer creates the year's batch from a programme definition (its document is copied
into the batch, so a later version of the programme never changes a running batch), edits it
while it is a draft, then opens, closes and starts review through the declared lifecycle
(``workflow.py``) and the one transition service ``icdc.lib.workflow.perform``.
"""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from icdc.accounts.decorators import require_perm
from icdc.audit.services import record_event
from icdc.lib.refusals import Refusal
from icdc.lib.workflow import perform

from . import workflow
from .models import SHANGHAI, Batch

CHANGE = "batches.change_batch"

#: The settings a draft batch may change (``batch_update``); everything else is fixed at creation.
EDITABLE_FIELDS = ("title", "opens_on", "city_deadline", "province_deadline", "quotas", "indicator_version",
                   "material_weight", "defence_weight", "pass_mark", "notice_working_days")


def quota_keys(programme):
    """The quota keys of a programme: one per scoring track (a type without domains, or each domain
    of a type that chooses domains; SPEC §4 "quota per type and per domain"). Read from the
    programme, never named in code."""
    return [track.code for track in programme.tracks]


def _clean(programme, fields):
    """Check one batch's settings against its programme; returns them cleaned, or raises Refusal."""
    weights = []
    for name in ("material_weight", "defence_weight"):
        try:
            value = Decimal(str(fields[name]))
        except (InvalidOperation, ValueError, TypeError) as exc:
            raise Refusal(_("权重须为 0 到 1 之间的小数。"), code="bad_weight") from exc
        if not Decimal(0) <= value <= Decimal(1):
            raise Refusal(_("权重须为 0 到 1 之间的小数。"), code="bad_weight")
        weights.append(value)
    if sum(weights) != Decimal(1):
        raise Refusal(_("材料评审权重与答辩权重之和须等于 1（现为 %(sum)s）。"), code="weights_sum",
                      params={"sum": sum(weights)})
    fields["material_weight"], fields["defence_weight"] = weights
    try:
        pass_mark = Decimal(str(fields["pass_mark"]))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise Refusal(_("合格分数线须在 0 到 100 之间。"), code="bad_pass_mark") from exc
    if not Decimal(0) <= pass_mark <= Decimal(100):
        raise Refusal(_("合格分数线须在 0 到 100 之间。"), code="bad_pass_mark")
    if not str(fields["notice_working_days"]).isdigit() or int(fields["notice_working_days"]) < 1:
        raise Refusal(_("公示期至少为 1 个工作日。"), code="bad_notice_days")
    keys = quota_keys(programme)
    quotas = fields.get("quotas") or {}
    unknown = sorted(set(quotas) - set(keys))
    if unknown:
        raise Refusal(_("名额中有本申报项目没有的类型或方向：%(codes)s。"), code="unknown_quota",
                      params={"codes": "、".join(unknown)})
    cleaned = {}
    for key in keys:
        value = quotas.get(key)
        if value in (None, ""):
            continue
        if not str(value).isdigit():
            raise Refusal(_("“%(track)s”的名额须为非负整数。"), code="bad_quota",
                          params={"track": programme.track_label(key)})
        cleaned[key] = int(value)
    fields["quotas"] = cleaned
    version = fields.get("indicator_version")
    if version is not None and version.status == "draft":
        raise Refusal(_("指标体系版本“%(label)s”仍是草稿，只能选用已发布的版本。"), code="draft_indicator_version",
                      params={"label": version.label})
    opens_on, city, province = fields.get("opens_on"), fields.get("city_deadline"), fields.get("province_deadline")
    if city and province and city > province:
        raise Refusal(_("城市申报截止时间不能晚于省级报送截止时间。"), code="deadlines_order")
    if opens_on and city and opens_on > city.astimezone(SHANGHAI).date():
        raise Refusal(_("开放日期不能晚于城市申报截止时间。"), code="deadlines_order")
    return fields


def batch_create(*, programme, year, title="", opens_on=None, city_deadline=None, province_deadline=None,
                 quotas=None, indicator_version=None, material_weight=Decimal("0.6"), defence_weight=Decimal("0.4"),
                 pass_mark=Decimal(60), notice_working_days=5, user, request=None):
    """Create the year's batch (a draft) from ``programme`` (a ``ProgrammeDefinition``): its rules are
    copied into the batch (SPEC §7). One batch per programme and year (art. 8: one call a year)."""
    require_perm(user, CHANGE, request=request)
    rules = programme.programme
    fields = _clean(rules, {
        "title": (title or "").strip() or f"{year}年{rules.title}申报", "opens_on": opens_on,
        "city_deadline": city_deadline, "province_deadline": province_deadline, "quotas": quotas or {},
        "indicator_version": indicator_version, "material_weight": material_weight,
        "defence_weight": defence_weight, "pass_mark": pass_mark, "notice_working_days": notice_working_days})
    try:
        with transaction.atomic():
            batch = Batch.objects.create(year=year, programme_code=rules.code, programme_version=rules.version,
                                         programme_document=rules.document, created_by=user, **fields)
            record_event(action="batches.batch.create", request=request, user=user, obj=batch,
                         after=_summary(batch))
    except IntegrityError as exc:
        raise Refusal(_("%(year)s年度已有“%(programme)s”的批次，每个申报项目每年只设一个批次。"),
                      code="duplicate_batch", params={"year": year, "programme": rules.title}) from exc
    return batch


def batch_update(*, batch, user, request=None, **changes):
    """Change a draft batch's settings (audited with before and after). Once open, a batch's rules
    are fixed: cities apply against them."""
    require_perm(user, CHANGE, batch, request=request)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != workflow.DRAFT:
            raise Refusal(_("批次已%(state)s，不能再修改设置。"), code="not_draft",
                          params={"state": batch.get_status_display()})
        fields = {name: getattr(batch, name) for name in EDITABLE_FIELDS}
        fields.update(changes)
        fields = _clean(batch.programme(), fields)
        before = _summary(batch)
        for name, value in fields.items():
            setattr(batch, name, value)
        batch.title = (batch.title or "").strip() or f"{batch.year}年{batch.programme().title}申报"
        batch.save()
        after = _summary(batch)
        changed = {k for k in after if after[k] != before[k]}
        record_event(action="batches.batch.update", request=request, user=user, obj=batch,
                     before={k: before[k] for k in sorted(changed)}, after={k: after[k] for k in sorted(changed)})
    return batch


def batch_open(*, batch, user, request=None):
    """Open the call (art. 8): cities may apply until the city deadline; locks the indicator version."""
    return perform(workflow.WORKFLOW, batch, "open", user=user, request=request)


def batch_close(*, batch, user, request=None):
    """Close the call once the city deadline has passed (art. 10: provinces still forward until theirs)."""
    return perform(workflow.WORKFLOW, batch, "close", user=user, request=request)


def batch_start_review(*, batch, user, request=None):
    """Start the Ministry's review once the province forwarding deadline has passed (art. 12)."""
    return perform(workflow.WORKFLOW, batch, "start_review", user=user, request=request)


def _summary(batch):
    """The batch's settings as JSON for the audit record."""
    def instant(value):
        return value.isoformat() if value else ""

    return {
        "title": batch.title, "programme": f"{batch.programme_code}@{batch.programme_version}",
        "opens_on": batch.opens_on.isoformat() if batch.opens_on else "",
        "city_deadline": instant(batch.city_deadline), "province_deadline": instant(batch.province_deadline),
        "quotas": dict(batch.quotas or {}),
        "indicator_version": batch.indicator_version.label if batch.indicator_version_id else "",
        "material_weight": f"{Decimal(str(batch.material_weight)):.3f}",
        "defence_weight": f"{Decimal(str(batch.defence_weight)):.3f}", "pass_mark": f"{Decimal(str(batch.pass_mark)):.2f}", "notice_working_days": batch.notice_working_days,
    }
