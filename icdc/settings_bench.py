"""Settings for the web benchmark only (bench/web.py); never deployed.

The embedded default as a server runs it (DEBUG off: no query log, no debug pages), plus:
- the bare views under /_bench/ (``ICDC_BENCH_VIEWS``), the baselines the pages are read against;
- ``ICDC_BENCH_DROP_MIDDLEWARE``: a middleware class path (or its last part, e.g.
  ``CSPMiddleware``) left out, so the benchmark can say what each middleware costs;
- ``ICDC_BENCH_PREVIEW=1``: persistent connections with health checks and no session save on
  every request, to preview those settings before they land in ``icdc/settings.py``.
"""

from .settings import *  # noqa: F403
from .settings import DATABASES, MIDDLEWARE, env

DEBUG = False
ICDC_BENCH_VIEWS = True
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "ERROR"}}

_drop = env("ICDC_BENCH_DROP_MIDDLEWARE", default="")
if _drop:
    _kept = [m for m in MIDDLEWARE if m != _drop and m.rsplit(".", 1)[-1] != _drop]
    if len(_kept) != len(MIDDLEWARE) - 1:
        raise ValueError(f"ICDC_BENCH_DROP_MIDDLEWARE={_drop!r} names no single middleware")
    MIDDLEWARE = _kept

if env.bool("ICDC_BENCH_PREVIEW", default=False):
    SESSION_SAVE_EVERY_REQUEST = False
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
