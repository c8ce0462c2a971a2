"""Sessions that know their account, and the limit on concurrent sessions per account.

等保 practice (身份鉴别/访问控制): one account, a bounded number of live sessions
(``ICDC_MAX_SESSIONS_PER_USER``, default 1). At login the *older* sessions are ended, rather
than the new login refused: refusing would let whoever holds a stolen session keep the owner
out, and would lock out someone who closed the browser without logging out for the idle
period. The ended session is told why at its next request, and the ending is audited.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from icdc.audit.services import record_event

#: Left in an ended session (now anonymous), so its next request can say why it was ended.
DISPLACED_KEY = "icdc_displaced"


class SessionStore(DatabaseSessionStore):
    """Django's database store, writing the account id beside the session data."""

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


def _end(row, now):
    # Replace the data rather than delete the row: the holder's next request then arrives
    # with an anonymous session that still says why it ended (see the policy middleware).
    row.session_data = SessionStore().encode({DISPLACED_KEY: now.timestamp()})
    row.user_id = None
    row.save(update_fields=["session_data", "user_id"])


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
