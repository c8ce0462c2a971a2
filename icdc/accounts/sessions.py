"""Sessions that know their account, and the limit on concurrent sessions per account.

等保 practice (身份鉴别/访问控制): one account, a bounded number of live sessions
(``ICDC_MAX_SESSIONS_PER_USER``, default 1). At login the *older* sessions are ended, rather
than the new login refused: refusing would let whoever holds a stolen session keep the owner
out, and would lock out someone who closed the browser without logging out for the idle
period. The ended session is told why at its next request, and the ending is audited.

Two engines over the same table (``AccountSession``, the account id beside each session):

- ``icdc.accounts.sessions`` (``SessionStore``): the database only. The default, and the only
  one with a per-process cache (the embedded locmem default): a copy in one worker's memory
  would outlive a logout or a displacement done by another worker.
- ``icdc.accounts.cached_sessions`` (``CachedSessionStore``): chosen by settings when the cache
  is shared by every worker (``CACHE_URL=redis://…``). Django's ``cached_db`` — read from the
  cache, written to the database and the cache — with the holes a shared cache leaves closed:
  a deleted session leaves a tombstone in the cache for as long as a session can live, and a
  copy read from the database is put in the cache only if nothing is there (``add``), so a
  request that read the session just before a logout cannot put it back; a session whose row
  was deleted behind the cache is tombstoned at its next save; a displaced session's new
  data is written to the cache too; and deleting ``AccountSession`` rows through the ORM
  (``.delete()``, ``clearsessions``) tombstones them (``post_delete``). Raw SQL that deletes
  or rewrites session rows would bypass that: don't (use ``end_older_sessions`` or the store).
"""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseSessionStore
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from icdc.audit.services import record_event

#: Left in an ended session (now anonymous), so its next request can say why it was ended.
DISPLACED_KEY = "icdc_displaced"
#: What the cache holds for a deleted session (session data is always a dict).
TOMBSTONE = "icdc-session-deleted"
CACHED_ENGINE = "icdc.accounts.cached_sessions"

logger = logging.getLogger(__name__)


class _AccountSessions:
    """Sessions in ``AccountSession``, the account id written beside the session data."""

    #: Django signs session data with a salt named after the store class; both stores use the
    #: database store's, so each reads what the other wrote (a row written while the cache was
    #: off, a displaced session's data) and turning the shared cache on logs nobody out.
    key_salt = "django.contrib.sessions.SessionStore"

    @classmethod
    def get_model_class(cls):
        from .models import AccountSession

        return AccountSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            instance.user_id = None
        return instance


class SessionStore(_AccountSessions, DatabaseSessionStore):
    """Django's database store, writing the account id beside the session data."""


class CachedSessionStore(_AccountSessions, CachedDatabaseSessionStore):
    """The same, read through a cache shared by every worker (see the module docstring).

    The cache holds ``(expiry timestamp, data)``: a session lapses at the same moment as in the
    database store, by the application's clock, whatever the cache's own timer says."""

    def load(self):
        try:
            cached = self._cache.get(self.cache_key)
        except Exception:  # as Django's: an unreachable cache or a key it refuses; read the database
            logger.warning("session cache unavailable; reading the session from the database", exc_info=True)
            cached = None
        if cached == TOMBSTONE:
            self._session_key = None  # as the database store does for a session that is gone
            return {}
        if isinstance(cached, tuple) and len(cached) == 2 and cached[0] > timezone.now().timestamp():
            return cached[1]
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        try:
            # add, not set: if a logout tombstoned the key since the row was read, it stays so
            self._cache.add(self.cache_key, (row.expire_date.timestamp(), data),
                            self.get_expiry_age(expiry=row.expire_date))
        except Exception:
            logger.warning("session cache unavailable; session not cached", exc_info=True)
        return data

    def save(self, must_create=False):
        try:
            DatabaseSessionStore.save(self, must_create)
        except UpdateError:  # the row was deleted behind the cache: end the cached copy too
            self.bury(self.session_key)
            raise
        try:
            self.replace_cached(self._session, self.get_expiry_date())
        except Exception:  # as Django's cached_db: the database has it; the next read falls back
            logger.exception("Error saving to cache (%s)", self._cache)

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        DatabaseSessionStore.delete(self, session_key)
        self.bury(session_key)

    def bury(self, session_key):
        """Tombstone ``session_key`` in the cache for as long as any session can live. Not
        swallowed: a logout the cache did not take must fail, not look done."""
        if session_key:
            self._cache.set(self.cache_key_prefix + session_key, TOMBSTONE, settings.SESSION_COOKIE_AGE)

    def replace_cached(self, data, expire_date):
        """Put ``data`` (just written to the row) in the cache, over whatever copy it holds."""
        self._cache.set(self.cache_key, (expire_date.timestamp(), data), self.get_expiry_age(expiry=expire_date))


def _cached_store(session_key):
    """The configured engine's store for ``session_key`` when it caches, else None."""
    if settings.SESSION_ENGINE != CACHED_ENGINE:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return store if isinstance(store, CachedSessionStore) else None


def on_session_row_deleted(sender, instance, **kwargs):
    """A session row deleted through the ORM (not by the store): tombstone its cached copy."""
    store = _cached_store(instance.session_key)
    if store is not None:
        store.bury(instance.session_key)


def _end(row, now):
    # Replace the data rather than delete the row: the holder's next request then arrives
    # with an anonymous session that still says why it ended (see the policy middleware).
    data = {DISPLACED_KEY: now.timestamp()}
    row.session_data = SessionStore().encode(data)
    row.user_id = None
    row.save(update_fields=["session_data", "user_id"])
    store = _cached_store(row.session_key)
    if store is not None:
        store.replace_cached(data, row.expire_date)


def end_older_sessions(*, request, user):
    """At login: keep this session and the newest ``limit - 1`` others of ``user``; end the rest.

    Returns how many were ended (one audit record names the count, never a session key:
    a key is a credential). ``ICDC_MAX_SESSIONS_PER_USER`` 0 means no limit.
    """
    limit = settings.ICDC_MAX_SESSIONS_PER_USER
    if limit <= 0 or request is None or not hasattr(request, "session"):
        return 0
    # Store this session with its account now, not at the end of the response, so that a
    # login a moment later sees it.
    request.session.save()
    now = timezone.now()
    model = SessionStore.get_model_class()
    others = (
        model.objects.filter(user_id=user.pk, expire_date__gt=now)
        .exclude(session_key=request.session.session_key)
        .order_by("-expire_date", "-session_key")
    )
    ended = list(others[limit - 1 :])
    for row in ended:
        _end(row, now)
    if ended:
        record_event(
            request=request, user=user, action="accounts.session.displace", obj=user,
            detail=f"新登录结束了该账号 {len(ended)} 个较早的会话（每个账号最多 {limit} 个并发会话）",
        )
    return len(ended)
