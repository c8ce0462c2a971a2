"""Role-aware navigation: what each role sees in the top bar. Entries name a URL and the
permission that guards it, so the menu never offers a page the rules module would refuse."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from icdc.accounts.models import Role

#: role → list of entries: (label, url name, permission) for a page, or (label, [entries]) for a
#: group shown as one drop-down (the Ministry's menu grew past what one line holds at 1366 px).
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
        (_("申报与评审"), [
            (_("申报队列"), "preliminary:ministry_queue", "applications.view_ministry_queue"),
            (_("形式审查"), "formal:queue", "review.view_formal_review"),
            (_("专家库"), "experts:list", "review.view_expert_pool"),
        ]),
        (_("指标与数据"), [
            (_("评价指标"), "indicators:version_list", "indicators.view_indicator_system"),
            (_("统计数据"), "indicators:statistics_list", "indicators.view_statistics"),
        ]),
        (_("评分与决定"), [
            (_("评分与排名"), "rankings:run_list", "rankings.view_scoring_run"),
            (_("拟定名单与公示"), "decisions:proposal_list", "decisions.view_proposal"),
            (_("示范城市称号"), "titles:list", "titles.view_titles"),
        ]),
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


@dataclass(frozen=True)
class MenuEntry:
    """One top-bar entry: a page (``url_name``) or a group of pages (``children``, opened as a
    drop-down; without JavaScript its link goes to the group's first page)."""

    label: str
    url_name: str
    children: tuple = ()

    @property
    def url_names(self):
        return [child.url_name for child in self.children] or [self.url_name]


#: role → url name of the role's home page
HOME_OF_ROLE = {
    Role.CITY_APPLICANT: "home:city",
    Role.PROVINCIAL_OFFICIAL: "home:province",
    Role.MINISTRY_OFFICER: "home:ministry",
    Role.EXPERT: "home:expert",
    Role.SYSTEM_ADMIN: "home:sysadmin",
    Role.AUDIT_ADMIN: "home:auditor",
}


def _entries(user, entries):
    out = []
    for entry in entries:
        if isinstance(entry[1], list):
            children = _entries(user, entry[1])
            if children:
                out.append(MenuEntry(entry[0], children[0].url_name, tuple(children)))
        elif user.has_perm(entry[2]):
            out.append(MenuEntry(entry[0], entry[1]))
    return out


def menu_for(user):
    """The entries of ``user``'s top bar: only pages the rules module would let them open."""
    if not user.is_authenticated:
        return []
    return _entries(user, MENUS.get(user.role, []))


def menu_pages(menu):
    """Every page's url name in a menu, groups opened."""
    return [name for entry in menu for name in entry.url_names]
