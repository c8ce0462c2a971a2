"""The recommendation letter (初审推荐文件): generated as PDF with its Chinese text and the CJK font
embedded, as .docx that LibreOffice converts, or uploaded signed (checked by content)."""

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icdc.applications.models import RecommendationDocument
from icdc.audit.models import AuditRecord
from tests.applications.factories_review import letter, official, submitted

pytestmark = pytest.mark.django_db
needs = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="needs poppler-utils")


@needs
def test_the_generated_pdf_carries_its_chinese_text_with_the_cjk_font_embedded(client, tmp_path):
    app = submitted()
    user = official()
    client.force_login(user)
    client.post(reverse("preliminary:letter_generate", args=[app.pk]), {"comments": "工作基础扎实"})
    document = RecommendationDocument.objects.get(application=app)
    assert (document.source, document.revision_number) == ("generated", 1)
    answer = client.get(reverse("preliminary:document_download", args=[document.pk]))
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(answer.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    assert "关于推荐济南市申报信息消费示范城市的函" in compact and "工作基础扎实" in compact and "山东省" in compact
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts  # the "emb" column
    assert AuditRecord.objects.filter(action="applications.recommendation_document.download").count() == 1


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_the_docx_draft_converts_with_libreoffice(client, tmp_path):
    app = submitted()
    client.force_login(official())
    answer = client.get(reverse("preliminary:letter_draft", args=[app.pk]), {"comments": "同意推荐"})
    assert "filename*=UTF-8''" in answer["Content-Disposition"]
    source = tmp_path / "letter.docx"
    source.write_bytes(answer.content)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, check=True, timeout=120)
    converted = tmp_path / "letter.pdf"
    assert converted.exists() and converted.stat().st_size > 1000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(converted), "-"], capture_output=True, text=True).stdout
        assert "济南市" in "".join(text.split())


def test_an_uploaded_signed_letter_is_kept_for_the_current_revision(client):
    app = submitted()
    client.force_login(official())
    pdf = letter(app, official()).storage_name  # a real PDF to upload back
    from django.core.files.storage import default_storage

    content = default_storage.open(pdf).read()
    client.post(reverse("preliminary:letter_upload", args=[app.pk]),
                {"document": SimpleUploadedFile("盖章推荐函.pdf", content, content_type="application/pdf")})
    uploaded = RecommendationDocument.objects.get(source="uploaded")
    assert (uploaded.display_name, uploaded.revision_number, uploaded.size) == ("盖章推荐函.pdf", 1, len(content))


def test_a_file_renamed_to_pdf_is_refused(client):
    app = submitted()
    client.force_login(official())
    answer = client.post(reverse("preliminary:letter_upload", args=[app.pk]),
                         {"document": SimpleUploadedFile("推荐函.pdf", b"MZ\x90\x00 not a pdf at all")}, follow=True)
    assert "不符" in answer.content.decode()
    assert not RecommendationDocument.objects.exists()


def test_a_letter_over_the_limit_is_named_not_taken_for_no_file(client, settings):
    settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES = 2048
    app = submitted()
    client.force_login(official())
    answer = client.post(reverse("preliminary:letter_upload", args=[app.pk]),
                         {"document": SimpleUploadedFile("盖章推荐函.pdf", b"%PDF-1.4\n" + b"%" * 5000)}, follow=True)
    body = answer.content.decode()
    assert "文件“盖章推荐函.pdf”过大" in body and "请选择要上传的 PDF 文件" not in body
    assert not RecommendationDocument.objects.exists()


def test_no_letter_once_the_application_has_left_the_province(client):
    app = submitted(status="recommended")
    client.force_login(official())
    answer = client.post(reverse("preliminary:letter_generate", args=[app.pk]), follow=True)
    assert "不能准备推荐文件" in answer.content.decode()
    assert not RecommendationDocument.objects.exists()
