"""A large upload is streamed end to end: Django writes it to a temporary file as it arrives and
``store_upload`` copies it to storage chunk by chunk, so memory stays far below the file's size.

The request body is read from a file on disk (as gunicorn hands it over from the socket), through
the bench's upload view, which stores exactly as an application's attachment is stored.
"""

import hashlib
import json
import tracemalloc

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.handlers.wsgi import WSGIRequest

from icdc.lib import bench_views, stored_uploads
from tests.lib import attachment_files

MB = 1024 * 1024
BOUNDARY = "----icdc-upload-boundary"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _request_from_disk(tmp_path, padding):
    """A multipart POST whose body is a file on disk; its PDF's SHA-256."""
    body = tmp_path / "body"
    digest = hashlib.sha256()
    with body.open("wb") as out:
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="大附件.pdf"\r\n'
                  f"Content-Type: application/pdf\r\n\r\n".encode())
        for chunk in attachment_files.pdf_chunks(padding):
            digest.update(chunk)
            out.write(chunk)
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/_bench/upload/", "SERVER_NAME": "testserver",
               "SERVER_PORT": "80", "wsgi.url_scheme": "http", "CONTENT_LENGTH": str(body.stat().st_size),
               "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "wsgi.input": body.open("rb")}
    return WSGIRequest(environ), digest.hexdigest()


def test_a_20_mb_upload_goes_through_a_temporary_file_in_bounded_memory(tmp_path, media, monkeypatch):
    seen = []
    real_store = stored_uploads.store_upload

    def spy(**kwargs):
        seen.append(type(kwargs["uploaded_file"]))
        return real_store(**kwargs)

    monkeypatch.setattr(bench_views, "store_upload", spy)
    request, sha256 = _request_from_disk(tmp_path, 20 * MB)
    tracemalloc.start()
    try:
        response = bench_views.upload(request)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        request.environ["wsgi.input"].close()
    assert response.status_code == 200, response.content.decode()
    assert seen == [TemporaryUploadedFile]
    [stored] = [p for p in media.rglob("*") if p.is_file()]
    assert stored.stat().st_size > 20 * MB and hashlib.sha256(stored.read_bytes()).hexdigest() == sha256
    assert peak < 4 * MB, f"peak {peak / MB:.1f} MB for a 20 MB upload"


def test_a_file_over_the_limit_is_dropped_while_it_arrives(tmp_path, media, settings):
    """Not even the temporary folder receives the whole file; the user is told why."""
    settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES = 3 * MB
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    request, _sha256 = _request_from_disk(tmp_path, 8 * MB)
    try:
        response = bench_views.upload(request)
    finally:
        request.environ["wsgi.input"].close()
    assert "file" not in request.FILES and request.oversized_uploads == ["大附件.pdf"]
    message = json.loads(response.content)["refused"]
    assert response.status_code == 400 and "大附件.pdf" in message and "过大" in message and "3.0 MB" in message
    assert list((tmp_path / "upload-tmp").iterdir()) == [] and not media.exists()


def test_a_file_within_the_limit_passes_the_handler(tmp_path, media, settings):
    settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES = 3 * MB
    request, sha256 = _request_from_disk(tmp_path, 3 * MB - 1024)
    try:
        response = bench_views.upload(request)
    finally:
        request.environ["wsgi.input"].close()
    assert response.status_code == 200 and json.loads(response.content)["sha256"] == sha256
