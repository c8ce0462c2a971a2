"""Account operations (身份鉴别, 访问控制). The account pages (``views_manage``) and the
server-side command (``admin_account``) call these, so each rule is enforced once and each
change writes exactly one audit record.

Who may do what (三权分立, SECURITY.md 访问控制):

- ``changed_by`` is a ``User``: the system administrator in the platform. They manage every
  account *except* those of the system and audit administrator roles, and give no account
  one of those roles; they never change their own role nor deactivate themselves.
- ``changed_by`` is ``None``: the server-side command run by the operator on the server
  (its ``note`` names the OS account), or the platform's own seed commands. Only this side
  creates, changes and deactivates the administrators' accounts.
- Whoever asks: the platform never ends up without an active audit administrator (nor
  without an active system administrator).

Refusals are ``Refusal`` with a Chinese message; a caller without the permission at all gets
the audited ``PermissionDenied`` of ``require_perm``.
"""

import contextlib
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icdc.audit.registry import audited_elsewhere
from icdc.audit.services import record_event
from icdc.lib.masking import mask_phone
from icdc.lib.refusals import Refusal

from .decorators import require_perm
from .models import ALWAYS_STAFFED_ROLES, SERVER_MANAGED_ROLES, PasswordHistory, Role, User
from .passwords import PasswordHistoryValidator

#: What an audit record shows of an account before and after a change (never the hash).
AUDITED_FIELDS = ("username", "display_name", "role", "division_id", "is_active", "must_change_password")


@contextlib.contextmanager
def _recording_once():
    """One transaction in which the service writes its own, telling audit record, so the
    generic ``data.*`` record of the same save is suppressed (one event, one record)."""
    with transaction.atomic(), audited_elsewhere():
        yield


def snapshot(user):
    values = {name: getattr(user, name) for name in AUDITED_FIELDS}
    # The mobile number is personal data (SM4 at rest): the audit trail records that it
    # changed, never the number itself.
    values["mobile"] = mask_phone(user.mobile) if user.mobile else ""
    return values


def history_length():
    """How many passwords the configured PasswordHistoryValidator forbids reusing."""
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, PasswordHistoryValidator):
            return validator.history
    return 5


