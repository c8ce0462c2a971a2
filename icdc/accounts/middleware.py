"""Session and account policy applied to every request.

- idle expiry (SECURITY.md: idle logout after 30 minutes), with a message on the login page;
  the last-seen stamp is rewritten at most once a minute, so most requests write no session;
- a session ended by a newer login of the same account (``sessions.py``) is told why;
- a pending step (second factor, forced password change, authenticator enrolment) before
  anything else is reachable;
- ``Cache-Control: no-store`` on authenticated pages (剩余信息保护).
"""

from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from . import policy
from .sessions import DISPLACED_KEY
from .two_factor import ENROLLED_SESSION_KEY

LAST_SEEN_KEY = "icdc_last_seen"


def _redirect(request, url):
    if request.headers.get("HX-Request"):
        # htmx swaps redirects into the page; ask it to navigate instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _login_url_with_expiry(next_path=""):
    query = {"expired": 1, **({"next": next_path} if next_path else {})}
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode(query)}"


def _page_to_return_to(request):
    """Where to come back after logging in again: the page asked for, or — for an htmx request such
    as a form's autosave — the page it was made from (its own header, kept only when it names this
    site); a plain POST has no page to return to."""
    if request.method == "GET":
        return request.get_full_path()
    current = urlsplit(request.headers.get("HX-Current-URL", "")) if request.headers.get("HX-Request") else None
    if current and current.netloc == request.get_host() and current.path.startswith("/"):
        return current.path + (f"?{current.query}" if current.query else "")
    return ""


class SecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            response = self._enforce(request, request.user) or self.get_response(request)
            add_never_cache_headers(response)
            return response
        response = self.get_response(request)
        if request.session.get(DISPLACED_KEY):
            response = self._mark_login_redirect(response, "displaced", request)
        elif self._session_lapsed(request):
            response = self._mark_login_redirect(response, "expired")
        return self._htmx_login_redirect(request, response)

    def _enforce(self, request, user):
        now = timezone.now()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if policy.is_idle_expired(last_seen, now):
            policy.expire_session(request)
            return _redirect(request, _login_url_with_expiry(_page_to_return_to(request)))
        if policy.last_seen_is_stale(last_seen, now):
            request.session[LAST_SEEN_KEY] = now.timestamp()

        step = policy.pending_step(user, otp_enrolled=request.session.get(ENROLLED_SESSION_KEY, False))
        if step is None:
            return None
        step_url = reverse(step)
        path = request.path
        if path == step_url or path.startswith(policy.EXEMPT_PREFIXES):
            return None
        if path in {reverse(name) for name in policy.EXEMPT_URL_NAMES}:
            return None
        if step == policy.OTP_VERIFY and request.method == "GET":
            step_url = f"{step_url}?{urlencode({'next': request.get_full_path()})}"
        return _redirect(request, step_url)

    @staticmethod
    def _htmx_login_redirect(request, response):
        """An htmx request (an autosave) sent to the login page: htmx would follow the redirect and
        swap the login form into the page; tell it to navigate instead, and to come back afterwards
        to the page the request was made from, not to the URL it posted to."""
        if not request.headers.get("HX-Request") or response.status_code != 302:
            return response
        parts = urlsplit(response.get("Location", ""))
        if parts.path != resolve_url(settings.LOGIN_URL):
            return response
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "next"]
        page = _page_to_return_to(request)
        if page:
            query.append(("next", page))
        return _redirect(request, f"{parts.path}?{urlencode(query)}" if query else parts.path)

    @staticmethod
    def _session_lapsed(request):
        """A session cookie came in but named no live session: it expired (or was logged out)."""
        return settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.session_key is None

    @staticmethod
    def _mark_login_redirect(response, reason, request=None):
        """Turn login_required's redirect into one that tells the user why they must log in
        again (``reason`` = expired or displaced; the login page words it)."""
        location = response.get("Location", "") if response.status_code == 302 else ""
        parts = urlsplit(location)
        if parts.path != resolve_url(settings.LOGIN_URL) or f"{reason}=" in parts.query:
            return response
        response["Location"] = f"{location}{'&' if parts.query else '?'}{reason}=1"
        if request is not None:
            request.session.pop(DISPLACED_KEY, None)  # said once
        return response
