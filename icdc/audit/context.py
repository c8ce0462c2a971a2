"""The request being served, so audit records made deep in a service know who and where."""

import contextvars

_request = contextvars.ContextVar("icdc_audit_request", default=None)


def current_request():
    return _request.get()


def bind(request):
    return _request.set(request)


def unbind(token):
    _request.reset(token)


def client_ip(request):
    if request is None:
        return ""
    # Behind the front proxy, REMOTE_ADDR is set by it (gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "")[:45]


def attempted_username(request):
    if request is None or request.method != "POST":
        return ""
    return (request.POST.get("username") or "")[:150]
