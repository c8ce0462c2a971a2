"""The demo dataset: accounts for every role on realistic divisions, plausible official
statistics for a few dozen cities (imported through the real import service, so the demo
exercises the same checks as a real upload), and a scoring run. Seeded: every run is the same.
"""

import csv
import io
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.accounts.models import Role, User
from icdc.divisions.models import Division

DEMO_PASSWORD = "Icdc#Demo2026"
DEMO_STATISTICS_YEAR = 2025
DEMO_SEED = 20261124

#: username → (role, division code, display name). The expert role's demo logins are the pool's
#: ``expert_01``…``expert_05`` (``icdc.demo.review.DEMO_EXPERTS``: each an entry of the expert pool,
#: on the demo panel, with score sheets and a defence); the older login ``expert`` had no pool
#: entry, so it saw nothing, and a database loaded before is cleaned up by ``retire_old_expert_login``.
DEMO_ACCOUNTS = {
    "city_jinan": (Role.CITY_APPLICANT, "370100", "济南市工业和信息化局"),
    "city_qingdao": (Role.CITY_APPLICANT, "370200", "青岛市工业和信息化局"),
    "city_zibo": (Role.CITY_APPLICANT, "370300", "淄博市工业和信息化局"),
    "city_yantai": (Role.CITY_APPLICANT, "370600", "烟台市工业和信息化局"),
    "city_weifang": (Role.CITY_APPLICANT, "370700", "潍坊市工业和信息化局"),
    "city_jining": (Role.CITY_APPLICANT, "370800", "济宁市工业和信息化局"),
    "city_taian": (Role.CITY_APPLICANT, "370900", "泰安市工业和信息化局"),
    "province_sd": (Role.PROVINCIAL_OFFICIAL, "370000", "山东省工业和信息化厅"),
    "ministry": (Role.MINISTRY_OFFICER, None, "信息技术发展司 业务管理员"),
    "ministry_checker": (Role.MINISTRY_OFFICER, None, "信息技术发展司 审核员"),
    "sysadmin": (Role.SYSTEM_ADMIN, None, "系统管理员"),
    "auditor": (Role.AUDIT_ADMIN, None, "审计管理员"),
}

#: Cities with demo statistics: the 副省级 cities, the direct applicants and a spread of others.
DEMO_CITY_COUNT = 40


@transaction.atomic
def load_accounts():
    created = 0
    for username, (role, code, display_name) in DEMO_ACCOUNTS.items():
        if User.objects.filter(username=username).exists():
            continue
        division = Division.objects.get(code=code) if code else None
        user = User(
            username=username, role=role, division=division, display_name=display_name, is_demo=True,
            is_staff=role == Role.SYSTEM_ADMIN, password_changed_at=timezone.now(),
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        created += 1
    return created


def demo_cities():
    from django.db.models import Q

    preferred = list(
        Division.objects.filter(can_apply=True).filter(Q(is_sub_provincial=True) | Q(applies_directly=True))
        .order_by("code")
    )
    others = list(Division.objects.filter(can_apply=True, is_sub_provincial=False, applies_directly=False)
                  .order_by("code"))
    rng = random.Random(DEMO_SEED)
    picked = preferred + rng.sample(others, max(0, DEMO_CITY_COUNT - len(preferred)))
    return sorted(picked, key=lambda d: d.code)[:DEMO_CITY_COUNT]


def _plausible_figure(rng, indicator, strength):
    """A figure around the scoring range, higher for stronger cities."""
    floor, target = float(indicator.floor or 0), float(indicator.target)
    if indicator.rule == "threshold":
        return round(target * (0.9 + 0.15 * strength), 1)
    low, high = min(floor, target), max(floor, target)
    share = min(1.15, max(-0.1, strength + rng.gauss(0, 0.15)))
    if indicator.rule == "reverse_linear":
        share = 1 - share
    return round(low + share * (high - low), 2)


def statistics_csv(version):
    """The demo statistics as a file in the platform's own import layout."""
    from icdc.indicators.models import Indicator
    from icdc.indicators.statistics_io import HEADERS

    indicators = list(Indicator.objects.filter(version=version, kind="quantitative").order_by("code"))
    rng = random.Random(DEMO_SEED)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for city in demo_cities():
        strength = rng.betavariate(2.5, 2.5)
        for indicator in indicators:
            source = "工业和信息化部" if "工业和信息化部" in indicator.source else "国家统计局"
            if indicator.source and not indicator.source.startswith(("国家统计局", "工业和信息化部")):
                source = "其他"
            note = indicator.source if source == "其他" else ""
            writer.writerow([city.code, city.name, DEMO_STATISTICS_YEAR, indicator.code,
                             _plausible_figure(rng, indicator, strength), indicator.unit, source, note])
    return out.getvalue().encode("utf-8")


def load_statistics(user):
    from icdc.indicators import selectors, statistics_services

    version = selectors.default_statistics_version()
    if version is None:
        return _("统计数据：未找到指标体系版本，跳过")
    report = statistics_services.import_statistics(
        filename="demo-statistics.csv", content=statistics_csv(version), version=version, user=user
    )
    if not report.ok:
        reasons = "; ".join(f"{e.row}/{e.column}: {e.reason}" for e in report.errors[:5])
        raise RuntimeError(f"demo statistics rejected: {reasons}")
    return _("统计数据：%(rows)d 行，新增 %(created)d，未变 %(unchanged)d") % {
        "rows": report.rows, "created": report.created, "unchanged": report.unchanged}


def load_scoring_runs(user):
    """One run per indicator system, so the demo shows 综合型 and the specialised domains."""
    from icdc.rankings.demo import create_demo_run, demo_systems

    lines = []
    for system_code in demo_systems():
        run, created = create_demo_run(user, system_code=system_code)
        template = _("评分运行：新建「%(label)s」") if created else _("评分运行：「%(label)s」已存在")
        lines.append(template % {"label": run.label})
    return lines


def load():
    """Load everything; return summary lines for the console."""
    lines = [_("演示账号：新建 %(n)d 个") % {"n": load_accounts()}]
    officer = User.objects.get(username="ministry")
    lines.append(load_statistics(officer))
    lines.extend(load_scoring_runs(officer))
    lines.extend(load_batch())
    return lines


def load_batch():
    """An open batch with applications in every state (``icdc.demo.applications``)."""
    from icdc.batches.models import Batch
    from icdc.programmes.selectors import DEFAULT_CODE

    from .announced import load_announced_batch
    from .applications import demo_year, load_batch_and_applications
    from .objections import load_objection
    from .review import load_notice, load_review, retire_old_expert_login

    lines = load_batch_and_applications()
    batch = Batch.objects.filter(programme_code=DEFAULT_CODE, year=demo_year()).first()
    lines.extend(load_review(batch))
    lines.extend(retire_old_expert_login())
    lines.extend(load_notice(batch))
    lines.extend(load_objection(batch))
    lines.extend(load_announced_batch())
    return lines
