"""Who may apply and how their application travels (Art. 5, 10), from the division flags alone."""

import pytest

from icdc.divisions.models import Division
from icdc.lib.refusals import Refusal
from icdc.programmes.definition import load_programme

from .helpers import DEMO, REAL, division

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    from icdc.divisions.services import load_divisions

    return load_divisions()


@pytest.fixture(scope="module")
def programme():
    return load_programme(REAL)


def get(code):
    return Division.objects.select_related("parent").get(code=code)


def test_a_municipality_applies_directly(loaded, programme):
    route = programme.route_for(get("110000"))
    assert route.is_direct and (route.kind, route.city_code, route.channel_code) == ("direct", "110000", None)
    assert route.unit_class == "municipality"
    assert [m.code for m in programme.materials_for(route)] == ["FORM", "PROPOSAL", "OTHER"]


@pytest.mark.parametrize("code", ["440300", "210200", "370200", "330200", "350200"])
def test_a_separately_planned_city_applies_directly_though_its_province_is_a_channel(loaded, programme, code):
    route = programme.route_for(get(code))
    assert route.is_direct and route.unit_class == "separately_planned"


def test_an_ordinary_prefecture_city_goes_through_its_province(loaded, programme):
    route = programme.route_for(get("130100"))  # 石家庄
    assert (route.kind, route.channel_code, route.channel_name) == ("province", "130000", "河北省")
    assert not route.is_direct and route.unit_class == "province"
    assert programme.materials_for(route)[0].code == "RECOMMENDATION"


def test_an_autonomous_prefecture_may_apply_through_its_region(loaded, programme):
    assert programme.is_eligible(get("532300"))  # 楚雄彝族自治州
    assert programme.route_for(get("532300")).channel_code == "530000"


@pytest.mark.parametrize(("code", "reason"), [
    ("130000", "河北省是省级申报渠道，负责初审推荐，本身不能作为城市申报"),
    ("660000", "新疆生产建设兵团是省级申报渠道，负责初审推荐，本身不能作为城市申报"),
    ("810000", "香港特别行政区是省级单位，不能作为城市申报；请由所辖地级及以上城市申报"),
])
def test_a_province_level_unit_that_is_not_a_city_may_not_apply(loaded, programme, code, reason):
    verdict = programme.is_eligible(get(code))
    assert not verdict and verdict.reason == reason
    with pytest.raises(Refusal) as caught:
        programme.route_for(get(code))
    assert str(caught.value) == reason and caught.value.code == "not_eligible"


def test_every_city_the_data_allows_has_a_route_and_no_other_division_has_one(loaded, programme):
    for row in Division.objects.select_related("parent"):
        assert bool(programme.is_eligible(row)) == row.can_apply, row.code
    direct = {d.code for d in Division.objects.filter(can_apply=True).select_related("parent")
              if programme.route_for(d).is_direct}
    assert direct == {"110000", "120000", "310000", "500000", "210200", "370200", "330200", "350200", "440300"}


def test_a_corps_city_goes_through_the_corps_channel(loaded, programme):
    # The shipped data has no prefecture-level 兵团 city (its 师市 are county level); one is made up
    # here to show the corps is a channel like a province.
    corps = get("660000")
    city = division("659999", "某兵团城市", parent=corps)
    route = programme.route_for(city)
    assert (route.kind, route.channel_code, route.unit_class) == ("province", "660000", "corps")


def test_a_city_whose_parent_is_no_channel_may_not_apply(programme):
    hong_kong = division("810000", "香港特别行政区", level="province", kind="特别行政区", can_apply=False)
    verdict = programme.is_eligible(division("810100", "某市", parent=hong_kong))
    assert not verdict and verdict.reason == "某市没有可受理申报的省级工业和信息化主管部门"
    assert not programme.is_eligible(division("130102", "某区", level="county", parent=hong_kong))


def test_the_route_comes_from_the_flags_not_from_anything_typed(loaded, programme):
    shijiazhuang = get("130100")
    shijiazhuang.name = "深圳市"  # a name proves nothing
    assert programme.route_for(shijiazhuang).channel_code == "130000"


def test_the_demo_programme_caps_recommendations_per_unit_and_requires_ranking(loaded):
    demo = load_programme(DEMO)
    assert demo.requires_ranking
    assert demo.recommendation_cap(demo.route_for(get("130100"))) == 10  # via 河北省
    assert demo.recommendation_cap(get("130000")) == 10
    assert demo.recommendation_cap(demo.route_for(get("440300"))) == 5  # 计划单列市
    assert demo.recommendation_cap(demo.route_for(get("110000"))) == 10  # 直辖市
    assert demo.recommendation_cap(get("660000")) == 5  # 兵团
    assert load_programme(REAL).recommendation_cap(get("130000")) is None
