"""Account policy decisions (plain functions over a user; used by middleware and views)."""

from django.conf import settings
from django.utils import timezone

from .models import TWO_FACTOR_ROLES

ALWAYS_REACHABLE_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/jsi18n/")


def needs_password_change(user):
    if user.must_change_password:
        return True
    changed = user.password_changed_at
    return changed is not None and timezone.now() - changed > settings.ICDC_PASSWORD_MAX_AGE


def requires_two_factor(user):
    return settings.ICDC_REQUIRE_2FA and user.role in TWO_FACTOR_ROLES


def has_confirmed_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_otp_setup(user):
    return requires_two_factor(user) and not has_confirmed_device(user)


def needs_otp_verification(request, user):
    return requires_two_factor(user) and not user.is_verified()


def expire_session(request, user):
    from icdc.audit.services import record_event

    record_event(request=request, user=user, action="session.expired", result="ok")
