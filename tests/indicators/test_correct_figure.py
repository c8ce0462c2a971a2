"""An officer corrects one statistics figure: the reason is required; the old and new value and
the reason are audited; bad input writes nothing; other roles are refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.indicators.models import StatisticFigure
from icdc.indicators.statistics_services import statistic_figure_correct
from icdc.lib.refusals import Refusal


@pytest.fixture
def figure(cities, role_users):
    return StatisticFigure.objects.create(city_id="370100", year=2022, indicator_code="D1.2", value=Decimal("6234.5"),
                                          unit="元", source="nbs", entered_by=None, entered_at=timezone.now())


def _records():
    return list(AuditRecord.objects.filter(action="indicators.statistics.correct"))


def test_a_correction_is_saved_and_audited_with_old_new_and_reason(officer, figure):
    statistic_figure_correct(figure=figure, value="6243.5", reason="统计年鉴勘误：数字颠倒", user=officer)
    figure.refresh_from_db()
    assert (figure.value, figure.entered_by) == (Decimal("6243.5"), officer)
    [record] = _records()
    assert record.before == {"value": "6234.5", "unit": "元"}
    assert record.after == {"value": "6243.5", "unit": "元", "reason": "统计年鉴勘误：数字颠倒"}
    assert (record.actor_id, record.object_type, record.detail) == (officer.pk, "indicators.statisticfigure",
                                                                    "统计年鉴勘误：数字颠倒")


@pytest.mark.parametrize(("value", "reason", "message"), [
    ("1", "", "请填写更正原因"),
    ("1", "   ", "请填写更正原因"),
    ("1", "长" * 201, "更正原因最多 200 个字"),
    ("abc", "原因", "更正后的数值须为数字"),
    ("NaN", "原因", "更正后的数值须为有限数"),
    ("1e20", "原因", "更正后的数值须为有限数"),
    ("1.00001", "原因", "最多 4 位小数"),
    ("6234.50", "原因", "与现有数值相同"),
])
def test_bad_input_is_refused_in_chinese_and_writes_nothing(officer, figure, value, reason, message):
    with pytest.raises(Refusal) as refused:
        statistic_figure_correct(figure=figure, value=value, reason=reason, user=officer)
    assert message in str(refused.value)
    figure.refresh_from_db()
    assert figure.value == Decimal("6234.5") and _records() == []


def test_correcting_is_its_own_permission(role_users, figure):
    """Not the import's rule any more: a change to who may import leaves correction alone."""
    with pytest.raises(PermissionDenied) as denied:
        statistic_figure_correct(figure=figure, value="1", reason="试试", user=role_users[Role.CITY_APPLICANT])
    assert str(denied.value) == "indicators.correct_statistics"
    assert StatisticFigure.objects.get(pk=figure.pk).value == Decimal("6234.5")
    allowed = {role for role, user in role_users.items() if user.has_perm("indicators.correct_statistics")}
    assert allowed == {Role.MINISTRY_OFFICER}


def test_the_form_page_corrects_and_returns_to_the_city(officer_client, figure):
    url = reverse("indicators:figure_correct", args=[figure.pk])
    page = officer_client.get(url).content.decode()
    assert "济南市" in page and "6234.5 元" in page and "更正原因" in page
    response = officer_client.post(url, {"value": "6243.5", "reason": "数字颠倒"})
    assert response.status_code == 302 and response["Location"].endswith("?q=370100")
    assert StatisticFigure.objects.get(pk=figure.pk).value == Decimal("6243.5")
    listed = officer_client.get(response["Location"]).content.decode()
    assert "已更正 济南市 2022 年 D1.2 的数值" in listed and "6243.5" in listed


def test_the_form_requires_a_reason(officer_client, figure):
    response = officer_client.post(reverse("indicators:figure_correct", args=[figure.pk]), {"value": "1", "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert StatisticFigure.objects.get(pk=figure.pk).value == Decimal("6234.5") and _records() == []


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.EXPERT, Role.AUDIT_ADMIN])
def test_other_roles_get_403(client, role_users, figure, role):
    client.force_login(role_users[role])
    url = reverse("indicators:figure_correct", args=[figure.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"value": "1", "reason": "x"}).status_code == 403
    assert StatisticFigure.objects.get(pk=figure.pk).value == Decimal("6234.5")
