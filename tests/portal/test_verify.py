"""The public verification page (文书核验): a file or a pasted SM3 digest answers whether it is a
document the Ministry published, which one and when; a changed byte is not; bad input gets a clear
Chinese message; hostile files are refused by the upload guard; nothing uploaded is kept."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from icdc.documents.digest import document_digest
from tests.portal.conftest import PDF_BYTES

URL = reverse("portal:verify")


def _post(client, **data):
    return client.post(URL, data).content.decode()


def _found(text):
    return 'data-testid="verify-found"' in text


def _not_found(text):
    return 'data-testid="verify-not-found"' in text


def _error(text):
    match = re.search(r'data-testid="verify-error">(.*?)</div>', text, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_page_is_public_and_keeps_its_csrf_token(client, db):
    response = client.get(URL)
    text = response.content.decode()
    assert response.status_code == 200 and "csrfmiddlewaretoken" in text and 'enctype="multipart/form-data"' in text
    assert '<label class="form-label" for="id_file">' in text and '<label class="form-label" for="id_digest">' in text


def test_a_post_without_the_token_is_refused(published):
    response = Client(enforce_csrf_checks=True).post(URL, {"digest": published.sm3})
    assert response.status_code == 403


def test_the_published_file_is_found_with_what_and_when(client, published, media):
    before = _files(media)
    text = _post(client, file=SimpleUploadedFile("下载的公告.pdf", PDF_BYTES, "application/pdf"))
    assert _found(text)
    assert published.title in text and "工信部公告〔2026〕1号" in text and "公告" in text and "PDF" in text
    assert published.published_at.astimezone().strftime("%Y-%m-%d") in text and published.sm3 in text
    assert _files(media) == before  # hashed while streaming, never stored


def test_a_pasted_digest_is_found_in_any_case_and_spacing(client, published):
    digest = published.sm3
    spaced = " ".join(digest[i:i + 8] for i in range(0, 64, 8)).upper()
    for pasted in (digest, spaced, f"SM3:{digest}", digest[:32] + "\n" + digest[32:]):
        assert _found(_post(client, digest=pasted)), pasted


def test_one_changed_byte_is_not_found(client, published):
    changed = bytearray(PDF_BYTES)
    changed[20] ^= 0x01
    text = _post(client, file=SimpleUploadedFile("公告.pdf", bytes(changed), "application/pdf"))
    assert _not_found(text) and not _found(text)
    assert document_digest(bytes(changed)) in text and "未找到" in text


def test_an_unknown_digest_is_not_found(client, published):
    assert _not_found(_post(client, digest="ab" * 32))


@pytest.mark.parametrize(("pasted", "length"), [("abc", 3), ("g" * 64, 64), ("a" * 63, 63), ("a" * 65, 65),
                                                 ("<script>alert(1)</script>", 25)])
def test_a_malformed_digest_gets_a_clear_message(client, published, pasted, length):
    text = _post(client, digest=pasted)
    assert not _found(text) and not _not_found(text)
    assert _error(text) == f"SM3 摘要应为 64 位十六进制数字（0–9、a–f），您输入的是 {length} 个字符，请核对后重新粘贴。"
    assert "<script>alert(1)</script>" not in text


def test_nothing_given_or_both_given(client, published):
    assert _error(_post(client)) == "请上传一个文件，或粘贴文件的 SM3 摘要。"
    both = _post(client, digest=published.sm3, file=SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf"))
    assert _error(both) == "请只提供一项：上传文件，或粘贴 SM3 摘要。"


def _zip_bomb_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                         '</Relationships>')
        archive.writestr("word/document.xml", b"\0" * (4 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("公告.pdf", b"MZ\x90\x00" + b"\x00" * 200, "实际是Windows 可执行程序"),
    ("公告.docx", _zip_bomb_docx(), "压缩比异常"),
    ("公告.docx", PDF_BYTES, "实际是PDF 文档"),
    ("公告.txt", b"hello", "只接受 .docx、.pdf 文件"),
    ("公告.exe", b"MZ\x90\x00", "只接受 .docx、.pdf 文件"),
    ("公告.pdf", b"", ""),
])
def test_a_hostile_upload_is_refused_by_the_guard(client, published, media, name, content, message):
    before = _files(media)
    text = _post(client, file=SimpleUploadedFile(name, content, "application/octet-stream"))
    assert not _found(text) and not _not_found(text)
    error = _error(text) or " ".join(re.findall(r'<div class="text-danger">(.*?)</div>', text))
    assert error and message in error
    assert _files(media) == before


def test_an_oversized_upload_is_refused(client, published, settings):
    settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES = 100
    text = _post(client, file=SimpleUploadedFile("公告.pdf", PDF_BYTES + b"\n" * 200, "application/pdf"))
    assert "过大" in _error(text) and not _found(text)


def test_a_published_docx_is_found_too(client, media, db):
    from docx import Document

    from icdc.documents.services import publish_document

    buffer = io.BytesIO()
    Document().save(buffer)
    data = buffer.getvalue()
    document = publish_document(kind="notice", fmt="docx", title="拟授予称号名单公示", content=data,
                                subject="decisions.publicnotice:1")
    text = _post(client, file=SimpleUploadedFile("公示.docx", data))
    assert _found(text) and "拟授予称号名单公示" in text and "Word (.docx)" in text and document.sm3 in text
