"""The live checklist (art. 11) reads the programme: items appear and disappear as the draft fills."""

import pytest
from django.urls import reverse

from icdc.applications import attachments
from icdc.applications import form as form_definition
from icdc.applications.completeness import missing_items
from tests.applications import appform_factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(draft_version):
    user = f.city_user()
    return f.started(user, f.batch(indicator_version=draft_version)), user


def _texts(application):
    return [str(item) for item in missing_items(application)]


def test_a_new_draft_asks_for_the_type_first(draft):
    application, _user = draft
    assert _texts(application)[0] == "选择申报类型"


def test_the_chosen_type_brings_its_conditions_and_figures(draft):
    application, user = draft
    f.choose_type(application, user, "COMP")
    texts = _texts(application)
    assert "选择申报类型" not in texts
    comp = [t for t in texts if "基本条件 COMP-" in t]
    assert len([t for t in comp if t.startswith("填写")]) == 5  # art. 6: five conditions
    assert len([t for t in comp if t.startswith("为")]) == 5  # each with evidence
    assert any("定量指标数据" in t for t in texts)
    assert "上传“信息消费示范城市申报书”" in texts and "上传“信息消费示范城市申报表”" in texts
    assert not any("初审推荐文件" in t for t in texts)  # the province's, not the city's
    f.choose_type(application, user, "SPEC")
    texts = _texts(application)
    assert "特色型须至少选择一个特色领域" in texts
    assert len([t for t in texts if t.startswith("填写“基本条件 SPEC-")]) == 4  # art. 7: four conditions
    f.choose_type(application, user, "SPEC", ["LIFE"])
    assert "特色型须至少选择一个特色领域" not in _texts(application)


def test_every_quantitative_indicator_of_the_system_is_asked_for(draft, draft_version):
    application, user = draft
    f.choose_type(application, user, "COMP")
    section = form_definition.definition(application).section(form_definition.FIGURES)
    codes = {field.path[0] for field in section.fields}
    expected = set(draft_version.indicators.filter(kind="quantitative", dimension__system__code="COMP")
                   .values_list("code", flat=True))
    assert codes == expected and len(codes) > 5


def test_items_disappear_as_they_are_filled_and_a_complete_draft_has_none(draft):
    application, user = draft
    f.choose_type(application, user, "COMP")
    before = len(missing_items(application))
    f.save(application, user, "summary", {"text": "概述"})
    assert len(missing_items(application)) == before - 1
    f.fill(application, user)
    assert missing_items(application) == []


def test_removing_a_required_file_brings_its_item_back(draft):
    application, user = draft
    f.fill(application, user)
    proposal = application.attachments.get(purpose="material-PROPOSAL")
    attachments.attachment_remove(attachment=proposal, user=user)
    assert _texts(application) == ["上传“信息消费示范城市申报书”"]


def test_the_page_shows_the_checklist_with_links_to_the_sections(client, draft):
    application, user = draft
    client.force_login(user)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'data-testid="missing-items"' in page and 'href="#type"' in page
