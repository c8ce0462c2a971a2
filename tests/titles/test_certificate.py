"""The title certificate (称号证书): one PDF page from the record, Chinese text readable, fonts
embedded; published once per title (SM3 recorded), audited, found by the verification page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.documents.models import PublishedDocument
from icdc.documents.services import subject_of
from icdc.titles.certificate import render_certificate_pdf
from icdc.titles.models import Title
from icdc.titles.services import issue_certificate
from tests.documents.pdf_checks import pdffonts, pdftotext


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def kunming_2021(loaded):
    return Title.objects.select_related("city").get(city_id="530100", batch_year=2021)


def _flat(text):
    return "".join(text.split())


def test_the_pdf_shows_the_chinese_text_with_its_fonts_embedded(kunming_2021):
    data = render_certificate_pdf(kunming_2021)
    text = _flat(pdftotext(data))
    for expected in ("信息消费示范城市称号证书", "兹授予", "昆明市", "信息消费示范城市（综合型）", "2021年度批次",
                     "2022年1月25日公告", "中华人民共和国工业和信息化部", f"ICDC-2021-530100-{kunming_2021.pk:05d}"):
        assert expected in text, expected
    fonts = pdffonts(data)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    assert any("CJK" in f["name"] or "Zen" in f["name"] or "Song" in f["name"] for f in fonts)
    assert pdftotext(data).count("\f") == 1  # one page


def test_a_specialised_title_names_its_domain(loaded):
    title = Title.objects.filter(kind="specialised").exclude(domain_label="").select_related("city").first()
    text = _flat(pdftotext(render_certificate_pdf(title)))
    assert "信息消费示范城市（特色型）" in text and f"特色领域：{title.domain_label}" in text


def test_issuing_publishes_once_and_is_audited(kunming_2021, officer, media):
    first = issue_certificate(title=kunming_2021, user=officer)
    again = issue_certificate(title=kunming_2021, user=officer)
    assert again.pk == first.pk
    rows = PublishedDocument.objects.filter(kind="certificate", subject=subject_of(kunming_2021))
    assert rows.count() == 1
    assert first.format == "pdf" and first.title == "昆明市2021年度信息消费示范城市（综合型）称号证书"
    assert first.published_by == officer and len(first.sm3) == 64
    assert AuditRecord.objects.filter(action="titles.certificate.issue", object_id=str(kunming_2021.pk)).count() == 1
    assert AuditRecord.objects.filter(action="documents.document.publish").count() == 1
    with first.file.open("rb") as handle:
        assert "昆明市" in pdftotext(handle.read())


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.EXPERT, Role.SYSTEM_ADMIN])
def test_only_a_ministry_officer_issues(kunming_2021, role_users, media, client, role):
    with pytest.raises(PermissionDenied):
        issue_certificate(title=kunming_2021, user=role_users[role])
    client.force_login(role_users[role])
    assert client.post(reverse("titles:certificate_issue", args=[kunming_2021.pk]), {"confirm": "yes"}).status_code == 403
    assert not PublishedDocument.objects.exists()


def test_the_officer_button_confirms_then_publishes_and_links_the_download(officer_client, kunming_2021, media):
    url = reverse("titles:certificate_issue", args=[kunming_2021.pk])
    page = officer_client.get(reverse("titles:list")).content.decode()
    assert url in page  # the button on the title list
    confirm = officer_client.get(url)
    assert confirm.status_code == 200 and "发布证书" in confirm.content.decode()
    assert not PublishedDocument.objects.exists()  # the GET changes nothing
    response = officer_client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    document = PublishedDocument.objects.get(kind="certificate")
    page = officer_client.get(reverse("titles:list")).content.decode()
    assert reverse("portal:document_download", args=[document.pk]) in page
    assert officer_client.get(url).status_code == 302  # already published: nothing to confirm


def test_the_public_city_page_links_the_certificate_and_its_bytes_verify(client, kunming_2021, officer, media):
    document = issue_certificate(title=kunming_2021, user=officer)
    page = client.get(reverse("portal:city", args=["530100"])).content.decode()
    download = reverse("portal:document_download", args=[document.pk])
    assert download in page and document.sm3 in page
    data = b"".join(client.get(download).streaming_content)
    with document.file.open("rb") as handle:
        assert data == handle.read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    found = client.post(reverse("portal:verify"), {"file": SimpleUploadedFile("证书.pdf", data, "application/pdf")})
    text = found.content.decode()
    assert 'data-testid="verify-found"' in text and document.title in text and document.number in text
    pasted = client.post(reverse("portal:verify"), {"digest": document.sm3.upper()})
    assert 'data-testid="verify-found"' in pasted.content.decode()
