"""The likely-undeclared-conflict matcher (pure) and the officer's page: pairs worth a look, with the
reason and the evidence; nothing changes."""

import pytest

from icdc.review.conflicts import city_key, likely_conflicts, normalise, same_name


def _member(pk, employer, city="440100", city_name="广州市"):
    return {"id": pk, "employer": employer, "city": city, "city_name": city_name}


def _app(pk, lead="", co_units=(), city="370100", city_name="济南市"):
    return {"id": pk, "city": city, "city_name": city_name, "lead": lead, "co_units": list(co_units)}


@pytest.mark.parametrize(("a", "b"), [
    ("济南市工业和信息化局", " 济南市工业和信息化局 "),
    ("济南市工业和信息化局", "济南市工业和信息化局（本级）"[:-4]),
    ("浪潮软件股份有限公司", "浪潮软件"),
    ("浪潮软件有限公司", "浪潮软件有限责任公司"),
    ("ＡＢＣ科技有限公司", "abc科技"),
    ("中国（山东）信息研究院", "中国山东信息研究院"),
])
def test_names_are_normalised(a, b):
    assert normalise(a) == normalise(b)
    assert same_name(a, b) == "same"


def test_containment_needs_four_characters_and_empty_names_never_match():
    assert same_name("济南市工业和信息化局信息化处", "济南市工业和信息化局") == "contains"
    assert same_name("山大", "山大附属医院") is None
    assert same_name("", "") is None and same_name("有限公司", "") is None
    assert city_key("济南市") == city_key("济南") == "济南"


def test_a_member_employed_by_the_lead_agency_or_a_co_applicant_is_listed_with_evidence():
    found = likely_conflicts([_member(1, "济南市工业和信息化局"), _member(2, "浪潮集团有限公司"), _member(3, "中山大学")],
                             [_app(10, lead="济南市工业和信息化局", co_units=["浪潮集团"])])
    # the lead agency's employee is also recorded in 广州 while the employer names 济南: listed as well
    assert [(f["kind"], f["experts"], f["match"]) for f in found if f["kind"] == "same_city"] == [
        ("same_city", [1], "employer_name")]
    assert [f for f in found if f["kind"] != "same_city"] == [
        {"kind": "co_applicant", "experts": [2], "application": 10, "match": "same",
         "evidence": {"employer": "浪潮集团有限公司", "unit": "浪潮集团"}},
        {"kind": "lead_agency", "experts": [1], "application": 10, "match": "same",
         "evidence": {"employer": "济南市工业和信息化局", "unit": "济南市工业和信息化局"}},
    ]


def test_the_same_city_under_another_record_or_named_in_the_employer_is_listed():
    found = likely_conflicts(
        [_member(1, "某研究院", city="370199", city_name="济南"), _member(2, "南京大学", city="110000", city_name="北京市"),
         _member(3, "济南大学", city="370100", city_name="济南市")],
        [_app(10, city="370100", city_name="济南市"), _app(11, city="320100", city_name="南京市")])
    assert [(f["kind"], f["experts"], f["application"], f["match"]) for f in found] == [
        ("same_city", [1], 10, "city_record"), ("same_city", [2], 11, "employer_name")]
    assert found[0]["evidence"]["expert_city_code"] == "370199" and found[0]["evidence"]["applicant_city_code"] == "370100"


def test_two_members_sharing_an_employer_are_listed_once():
    found = likely_conflicts([_member(3, "清华大学"), _member(1, "清华 大学"), _member(2, "北京大学")], [])
    assert found == [{"kind": "shared_employer", "experts": [1, 3], "application": None, "match": "same",
                      "evidence": {"employer": "清华大学", "employers": ["清华大学", "清华 大学"]}}]


def test_nothing_to_look_at_gives_an_empty_list():
    assert likely_conflicts([_member(1, "中山大学")], [_app(10, lead="济南市工业和信息化局")]) == []


@pytest.mark.django_db
def test_the_officers_page_lists_a_lead_agency_match_and_changes_nothing(world, client):
    from icdc.review.models import Expert, PanelDraw

    member = world["members"][0]
    Expert.objects.filter(pk=member.pk).update(employer="济南市工业和信息化局")
    Expert.objects.filter(pk=world["members"][1].pk).update(employer="济南市工业和信息化局")
    before = PanelDraw.objects.values().get(pk=world["panel"].pk)
    client.force_login(world["officer"])
    page = client.get(f"/review/defence/panels/{world['panel'].pk}/conflicts/").content.decode()
    assert page.count('data-kind="lead_agency"') == 2 and page.count('data-kind="shared_employer"') == 1
    assert member.masked_name in page and "济南市" in page and "工作单位与牵头单位同名" in page
    assert PanelDraw.objects.values().get(pk=world["panel"].pk) == before


@pytest.mark.django_db
def test_the_panel_data_is_read_in_constant_queries(world, django_assert_num_queries):
    from icdc.review.conflicts import panel_conflicts

    with django_assert_num_queries(3):
        found, experts, applications = panel_conflicts(world["panel"])
    assert set(experts) == set(world["panel"].members) and set(applications) == set(world["panel"].application_ids)
    assert found == []
