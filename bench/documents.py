"""Generated documents: how long a render takes. Prints figures, asserts nothing.

Run: .venv/bin/python bench/documents.py [--repeat N]

- ``import weasyprint``: the one-off cost the app defers to the first render (measured in a
  fresh interpreter);
- ``official PDF, 1 page``: a province's recommendation letter through ``render_official_pdf``;
- ``official .docx``: the same letter through ``render_official_docx``;
- ``form PDF, 20 pages``: a printed form with a ~540-row indicator table through ``render_form_pdf``
  (auto table layout), and the same with column widths given (``table-layout: fixed``);
- ``bare WeasyPrint table``: the same rows as a plain HTML table, no stylesheet, no template,
  straight through ``weasyprint.HTML(...).write_pdf()`` — the least any WeasyPrint render of
  those rows costs, measured in the same run (the machine is shared: compare ratios, not seconds);
- ``SM3 of the form PDF``: ``document_digest`` on its bytes.
Each figure is the best of ``--repeat`` warm runs (default 3), after one cold run that is shown too.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icdc.settings")

import django  # noqa: E402

django.setup()

from icdc.documents.digest import document_digest  # noqa: E402
from icdc.documents.form_print import render_form_pdf  # noqa: E402
from icdc.documents.official import render_official_docx, render_official_pdf  # noqa: E402
from tests.documents.samples import form, one_page_letter  # noqa: E402

FORM_ROWS = 540  # about 20 pages with the header, sections and signature


def timed(function, repeat):
    start = time.perf_counter()
    result = function()
    cold = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return result, cold, min(times)


def bare_table(rows) -> bytes:
    from weasyprint import HTML

    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    html = ('<html lang="zh-CN"><style>html { font-family: "Noto Serif CJK SC"; font-size: 10.5pt }</style>'
            f"<table><thead><tr>{'<th>列</th>' * 6}</tr></thead>{body}</table></html>")
    return HTML(string=html).write_pdf()


def pages(data: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    code = "import time; t = time.perf_counter(); import weasyprint; print(time.perf_counter() - t)"
    import_seconds = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                          check=True).stdout)
    letter = one_page_letter()
    long_form = form(rows=FORM_ROWS)
    table = long_form.sections[1].table
    fixed_form = dataclasses.replace(long_form, sections=[
        long_form.sections[0],
        dataclasses.replace(long_form.sections[1], table=dataclasses.replace(
            table, widths=("10%", "34%", "14%", "10%", "10%", "22%")))])

    print(f"{'what':34} {'pages':>5} {'cold s':>8} {'warm s':>8} {'s/page':>7} {'KiB':>6}")
    print(f"{'import weasyprint':34} {'':>5} {import_seconds:>8.2f}")
    for name, function in (
        ("official PDF, 1 page", lambda: render_official_pdf(letter)),
        ("official .docx", lambda: render_official_docx(letter)),
        (f"form PDF, {FORM_ROWS} rows, auto layout", lambda: render_form_pdf(long_form)),
        (f"form PDF, {FORM_ROWS} rows, fixed widths", lambda: render_form_pdf(fixed_form)),
        (f"bare WeasyPrint table, {FORM_ROWS} rows", lambda: bare_table(table.rows)),
    ):
        data, cold, warm = timed(function, args.repeat)
        count = pages(data) if data.startswith(b"%PDF") else 0
        per_page = f"{warm / count:>7.3f}" if count else f"{'':>7}"
        print(f"{name:34} {count or '':>5} {cold:>8.2f} {warm:>8.2f} {per_page} {len(data) / 1024:>6.0f}")
    form_pdf = render_form_pdf(long_form)
    _digest, cold, warm = timed(lambda: document_digest(form_pdf), args.repeat)
    print(f"{'SM3 of the form PDF':34} {'':>5} {cold:>8.4f} {warm:>8.4f}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
