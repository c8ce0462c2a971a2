"""Two re-checks of one run at once: the run's status is always the outcome of its latest check.

``reproduce_run`` locks the run row (``select_for_update``) around "record the check, set the
status". Without the lock, a slower re-check could set its status after a newer one had
recorded its check and status, leaving the run marked with an outcome that is not its latest.
"""

import threading

import pytest
from django.db import connection
from django.db.models.signals import post_save

from icdc.rankings.models import ReproductionCheck, ScoringRun
from icdc.rankings.services import reproduce_run

from . import helpers

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="needs PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_rechecks_leave_the_status_of_the_latest_check(draft_version, cities, role_users):
    from icdc.accounts.models import Role

    officer = role_users[Role.MINISTRY_OFFICER]
    helpers.make_figures(draft_version, officer)
    run = helpers.create_comp_run(officer, draft_version)
    # The first re-check is given a copy whose result differs (a mismatch); the second the true run.
    changed = ScoringRun.objects.get(pk=run.pk)
    changed.result_text = changed.result_text.replace("89.", "88.", 1)
    first_checked, second_done, errors = threading.Event(), threading.Event(), []

    def hold_the_first(sender, instance, created, **kwargs):
        # Inside the first re-check's transaction, after its check row and before its status:
        # wait for the second to finish (it can only if nothing holds it back), at most 3 s.
        if created and threading.current_thread().name == "first":
            first_checked.set()
            second_done.wait(timeout=3)

    def recheck(instance, wait_for=None, done=None):
        try:
            if wait_for is not None:
                wait_for.wait(timeout=10)
            reproduce_run(user=officer, run=instance)
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            if done is not None:
                done.set()
            connection.close()

    post_save.connect(hold_the_first, sender=ReproductionCheck, weak=False)
    try:
        threads = [threading.Thread(target=recheck, args=(changed,), name="first"),
                   threading.Thread(target=recheck, args=(ScoringRun.objects.get(pk=run.pk), first_checked,
                                                          second_done), name="second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        post_save.disconnect(hold_the_first, sender=ReproductionCheck)

    assert errors == []
    checks = list(ReproductionCheck.objects.filter(run=run).order_by("id"))
    assert [c.matched for c in checks] == [False, True]  # the first check was recorded first
    latest = checks[-1]
    assert ScoringRun.objects.get(pk=run.pk).status == ScoringRun.Status.VERIFIED == (
        ScoringRun.Status.VERIFIED if latest.matched else ScoringRun.Status.MISMATCH)
