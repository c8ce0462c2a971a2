"""Session and account policy applied to every authenticated request.

- idle expiry (SECURITY.md: idle logout after 30 minutes), with a message on the login page;
- a forced password change (first login of an admin-created account, or password older than
  the maximum age) before anything else is reachable;
- two-factor verification for the roles that need it, when ICDC_REQUIRE_2FA is on;
- ``Cache-Control: no-store`` on authenticated pages (剩余信息保护).
"""

from django.conf import settings
from django.contrib import auth
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from . import policy

LAST_SEEN_KEY = "icdc_last_seen"


class SecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            response = self._enforce(request, user)
            if response is None:
                response = self.get_response(request)
            add_never_cache_headers(response)
            return response
        return self.get_response(request)

    def _enforce(self, request, user):
        now = timezone.now()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now.timestamp() - last_seen > settings.ICDC_IDLE_TIMEOUT.total_seconds():
            policy.expire_session(request, user)
            auth.logout(request)
            return redirect(f"{reverse('accounts:login')}?expired=1")
        request.session[LAST_SEEN_KEY] = now.timestamp()

        path = request.path
        if any(path.startswith(p) for p in policy.ALWAYS_REACHABLE_PREFIXES):
            return None
        if policy.needs_password_change(user):
            return redirect("accounts:password_change")
        if policy.needs_otp_setup(user) and not path.startswith(reverse("accounts:otp_setup")):
            return redirect("accounts:otp_setup")
        if policy.needs_otp_verification(request, user):
            return redirect(f"{reverse('accounts:otp_verify')}?next={path}")
        return None
