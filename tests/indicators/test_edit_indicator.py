"""A ministry officer edits one indicator of a draft; errors come back in Chinese, nothing half-saved."""

from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.indicators import services
from icdc.indicators.models import Indicator


def _form(indicator, **changes):
    data = {f: getattr(indicator, f) for f in services.INDICATOR_FIELDS}
    data.update(changes)
    return {k: "" if v is None else v for k, v in data.items()}


def _d11(version):
    return Indicator.objects.get(version=version, code="D1.1")


def test_officer_edits_an_indicator_and_it_is_audited(officer_client, officer, draft_version):
    d11 = _d11(draft_version)
    url = reverse("indicators:indicator_edit", args=[d11.pk])
    assert "信息消费规模" in officer_client.get(url).content.decode()
    response = officer_client.post(url, _form(d11, name="信息消费总规模", floor="250", target="2500.5"))
    assert response.status_code == 302
    d11.refresh_from_db()
    assert (d11.name, d11.floor, d11.target) == ("信息消费总规模", 250, 2500.5)
    record = AuditRecord.objects.get(action="indicators.indicator.update")
    assert (record.actor_id, record.object_id, record.detail) == (officer.pk, str(d11.pk), "draft-2019")
    assert record.before["name"] == "信息消费规模" and record.after["name"] == "信息消费总规模"


def test_bad_rule_parameters_are_shown_on_the_field(officer_client, draft_version):
    d11 = _d11(draft_version)
    response = officer_client.post(reverse("indicators:indicator_edit", args=[d11.pk]),
                                   _form(d11, floor="2000", target="2000"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"target": ["线性计分的下限值与目标值不能相同"]}
    assert "线性计分的下限值与目标值不能相同" in response.content.decode()
    assert _d11(draft_version).floor == 200
    assert not AuditRecord.objects.filter(action="indicators.indicator.update").exists()


def test_qualitative_with_a_rule_is_refused(officer_client, draft_version):
    d14 = Indicator.objects.get(version=draft_version, code="D1.4")
    response = officer_client.post(reverse("indicators:indicator_edit", args=[d14.pk]), _form(d14, rule="linear"))
    assert response.context["form"].errors == {"rule": ["定性指标由专家评分，不应填写计分规则"]}


def test_a_weight_that_breaks_100_points_is_refused_with_the_total(officer_client, draft_version):
    d11 = _d11(draft_version)
    response = officer_client.post(reverse("indicators:indicator_edit", args=[d11.pk]), _form(d11, weight="8"))
    assert response.context["form"].non_field_errors() == ["体系 COMP：共性部分合计 102 分，须为 100 分"]
    assert _d11(draft_version).weight == 6


def test_editing_a_locked_version_is_refused_in_chinese(officer_client, draft_version):
    services.lock_version(version=draft_version, reason="2024 年度批次")
    d11 = _d11(draft_version)
    response = officer_client.post(reverse("indicators:indicator_edit", args=[d11.pk]), _form(d11, name="改名"))
    assert response.status_code == 409
    assert "已被批次使用并锁定，不能修改" in response.context["reason"]
    assert "<form" not in response.content.decode().split('id="main"', 1)[1]
    assert _d11(draft_version).name == "信息消费规模"
    assert not AuditRecord.objects.filter(action="indicators.indicator.update").exists()
