"""The Excel exports: the panel composition (names masked, leader, reserves, replacements, exclusions with
reasons) and the defence scores (each expert's score, the mean, the no-shows); audited; officer only."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from icdc.audit.models import AuditRecord
from icdc.review.models import DefenceScore, Expert
from icdc.review.panels import panel_member_decline
from tests.review.defence.conftest import slot

pytestmark = pytest.mark.django_db


def _rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "评审组")
    return rows[header], rows[header + 1:]


def test_the_panel_composition_names_everyone_masked_with_their_part(world, client):
    panel = world["panel"]
    leaving = world["members"][1]
    panel_member_decline(draw_record=panel, expert=leaving, reason="出差", user=world["officer"])
    panel.refresh_from_db()
    client.force_login(world["officer"])
    response = client.get(f"/review/defence/batches/{world['batch'].pk}/panels.xlsx")
    assert response.status_code == 200
    header, rows = _rows(response)
    assert header == ["评审组", "抽取时间", "身份", "专家", "工作单位", "单位所在城市", "职称", "说明"]
    experts = Expert.objects.in_bulk()
    by_role = {}
    for r in rows:
        by_role.setdefault(r[2], []).append(r)
    assert len(by_role["组长"]) == 1 and len(by_role["组长"]) + len(by_role["专家"]) == 5
    assert {r[3] for r in by_role["组长"] + by_role["专家"]} == {experts[pk].masked_name for pk in panel.members}
    assert len(by_role["备选"]) == len(panel.reserves)
    assert by_role["已替补"][0][3] == leaving.masked_name and "出差" in by_role["已替补"][0][7]
    excluded = {r[3]: r[7] for r in by_role["排除"]}
    assert excluded[world["same_province"].masked_name] == "与申报城市同省"
    assert excluded[world["declared"].masked_name] == "本人申报回避该城市"
    names = {e.name for e in experts.values()}
    assert not any(cell in names for r in rows for cell in r)  # never a full name
    assert AuditRecord.objects.get(action="review.panel.export").detail == f"rows={len(rows)}"


def test_the_defence_scores_list_each_score_the_mean_and_the_no_shows(world, client):
    jinan, nanjing = world["applications"]
    held = slot(world, jinan, status="held")
    slot(world, nanjing, status="no_show", hours_ago=5)
    for expert, value in zip(world["members"], ("60", "70", "80", "90", "100"), strict=True):
        DefenceScore.objects.create(slot=held, expert=expert, score=value, comment="=HYPERLINK(\"x\")",
                                    submitted_at=timezone.now())
    client.force_login(world["officer"])
    header, rows = _rows(client.get(f"/review/defence/batches/{world['batch'].pk}/defence-scores.xlsx"))
    assert header[:2] == ["评审组", "申报城市"] and header[6:8] == ["专家", "得分"]
    jinan_rows = [r for r in rows if r[1] == "济南市"]
    assert sorted(r[7] for r in jinan_rows[:5]) == [60, 70, 80, 90, 100]
    assert jinan_rows[-1][6].startswith("平均分") and jinan_rows[-1][7] == 80  # trimmed: 60 and 100 dropped
    assert jinan_rows[0][8] == '=HYPERLINK("x")'  # text, never a formula
    assert jinan_rows[-1][8] == "5 / 5 位专家已评分"
    assert [r for r in rows if r[1] == "南京市"] == [[*[r for r in rows if r[1] == "南京市"][0][:6], "未到场", None,
                                                     "申报城市未到场答辩"]]
    assert {r[5] for r in jinan_rows} == {"已答辩"}
    assert AuditRecord.objects.filter(action="review.defence.export").count() == 1


def test_only_the_officer_exports(world, client):
    client.force_login(world["members"][0].account)
    assert client.get(f"/review/defence/batches/{world['batch'].pk}/panels.xlsx").status_code == 403
    assert client.get(f"/review/defence/batches/{world['batch'].pk}/defence-scores.xlsx").status_code == 403
    assert not AuditRecord.objects.filter(action__in=("review.panel.export", "review.defence.export")).exists()
