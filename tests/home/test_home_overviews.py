from icdc.accounts.models import Role
from tests.factories import division, make_user


def test_city_home_names_its_channel_through_the_province(client, db):
    client.force_login(make_user(Role.CITY_APPLICANT, division_obj=division("370100", "济南市")))
    body = client.get("/home/city/").content.decode()
    assert "济南市" in body
    assert "须经山东省工业和信息化主管部门初审推荐" in body


def test_direct_applicant_city_home_says_it_applies_directly(client, db):
    qingdao = division("370200", "青岛市", applies_directly=True, is_separately_planned=True)
    client.force_login(make_user(Role.CITY_APPLICANT, division_obj=qingdao))
    body = client.get("/home/city/").content.decode()
    assert "直接向工业和信息化部申报" in body


def test_province_home_lists_its_cities(client, db):
    division("370100", "济南市")
    division("370200", "青岛市", applies_directly=True)
    division("320100", "南京市", province_name="江苏省")
    client.force_login(make_user(Role.PROVINCIAL_OFFICIAL, division_obj=division("370000", "山东省", level="province")))
    response = client.get("/home/province/")
    cities = [c.name for c in response.context["cities"]]
    assert cities == ["济南市", "青岛市"]
    assert "南京市" not in response.content.decode()


def test_ministry_home_counts_in_bounded_queries(client, db, django_assert_max_num_queries):
    client.force_login(make_user(Role.MINISTRY_OFFICER))
    with django_assert_max_num_queries(12):
        response = client.get("/home/ministry/")
    assert response.context["overview"]["versions"]["total"] == 0
    assert "管理指标体系" in response.content.decode()
