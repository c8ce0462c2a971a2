"""Official statistics (统计数据) in and out (SPEC §5): all-or-nothing imports, audited.

Every row of a file is checked (``statistics_io.check_rows``) before one is written; a
rejected file writes nothing and its report lists every bad row. Re-importing the same
file creates and changes nothing.
"""

import hashlib
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.audit.services import record_event
from icdc.divisions.models import Division
from icdc.lib import workbooks
from icdc.lib.refusals import Refusal

from . import selectors, statistics_io
from .models import StatisticFigure, StatisticsImport
from .services import CORRECT_PERMISSION, EXPORT_PERMISSION, IMPORT_PERMISSION, _require_permission
from .statistics_io import FileRejected, ImportReport, RowError

FIGURE_FIELDS = ("value", "unit", "source", "source_note")


def _city_lookup(rows):
    codes = {statistics_io.cell_text(cells.get("city_code")) for _n, cells in rows}
    return {
        d["code"]: d for d in Division.objects.filter(code__in=codes).values("code", "name", "short_name", "can_apply")
    }


def _indicator_lookup(version):
    return {code: {"kind": i.kind, "unit": i.unit} for code, i in selectors.indicators_by_code(version).items()}


def _figure_state(figure):
    return {"value": figure.value, "unit": figure.unit, "source": figure.source, "source_note": figure.source_note}


def _apply_rows(clean, user, report):
    """Write checked rows: create new figures, update changed ones, leave equal ones alone."""
    existing = {
        (f.city_id, f.year, f.indicator_code): f
        for f in StatisticFigure.objects.select_for_update().filter(
            city_id__in={r.city_code for r in clean}, year__in={r.year for r in clean},
            indicator_code__in={r.indicator_code for r in clean})
    }
    now, new, changed, before, after = timezone.now(), [], [], {}, {}
    for row in clean:
        state = {"value": row.value, "unit": row.unit, "source": row.source, "source_note": row.source_note}
        figure, key = existing.get(row.key), "/".join(map(str, row.key))
        if figure is None:
            new.append(StatisticFigure(city_id=row.city_code, year=row.year, indicator_code=row.indicator_code,
                                       entered_by=user, entered_at=now, **state))
            after[key] = state
        elif _figure_state(figure) != state:
            before[key] = _figure_state(figure)
            for name, value in state.items():
                setattr(figure, name, value)
            figure.entered_by, figure.entered_at = user, now
            changed.append(figure)
            after[key] = state
    StatisticFigure.objects.bulk_create(new)
    StatisticFigure.objects.bulk_update(changed, [*FIGURE_FIELDS, "entered_by", "entered_at"])
    report.created, report.changed = len(new), len(changed)
    report.unchanged = len(clean) - len(new) - len(changed)
    return before, after


def _json_state(state):
    return {**state, "value": format(state["value"], "f")}


def _record_import(report, user, version, content, before=None, after=None):
    """The import's own record holds the row detail; the audit record carries the file's digest
    and the counts only, so the chain stays small whatever the size of the file."""
    record = StatisticsImport.objects.create(
        filename=report.filename[:255], sha256=hashlib.sha256(content).hexdigest(), size=len(content),
        version=version, imported_by=user, imported_at=timezone.now(), applied=report.applied, rows=report.rows,
        created=report.created, changed=report.changed, unchanged=report.unchanged,
        before={k: _json_state(v) for k, v in (before or {}).items()},
        after={k: _json_state(v) for k, v in (after or {}).items()},
        errors=[[e.row, e.column, str(e.reason)] for e in report.errors],
    )
    record_event(
        action="indicators.statistics.import", user=user, obj=record,
        result="ok" if report.ok else "rejected",
        after={"sha256": record.sha256, "size": record.size, "version": version.label, "rows": report.rows,
               "created": report.created, "changed": report.changed, "unchanged": report.unchanged,
               "errors": len(report.errors)},
        detail=f"{report.filename}: rows={report.rows} created={report.created} changed={report.changed} "
               f"unchanged={report.unchanged} errors={len(report.errors)}",
    )
    return record


def import_statistics(*, filename, content, version, user):
    """Import a statistics file (.xlsx/.csv) checked against ``version``; returns an ImportReport.

    All or nothing: if any row is bad, nothing is written and the report lists every bad row
    (row, column, reason). Re-importing the same file creates and changes nothing.
    """
    _require_permission(user, IMPORT_PERMISSION)
    report = ImportReport(filename=filename)
    try:
        rows = statistics_io.read_rows(filename, content)
    except FileRejected as exc:
        report.errors = exc.errors
        _record_import(report, user, version, content)
        return report
    report.rows = len(rows)
    clean, report.errors = statistics_io.check_rows(
        rows, cities=_city_lookup(rows), indicators=_indicator_lookup(version), version_label=version.label,
        max_year=timezone.localdate().year)
    if report.errors:
        _record_import(report, user, version, content)
        return report
    try:
        with transaction.atomic():
            before, after = _apply_rows(clean, user, report)
            report.applied = True
            _record_import(report, user, version, content, before, after)
    except IntegrityError:
        # Two imports of the same new figures at once: the loser writes nothing and says so.
        report.created = report.changed = report.unchanged = 0
        report.applied = False
        report.errors = [RowError(None, "", _("其他人正在同时导入相同的数据，本次未写入，请重试"))]
        _record_import(report, user, version, content)
    return report


