"""A NUL byte in an uploaded CSV cell or a YAML value: a clear Chinese message, nothing written
(PostgreSQL refuses NUL in text: without the check this was a DataError and a 500)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icdc.indicators.models import IndicatorSetVersion, StatisticFigure
from icdc.indicators.statistics_services import import_statistics
from tests.conftest import DRAFT_INDICATORS

from .helpers import csv_bytes


def test_a_nul_in_a_csv_cell_is_refused_and_nothing_is_written(draft_version, officer, cities):
    rows = [["370200", "青岛\x00市", 2023, "D1.1", 1, "亿元", "其他", "说明\x00"]]
    report = import_statistics(filename="nul.csv", content=csv_bytes(rows), version=draft_version, user=officer)
    assert not report.applied and "空字符" in report.errors[0].reason
    assert StatisticFigure.objects.count() == 0


def test_a_nul_escape_in_a_yaml_value_is_refused_on_the_upload_page(officer_client, draft_version):
    text = DRAFT_INDICATORS.read_text(encoding="utf-8").replace("version: draft-2019", 'version: "nul\\0label"')
    text = text.replace("信息消费规模", '"信息\\0消费规模"', 1)
    before = set(IndicatorSetVersion.objects.values_list("pk", flat=True))
    response = officer_client.post(reverse("indicators:version_upload"),
                                   {"file": SimpleUploadedFile("nul.yaml", text.encode())})
    assert response.status_code == 200
    assert any("空字符" in p for p in response.context["problems"])
    assert set(IndicatorSetVersion.objects.values_list("pk", flat=True)) == before


def test_a_nul_escape_in_a_label_only_is_refused_too(officer_client, draft_version):
    text = DRAFT_INDICATORS.read_text(encoding="utf-8").replace("信息消费规模", '"信息\\0消费规模"', 1)
    response = officer_client.post(reverse("indicators:version_upload"),
                                   {"file": SimpleUploadedFile("nul.yaml", text.encode()), "label": "new-one"})
    assert any("空字符" in p for p in response.context["problems"])
    assert not IndicatorSetVersion.objects.filter(label="new-one").exists()
