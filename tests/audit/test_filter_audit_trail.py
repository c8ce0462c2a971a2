"""The audit trail in the reader's language: labels for actions and object types, choice
filters, the date error shown with nothing listed, every outcome a choice, readable notes."""

import re

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.forms import AuditFilterForm
from icdc.audit.models import Result
from icdc.audit.services import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(client, role_users):
    client.force_login(role_users[Role.AUDIT_ADMIN])
    return client


def _rows(body):
    table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "audit-table" in body else ""
    return re.findall(r"<tr>(.*?)</tr>", table, re.S)


def test_actions_and_object_types_read_as_labels_not_codes(auditor_client, role_users):
    record_event(action="rankings.scoring_run.create", object_type="decisions.scoringrun", object_id="7", object_repr="2024 综合型")
    body = auditor_client.get(reverse("audit:list"), {"action": "rankings.scoring_run.create"}).content.decode()
    [row] = _rows(body)
    assert "计算评分排名" in row and "评分运行" in row and "2024 综合型" in row
    assert ">scoring.run<" not in row and ">decisions.scoringrun<" not in row


def test_action_and_object_type_are_choices_grouped_by_area(auditor_client):
    body = auditor_client.get(reverse("audit:list")).content.decode()
    assert '<optgroup label="评分与排名">' in body and '<option value="rankings.scoring_run.create">计算评分排名</option>' in body
    assert '<option value="indicators.statisticfigure">统计数据</option>' in body
    assert '<option value="rejected">驳回</option>' in body


def test_filtering_by_an_action_finds_exactly_it(auditor_client):
    record_event(action="accounts.session.login", detail="登录")
    record_event(action="accounts.session.login_failed", result="failed", detail="失败")
    record_event(action="login", detail="改名前的登录")  # written before issue 13's rename
    page = auditor_client.get(reverse("audit:list"), {"action": "accounts.session.login"}).context["page"]
    # an exact code, no longer a prefix (the auditor's own login is one too), and its old name
    assert {r.action for r in page.object_list} == {"accounts.session.login", "login"}
    assert {"登录", "改名前的登录"} <= {r.detail for r in page.object_list}


def test_a_start_after_the_end_is_an_error_and_lists_nothing(auditor_client):
    record_event(action="accounts.session.login", detail="今天")
    response = auditor_client.get(reverse("audit:list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    body = response.content.decode()
    assert "起始日期不能晚于截止日期" in body and 'data-testid="filter-error"' in body
    assert response.context["page"].paginator.count == 0 and "筛选条件有误" in body
    assert 'aria-describedby="id_date_to_error"' in body


def test_an_unknown_action_is_an_error_not_everything(auditor_client):
    record_event(action="accounts.session.login", detail="今天")
    response = auditor_client.get(reverse("audit:list"), {"action": "logi"})
    assert response.context["page"].paginator.count == 0
    assert response.context["form"].errors["action"]


def test_rejected_is_an_outcome_filtered_labelled_and_counted(auditor_client):
    assert "rejected" in Result.values
    record_event(action="indicators.statistics.import", result="rejected",
                 detail="bad.csv: rows=20 created=0 changed=0 unchanged=0 errors=16")
    record_event(action="indicators.statistics.import", detail="good.csv: rows=4 created=4 changed=0 unchanged=0 errors=0")
    response = auditor_client.get(reverse("audit:list"), {"result": "rejected"})
    [row] = _rows(response.content.decode())
    assert "驳回" in row and ">rejected<" not in row
    assert "bad.csv：行数 20，新增 0，更新 0，未变 0，错误 16" in row  # the note, readable
    home = auditor_client.get(reverse("home:auditor")).content.decode()
    assert re.search(r'data-testid="rejected-24h"><a href="/audit/\?result=rejected">1</a>', home)


def test_the_filter_form_offers_every_outcome():
    values = {value for value, _label in AuditFilterForm().fields["result"].choices}
    assert set(Result.values) <= values


def test_the_detail_page_shows_label_code_and_readable_note(auditor_client):
    record = record_event(action="indicators.statistics.export", detail="xlsx year=2022 city= rows=10")
    body = auditor_client.get(reverse("audit:detail", args=[record.seq])).content.decode()
    assert "导出统计数据" in body and "indicators.statistics.export" in body and "xlsx：年份 2022，行数 10" in body
