"""Web benchmark: pages under gunicorn on PostgreSQL, each beside a bare view on the same server.

Run: .venv/bin/python bench/web.py [--seconds 2] [--rounds 1] [--reuse-db] [--no-middleware] [--no-cache]
See bench/README.md. Prints figures, asserts nothing; loopback only, bounded (~2-3 minutes).

1. A fresh PostgreSQL database (icdc_speed_bench by default), migrated and loaded with the
   project's own commands (divisions, indicators, demo data with its 40-city 综合型 run) plus
   a 300-city run (``score_demo_run --cities 300``).
2. gunicorn, 2 sync workers, ``icdc.settings_bench`` (DEBUG off, bare views under /_bench/),
   on 127.0.0.1 at a free port. Load from ``wrk`` (2 threads, 2 connections, a few seconds per
   page); if wrk is absent, a small threaded Python client, and the output says so.
3. Figures: req/s, p50 and p95 of each page, and the ratio to its baseline measured in the
   same run; then the same with a shared cache (``CACHE_URL=redis://…``, ``--cache-url``; sessions
   are then read through it: ``icdc.accounts.cached_sessions``), skipped if Redis is not running;
   then, in one process, what each middleware costs on the bare view, anonymous and logged in
   (every level of the middleware chain timed), for both. ``--rounds N`` repeats the tables and
   ends with the median of each ratio over the rounds (a shared machine's noise).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from _gunicorn import answer_when_up, stop  # bench/_gunicorn.py (this folder is on the path)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
USERNAME, PASSWORD = "ministry", "Icdc#Demo2026"  # the demo's published account (embedded only)
WORKERS, CONNECTIONS = 2, 2

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCH %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), summary.errors.status, errors))
end
"""


