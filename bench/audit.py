"""Benchmark of the audit trail on PostgreSQL; prints figures as ratios, asserts nothing.

Run: .venv/bin/python bench/audit.py [--records N] [--repeat R] [--seconds S] [--writers W]

It creates a fresh database (``icdc_audit_bench`` unless ``--database``) on the PostgreSQL
server of ``--server`` (default postgres://postgres@127.0.0.1:5432), migrates it, then:

1. Verification: N signed records are written straight into the table (a realistic mix
   of small and data-change records), then ``verify_chain`` (what ``verify_audit`` and the
   auditor's background task run) is timed against a raw HMAC-SM3 loop over the same
   canonical bytes, measured in the same run: R rounds (default 5), each timing the raw
   loops and verify_chain one after the other; the ratio is each round's, then the median.
   Goal (issue 12): ratio ≥ 0.3.
2. Writers: one process calling ``record_event`` for S seconds, then W processes at once
   for S seconds; total records per second of each. Goal: W writers ≥ 1 × one writer.
3. The chain, with everything the writers added, is verified again.
"""

from __future__ import annotations

import argparse
import hmac
import multiprocessing
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAYLOAD = {"name": "青岛市信息消费示范城市申报书", "status": "submitted", "score": 87.25, "count": 12,
           "items": [{"code": "Q01", "value": 0.1}, {"code": "Q02", "value": -3}]}


def _parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30_000, help="records written for the verification figure")
    parser.add_argument("--seconds", type=float, default=6.0, help="duration of each writer phase")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the verification figures (median)")
    parser.add_argument("--writers", type=int, default=4, help="concurrent writer processes (0: skip part 2)")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="icdc_audit_bench")
    return parser.parse_args()


