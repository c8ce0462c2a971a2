"""Reads for account pages (Styleguide: selectors read, services write)."""

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from .models import Role, User

#: The password the demo dataset (icdc.demo) gives every demo account; shown only in the demo.
DEMO_PASSWORD = "Icdc#Demo2026"

ROLE_ORDER = {role.value: i for i, role in enumerate(Role)}


def demo_accounts():
    """Demo accounts in role order (SPEC §1), for the console table and the demo login page."""
    users = User.objects.filter(is_demo=True, is_active=True).select_related("division")
    return sorted(users, key=lambda u: (ROLE_ORDER.get(u.role, 99), u.username))


def locked_attempts():
    """django-axes records that currently lock a username (5 failures within 15 minutes)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(attempt_time__gte=since, failures_since_start__gte=settings.AXES_FAILURE_LIMIT)


def is_locked(user):
    return locked_attempts().filter(username=user.username).exists()


def account_overview():
    """Counts for the system administrator's home page."""
    by_role = dict(User.objects.filter(is_active=True).values_list("role").annotate(n=Count("id")))
    return {
        "by_role": [(role.label, by_role.get(role.value, 0)) for role in Role],
        "inactive": User.objects.filter(is_active=False).count(),
        "must_change_password": User.objects.filter(is_active=True, must_change_password=True).count(),
        "locked": locked_attempts().values("username").distinct().count(),
    }
