"""Account operations (身份鉴别, 访问控制). Views, the admin site and commands all call these,
so each rule is enforced once and each change writes exactly one audit record.
"""

import contextlib

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.audit.registry import audited_elsewhere
from icdc.audit.services import record_event
from icdc.lib.masking import mask_phone

from .decorators import require_perm
from .models import PasswordHistory, User
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


def create_account(*, created_by, username, role, division=None, display_name="", password=None, is_demo=False):
    """Create an account (SECURITY.md 身份鉴别: unique ids, complex passwords).

    ``created_by`` is the system administrator creating it (checked, audited), or None
    for the platform itself (seed and demo commands). An account an administrator
    creates must change its password at first login. Without ``password`` the account
    cannot log in until an administrator sets one.
    """
    if created_by is not None:
        require_perm(created_by, "accounts.add_user")  # outside the transaction: the denial is kept
    with _recording_once():
        return _create_account(created_by, username, role, division, display_name, password, is_demo)


def _create_account(created_by, username, role, division, display_name, password, is_demo):
    user = User(
        username=username,
        role=role,
        division=division,
        display_name=display_name,
        is_demo=is_demo,
        must_change_password=created_by is not None,
    )
    user.set_unusable_password()
    user.full_clean()
    if password is not None:
        _validate_password(password, user)
        _store_password(user, password, must_change=user.must_change_password)
    else:
        user.save()
    record_event(action="account.created", user=created_by, obj=user, after=snapshot(user))
    return user


def check_self_edit(*, changed_by, user, new_role, active, old_role=None):
    """An administrator may not change their own role nor deactivate themselves: that is
    how one person would come to hold, or silently drop, an administrative power."""
    if changed_by is None or user.pk != changed_by.pk:
        return
    old_role = old_role if old_role is not None else User.objects.values_list("role", flat=True).get(pk=user.pk)
    if new_role != old_role or not active:
        raise ValidationError(_("不能修改本人账号的角色或停用本人账号，请由另一名系统管理员操作。"))


def update_account(*, changed_by, user):
    """Save an administrator's edit of ``user`` (fields already set on the instance).

    The administrator may not change their own role or deactivate themselves: that is
    how one person would end up holding, or losing, an administrative power unseen.
    """
    require_perm(changed_by, "accounts.change_user", user)
    with _recording_once():
        before = snapshot(User.objects.select_for_update().get(pk=user.pk))
        check_self_edit(
            changed_by=changed_by, user=user, new_role=user.role, active=user.is_active, old_role=before["role"]
        )
        user.full_clean(exclude=["password"])
        user.save()
        after = snapshot(user)
        if after != before:
            action = "account.role_changed" if after["role"] != before["role"] else "account.changed"
            record_event(action=action, user=changed_by, obj=user, before=before, after=after)
    return user


def change_password(*, user, new_password):
    """The account holder changes their own password (every 90 days; last 5 not reused)."""
    _validate_password(new_password, user)
    with _recording_once():
        _store_password(user, new_password, must_change=False)
        record_event(action="password.changed", user=user, obj=user)
    return user


def reset_password(*, reset_by, user, new_password):
    """An administrator sets a new password; the holder must change it at next login."""
    require_perm(reset_by, "accounts.change_user", user)
    _validate_password(new_password, user)
    with _recording_once():
        _store_password(user, new_password, must_change=user.pk != reset_by.pk)
        record_event(action="password.reset", user=reset_by, obj=user)
    return user


def unlock_account(*, unlocked_by, user):
    """Lift a login-failure lock before it runs out (the lockout message sends people here)."""
    from axes.utils import reset

    require_perm(unlocked_by, "accounts.change_user", user)
    with transaction.atomic():
        reset(username=user.username)
        record_event(action="account.unlocked", user=unlocked_by, obj=user)
