from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from icdc.divisions.models import Division
from icdc.lib.fields import BlindIndexField, EncryptedCharField


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
#: Roles whose accounts only the server-side command ``manage.py admin_account`` creates,
#: changes and deactivates (三权分立): in the platform nobody can make, reset or remove an
#: account holding power over the platform or over its audit trail.
SERVER_MANAGED_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN})
#: Roles that must always have at least one active account (the audit trail must stay readable).
ALWAYS_STAFFED_ROLES = (Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN)
#: Roles bound to a division (a city, or a province-level authority).
DIVISION_ROLES = {Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL}
_DIVISION_ROLE_VALUES = sorted(r.value for r in DIVISION_ROLES)  # sorted: a stable migration


def division_errors(role, division):
    """Why ``division`` cannot be the division of an account with ``role`` (empty: it can)."""
    if role == Role.CITY_APPLICANT:
        if division is None:
            return [_("城市申报单位账号须绑定一个城市。")]
        if not division.can_apply:
            return [_("“%(name)s”不是可申报示范城市的城市，不能绑定城市申报单位账号。") % {"name": division.name}]
    elif role == Role.PROVINCIAL_OFFICIAL:
        if division is None:
            return [_("省级主管部门账号须绑定一个省级单位。")]
        if division.level != Division.Level.PROVINCE or not division.is_application_channel:
            return [_("“%(name)s”不是受理申报的省级单位，不能绑定省级主管部门账号。") % {"name": division.name}]
    elif division is not None:
        return [_("该角色的账号不绑定行政区划。")]
    return []


class AccountManager(UserManager):
    def create_superuser(self, *args, **kwargs):
        # 三权分立: no account holds every power; the system administrator is a role.
        raise ValueError(_("平台不设超级用户（三权分立）。请用命令 manage.py admin_account create --role sysadmin 创建系统管理员账号。"))


class User(AbstractUser):
    """平台账号: one person, one role, bound to a division where the role needs one.

    The single ``role`` field makes holding two roles impossible; ``is_staff`` is derived
    from it (only the system administrator uses the admin site) and ``is_superuser`` is
    forbidden by a database constraint.
    """

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
    # Personal data: SM4-encrypted at rest, shown masked except to the holder and the system
    # administrator (icdc.lib.masking.visible_phone). Find an account by number with
    # User.objects.filter(matching(User, "mobile_hash", number)).
    mobile = EncryptedCharField(
        _("联系电话"),
        max_length=11,
        blank=True,
        default="",
        validators=[RegexValidator(r"^1[3-9][0-9]{9}$", _("请输入 11 位手机号码。"))],
        help_text=_("本人手机号码；加密存储，仅本人和系统管理员可见完整号码"),
    )
    mobile_hash = BlindIndexField("mobile", verbose_name=_("联系电话检索索引"))
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示账号"), default=False, help_text=_("由演示数据创建；生产环境不应存在"))

    objects = AccountManager()

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=_("该用户名已被使用（不区分大小写）。"),
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="accounts_user_role_valid",
                violation_error_message=_("角色无效。"),
            ),
            models.CheckConstraint(
                condition=(Q(role__in=_DIVISION_ROLE_VALUES) & Q(division__isnull=False))
                | (~Q(role__in=_DIVISION_ROLE_VALUES) & Q(division__isnull=True)),
                name="accounts_user_division_matches_role",
                violation_error_message=_("城市申报单位和省级主管部门须绑定行政区划，其他角色不绑定。"),
            ),
            models.CheckConstraint(
                condition=Q(is_superuser=False),
                name="accounts_user_no_superuser",
                violation_error_message=_("平台不设超级用户（三权分立）。"),
            ),
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(role=Role.SYSTEM_ADMIN),
                name="accounts_user_staff_is_sysadmin",
                violation_error_message=_("只有系统管理员可以进入系统管理后台。"),
            ),
        ]

    def __str__(self):
        return self.display_name or self.username

    def clean(self):
        super().clean()
        errors = {}
        if self.username and User.objects.filter(username__iexact=self.username).exclude(pk=self.pk).exists():
            errors["username"] = [_("该用户名已被使用（不区分大小写）。")]
        if self.role in Role.values:
            try:
                division = self.division
            except Division.DoesNotExist:
                division = None  # clean_fields() has already reported the unknown division
            if messages := division_errors(self.role, division):
                errors["division"] = messages
        if self.is_superuser:
            errors["is_superuser"] = [_("平台不设超级用户（三权分立）。")]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.is_staff = self.role == Role.SYSTEM_ADMIN
        super().save(*args, **kwargs)


class PasswordHistory(models.Model):
    """Hashes of an account's passwords (current one included), so the last five are not reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    @classmethod
    def matches_recent(cls, user, raw_password, count):
        recent = list(cls.objects.filter(user=user)[:count])
        if user.password and user.password not in {h.password for h in recent}:
            recent = [cls(password=user.password)] + recent[: count - 1]
        return any(check_password(raw_password, h.password) for h in recent)


class AccountSession(AbstractBaseSession):
    """登录会话: Django's database session with the account it belongs to, so that an
    account's sessions can be found (and the older ones ended at login, SECURITY.md 身份鉴别)
    without decoding every session. Written by ``icdc.accounts.sessions.SessionStore``."""

    user_id = models.BigIntegerField(_("账号ID"), null=True, blank=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
