"""The AHP page: pairwise judgements → weights and CR; refuse CR ≥ 0.10 naming the worst pairs;
save a derivation, apply it to a draft (system still 100 points), never to a published/locked one."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.indicators import services
from icdc.indicators.models import Indicator, WeightDerivation

from .helpers import audit_actions

# Saaty's yard-space comparison ("How to make a decision: The analytic hierarchy process",
# EJOR 48 (1990) 9–26): A vs B 5, A vs C 4, B vs C 1/3 → priorities .674 .101 .226,
# λmax = 3.086, CI = 0.043, CR = 0.074 (accepted). Here A, B, C are SPEC's dimensions S1–S3.
YARD = {"S1~S2": "5", "S1~S3": "4", "S2~S3": "1/3"}
# D1's indicators, consistent (4 : 2 : 1 : 1) except D1.3 judged far below D1.4 → CR 0.188.
INCONSISTENT_D1 = {"D1.1~D1.2": "2", "D1.1~D1.3": "4", "D1.1~D1.4": "4", "D1.2~D1.3": "2", "D1.2~D1.4": "2",
                   "D1.3~D1.4": "1/7"}
S3_EQUAL = {"S3.1~S3.2": "1", "S3.1~S3.3": "1", "S3.2~S3.3": "1"}
S3_DOUBLE = {"S3.1~S3.2": "2", "S3.1~S3.3": "2", "S3.2~S3.3": "1"}  # S3.1 twice each of the others


def _url(version, system="SPEC", scope=""):
    if scope:
        return reverse("indicators:ahp_scope", args=[version.pk, system, scope])
    return reverse("indicators:ahp", args=[version.pk, system])


def _weights(version, system="SPEC"):
    rows = Indicator.objects.filter(version=version, dimension__system__code=system)
    return {i.code: i.weight for i in rows}


def _system_total(version, system="SPEC"):
    return Indicator.objects.filter(version=version, dimension__system__code=system).aggregate(t=Sum("weight"))["t"]


def test_version_page_links_to_the_ahp_pages(officer_client, draft_version):
    body = officer_client.get(reverse("indicators:version_detail", args=[draft_version.pk])).content.decode()
    assert _url(draft_version, "COMP") in body and _url(draft_version, "COMP", "D3") in body


def test_the_page_offers_one_saaty_select_per_pair(officer_client, draft_version):
    response = officer_client.get(_url(draft_version, "COMP", "D1"))
    body = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["D1.1~D1.2", "D1.1~D1.3", "D1.1~D1.4", "D1.2~D1.3",
                                                     "D1.2~D1.4", "D1.3~D1.4"]
    assert "D1.1 比 D1.2 极端重要（9）" in body and "同等重要（1）" in body and "D1.2 比 D1.1 极端重要（1/9）" in body
    assert "信息消费规模" in body and "ahp.js" in body and 'hx-post="' in body
    assert "尚无推导记录" in body


def test_saaty_consistent_example_gives_the_published_weights(officer_client, draft_version):
    response = officer_client.post(_url(draft_version), {**YARD, "action": "compute"})
    assert response.status_code == 200
    result = response.context["result"]
    assert [round(w, 3) for w in result.weights] == [0.674, 0.101, 0.226]
    assert (round(result.lambda_max, 3), round(result.ci, 3), result.ri, round(result.cr, 3)) == (3.086, 0.043, 0.58,
                                                                                                  0.074)
    body = response.content.decode()
    assert "0.074" in body and "3.086" in body and "判断矩阵的一致性可以接受" in body
    assert "保存推导结果" in body and "应用为分值" in body
    # the suggested points share the system's 100 points, to the cent
    points = {row["code"]: row["points"] for row in response.context["rows"]}
    assert sum(points.values()) == 100 and points == {"S1": Decimal("67.38"), "S2": Decimal("10.07"),
                                                      "S3": Decimal("22.55")}
    assert "1/5" in body  # the reciprocal, filled in
    assert not WeightDerivation.objects.exists() and not audit_actions("indicators.weights")  # a preview saves nothing


def test_htmx_preview_returns_the_form_and_result_only(officer_client, draft_version):
    response = officer_client.post(_url(draft_version), YARD, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.startswith('<div id="ahp-work">') and "0.074" in body and "保存推导结果" in body


def test_an_inconsistent_matrix_is_refused_naming_the_pair_and_nothing_saved(officer_client, draft_version):
    before = _weights(draft_version, "COMP")
    for action in ("compute", "save", "apply"):
        response = officer_client.post(_url(draft_version, "COMP", "D1"), {**INCONSISTENT_D1, "action": action})
        assert response.status_code == 200
        body = response.content.decode()
        assert response.context["result"].cr >= 0.10
        assert "CR = 0.188，未满足 CR &lt; 0.10 的要求" in body
        assert "「D1.3」相对「D1.4」判断为 1/7" in body  # the worst comparison, named
        assert response.context["disagreements"][0]["a"] == "D1.3" and response.context["disagreements"][0]["b"] == "D1.4"
        assert 'data-testid="ahp-disagreements"' in body and "本次未保存任何内容" in body
        assert 'data-testid="ahp-save"' not in body and 'data-testid="ahp-apply"' not in body
    assert not WeightDerivation.objects.exists()
    assert _weights(draft_version, "COMP") == before and not audit_actions("indicators.weights")


def test_saving_records_a_derivation_and_an_audit_record(officer_client, officer, draft_version):
    response = officer_client.post(_url(draft_version, "SPEC", "S3"), {**S3_DOUBLE, "action": "save"})
    assert response.status_code == 302 and response["Location"] == _url(draft_version, "SPEC", "S3")
    derivation = WeightDerivation.objects.get()
    assert (derivation.system_code, derivation.scope, derivation.created_by) == ("SPEC", "S3", officer)
    assert derivation.points == {"S3.1": "15", "S3.2": "7.5", "S3.3": "7.5"}
    record = AuditRecord.objects.get(action="indicators.weights.derive")
    assert (record.actor_id, record.detail) == (officer.pk, "SPEC/S3")
    assert _weights(draft_version)["S3.1"] == 10  # saving alone changes no weight
    page = officer_client.get(_url(draft_version, "SPEC", "S3")).content.decode()
    assert "已保存推导结果" in page and "S3.1：15" in page  # the history, and the form starts from it
    assert officer_client.get(_url(draft_version, "SPEC", "S3")).context["form"].initial["S3.1~S3.2"] == "2"


def test_applying_asks_first_naming_each_change_and_writes_nothing_until_confirmed(officer_client, draft_version):
    response = officer_client.post(_url(draft_version, "SPEC", "S3"), {**S3_DOUBLE, "action": "apply"})
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="confirm-form"' in body
    assert "S3.1 推进机制与保障措施：10 分 → 15 分" in body and "确认应用为分值" in body
    assert 'name="S3.1~S3.2" value="2"' in body and 'name="action" value="apply"' in body  # re-posted as is
    assert _weights(draft_version)["S3.1"] == 10 and not WeightDerivation.objects.exists()
    assert not audit_actions("indicators.weights")


def test_applying_a_dimension_level_updates_its_indicators(officer_client, draft_version):
    response = officer_client.post(_url(draft_version, "SPEC", "S3"), {**S3_DOUBLE, "action": "apply", "confirm": "yes"})
    assert response.status_code == 302
    weights = _weights(draft_version)
    assert (weights["S3.1"], weights["S3.2"], weights["S3.3"]) == (15, 7.5, 7.5)
    assert _system_total(draft_version) == 100
    assert audit_actions("indicators.weights") == ["indicators.weights.derive", "indicators.weights.update"]
    # applying the judgement just saved again reuses its record and changes nothing
    officer_client.post(_url(draft_version, "SPEC", "S3"), {**S3_DOUBLE, "action": "apply", "confirm": "yes"})
    assert WeightDerivation.objects.count() == 1 and len(audit_actions("indicators.weights")) == 2


def test_applying_dimension_weights_rescales_each_dimension_and_keeps_100(officer_client, draft_version):
    response = officer_client.post(_url(draft_version), {**YARD, "action": "apply", "confirm": "yes"})
    assert response.status_code == 302
    assert "更新体系 SPEC 中 10 个指标的权重" in officer_client.get(response["Location"]).content.decode()
    weights = _weights(draft_version)
    assert _system_total(draft_version) == 100
    subtotal = {d: sum(w for c, w in weights.items() if c.startswith(d + ".")) for d in ("S1", "S2", "S3")}
    assert subtotal == {"S1": Decimal("67.38"), "S2": Decimal("10.07"), "S3": Decimal("22.55")}
    # S2 held 10/10/5/10: the same proportions, two decimals (2.88 2.88 1.44 2.88 = 10.08), the
    # cent over taken off the largest (the first of equals)
    assert [weights[c] for c in ("S2.1", "S2.2", "S2.3", "S2.4")] == [Decimal(x) for x in ("2.87", "2.88", "1.44",
                                                                                            "2.88")]
    assert _system_total(draft_version, "COMP") == 100  # the other system untouched


def test_applying_on_a_locked_or_published_version_is_refused(officer_client, officer, draft_version):
    before = _weights(draft_version)
    services.publish_version(version=draft_version, user=officer)
    response = officer_client.post(_url(draft_version, "SPEC", "S3"), {**S3_DOUBLE, "action": "apply"})
    assert response.status_code == 200
    assert "已发布，不能修改" in response.content.decode()
    services.lock_version(version=draft_version, reason="2024 年度批次")
    for action in ("apply", "save"):
        response = officer_client.post(_url(draft_version, "SPEC", "S3"), {**S3_DOUBLE, "action": action})
        body = response.content.decode()
        assert "已被批次使用并锁定，不能修改" in body and 'data-testid="commit-errors"' in body
        assert 'data-testid="ahp-apply"' not in body  # not offered on a locked version
    assert _weights(draft_version) == before and not WeightDerivation.objects.exists()
    assert "indicators.weights.update" not in audit_actions("indicators.weights")
    # trying it out is still allowed
    assert "0.074" in officer_client.post(_url(draft_version), YARD).content.decode()


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.EXPERT, Role.PROVINCIAL_OFFICIAL])
def test_other_roles_get_403(client, role_users, draft_version, role):
    client.force_login(role_users[role])
    assert client.get(_url(draft_version, "SPEC", "S3")).status_code == 403
    assert client.post(_url(draft_version, "SPEC", "S3"), {**S3_DOUBLE, "action": "apply"}).status_code == 403
    assert not WeightDerivation.objects.exists() and _weights(draft_version)["S3.1"] == 10


@pytest.mark.parametrize(("data", "error"), [
    ({"S3.1~S3.2": "2", "S3.1~S3.3": "2", "action": "save"}, "请选择“S3.2”与“S3.3”的比较"),
    ({**S3_DOUBLE, "S3.2~S3.3": "10", "action": "save"}, "“S3.2”与“S3.3”的判断值须为 1/9～9 标度上的值"),
    ({**S3_DOUBLE, "S3.1~S3.2": "abc", "action": "apply"}, "“S3.1”与“S3.2”的判断值须为 1/9～9 标度上的值"),
    ({**S3_DOUBLE, "S3.1~S3.2": "0", "action": "apply"}, "“S3.1”与“S3.2”的判断值须为 1/9～9 标度上的值"),
    ({**S3_DOUBLE, "action": "delete"}, "无法识别的操作"),
])
def test_bad_input_gives_a_chinese_error_and_changes_nothing(officer_client, draft_version, data, error):
    before = _weights(draft_version)
    response = officer_client.post(_url(draft_version, "SPEC", "S3"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert error in body and 'data-testid="form-errors"' in body and "判断有误，未计算、未保存" in body
    assert "result" not in response.context
    assert not WeightDerivation.objects.exists() and _weights(draft_version) == before and not audit_actions("indicators.weights")


def test_unknown_scope_is_404(officer_client, draft_version):
    assert officer_client.get(_url(draft_version, "SPEC", "D1")).status_code == 404
    assert officer_client.get(_url(draft_version, "NOPE")).status_code == 404


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_officer_computes_with_htmx_and_applies_in_the_browser(page, live_server, officer, draft_version):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    client = Client()
    client.force_login(officer)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page.goto(f"{live_server.url}{_url(draft_version)}")
    page.get_by_label("“S1”相对“S2”的重要程度").select_option("5")
    assert "S2 相对 S1：1/5" in page.get_by_test_id("ahp-pairs").inner_text()  # the reciprocal, live
    page.get_by_label("“S1”相对“S3”的重要程度").select_option("4")
    page.get_by_label("“S2”相对“S3”的重要程度").select_option("1/3")
    url = page.url
    page.get_by_test_id("ahp-compute").click()
    assert page.get_by_test_id("cr").inner_text() == "0.074"
    assert page.url == url  # swapped in place by htmx
    page.get_by_label("“S2”相对“S3”的重要程度").select_option("1")
    assert page.get_by_test_id("ahp-apply").is_disabled()  # stale until recomputed
    page.get_by_label("“S2”相对“S3”的重要程度").select_option("1/3")
    page.get_by_test_id("ahp-compute").click()
    page.get_by_test_id("ahp-apply").click()
    assert "分 → 1.44 分" in page.get_by_test_id("confirm-effects").inner_text()  # asked first, naming the change
    assert _weights(draft_version)["S2.3"] != Decimal("1.44")
    page.get_by_test_id("confirm-button").click()
    page.wait_for_load_state()
    assert "体系合计仍为 100 分" in page.content()
    assert _system_total(draft_version) == 100 and _weights(draft_version)["S2.3"] == Decimal("1.44")
    assert not errors
