"""Loading the record of awarded titles (data/titles/awards-known.csv): counts per year and type
match the file, loading twice changes nothing, 昆明 holds two titles of different types, unmatched
rows are reported (never guessed) and one audit record is written per load."""

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from icdc.audit.models import AuditRecord
from icdc.programmes.selectors import current_programme
from icdc.titles.models import Title
from icdc.titles.services import rows_from_csv, titles_load

CSV = Path(settings.BASE_DIR) / "data" / "titles" / "awards-known.csv"
KIND = {"legacy": "legacy", "综合型": "comprehensive", "特色型": "specialised"}


def _rows():
    return list(csv.DictReader(CSV.open(encoding="utf-8")))


def test_the_counts_per_year_and_type_match_the_file(loaded):
    expected = Counter((int(r["batch_year"]), KIND[r["title_type"]]) for r in _rows())
    actual = Counter(Title.objects.values_list("batch_year", "kind"))
    assert actual == expected
    assert Title.objects.count() == len(_rows()) == 27
    assert "新增 27" in loaded and "未匹配 0" in loaded
    assert set(Title.objects.values_list("status", flat=True)) == {"active"}


def test_the_titles_read_from_the_programme_definition(loaded):
    programme = current_programme()
    specialised = {t.code for t in programme.types if t.chooses_domains}
    guiyang = Title.objects.get(city__name="贵阳市")
    assert guiyang.kind == "specialised" and guiyang.type_code in specialised
    assert guiyang.award_title == "信息消费示范城市（特色型）"
    assert guiyang.domain_code == programme.domains[[d.label for d in programme.domains].index(
        "公共服务类信息消费")].code
    assert guiyang.full_title == "信息消费示范城市（特色型） · 公共服务类信息消费"
    assert Title.objects.get(city__name="青岛市").award_title == "信息消费示范城市（综合型）"
    beijing = Title.objects.get(city_id="110000")  # a 直辖市 is its own city
    assert beijing.kind == "legacy" and beijing.award_title == programme.title
    wenzhou = Title.objects.get(city__name="温州市")
    assert wenzhou.domain_code == "" and wenzhou.full_title == "信息消费示范城市（特色型）"
    assert str(Title.objects.get(city__name="贵阳市").announced_on) == "2021-01-19"
    hefei_2019 = Title.objects.get(city__name="合肥市", batch_year=2019)
    assert hefei_2019.announced == "2020-04" and hefei_2019.announced_on is None and hefei_2019.announced_year == 2020
    assert Title.objects.get(city__name="莆田市").confidence == "probable"


def test_kunming_holds_two_titles_of_different_types(loaded):
    kunming = list(Title.objects.filter(city__name="昆明市").order_by("batch_year").values_list("batch_year", "kind"))
    assert kunming == [(2020, "specialised"), (2021, "comprehensive")]
    assert Title.objects.filter(city__name="芜湖市").count() == 2


def test_loading_twice_changes_nothing_and_is_audited_once_per_load(loaded):
    before = list(Title.objects.order_by("pk").values())
    out = io.StringIO()
    call_command("load_titles", stdout=out, stderr=io.StringIO())
    assert "新增 0，更新 0，未变 27" in out.getvalue()
    assert list(Title.objects.order_by("pk").values()) == before
    records = list(AuditRecord.objects.filter(action="titles.title.load").order_by("seq"))
    assert len(records) == 2
    assert records[0].after["created"] == 27 and records[1].after["unchanged"] == 27
    assert records[1].detail == "rows=27 created=0 changed=0 unchanged=27 unmatched=0"


def test_a_changed_row_is_updated_in_place(loaded):
    text = CSV.read_text(encoding="utf-8").replace("press 2023-02-22", "MIIT 公告 2023")
    report = titles_load(rows=rows_from_csv(text), programme=current_programme())
    assert (report.created, report.changed, report.unchanged) == (0, 1, 26)
    assert Title.objects.get(city__name="青岛市").source_note.startswith("MIIT 公告 2023")


HEADER = "batch_year,announced,city,province,title_type,domain,confidence,source_note\n"


def test_unmatched_rows_are_reported_and_the_others_load(divisions):
    text = HEADER + (
        "2021,2022-01-25,昆明,云南省,综合型,,confirmed,ok\n"
        "2021,2022-01-25,不存在市,云南省,综合型,,confirmed,x\n"
        "2021,2022-01-25,昆明,火星省,综合型,,confirmed,x\n"
        "2021,2022-01-25,大连,云南省,综合型,,confirmed,x\n"
        "2021,2022-01-25,廊坊,河北省,特色型,太空类信息消费,confirmed,x\n"
        "2021,2022-01-25,廊坊,河北省,示范型,,confirmed,x\n"
        "2021,2022-01-25,青岛,山东省,综合型,行业类信息消费,confirmed,x\n"
        "二〇二一,2022-01-25,青岛,山东省,综合型,,confirmed,x\n"
        "2021,2022/01/25,青岛,山东省,综合型,,confirmed,x\n"
    )
    report = titles_load(rows=rows_from_csv(text), programme=current_programme())
    assert report.created == 1 and Title.objects.count() == 1
    assert [str(p) for p in report.problems] == [
        "第 3 行（云南省 不存在市）：在云南省找不到城市“不存在市”。",
        "第 4 行（火星省 昆明）：找不到省级单位“火星省”。",
        "第 5 行（云南省 大连）：在云南省找不到城市“大连”。",
        "第 6 行（河北省 廊坊）：申报项目定义中没有特色领域“太空类信息消费”。",
        "第 7 行（河北省 廊坊）：申报项目定义中没有类型“示范型”。",
        "第 8 行（山东省 青岛）：综合型称号不分特色领域。",
        "第 9 行（山东省 青岛）：批次年度“二〇二一”不是年份。",
        "第 10 行（山东省 青岛）：公告时间“2022/01/25”应为年、年-月或年-月-日。",
    ]
    record = AuditRecord.objects.get(action="titles.title.load")
    assert record.detail.endswith("unmatched=8") and len(record.after["unmatched"]) == 8


def test_the_command_lists_unmatched_rows_and_fails_when_strict(divisions, tmp_path):
    path = tmp_path / "awards.csv"
    path.write_text(HEADER + "2021,2022-01-25,不存在市,云南省,综合型,,confirmed,x\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("load_titles", str(path), stdout=out, stderr=err)
    assert "未匹配 1" in out.getvalue() and "不存在市" in err.getvalue()
    with pytest.raises(CommandError, match="1 行未匹配"):
        call_command("load_titles", str(path), "--strict", stdout=io.StringIO(), stderr=io.StringIO())
    path.write_text("city,province\n昆明,云南省\n", encoding="utf-8")
    with pytest.raises(CommandError, match="称号数据缺少列"):
        call_command("load_titles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
