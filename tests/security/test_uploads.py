"""入侵防范 for the two upload pages: hostile or broken files are refused with a Chinese
message listing the problem (statistics: 422 with the report; YAML: the form with its
problems), nothing is stored, and nothing answers 5xx."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icdc.accounts.models import Role
from tests.security import payloads
from tests.security.conftest import Recorder

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def officer_recorder(world, quiet_request_log):
    return Recorder(world, Role.MINISTRY_OFFICER)


def _refusal(response):
    """The Chinese reasons a page gives for refusing an upload (form errors or the file's problems)."""
    context = response.context
    reasons = [str(e) for errors in context["form"].errors.values() for e in errors]
    if context.get("report") is not None:
        reasons += [e.reason for e in context["report"].errors]
    reasons += [str(p) for p in context.get("problems") or []]
    return reasons


def test_hostile_statistics_files_are_refused_in_chinese(world, officer_recorder):
    from icdc.indicators.models import StatisticFigure

    url = reverse("indicators:statistics_import")
    before = StatisticFigure.objects.count()
    for n, (name, content) in enumerate(payloads.statistics_files()):
        for version in (world.locked.pk, "x", "9" * 30):
            response = officer_recorder.request(
                "post", url, {"file": SimpleUploadedFile(name, content), "version": version}, htmx=n % 2 == 1)
            if response.status_code >= 500:
                continue  # collected with its traceback
            good_version = version == world.locked.pk
            accepted = name == "gbk.csv" and good_version  # a good file, saved by Excel in GBK
            read = good_version and name in payloads.PARSED_STATISTICS and not accepted
            assert response.status_code == (422 if read else 200), (name, version)
            reasons = _refusal(response)
            assert bool(reasons) is not accepted, (name, version, reasons)
            assert all(HAN.search(reason) for reason in reasons), reasons
    assert officer_recorder.failures == [], officer_recorder.report()
    assert StatisticFigure.objects.count() == before + 1
    assert StatisticFigure.objects.get(city_id="370100", indicator_code="D1.1", year=2022).value == Decimal("12.5")


def test_hostile_yaml_files_are_refused_in_chinese(world, officer_recorder):
    from icdc.indicators.models import IndicatorSetVersion

    url = reverse("indicators:version_upload")
    before = set(IndicatorSetVersion.objects.values_list("pk", flat=True))
    for n, (name, content) in enumerate(payloads.yaml_files()):
        for label in ("", "' OR 1=1--"):
            response = officer_recorder.request(
                "post", url, {"file": SimpleUploadedFile(name, content), "label": label}, htmx=n % 2 == 1)
            if response.status_code >= 500:
                continue  # collected with its traceback
            assert response.status_code == 200, (name, label)
            reasons = _refusal(response)
            assert reasons and all(HAN.search(reason) for reason in reasons), (name, label, reasons)
    assert officer_recorder.failures == [], officer_recorder.report()
    assert set(IndicatorSetVersion.objects.values_list("pk", flat=True)) == before


def test_a_file_where_text_is_expected_and_text_where_a_file_is_expected(world, quiet_request_log):
    recorder = Recorder(world, Role.MINISTRY_OFFICER)
    for url in (reverse("indicators:statistics_import"), reverse("indicators:version_upload")):
        recorder.request("post", url, {"file": "not a file", "version": world.draft.pk, "label": "x"})
        recorder.request("post", url, {"version": SimpleUploadedFile("v.csv", b"1"),
                                       "label": SimpleUploadedFile("l.yaml", b"x")})
        recorder.request("post", url, {"file": [SimpleUploadedFile("a.csv", b"a"), SimpleUploadedFile("b.csv", b"b")]})
    assert recorder.failures == [], recorder.report()


def test_deep_nesting_in_a_valid_document(world, officer_recorder):
    """Nesting PyYAML can still compose is stored, shown, exported and copied; deeper is refused."""
    from tests.conftest import DRAFT_INDICATORS

    text = DRAFT_INDICATORS.read_bytes().replace(b"version: draft-2019", b"version: deep-LEVELS")
    for depth in (250, 2000):
        document = text.replace(b"LEVELS", str(depth).encode()) + b"\nnotes: " + b"[" * depth + b"]" * depth + b"\n"
        response = officer_recorder.request("post", reverse("indicators:version_upload"),
                                            {"file": SimpleUploadedFile("deep.yaml", document)})
        if depth == 2000:
            assert response.status_code == 200 and "YAML 嵌套层数过多" in _refusal(response)
            continue
        assert response.status_code == 302
        pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
        for url in (reverse("indicators:version_detail", args=[pk]), reverse("indicators:version_yaml", args=[pk])):
            assert officer_recorder.request("get", url).status_code == 200
        officer_recorder.request("post", reverse("indicators:version_new", args=[pk]), {"label": "deep-copy"})
        officer_recorder.request("post", reverse("indicators:version_publish", args=[pk]))
    assert officer_recorder.failures == [], officer_recorder.report()
