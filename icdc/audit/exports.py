"""Exporting the audit trail as CSV or Excel (the audit administrator's duty, SPEC §1).

Every export is itself audited (``audit.export``, with the filters and the row count).
Both formats are written by the shared writer (``icdc.lib.workbooks``), which neutralises
formula injection: a login attempt's user name is typed by anyone, and ``=HYPERLINK(...)``
must stay text when an auditor opens the file. The Excel file is built in an anonymous
temporary file that disappears when the response closes (剩余信息保护: no export left on disk).
"""

import json

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.lib import workbooks

from . import selectors
from .models import AuditRecord
from .services import record_event

FORMATS = ("csv", "xlsx")


class ExportTooLarge(Exception):
    """More rows than ICDC_AUDIT_EXPORT_MAX_ROWS: refused whole rather than cut short."""


def max_rows():
    return getattr(settings, "ICDC_AUDIT_EXPORT_MAX_ROWS", 100_000)


def _json_text(value):
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def columns():
    """(header, value of a record) pairs, in the exported order."""
    return [
        (_("序号"), lambda r: r.seq),
        (_("时间"), lambda r: timezone.localtime(r.occurred_at).strftime("%Y-%m-%d %H:%M:%S")),
        (_("操作人"), lambda r: r.actor_username),
        (_("操作人ID"), lambda r: "" if r.actor_id is None else r.actor_id),
        (_("角色"), lambda r: str(r.role_label)),
        (_("IP地址"), lambda r: r.ip_address),
        (_("操作"), lambda r: r.action),
        (_("对象类型"), lambda r: r.object_type),
        (_("对象ID"), lambda r: r.object_id),
        (_("对象"), lambda r: r.object_repr),
        (_("结果"), lambda r: str(r.result_label)),
        (_("说明"), lambda r: r.detail),
        (_("变更前"), lambda r: _json_text(r.before)),
        (_("变更后"), lambda r: _json_text(r.after)),
        (_("算法"), lambda r: r.algorithm),
        (_("密钥标识"), lambda r: r.key_id),
        (_("上一条校验值"), lambda r: r.prev_mac),
        (_("校验值"), lambda r: r.mac),
    ]


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV)."""
    return workbooks.csv_safe(value)


def _rows(records, cols):
    for record in records.iterator(chunk_size=2000):
        yield [get(record) for _h, get in cols]


def _csv_response(records, filename):
    cols = columns()
    return workbooks.csv_response([h for h, _g in cols], _rows(records, cols), filename=f"{filename}.csv")


def _xlsx_response(records, filename, filters):
    cols = columns()
    book = workbooks.ExcelExport()
    scope = "；".join(f"{k}={v}" for k, v in filters.items()) or _("全部")
    sheet = book.sheet(_("审计日志"), title=_("审计日志（筛选：%(scope)s）") % {"scope": scope},
                       columns=[workbooks.Column(str(h), width=WIDTHS[i] if i < len(WIDTHS) else None)
                                for i, (h, _g) in enumerate(cols)])
    for row in _rows(records, cols):
        sheet.append(row)
    return book.response(filename=f"{filename}.xlsx")


# Fixed widths: the audit trail can be 100,000 rows; widths should not depend on the first ones.
WIDTHS = (8, 18, 14, 8, 12, 15, 24, 20, 10, 24, 8, 40, 30, 30, 10, 8, 20, 20)


def export_audit_trail(*, request, filters, fmt):
    """Export the filtered records and leave a record of the export.

    Refuses (``ExportTooLarge``) more than ``ICDC_AUDIT_EXPORT_MAX_ROWS`` rows rather than
    cutting the file short: a silently truncated audit export would mislead its reader.
    """
    if fmt not in FORMATS:
        raise ValueError(fmt)
    newest = AuditRecord.objects.aggregate(m=Max("seq"))["m"] or 0
    records = selectors.filtered_records(filters).filter(seq__lte=newest)  # not this export's own record
    count = records.count()
    if count > max_rows():
        raise ExportTooLarge(count)
    record_event(
        action="audit.record.export",
        request=request,
        object_type="audit.auditrecord",
        object_repr=_("审计日志导出"),
        after={"format": fmt, "filters": selectors.describe_filters(filters), "rows": count},
    )
    filename = _("审计日志-%(time)s") % {"time": timezone.localtime().strftime("%Y%m%d-%H%M%S")}
    if fmt == "csv":
        return _csv_response(records, filename)
    return _xlsx_response(records, filename, selectors.describe_filters(filters))
