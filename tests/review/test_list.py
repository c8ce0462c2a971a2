"""The pool list: filters by speciality, province of the employer's city and status; paged; the export
holds what the list shows."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from icdc.review import selectors
from tests.review import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(cities):
    return {
        "qd": factories.expert(name="青岛甲", city=cities["qingdao"], specialities=["LIFE"]),
        "jn": factories.expert(name="济南乙", city=cities["jinan"], specialities=["PUBLIC", "LIFE"], is_active=False),
        "nj": factories.expert(name="南京丙", city=cities["nanjing"], specialities=["INDUSTRY"]),
        "bj": factories.expert(name="北京丁", city=cities["beijing"], specialities=["PUBLIC"]),
    }


def _names(qs):
    return sorted(e.name for e in qs)


def test_filters(pool):
    assert _names(selectors.experts(speciality="LIFE")) == ["济南乙", "青岛甲"]
    assert _names(selectors.experts(province="370000")) == ["济南乙", "青岛甲"]
    assert _names(selectors.experts(province="110000")) == ["北京丁"]  # a 直辖市 is its own province
    assert _names(selectors.experts(active=False)) == ["济南乙"]
    assert _names(selectors.experts(speciality="PUBLIC", active=True)) == ["北京丁"]


def test_a_speciality_code_is_not_matched_inside_another(cities):
    factories.expert(city=cities["qingdao"], specialities=["PUBLIC"])
    assert _names(selectors.experts(speciality="PUB")) == []


def test_the_page_filters_and_pages(officer_client, pool, cities, monkeypatch):
    monkeypatch.setattr("icdc.review.views.PAGE_SIZE", 2)
    page = officer_client.get(reverse("experts:list"), {"speciality": "LIFE"}).content.decode()
    assert "青岛甲" in page and "济南乙" in page and "南京丙" not in page
    first = officer_client.get(reverse("experts:list")).content.decode()
    second = officer_client.get(reverse("experts:list"), {"page": 2}).content.decode()
    assert 'data-testid="pagination"' in first and "青岛甲" in first and "南京丙" in second
    assert "青岛甲" not in second


def test_the_export_holds_what_the_list_shows(officer_client, pool):
    response = officer_client.get(reverse("experts:export"), {"province": "370000", "active": "1"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert names == {"青岛甲"}
