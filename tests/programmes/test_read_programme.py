"""The shipped programme as data: types, domains, conditions, materials, outline, facts, tracks (Art. 3–11)."""

import os
import subprocess
import sys

import pytest

from icdc.lib.refusals import Refusal
from icdc.programmes.definition import load_programme, programme_from_document

from .helpers import DEMO, REAL, ROOT


@pytest.fixture(scope="module")
def programme():
    return load_programme(REAL)


def test_two_types_with_stable_codes_and_chinese_labels(programme):
    assert [(t.code, t.label) for t in programme.types] == [("COMP", "综合型"), ("SPEC", "特色型")]
    assert programme.type("SPEC").award_title == "信息消费示范城市（特色型）"
    assert programme.type("SPEC").chooses_domains and not programme.type("COMP").chooses_domains
    assert programme.one_type_per_batch


def test_the_four_domains_of_article_3(programme):
    assert [d.label for d in programme.domains] == ["生活类信息消费", "公共服务类信息消费", "行业类信息消费",
                                                    "新型信息产品消费"]
    assert programme.domain("LIFE").label == "生活类信息消费"


def test_unknown_type_or_domain_is_refused_in_chinese(programme):
    with pytest.raises(Refusal, match="没有申报类型「XYZ」"):
        programme.type("XYZ")
    with pytest.raises(Refusal, match="没有特色领域「SPORT」"):
        programme.domain("SPORT")


def test_five_comprehensive_and_four_specialised_conditions_in_the_regulations_words(programme):
    comp, spec = programme.conditions_for("COMP"), programme.conditions_for("SPEC")
    assert [c.code for c in comp] == ["COMP-1", "COMP-2", "COMP-3", "COMP-4", "COMP-5"]
    assert [c.code for c in spec] == ["SPEC-1", "SPEC-2", "SPEC-3", "SPEC-4"]
    assert comp[0].text.startswith("申报城市重视发展信息消费，有明确的机构推进相关工作")
    assert spec[2].text == "申报城市在特色领域总体发展水平较高，在全国具有领先地位。"
    assert comp[4].basis == "第六条（五）"


def test_a_province_route_needs_the_recommendation_document_a_direct_one_does_not(programme):
    province = programme.materials_for("province")
    direct = programme.materials_for("direct")
    assert [m.code for m in province] == ["RECOMMENDATION", "FORM", "PROPOSAL", "OTHER"]
    assert [m.code for m in direct] == ["FORM", "PROPOSAL", "OTHER"]
    recommendation = province[0]
    assert (recommendation.label, recommendation.provided_by, recommendation.required) == ("初审推荐文件", "channel",
                                                                                             True)
    assert [m.code for m in direct if m.required] == ["FORM", "PROPOSAL"]
    form = programme.materials_for("direct", "COMP")[0]
    assert form.annex == "附件1" and form.accepts("申报表.PDF") and form.accepts("表.xlsx") and not form.accepts("a.exe")
    assert programme.materials_for("direct")[2].accepts("现场.jpeg")


def test_an_unknown_route_is_refused(programme):
    with pytest.raises(Refusal, match="申报途径应为 direct 或 province"):
        programme.materials_for("post")


def test_outline_and_city_facts(programme):
    assert [s.title for s in programme.outline_sections] == ["基本情况", "工作基础与成效", "特色与亮点", "三年建设目标",
                                                             "重点任务", "保障措施"]
    facts = {f.code: (f.label, f.unit) for f in programme.city_fact_fields}
    assert facts == {"population": ("常住人口", "万人"), "gdp": ("地区生产总值", "亿元"),
                     "disposable_income": ("居民人均可支配收入", "元")}


def test_no_cap_and_no_ranking_for_the_city_programme(programme):
    assert programme.recommendation_cap(object()) is None
    assert programme.requires_ranking is False


def test_scoring_tracks_are_the_comprehensive_type_and_one_per_domain(programme):
    assert [(t.code, t.label) for t in programme.tracks] == [
        ("COMP", "综合型"), ("LIFE", "生活类信息消费"), ("PUBLIC", "公共服务类信息消费"),
        ("INDUSTRY", "行业类信息消费"), ("PRODUCT", "新型信息产品消费")]
    assert [t.code for t in programme.tracks_for("SPEC")] == ["LIFE", "PUBLIC", "INDUSTRY", "PRODUCT"]
    assert programme.track_label("PUBLIC") == "公共服务类信息消费" and programme.track_label("ZZZ") == "ZZZ"
    assert programme.type_for_indicator_system("SPEC").label == "特色型"
    assert programme.type_for_indicator_system("NONE") is None


def test_article_8_one_type_and_for_specialised_one_or_more_domains(programme):
    kind, domains = programme.check_choice("SPEC", ["PUBLIC", "LIFE"])
    assert kind.code == "SPEC" and [d.code for d in domains] == ["LIFE", "PUBLIC"]
    assert programme.check_choice("COMP") == (programme.type("COMP"), ())
    with pytest.raises(Refusal, match="须至少选择一个特色领域"):
        programme.check_choice("SPEC", [])
    with pytest.raises(Refusal, match="不选择特色领域"):
        programme.check_choice("COMP", ["LIFE"])
    with pytest.raises(Refusal, match="不能重复选择"):
        programme.check_choice("SPEC", ["LIFE", "LIFE"])
    with pytest.raises(Refusal, match="没有特色领域"):
        programme.check_choice("SPEC", ["SPORT"])


def test_an_application_is_ranked_in_its_type_or_in_each_chosen_domain(programme):
    assert [t.code for t in programme.tracks_for_choice("COMP")] == ["COMP"]
    assert [t.code for t in programme.tracks_for_choice("SPEC", ["PRODUCT", "LIFE"])] == ["LIFE", "PRODUCT"]
    with pytest.raises(Refusal, match="须至少选择一个特色领域"):
        programme.tracks_for_choice("SPEC")


def test_the_programme_is_read_only_and_its_document_a_copy(programme):
    with pytest.raises(AttributeError):
        programme.code = "other"
    document = programme.document
    document["types"][0]["label"] = "改过"
    assert programme.type("COMP").label == "综合型"
    again = programme_from_document(programme.document)
    assert again == programme and again.sha256 == programme.sha256 and len(programme.sha256) == 64


def test_the_hash_ignores_layout_and_comments():
    text = REAL.read_text(encoding="utf-8")
    from icdc.programmes.definition import programme_from_yaml

    reformatted = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert programme_from_yaml(reformatted).sha256 == load_programme(REAL).sha256
    assert load_programme(DEMO).sha256 != load_programme(REAL).sha256


SCRIPT = """
import sys
from icdc.programmes.definition import load_programme
p = load_programme(sys.argv[1])
p.tracks, p.materials_for("province"), p.conditions_for("COMP")
try:
    p.type("XYZ")
except Exception as exc:
    print(exc)
# The refusal type is a django ValidationError (plain classes, no settings); nothing that needs
# configured Django (settings, the ORM, the app registry) may be imported.
print(sorted(name for name in sys.modules if name.startswith(("django.conf", "django.db", "django.apps"))))
"""


def test_the_definition_is_plain_python_without_configured_django():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(REAL)], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    message, leaked = out.stdout.strip().splitlines()
    assert message.startswith("没有申报类型「XYZ」") and leaked == "[]"
