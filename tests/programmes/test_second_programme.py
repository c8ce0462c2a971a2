"""A second programme is configuration, not a fork (SPEC §7): the made-up project call runs through
the same code, and scoring tracks take their codes and names from whichever definition applies."""

import pytest

from icdc.programmes.definition import load_programme, programme_from_document
from icdc.rankings import adapters
from icdc.rankings.adapters import RunInputError
from tests.factories import division
from tests.rankings import helpers

from .helpers import DEMO, raw


@pytest.fixture(scope="module")
def demo():
    return load_programme(DEMO)


def test_its_own_types_domains_conditions_and_tracks(demo):
    assert [t.label for t in demo.types] == ["供给能力提升类", "应用场景创新类"]
    assert [d.label for d in demo.domains] == ["智慧家庭", "智慧健康养老", "在线教育"]
    assert [c.code for c in demo.conditions_for("SUPPLY")] == ["SUP-1", "SUP-2", "SUP-3"]
    assert len(demo.conditions_for("SCENE")) == 2
    assert [t.code for t in demo.tracks] == ["SUPPLY", "HOME", "HEALTH", "EDU"]
    assert demo.check_choice("SCENE", ["EDU"])[1][0].label == "在线教育"


def test_materials_may_depend_on_the_type(demo):
    assert [m.code for m in demo.materials_for("province", "SUPPLY")] == ["LETTER", "APPLICATION", "PLEDGE", "FINANCE"]
    assert [m.code for m in demo.materials_for("direct", "SCENE")] == ["APPLICATION", "PLEDGE", "USERS"]
    assert [m.code for m in demo.materials_for("direct")] == ["APPLICATION", "PLEDGE", "FINANCE", "USERS"]
    assert [m.code for m in demo.materials_for("direct", "SCENE") if m.required] == ["APPLICATION", "PLEDGE"]


def test_city_facts_and_outline_are_its_own(demo):
    assert [(f.code, f.kind, f.required) for f in demo.city_fact_fields] == [
        ("users", "integer", True), ("revenue", "number", True), ("contact", "text", False)]
    assert demo.outline_sections[0].title == "项目概况"


def test_track_names_of_a_run_come_from_the_definition(draft_version):
    renamed = raw()
    renamed["domains"][0]["label"] = "生活类信息消费（改名）"
    programme = programme_from_document(renamed)
    assert adapters.allowed_tracks(draft_version, "SPEC", programme) == {
        "LIFE": "生活类信息消费（改名）", "PUBLIC": "公共服务类信息消费", "INDUSTRY": "行业类信息消费",
        "PRODUCT": "新型信息产品消费"}
    assert adapters.allowed_tracks(draft_version, "COMP") == {"COMP": "综合型"}  # the programme in force


def test_an_indicator_system_no_type_uses_is_refused(draft_version, demo):
    with pytest.raises(RunInputError, match="指标体系 COMP 不对应申报项目中的任何申报类型"):
        adapters.allowed_tracks(draft_version, "COMP", demo)


def test_a_run_scored_under_the_second_programme(draft_version, officer):
    from icdc.rankings.services import create_run

    for code, name in (("370200", "青岛市"), ("330200", "宁波市"), ("370100", "济南市")):
        division(code, name)
    document = load_programme(DEMO).document
    document["types"][0]["indicator_system"] = "COMP"  # scored on the draft's comprehensive system
    programme = programme_from_document(document)
    tracks = {code: ["SUPPLY"] for code in ("370200", "330200", "370100")}
    run = create_run(user=officer, version=draft_version, system_code="COMP", year=helpers.YEAR, label="演示项目评分",
                     applications=helpers.applications(draft_version, tracks_of=tracks),
                     params=helpers.params(quotas={"SUPPLY": 2}), programme=programme)
    assert run.track_names == {"SUPPLY": "供给能力提升类"}
    assert list(run.city_results.values_list("track", flat=True)) == ["SUPPLY"] * 3
