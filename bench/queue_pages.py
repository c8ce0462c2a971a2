"""List pages with 10,000 applications on PostgreSQL: the Ministry's queue and the province's list,
each beside a bare view that reads the same rows.

Run: .venv/bin/python bench/queue_pages.py [--applications 10000] [--requests 40] [--reuse-db]
See bench/README.md. Prints figures, asserts nothing; in-process (Django's test client, no
network), ``icdc.settings_bench`` (DEBUG off), bounded (about a minute after the set-up).

1. A fresh PostgreSQL database (icdc_queue_bench by default), migrated, the division data loaded
   with the project's own command; then batches under the shipped programme definition and
   N applications bulk-created over them (one per city per batch, as the constraint requires):
   direct applicants ``submitted_direct``, the others in turn recommended, recommended,
   submitted, returned, draft — so about half the rows are in the Ministry's queue.
2. A Ministry officer and the provincial official of the province with the most applications,
   logged in with ``force_login``.
3. Each page requested ``--requests`` times after three warm-up requests: p50 and p95, the SQL
   queries of one request, and the ratio of its p50 to the p50 of its bare view
   (``icdc/lib/bench_views.py``: the same count and the same 50 rows with the same joins and
   order, written as plain text — no form, no labels, no template, no permission check).
"""

from __future__ import annotations

# Issue 13 names it bench/queue.py; in bench/ that name shadowed the stdlib's ``queue`` for every
# other bench script (their folder is first on the import path), so it is queue_pages.py.
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
PROGRAMME = ROOT / "data" / "programmes" / "info-consumption-demonstration-city.yaml"
STATES = ("recommended", "recommended", "submitted", "returned", "draft")


def psql(database: str, sql: str) -> str:
    out = subprocess.run(["psql", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", database, "-AtX",
                          "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def set_up_database(database: str, env: dict, reuse: bool) -> bool:
    """True when the database was (re)created and needs its applications."""
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    if reuse and exists:
        return False
    psql("postgres", f'DROP DATABASE IF EXISTS "{database}"')
    psql("postgres", f'CREATE DATABASE "{database}"')
    for args in (("migrate", "--noinput"), ("load_divisions",)):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return True


def fill(count: int) -> None:
    """Batches and ``count`` applications, bulk-created."""
    from django.utils import timezone

    from icdc.applications.models import Application
    from icdc.batches.models import Batch
    from icdc.divisions.models import Division
    from icdc.programmes.definition import load_programme

    programme = load_programme(PROGRAMME)
    cities = [c for c in Division.objects.filter(can_apply=True).select_related("parent").order_by("code")
              if programme.is_eligible(c)]
    routes = {c.pk: programme.route_for(c) for c in cities}
    provinces = {d.code: d for d in Division.objects.filter(level="province")}
    now = timezone.now()
    batches = (count + len(cities) - 1) // len(cities)
    made, rows = 0, []
    types = [t.code for t in programme.types]
    for b in range(batches):
        batch = Batch.objects.create(
            year=1990 + b, title=f"{1990 + b}年信息消费示范城市申报", programme_code=programme.code,
            programme_version=programme.version, programme_document=programme.document, status="open",
            city_deadline=now + timezone.timedelta(days=10), province_deadline=now + timezone.timedelta(days=20))
        for n, city in enumerate(cities):
            if made >= count:
                break
            route = routes[city.pk]
            status = "submitted_direct" if route.is_direct else STATES[(n + b) % len(STATES)]
            at = now - timezone.timedelta(minutes=made)
            rows.append(Application(
                batch=batch, city=city, route="direct" if route.is_direct else "province",
                province=None if route.is_direct else provinces[route.channel_code], number=f"{batch.year}-{city.code}",
                type_code=types[made % len(types)], status=status,
                submitted_at=None if status == "draft" else at,
                arrived_at=at if status in ("recommended", "submitted_direct") else None))
            made += 1
    Application.objects.bulk_create(rows, batch_size=2000)


def users():
    from django.db.models import Count
    from django.utils import timezone

    from icdc.accounts.models import Role, User
    from icdc.applications.models import Application
    from icdc.divisions.models import Division

    top = (Application.objects.filter(route="province").values("province").annotate(n=Count("pk"))
           .order_by("-n").first())
    province = Division.objects.get(pk=top["province"])

    def user(name, role, division=None):
        found = User.objects.filter(username=name).first()
        if found:
            return found
        account = User(username=name, role=role, division=division, password_changed_at=timezone.now())
        account.set_unusable_password()
        account.save()
        return account

    return user("bench-ministry", Role.MINISTRY_OFFICER), user("bench-province", Role.PROVINCIAL_OFFICIAL, province)


def measure(client, url: str, requests: int):
    from django.db import connection

    for _ in range(3):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    captured = []

    def count(execute, sql, params, many, context):
        captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # survives the reconnect each request makes (CONN_MAX_AGE 0)
        client.get(url)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(times, n=20)
    return statistics.median(times), cuts[18], len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database", default="icdc_queue_bench")
    parser.add_argument("--reuse-db", action="store_true")
    args = parser.parse_args()

    var_dir = Path(tempfile.gettempdir()) / f"{args.database}-var"  # kept for --reuse-db (the audit key)
    var_dir.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICDC_BENCH_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="icdc.settings_bench", ICDC_VAR_DIR=str(var_dir),
               DATABASE_URL=f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{args.database}")
    fresh = set_up_database(args.database, env, args.reuse_db)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic for an in-process bench
    django.setup()
    from django.test import Client

    from icdc.applications.models import Application

    if fresh:
        start = time.perf_counter()
        fill(args.applications)
        print(f"bulk-created {Application.objects.count()} applications in {time.perf_counter() - start:.1f} s")
    ministry, province = users()
    arrived = Application.objects.filter(arrived_at__isnull=False).count()
    at_province = Application.objects.filter(province=province.division, submitted_at__isnull=False).count()
    deep = max(arrived // 50 // 2, 1)
    print(f"{Application.objects.count()} applications; {arrived} in the Ministry's queue; "
          f"{at_province} submitted through {province.division.name}; {args.requests} requests per page, in-process")

    officer, official = Client(), Client()
    officer.force_login(ministry)
    official.force_login(province)
    pages = [
        ("Ministry queue, page 1", officer, "/preliminary/ministry/", "/_bench/queue/ministry/"),
        (f"Ministry queue, page {deep}", officer, f"/preliminary/ministry/?page={deep}",
         f"/_bench/queue/ministry/?page={deep}"),
        ("Ministry queue, filtered + sorted", officer,
         f"/preliminary/ministry/?province={province.division.code}&type_code=COMP&sort=city",
         f"/_bench/queue/ministry/?province={province.division.code}&type_code=COMP&sort=city"),
        (f"province list ({province.division.name})", official, "/preliminary/province/", "/_bench/queue/province/"),
    ]
    print(f"{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'bare p50':>9} {'bare q':>7} {'ratio':>6}")
    for label, client, url, bare_url in pages:
        p50, p95, queries = measure(client, url, args.requests)
        b50, _b95, bare_queries = measure(client, bare_url, args.requests)
        print(f"{label:44} {p50:8.1f} {p95:8.1f} {queries:8d} {b50:9.1f} {bare_queries:7d} {p50 / b50:6.2f}")


if __name__ == "__main__":
    main()
