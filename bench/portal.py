"""Portal benchmark: the public list of demonstration cities beside a bare Django view, on the same
gunicorn server and workers, with the page cache off and on.

Run: .venv/bin/python bench/portal.py [--seconds 3] [--rounds 1] [--reuse-db] [--database icdc_portal_bench]
Prints figures, asserts nothing; loopback only, bounded (about a minute with the defaults).

1. A PostgreSQL database (icdc_portal_bench by default), migrated and loaded with the project's own
   commands: divisions and the real record of titles (``load_titles``: 27 titles, 2016–2022).
2. gunicorn, 2 sync workers, ``icdc.settings_bench`` (DEBUG off, the bare views under /_bench/), on
   127.0.0.1 at a free port, started twice: ``ICDC_PORTAL_CACHE_SECONDS=0`` (every request renders
   the page: filters form, counts, 20 rows, sort links, paging) and the default cache (the embedded
   per-process cache: each worker answers from its own copy after its first request).
3. Load as bench/web.py applies it: ``wrk`` (2 threads, 2 connections) or, when wrk is absent, its
   threaded Python client (the output says which). Each page is measured right after the bare view
   in the same server; the ratio is the page's req/s over the bare view's. Goals (issue 15):
   ≥ 0.5× without the cache, ≥ 0.9× with it. The uncached table also measures three ceilings
   (``CEILINGS``): what the bare view reaches when it sends a body of the list's size, when it also
   makes one ``SELECT 1``, and when it also reads the titles as the list does (plain text, no page).
   The uncached page cannot beat the last one; the cached page (measured beside the first) cannot
   beat the first.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from pathlib import Path

from web import (  # bench/web.py (this folder is on the path)
    CONNECTIONS,
    ROOT,
    Server,
    check,
    environment,
    manage,
    measure_python,
    measure_wrk,
    psql,
)

PAGES = [
    ("bare view, anonymous", "/_bench/bare/"),
    ("portal list, page 1", "/portal/cities/"),
    ("portal list, filtered", "/portal/cities/?kind=specialised&sort=city"),
]
#: What no page of this kind can beat, measured beside it (icdc/lib/bench_views.py): the bare view
#: sending a body of the list's size; that plus one ``SELECT 1`` (any page that reads the database);
#: the list's own read of the titles, filtered and sorted, as plain text (the list minus its page).
CEILINGS = [
    ("ceiling: 11 KB body", "/_bench/bare/page-sized/"),
    ("ceiling: + one SELECT 1", "/_bench/bare/one-query/"),
    ("ceiling: + titles read", "/_bench/portal/titles/"),
]
GOALS = {"uncached": 0.5, "cached": 0.9}


def set_up(database: str, env: dict, reuse: bool) -> None:
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    if reuse and exists:
        return
    psql("postgres", f'DROP DATABASE IF EXISTS "{database}"')
    psql("postgres", f'CREATE DATABASE "{database}"')
    manage(env, "migrate", "--noinput")
    manage(env, "load_divisions")
    manage(env, "load_titles")
    psql(database, "ANALYZE")  # planner statistics, as autovacuum keeps them on a database in use


def table(env: dict, label: str, seconds: int, measure, ceilings=()) -> dict:
    print(f"\n{label}")
    print(f"{'page':<26} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}  ratio to the bare view")
    figures = {}
    with Server(env) as server:
        check(server.base, "/_bench/bare/", None)
        measure(server.base + "/_bench/bare/", None, 1)  # settle the workers; not reported
        for name, path in PAGES + list(ceilings):
            check(server.base, path, None)
            figures[name] = result = measure(server.base + path, None, seconds)
            ratio = result["rps"] / figures[PAGES[0][0]]["rps"]
            shown = "baseline" if path == PAGES[0][1] else f"{ratio:.2f} ×"
            errors = f"  ({result['errors']} errors)" if result["errors"] else ""
            print(f"{name:<26} {result['rps']:>8.0f} {result['p50']:>8.1f} {result['p95']:>8.1f}  {shown}{errors}",
                  flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=3, help="load per measurement (default 3)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat both tables; print median ratios")
    parser.add_argument("--database", default="icdc_portal_bench", help="PostgreSQL database, dropped and rebuilt")
    parser.add_argument("--reuse-db", action="store_true", help="keep the database if it exists (skips set-up)")
    args = parser.parse_args()
    began = time.monotonic()
    var_dir = Path(ROOT) / "var" / "bench-portal"  # the bench's own key files, never the developer's
    var_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args.database, str(var_dir))
    env.pop("CACHE_URL", None)  # the embedded default: a per-process cache
    set_up(args.database, env, args.reuse_db)
    if subprocess.run(["which", "wrk"], capture_output=True).returncode == 0:
        measure, tool = measure_wrk, f"wrk -t{CONNECTIONS} -c{CONNECTIONS} -d{args.seconds}s"
    else:
        measure, tool = measure_python, f"Python threaded client ({CONNECTIONS} threads; wrk not found)"
    print(f"load: {tool}; gunicorn 2 sync workers, icdc.settings_bench, PostgreSQL {args.database}")
    ratios = {}
    for round_number in range(args.rounds):
        for label, seconds_setting in (("uncached", "0"), ("cached", "3600")):
            heading = (f"page cache {'off (ICDC_PORTAL_CACHE_SECONDS=0)' if label == 'uncached' else 'on'}"
                       + (f", round {round_number + 1} of {args.rounds}" if args.rounds > 1 else ""))
            ceilings = CEILINGS if label == "uncached" else CEILINGS[:1]
            figures = table({**env, "ICDC_PORTAL_CACHE_SECONDS": seconds_setting}, heading, args.seconds, measure,
                            ceilings=ceilings)
            bare = figures[PAGES[0][0]]["rps"]
            for name, _path in PAGES[1:] + ceilings:
                ratios.setdefault((label, name), []).append(figures[name]["rps"] / bare)
    print("\nratios to the bare view" + (f" (median of {args.rounds} rounds)" if args.rounds > 1 else ""))
    for (label, name), values in ratios.items():
        value = statistics.median(values)
        verdict = "" if name.startswith("ceiling") else \
            f"  ({'meets' if value >= GOALS[label] else 'below'} the goal ≥ {GOALS[label]}×)"
        print(f"{label:<9} {name:<26} {value:5.2f} ×{verdict}"
              + (f"   [{' '.join(f'{v:.2f}' for v in values)}]" if args.rounds > 1 else ""))
    print(f"\ntotal {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
