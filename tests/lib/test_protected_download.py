"""Stored files go back out only as attachments of a checked view: Chinese name (RFC 6266),
nosniff, never inline, never cached by a shared cache; MEDIA_ROOT has no public route."""

from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import get_resolver

from icdc.lib.stored_uploads import ATTACHMENT_KINDS, protected_file_response, store_upload
from tests.lib import attachment_files


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _request(user=None):
    request = RequestFactory().get("/applications/1/attachments/1/")
    request.user = user or SimpleNamespace(is_authenticated=True)
    return request


def _stored(name, kind):
    content = attachment_files.BUILDERS[kind]()
    return store_upload(uploaded_file=SimpleUploadedFile(name, content), kinds=ATTACHMENT_KINDS,
                        folder="applications/1"), content


@pytest.mark.parametrize(("kind", "content_type"), [
    ("pdf", "application/pdf"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("png", "image/png"),
])
def test_a_download_is_an_attachment_with_its_chinese_name(kind, content_type):
    stored, content = _stored(f"青岛市申报书（定稿）.{kind}", kind)
    response = protected_file_response(request=_request(), stored_name=stored.name,
                                       display_name=stored.display_name)
    try:
        assert response.streaming and b"".join(response.streaming_content) == content
    finally:
        response.file_to_stream.close()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(f'青岛市申报书（定稿）.{kind}', safe='')}" in disposition
    assert disposition.split(";")[1].strip().isascii()  # the fallback for clients without filename*
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert int(response["Content-Length"]) == len(content) == stored.size


def test_an_anonymous_request_is_refused_even_if_the_view_forgot():
    stored, _content = _stored("申报书.pdf", "pdf")
    with pytest.raises(PermissionDenied):
        protected_file_response(request=_request(AnonymousUser()), stored_name=stored.name, display_name="申报书.pdf")


def test_a_missing_file_is_a_404():
    with pytest.raises(Http404):
        protected_file_response(request=_request(), stored_name="applications/1/2026/01/01/" + "0" * 32 + ".pdf",
                                display_name="申报书.pdf")


def test_media_has_no_public_route(client, settings):
    stored, _content = _stored("申报书.pdf", "pdf")
    response = client.get(settings.MEDIA_URL + stored.name)
    assert response.status_code == 404 and b"%PDF" not in response.content
    prefix = settings.MEDIA_URL.strip("/")
    assert not any(str(p.pattern).lstrip("^").startswith(prefix) for p in get_resolver().url_patterns)


def test_media_root_is_outside_every_folder_served_as_static_files():
    import icdc.settings as configured  # the module's values, not the test's MEDIA_ROOT

    media = Path(configured.MEDIA_ROOT).resolve()
    for served in [configured.STATIC_ROOT, *configured.STATICFILES_DIRS]:
        served = Path(served).resolve()
        assert not media.is_relative_to(served) and not served.is_relative_to(media), served
