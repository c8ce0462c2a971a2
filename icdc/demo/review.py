"""The demo's expert review of the open batch (issue 14): a pool of five experts with demo accounts,
a panel drawn for the group of the application that passed formal review (泰安), declarations
signed, the review window open, four score sheets submitted and one saved as a draft, a defence
scheduled, held and scored, and a scoring run created from the batch's review data.

Every step is the service the pages call, by the account that would click it. Idempotent: once the
batch has a panel, nothing more is done (the lines printed are the same).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.accounts.models import User

#: The pool: username → (name, division code of the employer's city, employer, title). Outside
#: Shandong, so none is in conflict with a Shandong application.
DEMO_EXPERTS = {
    "expert_01": ("王建国", "110000", "中国信息通信研究院", "正高级工程师"),
    "expert_02": ("李晓梅", "320100", "南京大学", "教授"),
    "expert_03": ("陈志远", "330100", "浙江大学", "教授"),
    "expert_04": ("刘海燕", "420100", "武汉大学", "副教授"),
    "expert_05": ("赵明", "510100", "电子科技大学", "研究员"),
}
DEMO_EXPERT_SPECIALITY = "LIFE"
PANEL_SEED = "demo-2026"
#: The member who only saved a draft (the others submitted).
DRAFT_EXPERT = "expert_05"
DEFENCE_SCORES = {"expert_01": "86", "expert_02": "82.5", "expert_03": "88", "expert_04": "79", "expert_05": "84"}


def _calendar_knows(today, batch):
    """True when the working-day calendar can compute the batch's notice period from ``today``."""
    from icdc.lib.refusals import Refusal
    from icdc.workdays.selectors import notice_period

    try:
        notice_period(today, batch.notice_working_days)
    except Refusal:
        return False
    return True


def _id_number(n):
    from icdc.review.idnumbers import check_character

    first17 = f"110101198001{n + 1:02d}{n + 100:03d}"
    return first17 + check_character(first17)


def _experts(officer):
    """The pool, entered through 专家录入; each account then made a demo account (known password)."""
    from icdc.demo.dataset import DEMO_PASSWORD
    from icdc.divisions.models import Division
    from icdc.review.models import Expert
    from icdc.review.services import expert_create

    experts = {e.account.username: e for e in Expert.objects.filter(account__username__in=list(DEMO_EXPERTS))
               .select_related("account")}
    for n, (username, (name, code, employer, title)) in enumerate(DEMO_EXPERTS.items()):
        if username in experts:
            continue
        expert, _password = expert_create(
            user=officer, name=name, id_number=_id_number(n), mobile=f"1390000{n:04d}", employer=employer,
            city=Division.objects.get(code=code), title=title, specialities=[DEMO_EXPERT_SPECIALITY])
        account = expert.account
        account.username, account.is_demo, account.must_change_password = username, True, False
        account.display_name = _("评审专家 %(name)s") % {"name": name}
        account.set_password(DEMO_PASSWORD)
        account.password_changed_at = timezone.now()
        account.save()
        experts[username] = expert
    return {username: experts[username] for username in DEMO_EXPERTS}


#: The demo's expert login before the pool existed: an account of the expert role with no pool entry.
OLD_EXPERT_LOGIN = "expert"


def retire_old_expert_login():
    """A database loaded before the pool existed has the demo login ``expert``: an expert account
    with no entry in the pool, on no panel, which sees nothing. It is deactivated through the
    account service (audited; never deleted) once the pool's demo experts exist, so the printed
    demo logins are the ones that show the review. Nothing happens on a fresh database, on a second
    run, or when that account has since been entered into the pool."""
    from icdc.accounts.services import account_deactivate
    from icdc.lib.refusals import Refusal
    from icdc.review.models import Expert

    old = User.objects.filter(username=OLD_EXPERT_LOGIN, is_demo=True, is_active=True).first()
    if old is None or Expert.objects.filter(account=old).exists():
        return []
    if not Expert.objects.filter(account__username__in=list(DEMO_EXPERTS), account__is_active=True).exists():
        return []
    try:
        account_deactivate(changed_by=None, account=old, note=_(
            "演示数据：旧演示账号 expert 不在专家库中，已由 expert_01…expert_05 代替。"))
    except Refusal:
        return []
    return [_("旧演示账号 expert 不在专家库中，已停用；评审专家请用 expert_01…expert_05 登录")]


def load_review(batch):
    """The review stage of ``batch``; returns summary lines."""
    from icdc.applications.models import Application
    from icdc.review.models import PanelDraw

    if batch is None:
        return []
    panel = PanelDraw.objects.filter(batch=batch, replaced_by__isnull=True).order_by("pk").first()
    if panel is not None:
        return _lines(panel, created=False)
    application = Application.objects.filter(batch=batch, status="formal_passed").order_by("pk").first()
    if application is None:
        return []
    with transaction.atomic():
        panel = _review(batch, application)
    return _lines(panel, created=True)


