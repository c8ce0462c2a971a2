from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of SPEC §1. An account holds exactly one (三权分立 by construction)."""

    CITY_APPLICANT = "city", _("城市申报单位")
    PROVINCIAL_OFFICIAL = "province", _("省级工业和信息化主管部门")
    MINISTRY_OFFICER = "ministry", _("工信部业务管理员")
    EXPERT = "expert", _("评审专家")
    SYSTEM_ADMIN = "sysadmin", _("系统管理员")
    AUDIT_ADMIN = "auditor", _("审计管理员")


#: Roles that must use two-factor login (SECURITY.md 身份鉴别).
TWO_FACTOR_ROLES = {Role.MINISTRY_OFFICER, Role.EXPERT, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN}
#: The three administrative powers that no account may combine.
ADMINISTRATIVE_ROLES = {Role.SYSTEM_ADMIN, Role.MINISTRY_OFFICER, Role.AUDIT_ADMIN}


class User(AbstractUser):
    """平台账号: one person, one role, bound to a division where the role needs one."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("城市申报单位绑定一个城市；省级主管部门绑定一个省级单位"),
    )
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self):
        return self.display_name or self.username


class PasswordHistory(models.Model):
    """Hashes of an account's earlier passwords, so the last five are not reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @classmethod
    def matches_recent(cls, user, raw_password, count):
        from django.contrib.auth.hashers import check_password

        recent = list(cls.objects.filter(user=user)[:count])
        if user.password and user.password not in {h.password for h in recent}:
            recent = [cls(password=user.password)] + recent[: count - 1]
        return any(check_password(raw_password, h.password) for h in recent)
