"""Excel exports through the shared writer: rows per second at 1k, 10k and 50k rows, the growth
(50k time ÷ 1k time; linear is 50 ×, the goal is within 60 ×), and a bare baseline measured in
the same run. Prints figures, asserts nothing.

Run: .venv/bin/python bench/exports.py [--repeat N]

- ``statistics .xlsx``: ``statistics_io.write_xlsx`` (the statistics export: title, widths,
  frozen header, filter, number formats, formula-safe text) on N synthetic figure rows;
- ``bare openpyxl``: the same rows appended to an openpyxl write-only sheet with no formatting,
  the least any .xlsx writer in Python does — the baseline;
- ``statistics .csv``: ``statistics_io.write_csv`` (BOM, formula-safe).
Each figure is the best of ``--repeat`` runs (default 3).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icdc.settings")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402

from icdc.indicators import statistics_io  # noqa: E402

SIZES = (1_000, 10_000, 50_000)


def rows(count):
    return [[f"{370200 + n % 300:06d}", "青岛市", 2000 + n % 24, f"D{n % 9}.{n % 7}", f"{1523.5 + n:.1f}", "亿元",
             "国家统计局", "" if n % 3 else f"=HYPERLINK(\"http://x/{n}\")"] for n in range(count)]


def bare(table):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(statistics_io.HEADERS))
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def best(function, table, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(table)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    writers = {
        "statistics .xlsx": statistics_io.write_xlsx,
        "bare openpyxl": bare,
        "statistics .csv": statistics_io.write_csv,
    }
    timings = {name: {} for name in writers}
    print(f"{'writer':18} {'rows':>7} {'seconds':>9} {'rows/s':>9} {'x bare':>7}")
    for size in SIZES:
        table = rows(size)
        for name, function in writers.items():
            timings[name][size] = best(function, table, args.repeat if size < 50_000 else 1)
        for name in writers:
            seconds = timings[name][size]
            print(f"{name:18} {size:>7} {seconds:>9.3f} {size / seconds:>9.0f} "
                  f"{seconds / timings['bare openpyxl'][size]:>7.2f}")
    print()
    bare_growth = timings["bare openpyxl"][50_000] / timings["bare openpyxl"][1_000]
    for name in writers:
        growth = timings[name][50_000] / timings[name][1_000]
        print(f"{name:18} 50k ÷ 1k time: {growth:.1f} x (linear: 50 x; goal: within 60 x); "
              f"÷ the bare writer's own growth: {growth / bare_growth:.2f}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
