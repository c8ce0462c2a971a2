"""Role-aware navigation: what each role sees in the top bar. Entries name a URL and the
permission that guards it, so the menu never offers a page the rules module would refuse."""

from django.utils.translation import gettext_lazy as _

from icdc.accounts.models import Role

#: role → list of (label, url name, permission)
MENUS = {
    Role.CITY_APPLICANT: [
        (_("工作台"), "home:city", "home.view_city_home"),
        (_("我的申报"), "applications:list", "applications.view_city_applications"),
        (_("年度批次"), "batches:list", "batches.view_batch"),
    ],
    Role.PROVINCIAL_OFFICIAL: [(_("工作台"), "home:province", "home.view_province_home"),
                               (_("年度批次"), "batches:list", "batches.view_batch"),
                               (_("省级初审"), "preliminary:province_list", "applications.view_province_list")],
    Role.MINISTRY_OFFICER: [
        (_("工作台"), "home:ministry", "home.view_ministry_home"),
        (_("年度批次"), "batches:list", "batches.view_batch"),
        (_("申报队列"), "preliminary:ministry_queue", "applications.view_ministry_queue"),
        (_("评价指标"), "indicators:version_list", "indicators.view_indicator_system"),
        (_("统计数据"), "indicators:statistics_list", "indicators.view_statistics"),
        (_("评分与排名"), "decisions:run_list", "decisions.view_scoring_run"),
        (_("专家库"), "experts:list", "review.view_expert_pool"),
    ],
    Role.EXPERT: [(_("工作台"), "home:expert", "home.view_expert_home"),
                  (_("我的评审任务"), "scoring:tasks", "review.view_review_tasks"),
                  (_("回避申报与声明"), "experts:my_conflicts", "review.view_own_expert_entry")],
    Role.SYSTEM_ADMIN: [
        (_("工作台"), "home:sysadmin", "home.view_sysadmin_home"),
        (_("账号管理"), "accounts:manage:list", "accounts.manage_accounts"),
    ],
    Role.AUDIT_ADMIN: [
        (_("工作台"), "home:auditor", "home.view_auditor_home"),
        (_("审计日志"), "audit:list", "audit.view_audit_trail"),
    ],
}

#: role → url name of the role's home page
HOME_OF_ROLE = {
    Role.CITY_APPLICANT: "home:city",
    Role.PROVINCIAL_OFFICIAL: "home:province",
    Role.MINISTRY_OFFICER: "home:ministry",
    Role.EXPERT: "home:expert",
    Role.SYSTEM_ADMIN: "home:sysadmin",
    Role.AUDIT_ADMIN: "home:auditor",
}


def menu_for(user):
    if not user.is_authenticated:
        return []
    return [(label, url, perm) for label, url, perm in MENUS.get(user.role, []) if user.has_perm(perm)]
