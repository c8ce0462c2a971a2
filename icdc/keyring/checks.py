"""Start-up refusal for missing or substituted keys (``manage.py check --database default``,
every ``migrate``, and the WSGI start-up in ``icdc/wsgi.py``)."""

import logging

from django.core.checks import Error, Warning, register
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from .purposes import Purpose
from .services import KeyUnavailable, key_problems

logger = logging.getLogger(__name__)


@register("security")
def check_keys_against_database(app_configs=None, databases=None, **kwargs):
    """With ``--database`` (and in every ``migrate``): missing key files and fingerprints.

    Without it, Django's rule for checks is not to query; the one exception made here is a
    missing key file, since only the database can tell a first set-up from a lost key —
    a healthy installation is not queried. An unreachable database then gives a warning.
    """
    findings = []
    for alias in databases or ["default"]:
        try:
            findings += [Error(message, id="keys.E001")
                         for message in key_problems(using=alias, fingerprints=bool(databases))]
            # The web application never uses the backup key: a missing one is for the operator to fix.
            findings += [Warning(message, id="keys.W001") for message in
                         key_problems(using=alias, purposes=(Purpose.BACKUP,), fingerprints=bool(databases))]
        except DatabaseError as exc:
            findings.append(Warning(_("密钥文件缺失，但无法连接数据库判断是否为首次安装：%(error)s") % {"error": exc},
                                    id="keys.W002"))
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
    finally:
        # gunicorn --preload runs this in the master and then forks: a connection left open
        # here (CONN_MAX_AGE keeps it) would be shared by every worker on one socket.
        # (Inside a transaction, e.g. a test's, the caller owns the connection: leave it.)
        if not connections[using].in_atomic_block:
            connections[using].close()
    if problems:
        raise KeyUnavailable("\n".join(problems))
