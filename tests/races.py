"""Two writers at once, each on its own PostgreSQL connection, in a fixed order.

``race(holder, contender)`` runs ``holder`` in a thread inside a transaction and keeps that
transaction open until ``contender`` (in a second thread) is either waiting for a row lock or
finished, then commits. With the service's ``select_for_update`` in place the contender waits
and then sees the holder's committed state; without it the contender works from the state
before the holder's change, and the test built on this sees the difference. No sleeps decide
the order: the database says when the contender is waiting (``pg_stat_activity``).
"""

import threading
import time
from dataclasses import dataclass

from django.db import connection, connections, transaction

WAIT_LIMIT = 20  # seconds; a healthy race takes well under one


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None


def _waiting_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0] > 0


def _run(outcome, work, *, hold=None, held=None):
    try:
        with transaction.atomic():
            outcome.value = work()
            if held is not None:
                held.set()
                hold.wait(WAIT_LIMIT)
    except BaseException as exc:  # handed to the test, which asserts on it
        outcome.error = exc
    finally:
        if held is not None:
            held.set()
        connections.close_all()


def race(holder, contender):
    """(holder's Outcome, contender's Outcome); the holder commits first."""
    first, second = Outcome(), Outcome()
    held, hold = threading.Event(), threading.Event()
    holding = threading.Thread(target=_run, args=(first, holder), kwargs={"hold": hold, "held": held})
    holding.start()
    held.wait(WAIT_LIMIT)
    contending = threading.Thread(target=_run, args=(second, contender))
    contending.start()
    deadline = time.monotonic() + WAIT_LIMIT
    while contending.is_alive() and not _waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    hold.set()
    holding.join(WAIT_LIMIT)
    contending.join(WAIT_LIMIT)
    assert first.error is None, first.error
    return first, second