def _validate_password(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _store_password(user, raw_password, *, must_change):
    """Set the password, stamp its age, and keep the last N hashes (older ones are removed:
    剩余信息保护 — no more old hashes than the reuse rule needs)."""
    user.set_password(raw_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change
    user.save()
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[: history_length()]
    PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()


SERVER_MANAGED_MESSAGE = _(
    "系统管理员和审计管理员账号只能由运维人员在服务器上用命令 manage.py admin_account 创建、修改和停用，"
    "不能在平台上操作（三权分立）。"
)


def _refuse_server_managed(changed_by, *roles):
    """In the platform, no account of an administrator role is made, changed or given."""
    if changed_by is not None and any(role in SERVER_MANAGED_ROLES for role in roles):
        raise Refusal(SERVER_MANAGED_MESSAGE, code="server_managed_role")


def _keep_one_active(role, *, leaving):
    """Refuse to let ``leaving`` (an active account of ``role``) stop being one, if it is the last.

    The caller holds the role's lock (``_lock_account`` locks every active account of the
    role): two administrators deactivating the last two audit administrators at once would
    otherwise each see the other still active, and both succeed. With the lock the second
    waits, then reads the committed state and sees one left.
    """
    if role not in ALWAYS_STAFFED_ROLES:
        return
    others = User.objects.filter(role=role, is_active=True).exclude(pk=leaving.pk)
    if not others.exists():
        raise Refusal(
            _("“%(name)s”是平台最后一个在用的%(role)s账号，不能停用或改为其他角色。请先创建另一个%(role)s账号。"),
            code="last_active_of_role",
            params={"name": leaving.username, "role": Role(role).label},
        )


def _lock_account(pk):
    """The account-change lock: the row is read and changed by one writer at a time, so each
    audit record's "before" is what the account really was (not what a concurrent writer had
    already replaced) and the checks see committed values.

    For an account of a role that must stay staffed, every active account of that role is
    locked first, in primary-key order, before the row itself: two writers each taking their
    own row first and then the role's rows would deadlock.
    """
    role = User.objects.values_list("role", flat=True).get(pk=pk)
    if role in ALWAYS_STAFFED_ROLES:
        list(User.objects.select_for_update().filter(role=role, is_active=True).order_by("pk").values_list("pk"))
    return User.objects.select_for_update().get(pk=pk)


def temporary_password():
    """A one-time password the administrator hands over; the holder must change it at first
    login. 14 characters from all four classes (SECURITY.md: ≥ 10, 3 of 4), without look-alikes."""
    classes = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "#%+=@!?-"]
    chars = [secrets.choice(group) for group in classes]
    chars += [secrets.choice("".join(classes)) for _i in range(14 - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def create_account(
    *, created_by, username, role, division=None, display_name="", mobile="", password=None, is_demo=False, note="",
    must_change_password=None,
):
    """Create an account (SECURITY.md 身份鉴别: unique ids, complex passwords).

    ``created_by`` is the system administrator creating it in the platform (checked, audited;
    never an administrator role), or None for the server side (the ``admin_account`` command,
    seed and demo commands). By default an account an administrator creates must change its
    password at first login. Without ``password`` the account cannot log in until one is set.
    """
    if created_by is not None:
        require_perm(created_by, "accounts.add_user")  # outside the transaction: the denial is kept
    _refuse_server_managed(created_by, role)
    with _recording_once():
        user = User(
            username=username,
            role=role,
            division=division,
            display_name=display_name,
            mobile=mobile,
            is_demo=is_demo,
            must_change_password=created_by is not None if must_change_password is None else must_change_password,
        )
        user.set_unusable_password()
        user.full_clean()
        if password is not None:
            _validate_password(password, user)
            _store_password(user, password, must_change=user.must_change_password)
        else:
            user.save()
        record_event(action="accounts.account.create", user=created_by, obj=user, after=snapshot(user), detail=note)
        return user


def check_self_edit(*, changed_by, user, new_role, active, old_role=None):
    """An administrator may not change their own role nor deactivate themselves: that is
    how one person would come to hold, or silently drop, an administrative power."""
    if changed_by is None or user.pk != changed_by.pk:
        return
    old_role = old_role if old_role is not None else User.objects.values_list("role", flat=True).get(pk=user.pk)
    if new_role != old_role or not active:
        raise Refusal(_("不能修改本人账号的角色或停用本人账号。"), code="own_account")


def update_account(*, changed_by, user, note=""):
    """Save an edit of ``user`` (fields already set on the instance): by the system
    administrator in the platform, or by the server-side command (``changed_by=None``).

    Refused: one's own role or deactivation; in the platform, any account of an administrator
    role or a change to one; the last active audit (or system) administrator losing the role.
    """
    if changed_by is not None:
        require_perm(changed_by, "accounts.manage_accounts")
    with _recording_once():
        current = _lock_account(user.pk)
        before = snapshot(current)
        check_self_edit(
            changed_by=changed_by, user=user, new_role=user.role, active=user.is_active, old_role=current.role
        )
        _refuse_server_managed(changed_by, current.role, user.role)
        if current.is_active and (not user.is_active or user.role != current.role):
            _keep_one_active(current.role, leaving=current)
        user.full_clean(exclude=["password"])
        user.save()
        after = snapshot(user)
        if after != before:
            action = "accounts.account.change_role" if after["role"] != before["role"] else "accounts.account.update"
            record_event(action=action, user=changed_by, obj=user, before=before, after=after, detail=note)
    return user


def account_deactivate(*, changed_by, account, note=""):
    """Deactivate an account (never deleted: the audit trail keeps naming it). It can no longer
    log in, and its open sessions stop working at their next request (the backend refuses
    inactive accounts)."""
    if changed_by is not None:
        require_perm(changed_by, "accounts.manage_accounts")
    with _recording_once():
        current = _lock_account(account.pk)
        check_self_edit(changed_by=changed_by, user=current, new_role=current.role, active=False,
                        old_role=current.role)
        _refuse_server_managed(changed_by, current.role)
        if not current.is_active:
            raise Refusal(_("该账号已经停用。"), code="already_inactive")
        _keep_one_active(current.role, leaving=current)
        before = snapshot(current)
        current.is_active = False
        current.save(update_fields=["is_active"])
        record_event(action="accounts.account.deactivate", user=changed_by, obj=current, before=before,
                     after=snapshot(current), detail=note)
    account.is_active = False
    return current


def account_reactivate(*, changed_by, account, note=""):
    """Let a deactivated account log in again (its password and two-factor set-up unchanged)."""
    if changed_by is not None:
        require_perm(changed_by, "accounts.manage_accounts")
    with _recording_once():
        current = _lock_account(account.pk)
        _refuse_server_managed(changed_by, current.role)
        if current.is_active:
            raise Refusal(_("该账号已经是在用状态。"), code="already_active")
        before = snapshot(current)
        current.is_active = True
        current.save(update_fields=["is_active"])
        record_event(action="accounts.account.reactivate", user=changed_by, obj=current, before=before,
                     after=snapshot(current), detail=note)
    account.is_active = True
    return current


def change_password(*, user, new_password):
    """The account holder changes their own password (every 90 days; last 5 not reused)."""
    _validate_password(new_password, user)
    with _recording_once():
        _store_password(user, new_password, must_change=False)
        record_event(action="accounts.password.change", user=user, obj=user)
    return user


def reset_password(*, reset_by, user, new_password, note=""):
    """An administrator (or the server-side command) sets a new password; the holder must
    change it at next login. In the platform, never an administrator role's account: whoever
    could set the audit administrator's password could read the audit trail as them."""
    if reset_by is not None:
        require_perm(reset_by, "accounts.manage_accounts")
    _refuse_server_managed(reset_by, user.role)
    _validate_password(new_password, user)
    with _recording_once():
        _lock_account(user.pk)
        _store_password(user, new_password, must_change=reset_by is None or user.pk != reset_by.pk)
        record_event(action="accounts.password.reset", user=reset_by, obj=user, detail=note)
    return user


def account_password_reset(*, reset_by, account, note=""):
    """Reset to a fresh temporary password and return it, to be shown once and handed over."""
    for _attempt in range(5):  # a random password may, rarely, resemble the username
        password = temporary_password()
        try:
            _validate_password(password, account)
        except ValidationError:
            continue
        reset_password(reset_by=reset_by, user=account, new_password=password, note=note)
        return password
    raise Refusal(_("未能生成符合密码规则的临时密码，请重试。"), code="no_temporary_password")


def unlock_account(*, unlocked_by, user, note=""):
    """Lift a login-failure lock before it runs out (the lockout message sends people here),
    through django-axes's own reset. In the platform, not an administrator role's account:
    unlocking it again and again would let its password be guessed without limit."""
    from axes.utils import reset

    if unlocked_by is not None:
        require_perm(unlocked_by, "accounts.manage_accounts")
    _refuse_server_managed(unlocked_by, user.role)
    with transaction.atomic():
        count = reset(username=user.username)
        record_event(action="accounts.account.unlock", user=unlocked_by, obj=user, detail=note or str(count))
    return count


def authenticator_reset_by_command(*, account, note):
    """The server side removes an administrator's authenticators (lost phone); they enrol again
    at next login. In the platform ``two_factor.reset_devices`` does this for other accounts."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        count, _deleted = TOTPDevice.objects.filter(user=account).delete()
        record_event(action="accounts.otp.reset", obj=account, detail=f"{note} ({count})")
    return count
