"""Reads for the system administrator's account pages (selectors read, services write)."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from icdc.divisions import selectors as divisions
from icdc.divisions.models import Division

from .models import User
from .selectors import locked_attempts


def accounts(*, q="", role="", province=None, active=None, locked=None):
    """Accounts matching the list's search (username or name) and filters, each annotated with
    ``locked`` (django-axes holds a current lock on its username)."""
    rows = User.objects.select_related("division", "division__parent").annotate(
        locked=Exists(locked_attempts().filter(username=OuterRef("username")))
    )
    if q:
        rows = rows.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if role:
        rows = rows.filter(role=role)
    if province is not None:
        rows = rows.filter(Q(division=province) | Q(division__parent=province))
    if active is not None:
        rows = rows.filter(is_active=active)
    if locked is not None:
        rows = rows.filter(locked=locked)
    return rows.order_by("username", "pk")


def lock_of(account):
    """The current lock on ``account``'s username, or None: failures, last attempt, address, and
    when the lock runs out by itself."""
    attempt = locked_attempts().filter(username=account.username).order_by("-attempt_time").first()
    if attempt is None:
        return None
    return {
        "failures": attempt.failures_since_start,
        "last_attempt": attempt.attempt_time,
        "ip_address": attempt.ip_address,
        "until": attempt.attempt_time + settings.AXES_COOLOFF_TIME,
        "expired": attempt.attempt_time + settings.AXES_COOLOFF_TIME <= timezone.now(),
    }


def provinces():
    """Province-level units for the picker, in code order."""
    return divisions.provinces().order_by("code")


def cities_for(province):
    """Cities a city applicant of ``province`` may be bound to: its prefecture-level units that
    may apply, or, for a 直辖市, the municipality itself (it is the city, Art. 5)."""
    if province is None:
        return Division.objects.none()
    return Division.objects.filter(Q(pk=province.pk) | Q(parent=province), can_apply=True).order_by("level", "code")
