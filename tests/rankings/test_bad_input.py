"""Bad input gets a clear Chinese message and stores nothing (SPEC §6)."""

import pytest

from icdc.audit.models import AuditRecord
from icdc.rankings.adapters import RunInputError
from icdc.rankings.models import ReproductionCheck, ScoringRun, ScoringRunCity
from icdc.rankings.services import create_run

from . import helpers


def _create(officer, version, applications, **kwargs):
    values = {"user": officer, "version": version, "system_code": "COMP", "year": helpers.YEAR,
              "label": "测试", "applications": applications, "params": helpers.params()}
    values.update(kwargs)
    return create_run(**values)


def _refused(officer, version, applications, **kwargs) -> str:
    with pytest.raises(RunInputError) as info:
        _create(officer, version, applications, **kwargs)
    assert not ScoringRun.objects.exists() and not ScoringRunCity.objects.exists()
    assert not ReproductionCheck.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="rankings.scoring_run.").exists()
    return info.value.message


def test_unknown_city_code(figures, draft_version, officer):
    apps = helpers.applications(draft_version)
    apps[1]["city_code"] = "999900"
    assert _refused(officer, draft_version, apps) == "城市代码 999900 不存在或不是可申报的城市"


def test_a_province_cannot_be_scored_as_a_city(figures, draft_version, officer):
    apps = helpers.applications(draft_version)
    apps[0]["city_code"] = "370000"
    assert _refused(officer, draft_version, apps) == "城市代码 370000 不存在或不是可申报的城市"


def test_wrong_track_for_the_system(figures, draft_version, officer):
    apps = helpers.applications(draft_version)
    apps[0]["tracks"] = ["LIFE"]
    assert _refused(officer, draft_version, apps) == \
        "城市 370200 的申报类别 LIFE 不属于本指标体系（可选：COMP）"


def test_unknown_domain_in_a_specialised_run(figures, draft_version, officer):
    apps = helpers.applications(draft_version, "SPEC", {"370200": ["LIFE"]})
    apps[0]["tracks"] = ["SPORT"]
    message = _refused(officer, draft_version, apps, system_code="SPEC", params=helpers.params(quotas={"LIFE": 1}))
    assert message == "城市 370200 的申报类别 SPORT 不属于本指标体系（可选：LIFE、PUBLIC、INDUSTRY、PRODUCT）"


def test_scores_for_a_track_not_applied_for(figures, draft_version, officer):
    apps = helpers.applications(draft_version)
    apps[0]["defence_scores"]["LIFE"] = 80
    assert _refused(officer, draft_version, apps) == "城市 370200 的答辩得分含有未申报的类别：LIFE"


def test_a_city_twice(figures, draft_version, officer):
    apps = helpers.applications(draft_version)
    apps.append(dict(apps[0]))
    assert "城市 370200 重复出现" in _refused(officer, draft_version, apps)


def test_unknown_system(figures, draft_version, officer):
    assert _refused(officer, draft_version, helpers.applications(draft_version), system_code="XYZ") == \
        "指标体系版本 draft-2019 中没有指标体系 XYZ"


def test_engine_refusal_is_shown_in_chinese(figures, draft_version, officer):
    apps = helpers.applications(draft_version)
    apps[0]["expert_scores"]["COMP"]["E2"]["D1.4"] = 9  # D1.4 is worth 4 points
    assert _refused(officer, draft_version, apps) == "城市 370200 专家 E2 对指标 D1.4 的评分 9.0 超出 0～4 分的范围"


def test_missing_quota_is_refused_by_the_engine(figures, draft_version, officer):
    message = _refused(officer, draft_version, helpers.applications(draft_version), params=helpers.params(quotas={}))
    assert message == "未设置 COMP 类别的名额"


def test_figure_for_an_indicator_that_is_not_quantitative(figures, draft_version, officer):
    apps = helpers.applications(draft_version)
    apps[0]["figures"] = {"D1.4": 3}
    assert _refused(officer, draft_version, apps) == "城市 370200 填报的指标 D1.4 不是本指标体系的定量指标"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"label": " "}, "请填写运行名称（不超过 200 个字符）"),
    ({"year": "2022"}, "统计数据年份须为四位年份"),
    ({"applications": []}, "没有可计分的申报"),
    ({"params": {"w_material": 0.7}}, "运行参数须包含材料评审权重、答辩权重、合格分数线和名额"),
    ({"params": {"w_material": 0.7, "w_defence": 0.3, "pass_mark": 60, "quotas": {"COMP": 2}, "speed": 1}},
     "未知的运行参数：speed"),
    ({"params": {"w_material": 0.7, "w_defence": 0.3, "pass_mark": 60, "quotas": [2]}}, "名额须按类别填写"),
    ({"params": {"w_material": 0.8, "w_defence": 0.3, "pass_mark": 60, "quotas": {"COMP": 2}}},
     "材料评审与答辩的权重须为非负数且合计为 1（当前为 0.8 与 0.3）"),
])
def test_header_and_parameters(figures, draft_version, officer, kwargs, message):
    apps = kwargs.pop("applications", helpers.applications(draft_version))
    assert _refused(officer, draft_version, apps, **kwargs) == message


def test_only_a_ministry_officer_may_create(figures, draft_version, role_users):
    from django.core.exceptions import PermissionDenied

    from icdc.accounts.models import Role

    with pytest.raises(PermissionDenied):
        _create(role_users[Role.AUDIT_ADMIN], draft_version, helpers.applications(draft_version))
    assert not ScoringRun.objects.exists()
    assert AuditRecord.objects.filter(action="accounts.permission.deny", detail="rankings.create_scoring_run").exists()


def test_an_official_figure_in_another_unit_is_refused_not_rescaled(figures, draft_version, officer):
    from icdc.indicators.models import StatisticFigure

    StatisticFigure.objects.filter(city_id="370100", indicator_code="D1.1").update(unit="万元")
    assert _refused(officer, draft_version, helpers.applications(draft_version)) == \
        "城市 370100 指标 D1.1 的统计数据单位为“万元”，与指标体系要求的“亿元”不符"
