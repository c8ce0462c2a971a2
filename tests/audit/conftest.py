import contextlib
import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from icdc.audit.services import record_event


def tamper(sql, params=()):
    """Change the table behind the application's back, as a DBA with full rights would.

    On PostgreSQL the append-only trigger refuses UPDATE/DELETE even by SQL, so this plays
    the superuser who switches triggers off for the session; the chain must still tell.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def write_events(count, action="test.event", **kwargs):
    return [record_event(action=action, detail=f"事件 {i}", **kwargs) for i in range(count)]


@contextlib.contextmanager
def clock_at(when):
    """Make the audit writer believe it is ``when`` (for records past the retention period)."""
    real_now = timezone.now
    timezone.now = lambda: when
    try:
        yield
    finally:
        timezone.now = real_now


def days_ago(days):
    return timezone.now() - dt.timedelta(days=days)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
)


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # The auditor's verification is a django-tasks task; here it runs inside the request
    # that enqueues it, as db_worker would run it a moment later.
    settings.TASKS = IMMEDIATE_TASKS
