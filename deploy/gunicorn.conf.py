"""gunicorn for the documented deployment: ``gunicorn -c deploy/gunicorn.conf.py icdc.wsgi``,
on loopback behind the TLCP/国密 TLS front proxy. Every value can be set from the environment.

No ``Server`` banner: gunicorn writes ``Server: gunicorn`` on every response and has no
setting for it, so its response head is filtered here (this file is read by the master
before the workers fork, so every worker gets the change). The front proxy should hide its
own as well (nginx: ``server_tokens off``; it does not pass the upstream's Server header).
"""

import multiprocessing
import os

from gunicorn.http import wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
# Which peers may set X-Forwarded-Proto for gunicorn; Django reads X-Forwarded-For only
# from the same list (ICDC_TRUSTED_PROXIES, icdc/audit/context.py).
if os.environ.get("ICDC_TRUSTED_PROXIES"):
    forwarded_allow_ips = os.environ["ICDC_TRUSTED_PROXIES"]

_default_headers = wsgi.Response.default_headers


def _without_server_banner(response):
    return [line for line in _default_headers(response) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _without_server_banner
