"""The public notice pages, without login: the lists, a notice with its cities and the objection
form (CAPTCHA drawn locally), a flood from one address throttled, the receipt page."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icdc.decisions.models import Objection
from icdc.decisions.services import new_receipt, proposal_transition

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_counts(monkeypatch):
    # django-simple-captcha reads its settings once (captcha.conf.settings): its test mode takes "PASSED".
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_notice(approved, checker):
    """Published now (the library knows the current year): open for objections."""
    return proposal_transition(proposal=approved, name="publish", user=checker)


def form_data(**extra):
    data = {"filer_kind": "person", "name": "李四", "unit_name": "", "contact": "lisi@example.cn", "city": "330200",
            "facts": "宁波市申报材料中的数据与年鉴不符。", "captcha_0": "x", "captcha_1": "PASSED"}
    data.update(extra)
    return data


def test_the_lists_of_notices_open_and_past(client, open_notice):
    response = client.get(reverse("public_notices:notice_list"))
    assert response.status_code == 200
    assert reverse("public_notices:notice_detail", args=[open_notice.pk]) in response.content.decode()


def test_a_notice_shows_its_list_documents_and_the_form_with_a_local_captcha(client, open_notice):
    page = client.get(reverse("public_notices:notice_detail", args=[open_notice.pk])).content.decode()
    assert "青岛市" in page and "宁波市" in page and "济南市" not in page
    assert 'data-testid="objection-form"' in page and "/captcha/image/" in page
    assert "公示文件" in page


def test_an_unpublished_proposal_is_not_public(client, proposal):
    assert client.get(reverse("public_notices:notice_detail", args=[proposal.pk])).status_code == 404


def test_an_objection_with_evidence_is_filed_and_the_receipt_shown(client, open_notice):
    evidence = SimpleUploadedFile("证据.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("public_notices:notice_detail", args=[open_notice.pk]),
                           {**form_data(), "evidence": [evidence]})
    assert response.status_code == 200
    objection = Objection.objects.get()
    assert objection.receipt in response.content.decode()
    assert objection.city_id == "330200" and objection.files.get().display_name == "证据.pdf"


def test_a_wrong_captcha_files_nothing(client, open_notice):
    response = client.post(reverse("public_notices:notice_detail", args=[open_notice.pk]),
                           form_data(captcha_1="WRONG"))
    assert response.status_code == 200 and not Objection.objects.exists()


def test_an_evidence_file_of_a_kind_intake_refuses_is_refused(client, open_notice):
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(reverse("public_notices:notice_detail", args=[open_notice.pk]),
                           {**form_data(), "evidence": [bad]})
    assert response.status_code == 200 and not Objection.objects.exists()
    assert "只接受" in response.content.decode()


def test_a_flood_from_one_address_is_throttled(client, open_notice, settings):
    settings.ICDC_OBJECTION_RATE = "3/h"
    url = reverse("public_notices:notice_detail", args=[open_notice.pk])
    codes = [client.post(url, form_data(), REMOTE_ADDR="203.0.113.9").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert Objection.objects.count() == 3
    # Another address is not held back.
    assert client.post(url, form_data(), REMOTE_ADDR="203.0.113.10").status_code == 200


def test_the_receipt_page_shows_the_state_and_a_forged_number_finds_nothing(client, open_notice, officer):
    from icdc.decisions.services import objection_transition

    client.post(reverse("public_notices:notice_detail", args=[open_notice.pk]), form_data())
    objection = Objection.objects.get()
    url = reverse("public_notices:receipt")
    page = client.post(url, {"receipt": objection.receipt}).content.decode()
    assert "已受理" in page and "宁波市" in page
    objection_transition(objection=objection, name="investigate", user=officer)
    objection_transition(objection=objection, name="dismiss", user=officer, note="经核查数据一致。")
    page = client.post(url, {"receipt": objection.receipt.lower()}).content.decode()
    assert "经核查数据一致。" in page
    forged = client.post(url, {"receipt": new_receipt()})
    mistyped = client.post(url, {"receipt": objection.receipt[:-1] + "Z"})
    for response in (forged, mistyped):
        body = response.content.decode()
        assert response.status_code == 200 and 'data-testid="not-found"' in body and "宁波市" not in body


def test_the_notice_documents_download_without_login(client, open_notice):
    from icdc.documents.models import PublishedDocument

    document = PublishedDocument.objects.get(kind="notice", format="pdf")
    response = client.get(reverse("public_notices:notice_document", args=[open_notice.pk, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    other = reverse("public_notices:notice_document", args=[open_notice.pk + 1000, document.pk])
    assert client.get(other).status_code == 404


def test_the_captcha_catalogue_does_not_reword_djangos_required_field_message(settings):
    """captcha's zh_Hans catalogue has "这个字段是必须的" for Django's own message; icdc.decisions'
    locale (listed before it, as icdc.portal's on h-portal) restores Django's wording."""
    from django import forms
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(forms.Field.default_error_messages["required"]) == "这个字段是必填项。"
        assert translation.gettext("Invalid CAPTCHA") == "验证码错误，请重新输入。"
    assert settings.INSTALLED_APPS.index("icdc.decisions") < settings.INSTALLED_APPS.index("captcha")
