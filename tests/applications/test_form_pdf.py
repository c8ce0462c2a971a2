"""The frozen 申报表 prints as a PDF the city stamps (WeasyPrint, CJK fonts embedded): its Chinese text
is there (``pdftotext``) and its fonts are embedded (``pdffonts``)."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from icdc.applications import services
from icdc.audit.models import AuditRecord
from tests.applications import appform_factories as f

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"),
                                 reason="needs poppler-utils (pdftotext, pdffonts)")]


@pytest.fixture
def submitted(draft_version):
    user = f.city_user()
    application = f.fill(f.started(user, f.batch(indicator_version=draft_version)), user)
    services.application_submit(application=application, user=user)
    application.refresh_from_db()
    return application, user


def _tool(name, pdf, tmp_path):
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    args = [name, str(path), "-"] if name == "pdftotext" else [name, str(path)]
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def test_the_frozen_form_prints_with_chinese_text_and_embedded_cjk_fonts(client, submitted, tmp_path):
    application, user = submitted
    client.force_login(user)
    response = client.get(reverse("applications:revision_pdf", args=[application.pk, 1]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = _tool("pdftotext", pdf, tmp_path)
    squeezed = "".join(text.split())
    for expected in ("济南市", "牵头单位", "工作概述的说明", "基本条件COMP-1", application.revisions.get().sha256[:16]):
        assert expected in squeezed, expected
    fonts = _tool("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb column
    assert any("CID" in line or "Identity" in line for line in fonts), fonts
    assert AuditRecord.objects.filter(action="applications.form.print").exists()


def test_the_draft_prints_for_stamping_before_submission(client, draft_version, tmp_path):
    user = f.city_user()
    application = f.started(user, f.batch(indicator_version=draft_version))
    f.save(application, user, "summary", {"text": "草稿中的工作概述"})
    client.force_login(user)
    pdf = client.get(reverse("applications:draft_pdf", args=[application.pk])).content
    squeezed = "".join(_tool("pdftotext", pdf, tmp_path).split())
    assert "草稿中的工作概述" in squeezed and "草稿（未提交）" in squeezed
