"""An objector's evidence is hostile until checked: it goes through the one upload guard, and a
refused file leaves no objection, no audit record and no stored file."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from tests.lib import attachment_files

from .helpers import file


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (64 * 1024 * 1024))
    return buffer.getvalue()


def _files(media):
    return {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()


@pytest.mark.parametrize(("name", "content"), [
    ("证据.pdf", b"MZ\x90\x00 this is a Windows program renamed"),
    ("证据.zip", _zip_bomb()),
    ("证据.docx", attachment_files.zip_bomb_docx(40)),  # an allowed kind: refused as a bomb, not by its suffix
    ("证据.pdf", b""),
], ids=["renamed-program", "zip-bomb", "zip-bomb-docx", "empty"])
def test_a_hostile_evidence_file_is_refused_and_nothing_is_kept(in_notice, media, name, content):
    before = _files(media)  # the notice's own published documents
    with pytest.raises(Refusal):
        file(in_notice, files=[SimpleUploadedFile(name, content)])
    assert not in_notice.objections.exists()
    assert not AuditRecord.objects.filter(action="decisions.objection.file").exists()
    assert _files(media) == before
