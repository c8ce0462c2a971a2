"""Saving the form section by section (nothing lost while typing): the explicit button without
JavaScript, htmx autosave, and two people editing one draft — the second save refused, nothing
overwritten, their text kept, the message naming who saved in between."""

import pytest
from django.test import Client
from django.urls import reverse

from icdc.applications import form as form_definition
from icdc.applications import services
from icdc.applications.models import ApplicationSection
from icdc.audit.models import AuditRecord
from icdc.lib import sm4
from icdc.lib.refusals import Refusal
from tests.applications import appform_factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    user = f.city_user(username="jinan-a")
    return f.started(user, f.batch()), user


def _url(application, key):
    return reverse("applications:section_save", args=[application.pk, key])


def _post(client, application, key, values, version, **extra):
    data = {f"{key}-expected_version": version, **{f"{key}-{name}": value for name, value in values.items()}}
    return client.post(_url(application, key), data, **extra)


def test_the_save_button_works_without_javascript(client, draft):
    application, user = draft
    client.force_login(user)
    response = _post(client, application, "summary", {"f0": "本市信息消费工作概述"}, 0)
    assert response.status_code == 302 and response.url.endswith("#summary")
    row = ApplicationSection.objects.get(application=application, key="summary")
    assert (row.data, row.version, row.updated_by) == ({"text": "本市信息消费工作概述"}, 1, user)
    assert AuditRecord.objects.filter(action="applications.section.save").count() == 1


def test_htmx_autosave_answers_a_status_the_new_version_and_the_checklist(client, draft):
    application, user = draft
    client.force_login(user)
    response = _post(client, application, "lead", {"f0": "济南市工业和信息化局"}, 0, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="saved"' in page and 'value="1" hx-swap-oob="true"' in page
    assert 'id="checklist"' in page and "hx-swap-oob" in page
    assert ApplicationSection.objects.get(application=application, key="lead").data["name"] == "济南市工业和信息化局"


def test_the_second_of_two_editors_is_refused_and_keeps_their_text(draft):
    application, first_user = draft
    second_user = f.city_user(username="jinan-b")
    first, second = Client(), Client()
    first.force_login(first_user)
    second.force_login(second_user)
    both_started_at = 0
    assert _post(first, application, "summary", {"f0": "甲的内容"}, both_started_at).status_code == 302
    response = _post(second, application, "summary", {"f0": "乙的内容"}, both_started_at)
    page = response.content.decode()
    assert response.status_code == 409
    assert "已被 济南市经办人 于" in page and "您的内容未保存" in page
    assert "乙的内容" in page  # their text stays in the form
    assert "甲的内容" in page  # and the other version is shown beside it
    row = ApplicationSection.objects.get(application=application, key="summary")
    assert (row.data, row.version, row.updated_by) == ({"text": "甲的内容"}, 1, first_user)
    # the form now names the stored version: saving again, after checking, replaces it deliberately
    assert 'name="summary-expected_version" value="1"' in page
    assert _post(second, application, "summary", {"f0": "乙的内容"}, 1).status_code == 302
    assert ApplicationSection.objects.get(pk=row.pk).data == {"text": "乙的内容"}


def test_a_conflict_during_autosave_swaps_in_the_section_with_the_message(draft):
    application, first_user = draft
    second = Client()
    second.force_login(f.city_user(username="jinan-b"))
    f.save(application, first_user, "summary", {"text": "甲的内容"})
    response = _post(second, application, "summary", {"f0": "乙的内容"}, 0, HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#section-summary" and response["HX-Reswap"] == "outerHTML"
    page = response.content.decode()
    assert 'data-testid="conflict"' in page and "乙的内容" in page and "甲的内容" in page
    assert 'hx-trigger="submit"' in page  # no autosave until the user decides


def test_the_service_refuses_a_stale_version_naming_who_and_when(draft):
    application, user = draft
    f.save(application, user, "summary", {"text": "第一次"})
    with pytest.raises(Refusal) as refused:
        services.section_save(application=application, key="summary", data={"text": "过期"}, expected_version=0,
                              user=f.city_user(username="other"))
    assert refused.value.code == "edit_conflict" and "济南市经办人" in str(refused.value)


def test_malformed_mobile_and_email_are_refused_and_nothing_is_saved(client, draft):
    application, user = draft
    client.force_login(user)
    response = _post(client, application, "contact", {"f0": "张三", "f2": "12345", "f3": "not-an-email"}, 0)
    page = response.content.decode()
    assert response.status_code == 400
    assert "请输入11位手机号码" in page and "请输入有效的电子邮箱地址" in page
    assert not ApplicationSection.objects.filter(application=application, key="contact").exists()


def test_the_mobile_number_is_stored_encrypted(client, draft):
    application, user = draft
    client.force_login(user)
    _post(client, application, "contact", {"f0": "张三", "f2": "13912345678", "f3": "zs@jinan.gov.cn"}, 0)
    stored = ApplicationSection.objects.get(application=application, key="contact").data["mobile"]
    assert sm4.is_token(stored) and "13912345678" not in stored
    assert sm4.decrypt(stored, context=form_definition.MOBILE_CONTEXT) == "13912345678"
    # saved again unchanged: the same token (an unchanged number is no difference between revisions)
    _post(client, application, "contact", {"f0": "张三", "f2": "13912345678", "f3": "zs@jinan.gov.cn"}, 1)
    assert ApplicationSection.objects.get(application=application, key="contact").data["mobile"] == stored
    # the owner's own form shows the number in full
    assert "13912345678" in client.get(reverse("applications:detail", args=[application.pk])).content.decode()


def test_a_figure_from_another_source_needs_a_note(client, draft, draft_version):
    application, user = draft
    application.batch.indicator_version = draft_version
    application.batch.save()
    f.choose_type(application, user, "COMP")
    section = form_definition.definition(application).section(form_definition.FIGURES)
    assert section is not None
    client.force_login(user)
    response = _post(client, application, "figures", {"f0": "100", "f1": "亿元", "f2": "2024", "f3": "other"}, 0)
    assert "数据来源为“其他”时，请注明来源" in response.content.decode()
    response = _post(client, application, "figures", {"f0": "100", "f1": "亿元", "f2": "2024", "f3": "other",
                                                      "f4": "市统计局年鉴"}, 0)
    code = section.fields[0].path[0]
    assert ApplicationSection.objects.get(application=application, key="figures").data[code] == {
        "value": "100", "unit": "亿元", "year": 2024, "source": "other", "note": "市统计局年鉴"}


def test_a_submitted_application_takes_no_more_saves(client, draft):
    application, user = draft
    application.status = "submitted"
    application.save()
    client.force_login(user)
    assert _post(client, application, "summary", {"f0": "迟到的修改"}, 0).status_code == 403
    assert not ApplicationSection.objects.filter(application=application).exists()


def test_a_key_not_in_the_form_is_a_404(client, draft):
    application, user = draft
    client.force_login(user)
    assert _post(client, application, "nosuchsection", {"f0": "x"}, 0).status_code == 404
