"""The start-up key check must not leave a database connection open in the process that runs it.

gunicorn ``--preload`` imports ``icdc.wsgi`` in the master and then forks the workers: with
persistent connections (``CONN_MAX_AGE``) a connection opened by the check would be shared by
every worker, whose queries then interleave on one socket ("Session data corrupted",
IndexError deep in the ORM — seen by bench/web.py). The check closes what it opened.
"""

import pytest
from django.db import connections

from icdc.keyring.checks import refuse_to_start_with_bad_keys


@pytest.mark.postgres
@pytest.mark.skipif(connections["default"].vendor != "postgresql",
                    reason="SQLite's in-memory test database is never closed; needs PostgreSQL (DATABASE_URL=postgres://...)")
@pytest.mark.django_db(transaction=True)
def test_the_start_up_check_closes_its_connection():
    connections["default"].close()
    refuse_to_start_with_bad_keys()
    assert connections["default"].connection is None
