"""Hostile statistics uploads: time and peak memory of each, beside a legitimate file at the row
limit measured in the same run. Prints figures, asserts nothing.

Run: .venv/bin/python bench/hostile_uploads.py

Each file is built by the script (tests/lib/hostile_files.py: zip bombs in about a second) and
read by ``statistics_io.read_rows`` (the upload guard, then the streaming reader) in a forked
child process, so each peak is its own: peak RSS growth = VmHWM after − VmRSS before (the
high-water mark is reset through /proc/self/clear_refs). Goal (issue 10 §7): every file within
the size limit refused or read in < 5 s and < 100 MB.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icdc.settings")

import django  # noqa: E402

django.setup()

from icdc.indicators import statistics_io  # noqa: E402
from tests.indicators.helpers import csv_bytes, xlsx_bytes  # noqa: E402
from tests.lib import hostile_files  # noqa: E402

MB = 1024 * 1024


def _status(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


def _measure(name, content, pipe, reader="platform"):
    before = _status("VmRSS:")
    with contextlib.suppress(OSError):  # not every kernel lets a process reset its peak
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # reset the peak (VmHWM) to the current RSS
    start = time.perf_counter()
    try:
        if reader == "openpyxl":
            import io

            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True, max_col=32))
            outcome = f"read {rows} rows (openpyxl read-only)"
        else:
            outcome = f"accepted, {len(statistics_io.read_rows(name, content))} rows"
    except statistics_io.FileRejected as exc:
        outcome = "refused: " + str(exc.errors[0].reason)
    elapsed = time.perf_counter() - start
    pipe.send((elapsed, max(_status("VmHWM:") - before, 0), outcome))


def measure(name, content, reader="platform"):
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_measure, args=(name, content, child, reader))
    process.start()
    result = parent.recv()
    process.join()
    return result


def main():
    rows = hostile_files.good_statistics_rows(statistics_io.MAX_ROWS)
    baseline_xlsx = xlsx_bytes(rows)
    base_time, base_memory, base_outcome = measure("baseline.xlsx", baseline_xlsx)
    print(f"baseline: a legitimate .xlsx at the row limit ({len(rows)} rows, {len(baseline_xlsx) // 1024} kB):"
          f" {base_time:.2f} s, {base_memory / MB:.1f} MB ({base_outcome})")
    seconds, memory, outcome = measure("baseline.xlsx", baseline_xlsx, reader="openpyxl")
    print(f"  the same file through openpyxl read-only (the reader before): {seconds:.2f} s, {memory / MB:.1f} MB"
          f" = {seconds / base_time:.1f} x baseline time")
    csv_content = csv_bytes(rows)
    seconds, memory, outcome = measure("baseline.csv", csv_content)
    print(f"  the same rows as .csv ({len(csv_content) // 1024} kB): {seconds:.2f} s, {memory / MB:.1f} MB")
    print()
    print(f"{'file':34} {'size':>8} {'build':>7} {'time':>8} {'x base':>7} {'peak MB':>8}  outcome")
    worst_time = worst_memory = 0.0
    for name, build in hostile_files.HOSTILE.items():
        began = time.perf_counter()
        content = build()
        built = time.perf_counter() - began
        seconds, memory, outcome = measure(name, content)
        worst_time, worst_memory = max(worst_time, seconds), max(worst_memory, memory)
        print(f"{name:34} {len(content) // 1024:>6}kB {built:>6.2f}s {seconds:>7.3f}s {seconds / base_time:>7.2f}"
              f" {memory / MB:>8.1f}  {outcome}")
    print()
    print(f"worst hostile file: {worst_time:.2f} s, {worst_memory / MB:.1f} MB (goal < 5 s, < 100 MB); "
          f"{worst_time / base_time:.2f} x the legitimate file's time")


if __name__ == "__main__":
    main()