def export_statistics(*, user, year=None, city_code=None, search=None, fmt="xlsx"):
    """Figures in the import layout, as (bytes, filename, content type); audited as an export.
    ``search`` is the list's city-or-province search, so the export holds what the list shows."""
    _require_permission(user, EXPORT_PERMISSION)
    figures = selectors.statistic_figures(year=year, city_code=city_code, search=search)
    rows = [statistics_io.figure_row(f) for f in figures.iterator(chunk_size=2000)]
    name = _("统计数据") + (f"-{year}" if year else "") + (f"-{city_code}" if city_code else "")
    record_event(action="indicators.statistics.export", user=user, detail=f"{fmt} year={year or ''} "
                 f"city={city_code or ''} rows={len(rows)}")
    if fmt == "csv":
        return statistics_io.write_csv(rows), f"{name}.csv", workbooks.CSV_TYPE
    scope = "、".join(filter(None, [_("%(year)s 年") % {"year": year} if year else "", city_code or ""]))
    title = _("统计数据") + (f"（{scope}）" if scope else "")
    return statistics_io.write_xlsx(rows, title=title), f"{name}.xlsx", XLSX_TYPE


def statistics_template(*, user):
    """A blank import template: the layout, drop-down lists for city, indicator and source, and a
    说明 sheet naming the quantitative indicators of the default version."""
    _require_permission(user, IMPORT_PERMISSION)
    version = selectors.default_statistics_version()
    notes, choices = None, None
    cities = list(Division.objects.filter(can_apply=True).order_by("code").values_list("code", "name"))
    if version is not None:
        indicators = [{"code": i.code, "name": i.name, "unit": i.unit, "kind": i.kind}
                      for i in selectors.ordered_indicators(version)]
        notes = statistics_io.template_notes(indicators, version.label)
        choices = {"cities": cities, "indicators": [i["code"] for i in indicators if i["kind"] == "quantitative"],
                   "max_year": timezone.localdate().year}
    content = statistics_io.write_xlsx([], notes=notes, title=_("统计数据导入模板"), choices=choices)
    return content, _("统计数据导入模板") + ".xlsx", XLSX_TYPE


XLSX_TYPE = workbooks.XLSX_TYPE


# --- correcting one figure (更正) -------------------------------------------------------------

REASON_MAX = 200
VALUE_LIMIT = Decimal(10) ** 15  # the column: 19 digits, 4 of them decimal


def _corrected_value(value):
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise Refusal(_("更正后的数值须为数字"), code="not_a_number") from exc
    if not number.is_finite() or abs(number) >= VALUE_LIMIT or -number.normalize().as_tuple().exponent > 4:
        raise Refusal(_("更正后的数值须为有限数，绝对值小于 10^15，最多 4 位小数"), code="out_of_range")
    return number


def _plain(number):
    return format(number.normalize(), "f") if number else "0"


def statistic_figure_correct(*, figure, value, reason, user):
    """Correct one official figure (统计数据更正, Art. 11), e.g. a typo found after the import.

    The reason is required and goes into the audit record with the old and the new value. The
    row is locked first, so two officers correcting the same figure at once are recorded one
    after the other, each “before” being what the other left. Refusals (``Refusal``, in
    Chinese) write nothing.
    """
    _require_permission(user, CORRECT_PERMISSION)
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_("请填写更正原因"), code="reason_required")
    if len(reason) > REASON_MAX:
        raise Refusal(_("更正原因最多 %(n)s 个字"), code="reason_too_long", params={"n": REASON_MAX})
    value = _corrected_value(value)
    with transaction.atomic():
        figure = StatisticFigure.objects.select_for_update().select_related("city").get(pk=figure.pk)
        if figure.value == value:
            raise Refusal(_("更正后的数值与现有数值相同，未作更改"), code="unchanged")
        old = figure.value
        figure.value, figure.entered_by, figure.entered_at = value, user, timezone.now()
        figure.save(update_fields=["value", "entered_by", "entered_at"])
        record_event(action="indicators.statistics.correct", user=user, obj=figure,
                     before={"value": _plain(old), "unit": figure.unit},
                     after={"value": _plain(value), "unit": figure.unit, "reason": reason}, detail=reason)
    return figure
