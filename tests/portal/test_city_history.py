"""A city's title history on the portal: every title it held, oldest first, type changes shown
(昆明: 特色型 2020, then 综合型 2021), from the real record."""

import re

from django.urls import reverse


def test_kunming_specialised_then_comprehensive(client, loaded):
    response = client.get(reverse("portal:city", args=["530100"]))
    text = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<li data-year="(\d+)" data-kind="(\w+)">', text) == [("2020", "specialised"),
                                                                            ("2021", "comprehensive")]
    assert "昆明市的示范城市称号" in text and "云南省" in text and "2 项称号" in text
    assert "2021-01-19" in text and "2022-01-25" in text
    assert "下载证书" not in text  # no certificate published yet


def test_a_city_with_a_2016_title_and_a_later_one(client, loaded):
    text = client.get(reverse("portal:city", args=["340100"])).content.decode()  # 合肥
    assert re.findall(r'data-year="(\d+)" data-kind="(\w+)"', text) == [("2016", "legacy"), ("2019", "specialised")]
    assert "新型信息产品消费" in text


def test_the_list_links_each_city_to_its_history(client, loaded):
    text = client.get(reverse("portal:cities")).content.decode()
    assert f'href="{reverse("portal:city", args=["530100"])}"' in text


def test_a_city_without_a_title_or_a_junk_code_is_404(client, loaded):
    assert client.get(reverse("portal:city", args=["530300"])).status_code == 404  # 曲靖: no title
    assert client.get("/portal/cities/..%2F..%2Fetc/").status_code == 404
    assert client.get("/portal/cities/%E4%B8%AD%E6%96%87/").status_code == 404
    assert client.get("/portal/cities/530100x/").status_code == 404  # no variant of a real page
    assert client.get("/portal/cities/５３０１００/").status_code == 404  # full-width digits
