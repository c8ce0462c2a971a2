"""The officer decides a site inspection (date, members: panel experts and/or named officials, findings,
files); the panel's current members read it (after signing); anyone else gets a 404."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.review.inspections import (
    site_inspection_create,
    site_inspection_file_upload,
    site_inspection_findings,
)
from icdc.review.models import SiteInspection
from tests.applications.appform_factories import pdf_file
from tests.review.defence.conftest import sign

pytestmark = pytest.mark.django_db
DAY = datetime.date(2027, 3, 10)


def _create(world, **kwargs):
    kwargs.setdefault("experts", world["members"][:2])
    kwargs.setdefault("officials", "王处长\n 李科长 \n")
    return site_inspection_create(panel=world["panel"], application=world["applications"][0], date=DAY,
                                  user=world["officer"], **kwargs)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def test_an_inspection_is_decided_with_its_members_and_audited(world):
    inspection = _create(world, findings="基础设施完备")
    assert (inspection.panel, inspection.application, inspection.date) == (world["panel"], world["applications"][0], DAY)
    assert set(inspection.experts.all()) == set(world["members"][:2])
    assert inspection.official_names == ["王处长", "李科长"] and inspection.findings == "基础设施完备"
    record = AuditRecord.objects.get(action="review.inspection.create")
    assert record.after["experts"] == sorted(e.pk for e in world["members"][:2])
    assert record.after["officials"] == ["王处长", "李科长"] and record.after["date"] == "2027-03-10"


def test_members_must_be_on_the_panel_and_someone_must_go(world):
    with pytest.raises(Refusal, match="当前专家"):
        _create(world, experts=[world["declared"]])
    with pytest.raises(Refusal, match="考察专家或填写其他考察人员"):
        _create(world, experts=[], officials="")
    only_officials = _create(world, experts=[])
    assert list(only_officials.experts.all()) == [] and SiteInspection.objects.count() == 1


def test_the_findings_are_completed_after_the_visit(world):
    inspection = _create(world)
    site_inspection_findings(inspection=inspection, findings="现场核实数据一致", user=world["officer"])
    inspection.refresh_from_db()
    assert inspection.findings == "现场核实数据一致"
    assert AuditRecord.objects.get(action="review.inspection.update").after == {"findings": "现场核实数据一致"}
    with pytest.raises(PermissionDenied):
        site_inspection_findings(inspection=inspection, findings="改", user=world["members"][0].account)


def test_a_file_is_stored_checked_and_downloaded_by_a_signed_member_audited(world, media, client):
    inspection = _create(world)
    stored = site_inspection_file_upload(inspection=inspection, uploaded_file=pdf_file("考察纪要.pdf"),
                                         user=world["officer"])
    assert stored.display_name == "考察纪要.pdf" and len(stored.sha256) == 64
    assert AuditRecord.objects.get(action="review.inspection.file_upload").after["sha256"] == stored.sha256
    member = world["members"][0]
    sign(member, world["batch"])
    client.force_login(member.account)
    response = client.get(f"/review/defence/inspections/files/{stored.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert AuditRecord.objects.get(action="review.inspection.file_download").after["file"] == stored.pk


def test_a_program_named_pdf_is_refused_and_nothing_kept(world, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    inspection = _create(world)
    with pytest.raises(Refusal):
        site_inspection_file_upload(inspection=inspection, uploaded_file=SimpleUploadedFile("纪要.pdf", b"MZ\x90\x00" * 50),
                                    user=world["officer"])
    assert inspection.files.count() == 0
    assert list(media.rglob("*.pdf")) == []


def test_the_page_is_read_only_for_a_member_and_hidden_from_others(world, client):
    inspection = _create(world, findings="考察意见正文")
    url = f"/review/defence/inspections/{inspection.pk}/"
    member, outsider = world["members"][0], world["declared"]
    sign(member, world["batch"])
    sign(outsider, world["batch"])
    client.force_login(member.account)
    page = client.get(url).content.decode()
    assert "考察意见正文" in page and "保存考察意见" not in page and "上传" not in page
    client.force_login(outsider.account)
    assert client.get(url).status_code == 404
    client.force_login(world["officer"])
    assert "保存考察意见" in client.get(url).content.decode()
