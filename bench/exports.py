"""Excel exports through the shared writer: rows per second at 1k, 10k and 50k rows, the growth
(50k time ÷ 1k time; linear is 50 ×, the goal is within 60 ×), and a bare baseline measured in
the same run. Prints figures, asserts nothing.

Run: .venv/bin/python bench/exports.py [--repeat N]

- ``statistics .xlsx``: ``statistics_io.write_xlsx`` (the statistics export: title, widths,
  frozen header, filter, number formats, formula-safe text) on N synthetic figure rows;
- ``bare openpyxl``: the same rows appended to an openpyxl write-only sheet with no formatting,
  the least any .xlsx writer in Python does — the baseline;
- ``statistics .csv``: ``statistics_io.write_csv`` (BOM, formula-safe).
Each size is timed ``--repeat`` times (default 3) and as many more times as fit in ``--budget``
seconds (default 1 s: about 10 runs of the 1k .xlsx, hundreds of the 1k .csv, no more of the
50k .xlsx), because the 1k figure is the denominator of the growth and a single slow run of
70 ms on a shared machine moves it by 20 %.
The table shows the median and the best run; the growth is taken from the medians (the best of
hundreds of 1k .csv runs is an outlier of its own).
The first line says whether openpyxl writes through lxml (``openpyxl.xml.LXML``): without lxml it
falls back to the pure-Python ``et_xmlfile``, about 1.6 × slower and less linear.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icdc.settings")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402
from openpyxl.xml import LXML  # noqa: E402

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


def timed(function, table, repeat, budget):
    """(median, best) of at least ``repeat`` runs, more while the runs took under ``budget`` s."""
    times = []
    while len(times) < repeat or sum(times) < budget:
        start = time.perf_counter()
        function(table)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), len(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=1.0, help="seconds of runs at least, per writer and size")
    args = parser.parse_args()
    print(f"openpyxl writes through {'lxml' if LXML else 'et_xmlfile (pure Python: lxml not installed)'}")
    writers = {
        "statistics .xlsx": statistics_io.write_xlsx,
        "bare openpyxl": bare,
        "statistics .csv": statistics_io.write_csv,
    }
    medians = {name: {} for name in writers}
    bests = {name: {} for name in writers}
    print(f"{'writer':18} {'rows':>7} {'runs':>5} {'median s':>9} {'best s':>9} {'rows/s':>9} {'x bare':>7}")
    for size in SIZES:
        table = rows(size)
        runs = {}
        for name, function in writers.items():
            medians[name][size], bests[name][size], runs[name] = timed(function, table, args.repeat, args.budget)
        for name in writers:
            seconds = medians[name][size]
            print(f"{name:18} {size:>7} {runs[name]:>5} {seconds:>9.4f} {bests[name][size]:>9.4f} "
                  f"{size / seconds:>9.0f} {seconds / medians['bare openpyxl'][size]:>7.2f}")
    print()
    big, small = SIZES[-1], SIZES[0]
    bare_growth = medians["bare openpyxl"][big] / medians["bare openpyxl"][small]
    for name in writers:
        growth = medians[name][big] / medians[name][small]
        print(f"{name:18} 50k ÷ 1k time: {growth:.1f} x (medians; linear: 50 x; goal: within 60 x); "
              f"÷ the bare writer's own growth: {growth / bare_growth:.2f}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
