"""Account policy decisions (plain functions over a user; used by middleware and views).

SECURITY.md 身份鉴别: a password older than 90 days or set by an administrator must be
changed; ministry, expert and administrator accounts log in with a second factor.
"""

from django.conf import settings
from django.contrib import auth
from django.utils import timezone
from django.utils.translation import gettext as _

from . import two_factor
from .models import TWO_FACTOR_ROLES

#: URL name of each step an account may be held at before it reaches anything else.
OTP_VERIFY = "accounts:otp_verify"
OTP_SETUP = "accounts:otp_setup"
PASSWORD_CHANGE = "accounts:password_change"

#: Always reachable, whatever step is pending (leaving, switching language, assets).
EXEMPT_URL_NAMES = ("accounts:logout",)
EXEMPT_PREFIXES = ("/static/", "/i18n/", "/jsi18n/")

#: request attribute telling the logout signal why the session ended
LOGOUT_REASON_ATTR = "icdc_logout_reason"


def idle_minutes():
    return int(settings.ICDC_IDLE_TIMEOUT.total_seconds() // 60)


def password_expired(user):
    changed = user.password_changed_at
    return changed is not None and timezone.now() - changed > settings.ICDC_PASSWORD_MAX_AGE


def needs_password_change(user):
    return user.must_change_password or password_expired(user)


def password_change_reason(user):
    """The message on the forced password-change page, or "" if the change is voluntary."""
    if user.must_change_password:
        return _("这是您首次登录或密码已由管理员重置，请先设置新密码。")
    if password_expired(user):
        days = settings.ICDC_PASSWORD_MAX_AGE.days
        return _("您的密码已超过 %(days)d 天未修改，请先修改密码。") % {"days": days}
    return ""


def requires_two_factor(user):
    return settings.ICDC_REQUIRE_2FA and user.role in TWO_FACTOR_ROLES


def _is_verified(user):
    # OTPMiddleware gives request.user ``is_verified``; a bare user has no second factor.
    return getattr(user, "is_verified", lambda: False)()


def pending_step(user, *, otp_enrolled=False):
    """The URL name of the step ``user`` must complete first, or None.

    With an enrolled authenticator the code comes first, so that a password alone
    cannot even change the password. Without one, the password is changed before the
    authenticator is enrolled. ``otp_enrolled``: the account (of a role not obliged to)
    enrolled one of its own accord (from 我的账号), so its code is asked for too.
    """
    if requires_two_factor(user) and not _is_verified(user):
        if two_factor.has_confirmed_device(user):
            return OTP_VERIFY
        return PASSWORD_CHANGE if needs_password_change(user) else OTP_SETUP
    # (the query runs only for such a session until it is verified: the flag says enrolled
    # at login, but the authenticator may have been reset since; without one, no step)
    if otp_enrolled and not _is_verified(user) and two_factor.has_confirmed_device(user):
        return OTP_VERIFY
    if needs_password_change(user):
        return PASSWORD_CHANGE
    return None


def is_idle_expired(last_seen, now=None):
    now = now or timezone.now()
    return last_seen is not None and now.timestamp() - last_seen > settings.ICDC_IDLE_TIMEOUT.total_seconds()


def last_seen_is_stale(last_seen, now):
    """Whether the last-seen stamp is due a rewrite (at most once per ICDC_SESSION_STAMP_SECONDS:
    writing the session on every request cost more than the page)."""
    return last_seen is None or now.timestamp() - last_seen >= settings.ICDC_SESSION_STAMP_SECONDS


def expire_session(request):
    """End an idle session; the logout signal audits it as ``session.expired``."""
    setattr(request, LOGOUT_REASON_ATTR, "expired")
    auth.logout(request)


def session_expired_message():
    return _("您已超过 %(n)d 分钟未操作，会话已过期，请重新登录。") % {"n": idle_minutes()}


def session_displaced_message():
    return _("您的账号已在其他地方登录，本会话已结束。如非本人操作，请立即修改密码。")


def lockout_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message():
    return _("登录失败次数过多，该账号已被锁定 %(n)d 分钟。请稍后再试，或联系系统管理员解锁。") % {
        "n": lockout_minutes()
    }


def show_demo_logins():
    """The embedded demo lists its accounts on the login page; never with 2FA on or DEBUG off."""
    return settings.DEBUG and not settings.ICDC_REQUIRE_2FA
