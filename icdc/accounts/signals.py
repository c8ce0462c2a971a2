"""Audit of login, login failure, lockout and logout (SECURITY.md 安全审计).

Each event writes exactly one record. A refused attempt on a locked account reaches
``user_login_failed`` too; django-axes's receiver (connected first, as axes comes before
accounts in INSTALLED_APPS) flags the request as locked out and sends ``user_locked_out``,
which records it as ``login.locked`` — so the failure receiver leaves such attempts alone.
"""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.utils import timezone

from icdc.audit.services import record_event

from . import login_history, policy, sessions, two_factor
from .middleware import LAST_SEEN_KEY


def _account(username):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def on_logged_in(sender, request, user, **kwargs):
    if request is not None:
        request.session[LAST_SEEN_KEY] = timezone.now().timestamp()
        request.session.pop(sessions.DISPLACED_KEY, None)  # carried over from an ended session
        request.session[two_factor.ENROLLED_SESSION_KEY] = two_factor.has_confirmed_device(user)
        login_history.tell_after_login(request, user)  # before this login is recorded
    record_event(request=request, user=user, action="accounts.session.login", result="ok")
    sessions.end_older_sessions(request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "axes_locked_out", False):
        return  # recorded once, as login.locked, by on_locked_out
    username = (credentials or {}).get("username") or ""
    record_event(request=request, action="accounts.session.login_failed", obj=_account(username), result="failed")


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    failures = getattr(request, "axes_failures_since_start", 0) or 0
    if failures == settings.AXES_FAILURE_LIMIT:
        detail = f"连续 {failures} 次登录失败，账号锁定 {policy.lockout_minutes()} 分钟"
    else:
        detail = "账号锁定期间的登录尝试被拒绝"
    record_event(request=request, action="accounts.account.lock", obj=_account(username), result="locked", detail=detail)


def on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return  # nobody was logged in
    action = "accounts.session.expire" if getattr(request, policy.LOGOUT_REASON_ATTR, "") == "expired" else "accounts.session.logout"
    record_event(request=request, user=user, action=action, result="ok")


def connect():
    from django.db.models.signals import post_delete

    from .models import AccountSession

    post_delete.connect(sessions.on_session_row_deleted, sender=AccountSession,
                        dispatch_uid="icdc.accounts.session_row_deleted")
    user_logged_in.connect(on_logged_in, dispatch_uid="icdc.accounts.audit_login")
    user_login_failed.connect(on_login_failed, dispatch_uid="icdc.accounts.audit_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="icdc.accounts.audit_locked_out")
    user_logged_out.connect(on_logged_out, dispatch_uid="icdc.accounts.audit_logout")
