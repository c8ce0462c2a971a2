"""Selectors other apps use to list provinces and the cities that may apply."""

import pytest

from icdc.divisions import selectors
from icdc.divisions.models import Division

pytestmark = pytest.mark.django_db


def test_provinces_are_the_34_units_and_the_corps(loaded):
    assert selectors.provinces().count() == 35
    assert selectors.provinces().filter(kind=Division.Kind.CORPS).get().code == "660000"


def test_application_channels_exclude_municipalities_and_hk_macau_taiwan(loaded):
    codes = set(selectors.application_channels().values_list("code", flat=True))
    assert len(codes) == 28
    assert {"660000", "370000", "650000"} <= codes
    assert not codes & {"110000", "710000", "810000", "820000"}


def test_cities_of_a_province_by_object_or_code(loaded):
    shandong = Division.objects.get(code="370000")
    assert selectors.cities_of(shandong).count() == 16
    assert set(selectors.cities_of("370000")) == set(selectors.cities_of(shandong))
    assert not selectors.cities_of("110000").exists()  # 北京市 is itself the city


def test_applicable_cities_are_prefecture_level_and_the_municipalities(loaded):
    cities = selectors.applicable_cities()
    assert cities.count() == 337
    assert cities.filter(is_municipality=True).count() == 4
    assert not cities.filter(kind__in=["省", "自治区", "特别行政区", "兵团"]).exists()


def test_direct_applicant_cities_are_the_nine(loaded):
    names = set(selectors.direct_applicant_cities().values_list("name", flat=True))
    assert names == {"北京市", "天津市", "上海市", "重庆市", "大连市", "青岛市", "宁波市", "厦门市", "深圳市"}


def test_province_comes_with_each_city_in_one_query(loaded, django_assert_num_queries):
    with django_assert_num_queries(1):
        labels = [f"{c.parent or ''}{c.name}" for c in selectors.applicable_cities()]
    assert "山东省青岛市" in labels and "北京市" in labels