def _fresh_database(server, name):
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup(args):
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    os.environ.setdefault("ICDC_AUDIT_KEY", secrets.token_hex(32))
    os.environ.setdefault("ICDC_AUDIT_KEY_ID", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icdc.settings")
    import django

    django.setup()


def _migrate():
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _fill(count):
    """``count`` signed records, chained, inserted in batches (no record_event: that is part 2)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from icdc.audit import chain, keys
    from icdc.audit.models import AuditChainHead, AuditRecord

    key_id, key = keys.current_key()
    prev, now, batch = chain.GENESIS_MAC, timezone.now(), []
    with transaction.atomic():
        for seq in range(1, count + 1):
            data_change = seq % 3 == 0
            fields = dict(seq=seq, occurred_at=now, actor_id=seq % 50, actor_username=f"user{seq % 50}",
                          actor_role="ministry", ip_address="10.0.0.1", action="audit.row.update" if data_change else "login.ok",
                          object_type="applications.application" if data_change else "", object_id=str(seq),
                          object_repr=f"申报 {seq}", before=PAYLOAD if data_change else None,
                          after={**PAYLOAD, "status": "approved"} if data_change else None, result="ok",
                          detail="", algorithm=chain.ALGORITHM, key_id=key_id, prev_mac=prev)
            fields["mac"] = prev = chain.compute_mac(key, fields)
            # the signed texts of the JSON values, as record_event stores them
            batch.append(AuditRecord(**fields, before_text=chain.canonical_text_or_none(fields["before"]),
                                     after_text=chain.canonical_text_or_none(fields["after"])))
            if len(batch) == 5000:
                AuditRecord.objects.bulk_create(batch)
                batch = []
        AuditRecord.objects.bulk_create(batch)
        AuditChainHead.objects.update_or_create(id=1, defaults={"seq": count, "mac": prev})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditrecord")  # as autovacuum would after a day's writes


def _canonical_bytes():
    from icdc.audit import chain
    from icdc.audit.models import AuditRecord
    from icdc.audit.verification import _COLUMNS

    rows = AuditRecord.objects.order_by("seq").values_list(*_COLUMNS).iterator(chunk_size=5000)
    return [chain.canonical(chain.normalise(dict(zip(_COLUMNS, row, strict=True)))) for row in rows]


def _verification(count, repeat):
    from icdc.audit import keys
    from icdc.audit.verification import verify_chain

    _fill(count)
    blobs = _canonical_bytes()
    _key_id, key = keys.current_key()

    # Two bare loops over the same bytes: a new HMAC per record (the baseline), and
    # a keyed state copied per record (what verify_chain does; the stricter baseline).
    def plain():
        for blob in blobs:
            hmac.new(key, blob, "sm3").hexdigest()

    def copied():
        keyed = hmac.new(key, digestmod="sm3")
        for blob in blobs:
            state = keyed.copy()
            state.update(blob)
            state.hexdigest()

    def verify():
        result = verify_chain()
        assert result.ok, result.summary

    # Interleaved, ``repeat`` rounds: on a shared machine one slow baseline run would move
    # the ratio by half; each round's ratio is taken within the round, then the median.
    times = {"plain": [], "copied": [], "verify": []}
    for _round in range(repeat):
        for name, function in (("plain", plain), ("copied", copied), ("verify", verify)):
            began = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - began)
    median = {name: statistics.median(values) for name, values in times.items()}
    ratios = [p / v for p, v in zip(times["plain"], times["verify"], strict=True)]
    strict = [c / v for c, v in zip(times["copied"], times["verify"], strict=True)]
    size = sum(map(len, blobs))
    print(f"verification: {count} records, {size / count:.0f} bytes each on average; median of {repeat} rounds")
    print(f"  raw HMAC-SM3 loop      {median['plain']:7.3f} s  {count / median['plain']:10.0f} records/s   "
          "(hmac.new per record)")
    print(f"  raw, keyed state copy  {median['copied']:7.3f} s  {count / median['copied']:10.0f} records/s")
    print(f"  verify_chain           {median['verify']:7.3f} s  {count / median['verify']:10.0f} records/s")
    print(f"  ratio verify / raw     {statistics.median(ratios):7.2f}   (goal >= 0.30; rounds: "
          f"{' '.join(f'{r:.2f}' for r in ratios)})")
    print(f"  ratio verify / copy    {statistics.median(strict):7.2f}   (stricter: the same HMAC technique)")


def _writer(seconds, start, counts, index):
    from django.db import connection

    from icdc.audit.services import record_event

    start.wait()
    done, until = 0, time.perf_counter() + seconds
    while time.perf_counter() < until:
        record_event(action="bench.write", object_repr=f"writer {index}", after=PAYLOAD)
        done += 1
    counts[index] = done
    connection.close()


def _writers(processes, seconds):
    from django.db import connections

    connections.close_all()  # each child opens its own connection
    context = multiprocessing.get_context("fork")
    start, counts = context.Barrier(processes + 1), context.Array("i", processes)
    children = [context.Process(target=_writer, args=(seconds, start, counts, n)) for n in range(processes)]
    for child in children:
        child.start()
    start.wait()
    began = time.perf_counter()
    for child in children:
        child.join()
    elapsed = time.perf_counter() - began
    return sum(counts), elapsed


def main():
    args = _parse()
    _fresh_database(args.server, args.database)
    _setup(args)
    began = time.perf_counter()
    _migrate()
    print(f"database {args.database}: created and migrated in {time.perf_counter() - began:.1f} s")
    _verification(args.records, args.repeat)
    if not args.writers:
        return

    one, one_s = _writers(1, args.seconds)
    many, many_s = _writers(args.writers, args.seconds)
    print(f"writers (record_event, one transaction each, {args.seconds:.0f} s per phase):")
    print(f"  1 process              {one:7d} records  {one / one_s:8.0f} records/s")
    print(f"  {args.writers} processes            {many:7d} records  {many / many_s:8.0f} records/s")
    print(f"  ratio {args.writers} / 1              {(many / many_s) / (one / one_s):7.2f}   (goal >= 1.00)")

    from icdc.audit.verification import verify_chain

    result = verify_chain()
    print(f"chain after the concurrent run: {'intact' if result.ok else 'BROKEN'} — {result.summary}")


if __name__ == "__main__":
    main()