def _review(batch, application, *, close_window=False):
    from icdc.rankings.services import create_run_for_batch
    from icdc.review import defence, panels, scores, services
    from icdc.review.models import DefenceSlot

    officer = User.objects.get(username="ministry")
    experts = _experts(officer)
    panel = panels.panel_draw(batch=batch, group=application.type_code, size=len(experts), reserves=0,
                              user=officer, seed=PANEL_SEED)
    now = timezone.now()
    for expert in experts.values():
        _text, sha = services.declaration_for(expert=expert, batch=batch)
        services.declaration_sign(user=expert.account, batch=batch, shown_sha256=sha, ip="127.0.0.1")
    scores.review_window_set(batch=batch, opens_at=now - datetime.timedelta(days=1),
                             closes_at=now + datetime.timedelta(days=14), user=officer)
    specs = scores.qualitative_specs(batch, panel.group)
    for n, (username, expert) in enumerate(experts.items()):
        share = (70 + 5 * n) / 100
        values = {s.code: str(int(share * s.weight)) for s in specs}
        comment = _("工作基础扎实，方案可行（演示评语）。")
        if username == DRAFT_EXPERT:
            scores.score_sheet_save(panel=panel, application=application, user=expert.account,
                                    scores=dict(list(values.items())[: max(1, len(values) // 2)]),
                                    overall_comment=comment)
        else:
            scores.score_sheet_submit(panel=panel, application=application, user=expert.account, scores=values,
                                      overall_comment=comment)
    start = now.replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=3)
    slot = defence.defence_schedule(panel=panel, application=application, starts_at=start,
                                    ends_at=start + datetime.timedelta(hours=1), mode=DefenceSlot.Mode.ON_SITE,
                                    place=_("工业和信息化部 第三会议室"), user=officer)
    slot = defence.defence_mark(slot=slot, outcome="held", user=officer)
    for username, expert in experts.items():
        defence.defence_score_submit(slot=slot, user=expert.account, score=DEFENCE_SCORES[username],
                                     comment=_("答辩陈述清晰（演示评语）。"))
    if close_window:
        scores.review_window_close(batch=batch, user=officer)
    create_run_for_batch(batch=batch, user=officer, seed=20261124)
    return panel


def _lines(panel, *, created):
    from icdc.rankings.models import ScoringRun
    from icdc.review.models import Expert

    names = dict(Expert.objects.filter(pk__in=panel.members).values_list("pk", "account__username"))
    leader = names.get(panel.leader, "")
    members = "、".join(names[pk] for pk in panel.members if pk in names)
    lines = [(_("评审专家组：新建（%(n)d 名专家，组长 %(leader)s）") if created else
              _("评审专家组：已存在（%(n)d 名专家，组长 %(leader)s）")) % {"n": len(panel.members), "leader": leader},
             _("评审专家账号：%(members)s（组长 %(leader)s），密码同其他演示账号") % {"members": members,
                                                                           "leader": leader}]
    run = ScoringRun.objects.filter(batch=panel.batch).order_by("pk").first()
    if run is not None:
        lines.append(_("批次评分运行：「%(label)s」") % {"label": run.label})
    return lines


def _calendar_for_notice(batch, officer, moment=None):
    """The notice period must lie in years the working-day calendar knows (the library covers up to
    2026): a year it does not know is entered through the workdays service, New Year's Day only,
    with a note saying so (an officer enters the State Council's schedule before real use)."""
    from icdc.decisions.dates import beijing_date
    from icdc.workdays.selectors import known_years
    from icdc.workdays.services import year_schedule_save

    today = beijing_date(moment or timezone.now())
    if _calendar_knows(today, batch):
        return
    known = {k.year for k in known_years()}
    for year in (today.year, today.year + 1):
        if year not in known:
            year_schedule_save(year=year, holidays=[datetime.date(year, 1, 1)], working_days=[], user=officer,
                               note=_("演示数据：仅录入元旦；正式使用前请按国务院办公厅通知录入全年安排。"))


def load_notice(batch):
    """The batch's list, proposed from its scoring run by ``ministry``, approved by the second officer
    ``ministry_checker`` (maker-checker) and published for public notice now."""
    from icdc.decisions import services
    from icdc.decisions.models import Proposal
    from icdc.rankings.models import ScoringRun

    if batch is None:
        return []
    proposal = Proposal.objects.filter(batch=batch).order_by("pk").first()
    created = proposal is None
    if created:
        run = ScoringRun.objects.filter(batch=batch).order_by("pk").first()
        if run is None:
            return []
        officer = User.objects.get(username="ministry")
        checker = User.objects.get(username="ministry_checker")
        with transaction.atomic():
            _calendar_for_notice(batch, officer)
            proposal = services.proposal_create(batch=batch, run=run, user=officer)
            services.proposal_transition(proposal=proposal, name="submit", user=officer)
            services.proposal_transition(proposal=proposal, name="approve", user=checker)
            proposal = services.proposal_transition(proposal=proposal, name="publish", user=checker)
    template = _("拟定名单：新建，经 ministry_checker 审核后公示（%(start)s 至 %(end)s）") if created else \
        _("拟定名单：已存在（%(state)s，公示 %(start)s 至 %(end)s）")
    return [template % {"state": proposal.get_status_display(), "start": proposal.notice_start,
                        "end": proposal.notice_end}]


def panel_logins_line():
    """The demo panel's expert logins with its leader, for ``demo_logins`` (empty without a panel)."""
    from icdc.review.models import PanelDraw

    from .applications import demo_year

    panel = (PanelDraw.objects.filter(batch__year=demo_year(), replaced_by__isnull=True).select_related("batch")
             .order_by("pk").first())
    return _lines(panel, created=False)[1] if panel is not None else ""
