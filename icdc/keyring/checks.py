"""Start-up refusal for missing or substituted keys (``manage.py check --database default``,
every ``migrate``, and the WSGI start-up in ``icdc/wsgi.py``)."""

import logging

from django.core.checks import Error, Warning, register
from django.db import DatabaseError

from .purposes import Purpose
from .services import KeyUnavailable, key_problems

logger = logging.getLogger(__name__)


@register("security")
def check_keys_against_database(app_configs=None, databases=None, **kwargs):
    """Only with a database (Django's rule for checks that query): without one a missing key
    file may be a first set-up, which only the database can tell."""
    if not databases:
        return []
    findings = []
    for alias in databases:
        findings += [Error(message, id="keys.E001") for message in key_problems(using=alias)]
        # The web application never uses the backup key: a missing one is for the operator to fix.
        findings += [Warning(message, id="keys.W001")
                     for message in key_problems(using=alias, purposes=(Purpose.BACKUP,))]
    return findings


def refuse_to_start_with_bad_keys(using="default"):
    """Raise ``KeyUnavailable`` rather than serve a single request with a missing or wrong key.

    An unreachable database does not stop the start (it may come up later); the first
    use of a key (``fingerprint_confirm`` and the key loaders) still refuses then.
    """
    try:
        problems = key_problems(using=using)
    except DatabaseError as exc:
        logger.warning("Keys not compared with the database at start-up: %s", exc)
        return
    if problems:
        raise KeyUnavailable("\n".join(problems))
