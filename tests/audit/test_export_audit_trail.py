"""Exporting the filtered trail as CSV and Excel; each export leaves its own record."""

import csv
import io

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.audit.services import record_event
from icdc.audit.verification import verify_chain
from tests.lib.excel_checks import fileable_workbook, header_and_rows, libreoffice_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(role_users):
    return role_users[Role.AUDIT_ADMIN]


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


def _export(client, fmt, **filters):
    url = reverse("audit:export")
    if filters:
        url += "?" + "&".join(f"{k}={v}" for k, v in filters.items())
    return client.post(url, {"format": fmt})


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_export_holds_the_filtered_records_and_is_audited(auditor_client, auditor):
    record_event(action="accounts.session.login_failed", result="failed", detail="密码错误")
    record_event(action="audit.row.update", before={"a": 1}, after={"a": 2})
    response = _export(auditor_client, "csv", action="accounts.session.login_failed")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header[:3] == ["序号", "时间", "操作人"] and "校验值" in header
    assert [row[header.index("操作")] for row in rows] == ["accounts.session.login_failed"]
    assert rows[0][header.index("结果")] == "失败"
    export = AuditRecord.objects.get(action="audit.record.export")
    assert (export.actor_id, export.actor_role) == (auditor.pk, "auditor")
    assert export.after == {"format": "csv", "filters": {"action": "accounts.session.login_failed"}, "rows": 1}
    assert verify_chain().ok


def test_xlsx_export_opens_in_excel_with_the_same_rows(auditor_client):
    record_event(action="audit.row.create", after={"名称": "青岛市"})
    response = _export(auditor_client, "xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97-" in response["Content-Disposition"]  # 审计日志-
    content = b"".join(response.streaming_content)
    header, rows = header_and_rows(fileable_workbook(content).active)
    actions = [row[header.index("操作")] for row in rows]
    assert "audit.row.create" in libreoffice_csv(content)
    assert "audit.row.create" in actions
    assert AuditRecord.objects.filter(action="audit.record.export", after__format="xlsx").count() == 1
    assert "audit.record.export" not in actions  # the file holds what existed when it was asked for


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_typed_formula_stays_text(auditor_client, fmt):
    record_event(action="accounts.session.login_failed", detail='=HYPERLINK("http://evil","x")', result="failed")
    response = _export(auditor_client, fmt, action="accounts.session.login_failed")
    if fmt == "csv":
        header, row = _csv_rows(response)
        cell = row[header.index("说明")]
        assert cell == "'=HYPERLINK(\"http://evil\",\"x\")"
    else:  # an explicit text cell: the exact text, never a formula
        sheet = fileable_workbook(b"".join(response.streaming_content)).active
        header, (row,) = header_and_rows(sheet)
        cell = next(c for r in sheet.iter_rows() for c in r if c.value == row[header.index("说明")])
        assert (cell.value, cell.data_type) == ("=HYPERLINK(\"http://evil\",\"x\")", "s")


def test_an_export_larger_than_the_limit_is_refused_not_cut(auditor_client, settings):
    settings.ICDC_AUDIT_EXPORT_MAX_ROWS = 3
    for i in range(5):
        record_event(action=f"test.{i}")
    response = _export(auditor_client, "csv")
    assert response.status_code == 302
    assert not AuditRecord.objects.filter(action="audit.record.export").exists()
    assert "超过单次导出上限" in auditor_client.get(response.url).content.decode()


def test_an_unknown_format_is_refused(auditor_client):
    assert _export(auditor_client, "pdf").status_code == 302
    assert not AuditRecord.objects.filter(action="audit.record.export").exists()