def psql(database: str, sql: str) -> str:
    out = subprocess.run(["psql", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", database, "-AtX",
                          "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database: str, var_dir: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICDC_BENCH_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="icdc.settings_bench", ICDC_VAR_DIR=var_dir,
               DATABASE_URL=f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{database}", **extra)
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def set_up(database: str, env: dict, reuse: bool) -> None:
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    if reuse and exists:
        return
    psql("postgres", f'DROP DATABASE IF EXISTS "{database}"')
    psql("postgres", f'CREATE DATABASE "{database}"')
    manage(env, "migrate", "--noinput")
    manage(env, "load_divisions")
    manage(env, "load_indicators", "--publish")
    manage(env, "load_demo")  # accounts, statistics, the demo's 40-city 综合型 and 特色型 runs
    manage(env, "score_demo_run", "--system", "COMP", "--cities", "300")


def runs(database: str) -> dict[int, tuple[int, str]]:
    """{number of cities: (run id, the rank-1 city of its 综合型 ranking)} for the COMP runs."""
    rows = psql(database, "SELECT r.id, count(c.id), min(CASE WHEN c.rank = 1 THEN c.city_id END) "
                          "FROM rankings_scoringrun r JOIN rankings_scoringruncity c ON c.run_id = r.id "
                          "WHERE r.system_code = 'COMP' GROUP BY r.id")
    out = {}
    for line in rows.splitlines():
        pk, count, city = line.split("|")
        out[int(count)] = (int(pk), city)
    return out


class Server:
    """gunicorn on loopback; stopped (its own process group only) on exit."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [GUNICORN, "icdc.wsgi:application", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}",
             "--preload", "--log-level", "warning", "--timeout", "60"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self):
        answer_when_up(self.process, self.base + "/_bench/bare/")
        return self

    def __exit__(self, *exc):
        stop(self.process)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str) -> str:
    """Log in once as the demo Ministry officer; the Cookie header for every later request."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token})
    try:
        opener.open(urllib.request.Request(base + "/accounts/login/", data=data.encode(),
                                           headers={"Referer": base + "/accounts/login/"}))
    except urllib.error.HTTPError as exc:  # the 302 after a successful login
        if exc.code != 302:
            raise
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("login failed: no session cookie")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def check(base: str, path: str, cookie: str | None) -> None:
    """The page answers 200 with itself (not a redirect to login) before it is measured."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{path}: HTTP {exc.code}") from None
    response.read()
    for _ in range(5):  # warm the workers: templates, translations, first queries
        opener.open(request, timeout=30).read()


def measure_wrk(url: str, cookie: str | None, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        args = ["wrk", "-t", str(CONNECTIONS), "-c", str(CONNECTIONS), "-d", f"{int(seconds)}s", "--timeout", "10s",
                "-s", script.name, *(["-H", f"Cookie: {cookie}"] if cookie else []), url]
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    requests, duration, p50, p95, bad_status, errors = map(int, re.search(r"BENCH (.*)", out).group(1).split())
    return {"rps": requests / (duration / 1e6), "p50": p50 / 1000, "p95": p95 / 1000, "errors": bad_status + errors}


def measure_python(url: str, cookie: str | None, seconds: float) -> dict:
    """Fallback when wrk is absent: CONNECTIONS threads, each one request at a time."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + seconds
    headers = {"Cookie": cookie} if cookie else {}
    opener = urllib.request.build_opener(NoRedirect)

    def client():
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            with lock:
                latencies.append(time.perf_counter() - began)
                errors[0] += not ok

    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {"rps": len(latencies) / elapsed, "p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "errors": errors[0]}


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # not installed, not running, refused: no such table
        return False


def pages(run_ids) -> list[tuple[str, str, bool, str | None]]:
    """(name, path, logged in, baseline name)."""
    (r40, c40), (r300, c300) = run_ids[40], run_ids[300]
    return [
        ("bare view, anonymous", "/_bench/bare/", False, None),
        ("public home page", "/", False, "bare view, anonymous"),
        ("login page", "/accounts/login/", False, "bare view, anonymous"),
        ("bare view behind login", "/_bench/bare/login/", True, "bare view, anonymous"),
        ("Ministry home", "/home/ministry/", True, "bare view behind login"),
        ("ranking, 40 cities", f"/rankings/runs/{r40}/COMP/", True, "bare view behind login"),
        ("ranking, 300 cities", f"/rankings/runs/{r300}/COMP/", True, "ranking, 40 cities"),
        ("explanation, 40 cities", f"/rankings/runs/{r40}/COMP/{c40}/", True, "bare view behind login"),
        ("explanation, 300 cities", f"/rankings/runs/{r300}/COMP/{c300}/", True, "explanation, 40 cities"),
    ]


def page_table(env, run_ids, seconds, measure, title) -> dict:
    print(f"\n{title}")
    print(f"{'page':<26} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}  ratio (req/s ÷ baseline's)")
    figures = {}
    with Server(env) as server:
        cookie = log_in(server.base)
        check(server.base, "/_bench/bare/", None)
        measure(server.base + "/_bench/bare/", None, 1)  # settle the workers; not reported
        for name, path, logged_in, baseline in pages(run_ids):
            check(server.base, path, cookie if logged_in else None)
            figures[name] = result = measure(server.base + path, cookie if logged_in else None, seconds)
            ratio = f"{result['rps'] / figures[baseline]['rps']:.2f} × {baseline}" if baseline else "baseline"
            errors = f"  ({result['errors']} errors)" if result["errors"] else ""
            print(f"{name:<26} {result['rps']:>8.0f} {result['p50']:>8.1f} {result['p95']:>8.1f}  {ratio}{errors}",
                  flush=True)
    return figures


def middleware_table(env, requests: int) -> None:
    """What each middleware costs on the bare logged-in view (and anonymous, beside it).

    Measured in one process against the same database (a child with the bench settings), not by
    restarting gunicorn without each middleware: on a shared 2-core machine the restarts took
    minutes and their differences drowned in noise. Each middleware's own time is its time
    minus the next one's; CPU time (thread time) does not count waiting for PostgreSQL.
    """
    subprocess.run([PYTHON, __file__, "--middleware-child", str(requests)], cwd=ROOT, env=env, check=True)


def _instrument(handler):
    """Wrap each level of the middleware chain with a timer; (names, accumulators)."""
    from django.db import connection

    names, levels, node = [], [], handler._middleware_chain
    while hasattr(getattr(node, "__wrapped__", None), "get_response"):
        levels.append(node.__wrapped__)
        names.append(type(node.__wrapped__).__name__)
        node = node.__wrapped__.get_response
    names.append("the view (and process_view hooks)")
    totals = {key: [0.0] * len(names) for key in ("wall", "cpu", "sql", "queries")}
    current = [0]

    def timed(index, inner):
        def call(request):
            outer, current[0] = current[0], index
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return inner(request)
            finally:
                totals["wall"][index] += time.perf_counter() - wall
                totals["cpu"][index] += time.thread_time() - cpu
                current[0] = outer
        return call

    def sql(execute, sql_text, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            totals["sql"][current[0]] += time.perf_counter() - began
            totals["queries"][current[0]] += 1

    handler._middleware_chain = timed(0, handler._middleware_chain)
    for index, level in enumerate(levels, start=1):
        level.get_response = timed(index, level.get_response)
    connection.execute_wrappers.append(sql)
    return names, totals


def _middleware_child(requests: int) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client

    client = Client()
    client.post("/accounts/login/", {"username": USERNAME, "password": PASSWORD})
    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    handler = WSGIHandler()
    names, totals = _instrument(handler)

    def environ(path, cookie):
        return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
                "HTTP_HOST": "127.0.0.1", **({"HTTP_COOKIE": cookie} if cookie else {})}

    results = {}
    for label, path, with_cookie in (("anonymous", "/_bench/bare/", None), ("logged in", "/_bench/bare/login/",
                                                                           cookie)):
        statuses = set()

        def start_response(status, headers, statuses=statuses):
            statuses.add(status)

        for _ in range(20):  # warm up, not counted
            handler(environ(path, with_cookie), start_response)
        for values in totals.values():
            values[:] = [0.0] * len(values)
        wall, cpu = time.perf_counter(), time.thread_time()
        for _ in range(requests):
            b"".join(handler(environ(path, with_cookie), start_response))
        whole = {"wall": time.perf_counter() - wall, "cpu": time.thread_time() - cpu}
        if statuses != {"200 OK"}:
            sys.exit(f"{path}: {statuses}")
        results[label] = ({key: values[:] for key, values in totals.items()}, whole)

    profile = f"shared cache {os.environ['CACHE_URL']}" if os.environ.get("CACHE_URL") else "as configured"
    print(f"\nwhat each middleware costs, bare view, {profile}: per request, mean of {requests} in one process "
          "(own time = its time minus the next one's; lazy work counts where it first runs)", flush=True)
    print(f"{'':<38} {'anonymous':^22} {'logged in':^40}")
    print(f"{'middleware (outermost first)':<38} {'wall ms':>10} {'CPU ms':>10} {'wall ms':>10} {'CPU ms':>10}"
          f" {'queries':>8} {'SQL ms':>8}")

    def own(totals, key, index):
        inner = totals[key][index + 1] if index + 1 < len(names) else 0.0
        return (totals[key][index] - inner) / requests * 1000

    def row(name, index):
        cells = []
        for label in ("anonymous", "logged in"):
            totals, whole = results[label]
            if index is None:  # outside the middleware chain
                cells += [(whole[key] - totals[key][0]) / requests * 1000 for key in ("wall", "cpu")]
            else:
                cells += [own(totals, key, index) for key in ("wall", "cpu")]
        logged_in = results["logged in"][0]
        queries, sql = ((logged_in["queries"][index] / requests, logged_in["sql"][index] / requests * 1000)
                        if index is not None else (0.0, 0.0))
        print(f"{name:<38.38} {cells[0]:>10.3f} {cells[1]:>10.3f} {cells[2]:>10.3f} {cells[3]:>10.3f}"
              f" {queries:>8.1f} {sql:>8.3f}")

    row("handler: request, signals, DB close", None)
    for index, name in enumerate(names):
        row(name, index)
    for label in ("anonymous", "logged in"):
        whole = results[label][1]
        print(f"{'total, ' + label:<38} {whole['wall'] / requests * 1000:>10.3f} ms wall, "
              f"{whole['cpu'] / requests * 1000:.3f} ms CPU; {requests / whole['wall']:.0f} req/s in one thread")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=2, help="load per measurement (default 2)")
    parser.add_argument("--database", default="icdc_speed_bench", help="PostgreSQL database, dropped and rebuilt")
    parser.add_argument("--reuse-db", action="store_true", help="keep the database if it exists (skips set-up)")
    parser.add_argument("--no-cache", action="store_true", help="skip the shared-cache (Redis) table")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/13", help="the shared cache to measure with")
    parser.add_argument("--rounds", type=int, default=1, help="repeat the page tables; print median ratios")
    parser.add_argument("--no-middleware", action="store_true", help="skip the middleware-by-middleware table")
    parser.add_argument("--middleware-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.middleware_child:
        _middleware_child(args.middleware_child)
        return

    began = time.monotonic()
    var_dir = ROOT / "var" / "bench-web"  # the bench's own key files, never the developer's
    var_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args.database, str(var_dir))
    env.pop("CACHE_URL", None)  # "as configured" is the embedded default; the shared cache has its own table
    set_up(args.database, env, args.reuse_db)
    run_ids = runs(args.database)
    if not {40, 300} <= set(run_ids):
        sys.exit(f"expected 综合型 runs of 40 and 300 cities, found {sorted(run_ids)}; drop --reuse-db")
    setup_seconds = time.monotonic() - began

    if os.path.exists("/usr/bin/wrk") or subprocess.run(["which", "wrk"], capture_output=True).returncode == 0:
        measure, tool = measure_wrk, f"wrk -t{CONNECTIONS} -c{CONNECTIONS} -d{args.seconds}s"
    else:
        measure, tool = measure_python, f"Python threaded client ({CONNECTIONS} threads; wrk not found)"
    cpus = os.cpu_count()
    load = os.getloadavg()[0]
    print(f"gunicorn {WORKERS} sync workers, icdc.settings_bench (DEBUG off), PostgreSQL {args.database}; "
          f"load: {tool}; {cpus} CPUs, load average {load:.1f}; set-up {setup_seconds:.0f} s")

    profiles = [("as configured (icdc/settings.py; the embedded default: per-process cache, database sessions)",
                 env)]
    if not args.no_cache:
        if redis_answers(args.cache_url):
            profiles.append((f"with a shared cache: CACHE_URL={args.cache_url} (sessions read through it)",
                             {**env, "CACHE_URL": args.cache_url}))
        else:
            print(f"\n(no shared-cache table: Redis does not answer at {args.cache_url})")
    ratios = {}
    for round_number in range(args.rounds):
        for title, profile_env in profiles:
            heading = f"{title}, round {round_number + 1} of {args.rounds}" if args.rounds > 1 else title
            figures = page_table(profile_env, run_ids, args.seconds, measure, heading)
            for name, _path, _logged_in, baseline in pages(run_ids):
                if baseline:
                    ratios.setdefault((title, name, baseline), []).append(
                        figures[name]["rps"] / figures[baseline]["rps"])
    if args.rounds > 1:
        print(f"\nmedian ratio over {args.rounds} rounds (each round's ratios taken within the round)")
        for (title, name, baseline), values in ratios.items():
            print(f"{title.split(' (')[0].split(':')[0]:<20} {name:<26} {statistics.median(values):5.2f} × {baseline}"
                  f"   ({' '.join(f'{v:.2f}' for v in values)})")
    if not args.no_middleware:
        for _title, profile_env in profiles:
            middleware_table(profile_env, 100)
    print(f"\ntotal {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
