"""A published or locked version is shown read-only: no editable field, no Save button; a POST
changes nothing and says why. The rule's parameters are checked for their direction."""

import pytest
from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.indicators import services
from icdc.indicators.models import Indicator
from icdc.indicators.validation import validate_indicator


def _main(response):
    return response.content.decode().split('id="main"', 1)[1]


@pytest.fixture(params=["published", "locked"])
def frozen_version(request, officer, draft_version):
    if request.param == "published":
        services.publish_version(version=draft_version, user=officer)
    else:
        services.lock_version(version=draft_version, reason="2024 年度批次")
    return draft_version


def test_a_frozen_indicator_is_shown_without_fields_or_save(officer_client, frozen_version):
    d11 = Indicator.objects.get(version=frozen_version, code="D1.1")
    response = officer_client.get(reverse("indicators:indicator_edit", args=[d11.pk]))
    main = _main(response)
    assert response.status_code == 200 and 'data-testid="read-only"' in main
    assert "<input" not in main and "<select" not in main and "保存" not in main
    assert "信息消费规模" in main and "2000" in main and "不能修改" in main


def test_frozen_weights_are_shown_without_fields_or_save(officer_client, frozen_version):
    response = officer_client.get(reverse("indicators:weights_edit", args=[frozen_version.pk, "COMP"]))
    main = _main(response)
    assert response.status_code == 200 and 'data-testid="weights"' in main
    assert "<input" not in main and "保存权重" not in main


def test_a_post_to_a_frozen_version_changes_nothing(officer_client, frozen_version):
    d11 = Indicator.objects.get(version=frozen_version, code="D1.1")
    response = officer_client.post(reverse("indicators:indicator_edit", args=[d11.pk]),
                                   {"code": "D1.1", "name": "改名", "kind": "quantitative", "weight": "6"})
    assert response.status_code == 409 and "不能修改" in response.content.decode()
    response = officer_client.post(reverse("indicators:weights_edit", args=[frozen_version.pk, "COMP"]), {"D1.1": "7"})
    assert response.status_code == 409
    d11.refresh_from_db()
    assert (d11.name, d11.weight) == ("信息消费规模", 6)
    assert not AuditRecord.objects.filter(action__in=["indicators.indicator.update", "indicators.weights.update"])


def test_a_draft_still_offers_fields_and_save(officer_client, draft_version):
    d11 = Indicator.objects.get(version=draft_version, code="D1.1")
    main = _main(officer_client.get(reverse("indicators:indicator_edit", args=[d11.pk])))
    assert 'name="floor"' in main and "保存" in main


QUANTITATIVE = {"code": "X1", "name": "某指标", "kind": "quantitative", "unit": "%", "weight": "5"}


@pytest.mark.parametrize(("rule", "floor", "target", "message"), [
    ("linear", "20", "8", "越高越好的线性计分，下限值（得 0 分的值）须小于目标值（得满分的值）"),
    ("reverse_linear", "8", "20", "越低越好的线性计分，下限值（得 0 分的值）须大于目标值（得满分的值）"),
])
def test_linear_parameters_must_point_the_rules_way(rule, floor, target, message):
    problems = validate_indicator({**QUANTITATIVE, "rule": rule, "floor": floor, "target": target})
    assert [(p.field, p.message) for p in problems] == [("floor", message)]
    assert validate_indicator({**QUANTITATIVE, "rule": rule, "floor": target, "target": floor}) == []


def test_the_form_refuses_a_floor_above_the_target_on_the_field(officer_client, draft_version):
    d11 = Indicator.objects.get(version=draft_version, code="D1.1")
    data = {"code": "D1.1", "name": "信息消费规模", "kind": "quantitative", "unit": "亿元", "weight": "6",
            "rule": "linear", "floor": "3000", "target": "2000", "source": "国家统计局"}
    response = officer_client.post(reverse("indicators:indicator_edit", args=[d11.pk]), data)
    assert response.context["form"].errors == {"floor": ["越高越好的线性计分，下限值（得 0 分的值）须小于目标值（得满分的值）"]}
    d11.refresh_from_db()
    assert d11.floor == 200
