"""Cost of the session policy behind login: the old one (session written on every request)
against the new one (last-seen stamp at most once a minute), in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/sessions.py [--requests 400]

Builds a throw-away test database, logs one account in, and times GETs of a page behind
login through Django's test client (in-process: no server, no network). Prints requests per
second for each policy, the ratio, and session-table writes per request. Asserts nothing.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icdc.settings")
os.environ.setdefault("ICDC_AUDIT_KEY", "11" * 32)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def run(requests, url, client):
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        for _ in range(requests):
            client.get(url)
        elapsed = time.perf_counter() - began
    writes = sum(1 for q in queries if "accounts_accountsession" in q["sql"]
                 and q["sql"].lstrip().upper().startswith("UPDATE"))
    return requests / elapsed, writes / requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from django.conf import settings

        from icdc.accounts.models import Role
        from tests.factories import DEMO_PASSWORD, make_user

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        user = make_user(Role.CITY_APPLICANT, username="bench-sessions")
        url = reverse("home:city")
        results = {}
        for name, overrides in (
            ("every request (old)", {"SESSION_SAVE_EVERY_REQUEST": True, "ICDC_SESSION_STAMP_SECONDS": 0}),
            ("once a minute (new)", {}),
        ):
            with override_settings(**overrides):
                client = Client()
                client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
                results[name] = run(args.requests, url, client)
        base = results["every request (old)"][0]
        print(f"{connection.vendor}, {args.requests} GETs of {url} behind login, in-process")
        for name, (rate, writes) in results.items():
            print(f"  session written {name:<22} {rate:8.1f} req/s  ×{rate / base:.2f}  "
                  f"session UPDATEs per request {writes:.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
