"""Throttling public POSTs per client address (the portal's verification page, the objection form).

``throttle_post(group, rate_setting=...)`` wraps a view: each POST from one client address counts
against ``rate`` (django-ratelimit's "N/s|m|h|d" notation) in the group; past it the view is not
called and the client gets a Chinese page with status 429 and a ``Retry-After`` header. GETs are
never counted. The client address is the one the audit trail and the login lock-out (django-axes)
use: ``icdc.audit.context.client_ip`` (X-Forwarded-For only behind ``ICDC_TRUSTED_PROXIES``).

django-ratelimit counts in the Django cache: with the embedded default (a per-process cache) each
worker counts on its own, so a client gets up to ``workers × N``; a deployment with a shared cache
(``CACHE_URL=redis://…``) counts once for all workers. The library's own app is not installed (its
system check refuses a per-process cache outright); only its counting functions are used.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from icdc.audit.context import client_ip

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_key(_group, request) -> str:
    """django-ratelimit's key function: the client address as the audit trail records it."""
    return client_ip(request) or "unknown"


def rate_of(rate_setting: str) -> str:
    return getattr(settings, rate_setting, None) or settings.ICDC_PUBLIC_POST_RATE


def period_seconds(rate: str) -> int:
    """The period of "10/m", "100/5m", "3/h": 60, 300, 3600 seconds."""
    match = re.fullmatch(r"\d+/(\d*)([smhd])", rate)
    if not match:
        return 60
    return int(match.group(1) or 1) * _UNIT_SECONDS[match.group(2)]


def is_throttled(request, *, group: str, rate: str) -> bool:
    """Count this POST against ``rate`` for the client's address; True once past it."""
    return is_ratelimited(request, group=group, key=client_key, rate=rate, method=["POST"], increment=True)


def too_many_requests(request, *, rate: str):
    """The Chinese 429 page."""
    seconds = period_seconds(rate)
    response = render(request, "429.html", {"retry_minutes": max(1, round(seconds / 60))}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def throttle_post(group: str, *, rate_setting: str = "ICDC_PUBLIC_POST_RATE"):
    """Decorator: POSTs to the view past the rate named by ``rate_setting`` (a setting holding e.g.
    "10/m"; ``ICDC_PUBLIC_POST_RATE`` when unset) from one client address get the 429 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                rate = rate_of(rate_setting)
                if is_throttled(request, group=group, rate=rate):
                    return too_many_requests(request, rate=rate)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
