"""The request being served, so audit records made deep in a service know who and where."""

import contextvars
import functools
import ipaddress

from django.conf import settings

_request = contextvars.ContextVar("icdc_audit_request", default=None)

#: the longest textual IP address (IPv6 with an embedded IPv4 part)
MAX_IP_LENGTH = 45


def current_request():
    return _request.get()


def bind(request):
    return _request.set(request)


def unbind(token):
    _request.reset(token)


@functools.lru_cache(maxsize=8)
def _networks(entries):
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    """The address of the client, as audit records and the lock-out (django-axes) see it.

    Behind gunicorn and a front proxy, ``REMOTE_ADDR`` is the proxy. ``X-Forwarded-For`` is
    believed only when the peer is one of ``ICDC_TRUSTED_PROXIES``: anyone else could write
    any address there. Each trusted proxy appends the address it received from, so the list
    is read from the right; the first address that is not a trusted proxy is the client (the
    entries to its left were written by the client itself, and prove nothing).
    """
    if request is None:
        return ""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(settings.ICDC_TRUSTED_PROXIES))
    if not networks or not _is_trusted(_address(peer), networks):
        return peer[:MAX_IP_LENGTH]
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # garbage in the chain: trust stops at the last proxy we believe
        client = str(address)
        if not _is_trusted(address, networks):
            break
    return client[:MAX_IP_LENGTH]


def attempted_username(request):
    if request is None or request.method != "POST":
        return ""
    return (request.POST.get("username") or "")[:150]
