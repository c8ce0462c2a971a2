"""Settings for the web benchmark only (bench/web.py); never deployed.

The embedded default as a server runs it (DEBUG off: no query log, no debug pages), plus:
- the bare views under /_bench/ (``ICDC_BENCH_VIEWS``), the baselines the pages are read against;
- ``ICDC_BENCH_DROP_MIDDLEWARE``: a middleware class path (or its last part, e.g.
  ``CSPMiddleware``) left out, so the benchmark can say what each middleware costs.
The shared-cache table of bench/web.py sets ``CACHE_URL`` (read by ``icdc/settings.py``).
"""

from .settings import *  # noqa: F403
from .settings import MIDDLEWARE, env

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
