"""The account-change lock (``services._lock_account``), under real concurrency: two threads,
each with its own PostgreSQL connection. Without the lock both tests fail: the second writer
reads the row before the first commits.

The first writer acts inside an open transaction and holds it until the second writer has
finished or has waited for a while: with the lock the second writer waits and then sees the
first one's change; without it, it goes ahead on stale data. Either way the outcome is the
same on every run (the wait only decides how long the test takes).
"""

import threading

import pytest
from django.db import connection, transaction

from icdc.accounts import services
from icdc.accounts.models import Role, User
from icdc.lib.refusals import Refusal
from tests.accounts.conftest import audit
from tests.factories import make_user

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=...)")
pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db(transaction=True)]

HOLD_SECONDS = 2  # how long the first writer keeps its transaction open if the second does not finish


def race(first, second):
    """Run ``first`` in a transaction held open until ``second`` (in another thread) is done or
    has been blocked for HOLD_SECONDS; return what each raised (None if nothing)."""
    first_done, second_done = threading.Event(), threading.Event()
    outcome = {}

    def run_first():
        try:
            with transaction.atomic():
                first()
                first_done.set()
                second_done.wait(HOLD_SECONDS)
            outcome["first"] = None
        except Exception as exc:  # reported by the test
            outcome["first"] = exc
        finally:
            first_done.set()
            connection.close()

    def run_second():
        first_done.wait(30)
        try:
            second()
            outcome["second"] = None
        except Exception as exc:  # reported by the test
            outcome["second"] = exc
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcome["first"], outcome["second"]


def test_two_concurrent_deactivations_of_the_last_two_audit_administrators_leave_one_active():
    one, two = make_user(Role.AUDIT_ADMIN, username="audit_one"), make_user(Role.AUDIT_ADMIN, username="audit_two")

    first, second = race(lambda: services.account_deactivate(changed_by=None, account=one, note="test"),
                         lambda: services.account_deactivate(changed_by=None, account=two, note="test"))

    assert first is None
    assert isinstance(second, Refusal) and second.code == "last_active_of_role"
    assert list(User.objects.filter(role=Role.AUDIT_ADMIN, is_active=True).values_list("username", flat=True)) == [
        "audit_two"]
    assert audit("accounts.account.deactivate").count() == 1


def test_concurrent_edits_of_one_account_each_audit_what_the_account_really_was():
    sysadmin = make_user(Role.SYSTEM_ADMIN, username="it_admin")
    expert = make_user(Role.EXPERT, username="expert_x", display_name="原名")

    def rename(name):
        def act():
            account = User.objects.get(pk=expert.pk)
            account.display_name = name
            services.update_account(changed_by=sysadmin, user=account)
        return act

    first, second = race(rename("甲"), rename("乙"))

    assert (first, second) == (None, None)
    records = list(audit("accounts.account.update").order_by("seq"))
    assert [(r.before["display_name"], r.after["display_name"]) for r in records] == [("原名", "甲"), ("甲", "乙")]
    assert User.objects.get(pk=expert.pk).display_name == "乙"
