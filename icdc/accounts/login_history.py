"""The account holder's own logins and failed attempts, read from the audit trail.

等保 practice (身份鉴别): after login the user is told when and from where they last logged
in and how many attempts failed since, so that someone else's use of the account is
noticed by its owner; 我的账号 lists the latest ten.
"""

from django.contrib import messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.audit.actions import stored_codes
from icdc.audit.models import AuditRecord

SUCCESS = "accounts.session.login"
#: password refused, refused while locked, second factor refused
FAILURES = ("accounts.session.login_failed", "accounts.account.lock", "accounts.otp.verify_fail")
LIMIT = 10


def _of(user):
    # A failed password attempt has no actor (nobody is logged in): it names the account
    # as its object. A login and a refused code have the account as their actor.
    return Q(actor_id=user.pk) | Q(object_type="accounts.user", object_id=str(user.pk))


def recent_logins(user, limit=LIMIT):
    """The latest logins and failed attempts of ``user``, newest first."""
    records = AuditRecord.objects.filter(_of(user), action__in=stored_codes(SUCCESS, *FAILURES)).order_by("-seq")
    return list(records.only("occurred_at", "ip_address", "action", "result")[:limit])


def previous_login_summary(user):
    """``(last login record or None, failures since it)``, read *before* this login is recorded."""
    last = AuditRecord.objects.filter(actor_id=user.pk, action__in=stored_codes(SUCCESS)).order_by("-seq").first()
    failures = AuditRecord.objects.filter(_of(user), action__in=stored_codes(*FAILURES))
    if last is not None:
        failures = failures.filter(seq__gt=last.seq)
    return last, failures.count()


def tell_after_login(request, user):
    """The one-time message after login: 上次登录 time and IP; failures since."""
    last, failures = previous_login_summary(user)
    if last is None:
        text = _("这是该账号的首次登录。")
    else:
        when = timezone.localtime(last.occurred_at).strftime("%Y-%m-%d %H:%M")
        text = _("上次登录：%(when)s，IP %(ip)s。") % {"when": when, "ip": last.ip_address or "-"}
    if failures:
        text += " " + _("自上次登录以来登录失败 %(n)d 次，如非本人操作，请立即修改密码。") % {"n": failures}
        level = messages.WARNING
    else:
        text += " " + _("自上次登录以来没有失败的登录尝试。")
        level = messages.INFO
    messages.add_message(request, level, text, fail_silently=True)
