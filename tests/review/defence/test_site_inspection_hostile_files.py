"""A site-inspection file is hostile until checked: it goes through the one upload guard
(``store_upload``), and a renamed program, a zip bomb or an empty file is refused with a Chinese
message, leaving no file row, no audit record and nothing in storage — by the service and through
the officer's page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.review.inspections import site_inspection_create, site_inspection_file_upload
from icdc.review.models import SiteInspectionFile
from tests.lib import attachment_files

from .test_site_inspection import DAY

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")

HOSTILE = [  # name, content, the guard's refusal code, a word of its message
    ("考察纪要.pdf", b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00 a Windows program renamed", "kind_mismatch", "考察纪要.pdf"),
    ("考察照片.docx", attachment_files.zip_bomb_docx(40), "archive", "压缩炸弹"),
    ("考察纪要.pdf", b"", "empty", "为空"),
]
IDS = ["renamed-program", "zip-bomb", "empty"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def inspection(world):
    return site_inspection_create(panel=world["panel"], application=world["applications"][0], date=DAY,
                                  user=world["officer"], experts=world["members"][:2])


def _stored(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _nothing_kept(inspection, media):
    assert not SiteInspectionFile.objects.filter(inspection=inspection).exists()
    assert not AuditRecord.objects.filter(action="review.inspection.file_upload").exists()
    assert _stored(media) == []


@pytest.mark.parametrize(("name", "content", "code", "word"), HOSTILE, ids=IDS)
def test_a_hostile_file_is_refused_in_chinese_and_nothing_is_kept(world, inspection, media, name, content, code,
                                                                  word):
    with pytest.raises(Refusal) as refused:
        site_inspection_file_upload(inspection=inspection, uploaded_file=SimpleUploadedFile(name, content),
                                    user=world["officer"])
    assert refused.value.code == code and word in str(refused.value), str(refused.value)
    assert CHINESE.search(str(refused.value).replace(name, ""))
    _nothing_kept(inspection, media)


@pytest.mark.parametrize(("name", "content", "code", "word"), HOSTILE, ids=IDS)
def test_through_the_page_the_officer_reads_the_refusal_and_nothing_is_kept(client, world, inspection, media,
                                                                           name, content, code, word):
    client.force_login(world["officer"])
    response = client.post(reverse("defence:inspection_upload", args=[inspection.pk]),
                           {"file": SimpleUploadedFile(name, content)}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert response.status_code == 200 and len(shown) == 1 and word in shown[0], shown
    assert shown[0] in response.content.decode()
    _nothing_kept(inspection, media)


def test_a_real_file_beside_them_is_kept(world, inspection, media):
    """The guard refuses the hostile files, not every file: a real .docx is stored and audited."""
    row = site_inspection_file_upload(inspection=inspection, user=world["officer"],
                                      uploaded_file=SimpleUploadedFile("考察纪要.docx", attachment_files.docx_bytes()))
    assert row.kind == "docx" and len(_stored(media)) == 1
    assert AuditRecord.objects.get(action="review.inspection.file_upload").after["file"] == row.pk
