"""The import error table in English (issue 11, item 11): the columns are named as in the
file (a file format, Chinese) with their meaning beside them, and the table's own headings
are English."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icdc.indicators.models import StatisticFigure

from .helpers import csv_bytes
from .test_import_statistics import BAD_ROWS


def _post(client, version, name, content):
    return client.post(reverse("indicators:statistics_import"),
                       {"file": SimpleUploadedFile(name, content), "version": version.pk})


def test_english_report_explains_each_file_column(officer_client, draft_version, cities):
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = _post(officer_client, draft_version, "bad.csv", csv_bytes(BAD_ROWS)).content.decode()
    assert "<th scope=\"col\">Row</th><th scope=\"col\">Column</th><th scope=\"col\">Reason</th>" in body
    assert "<td>城市名称 (City name)</td>" in body
    assert "<td>城市名称</td>" not in body
    assert StatisticFigure.objects.count() == 0


def test_chinese_report_names_the_column_once(officer_client, draft_version, cities):
    body = _post(officer_client, draft_version, "bad.csv", csv_bytes(BAD_ROWS)).content.decode()
    assert "<td>城市名称</td>" in body and "City name" not in body
