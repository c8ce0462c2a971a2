"""The statistics pages: list with filters, upload with the report rendered as a table."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icdc.indicators.models import StatisticFigure

from .helpers import csv_bytes, xlsx_bytes
from .test_import_statistics import BAD_ROWS, GOOD_ROWS


def _post(client, version, name, content):
    return client.post(reverse("indicators:statistics_import"),
                       {"file": SimpleUploadedFile(name, content), "version": version.pk})


def test_officer_imports_a_good_file(officer_client, draft_version, cities):
    page = officer_client.get(reverse("indicators:statistics_import"))
    assert "draft-2019" in page.content.decode()
    response = _post(officer_client, draft_version, "good.xlsx", xlsx_bytes(GOOD_ROWS))
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="report-ok"' in body
    assert "新增 4 条，更新 0 条，未变 0 条" in body
    assert StatisticFigure.objects.count() == 4


def test_a_bad_file_shows_every_bad_row_in_a_table(officer_client, draft_version, cities):
    response = _post(officer_client, draft_version, "bad.csv", csv_bytes(BAD_ROWS))
    body = response.content.decode()
    assert response.status_code == 422
    assert "发现 16 处错误，未导入任何数据" in body
    assert body.count("<tr><td>") == 16
    assert "<tr><td>4</td><td>城市名称</td><td>城市名称“青岛市”与代码 370100（济南市）不符</td></tr>" in body
    assert StatisticFigure.objects.count() == 0


def test_wrong_file_type_is_refused_by_the_form(officer_client, draft_version):
    response = _post(officer_client, draft_version, "x.pdf", b"%PDF")
    assert response.context["form"].errors == {"file": ["只接受 .xlsx 或 .csv 文件"]}


def test_list_filters_by_year_and_city(officer_client, draft_version, cities, officer):
    _post(officer_client, draft_version, "good.xlsx", xlsx_bytes(GOOD_ROWS))
    body = officer_client.get(reverse("indicators:statistics_list"), {"year": 2022}).content.decode()
    assert "6234.5" in body and "1523.5" not in body and "济南市统计年鉴 2023" in body
    body = officer_client.get(reverse("indicators:statistics_list"), {"q": "330200"}).content.decode()
    assert "宁波市" in body and "济南市" not in body
    assert "format=csv&amp;city=330200" in body
