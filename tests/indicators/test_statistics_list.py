"""The statistics list: search by city name or province, indicator names beside codes, totals,
sorting by clickable headers (whitelisted), page numbers; its query count does not grow with rows."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from icdc.indicators.models import StatisticFigure

from .helpers import xlsx_bytes
from .test_import_statistics import GOOD_ROWS

URL = reverse("indicators:statistics_list")


def _import(officer_client, draft_version):
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer_client.post(reverse("indicators:statistics_import"),
                        {"file": SimpleUploadedFile("good.xlsx", xlsx_bytes(GOOD_ROWS)), "version": draft_version.pk})
    assert StatisticFigure.objects.count() == 4


def _cities(response):
    return [f.city.name for f in response.context["page"].object_list]


def test_search_by_city_name_short_name_or_province(officer_client, draft_version, cities):
    _import(officer_client, draft_version)
    response = officer_client.get(URL, {"q": "济南"})
    assert response.context["form"].errors == {} and _cities(response) == ["济南市"]
    assert sorted(_cities(officer_client.get(URL, {"q": "山东"}))) == ["济南市", "青岛市", "青岛市"]
    assert _cities(officer_client.get(URL, {"q": "浙江"})) == ["宁波市"]
    assert _cities(officer_client.get(URL, {"q": "330200"})) == ["宁波市"]
    assert sorted(_cities(officer_client.get(URL, {"q": "37"}))) == ["济南市", "青岛市", "青岛市"]  # a code prefix


def test_indicator_names_stand_beside_codes_and_totals_are_shown(officer_client, draft_version, cities):
    _import(officer_client, draft_version)
    body = officer_client.get(URL).content.decode()
    assert re.search(r"D1\.1</span> <span class=\"small text-muted\">信息消费规模</span>", body)
    assert "共 4 条数据，涉及 3 个城市、4 个指标、2 个年度" in body
    body = officer_client.get(URL, {"q": "青岛"}).content.decode()
    assert "共 2 条数据，涉及 1 个城市、2 个指标、1 个年度" in body


def test_headers_sort_both_ways_and_only_by_whitelisted_keys(officer_client, draft_version, cities):
    _import(officer_client, draft_version)

    def values(**params):
        return [f.value for f in officer_client.get(URL, params).context["page"].object_list]

    assert values(sort="value") == sorted(values())
    assert values(sort="-value") == sorted(values(), reverse=True)
    body = officer_client.get(URL, {"sort": "value", "q": "山东"}).content.decode()
    assert 'aria-sort="ascending"' in body and 'href="?q=%E5%B1%B1%E4%B8%9C&amp;sort=-value"' in body
    response = officer_client.get(URL, {"sort": "password"})
    assert response.context["form"].errors["sort"] and response.context["page"].paginator.count == 0
    assert "排序参数无效" in response.content.decode()


def _many_figures(n, cities, officer, start=0):
    now = timezone.now()
    codes = ["370200", "370100", "330200"]
    StatisticFigure.objects.bulk_create(
        StatisticFigure(city_id=codes[i % 3], year=1900 + i // 60, indicator_code=f"D1.{i % 60}", value=i, unit="个",
                        source="nbs", entered_by=officer, entered_at=now) for i in range(start, start + n))


def test_page_numbers_are_offered(officer_client, officer, draft_version, cities):
    _many_figures(450, cities, officer)
    body = officer_client.get(URL, {"page": 3}).content.decode()
    assert '<li class="page-item active" aria-current="page"><span class="page-link">3</span></li>' in body
    for number in (1, 2, 4, 5):
        assert f'page={number}" aria-label="第 {number} 页"' in body


def test_the_query_count_does_not_grow_with_rows(officer_client, officer, draft_version, cities,
                                                 django_assert_max_num_queries):
    _many_figures(5, cities, officer)
    with CaptureQueriesContext(connection) as few:
        officer_client.get(URL, {"sort": "-value"})
    _many_figures(300, cities, officer, start=5)
    with django_assert_max_num_queries(len(few)) as many:
        response = officer_client.get(URL, {"sort": "-value", "q": "山东"})
    assert len(response.context["page"].object_list) == 100
    assert len(many) == len(few)
