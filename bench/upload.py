"""Upload benchmark: one large attachment through gunicorn, the server worker's memory and the time.

Run: .venv/bin/python bench/upload.py [--megabytes 200]
See bench/README.md. Prints figures, asserts nothing; loopback only, bounded (~1 minute, a few
hundred MB of disk in a temporary folder removed at the end).

1. gunicorn, one sync worker, ``icdc.settings_bench`` (DEBUG off) on 127.0.0.1 at a free port,
   with a fresh var folder (SQLite, MEDIA_ROOT and the upload temporary folder inside it) and
   the per-file limit raised to fit the file (``ICDC_UPLOAD_MAX_ATTACHMENT_BYTES``).
2. The bench-only view ``/_bench/upload/`` (icdc/lib/bench_views.py) stores the file with
   ``store_upload`` exactly as an application's attachment is stored: Django streams the body
   to a temporary file, ``store_upload`` checks the kind and copies it to storage chunk by chunk.
3. A small PDF first (warms the worker: imports, first request), then a valid PDF of
   ``--megabytes`` (a one-page document padded with an unreferenced stream), sent from a
   generator (the client holds no copy either). For each: the worker's VmRSS before, its peak
   (VmHWM, reset through /proc/<pid>/clear_refs before the upload) and VmRSS after, the time
   seen by the client and the server's parse and store times, and the SHA-256 checked against
   the client's. Goal: peak RSS growth < 64 MB for the large file.
4. Baseline for the server's store time: the same file copied on the same disk with a SHA-256
   computed on the way (64 kB chunks, in this process): what storing must cost at least.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _gunicorn import answer_when_up, stop  # bench/_gunicorn.py (this folder is on the path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lib.attachment_files import pdf_chunks, pdf_size  # noqa: E402

GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
MB = 1024 * 1024
BOUNDARY = "----icdc-bench-upload"
GOAL_MB = 64


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in bytes."""
    out = {}
    with open(f"/proc/{pid}/status") as lines:
        for line in lines:
            key, _sep, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) * 1024
    return out


def reset_peak(pid: int) -> bool:
    """Reset the worker's VmHWM to its current RSS; False where the kernel does not allow it."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


class Server:
    """One gunicorn sync worker on loopback; stopped (its own process group only) on exit."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.process = subprocess.Popen(
            [GUNICORN, "icdc.wsgi:application", "--workers", "1", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--timeout", "600"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self):
        self.worker = json.loads(answer_when_up(self.process, f"http://127.0.0.1:{self.port}/_bench/upload/"))["pid"]
        return self

    def __exit__(self, *exc):
        stop(self.process)


def upload(server: Server, padding: int) -> dict:
    """POST a PDF of ``padding`` bytes' padding from a generator; the figures."""
    head = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="申报材料附件.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    size = pdf_size(padding)
    before = status(server.worker)
    peak_reset = reset_peak(server.worker)
    digest = hashlib.sha256()
    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    try:
        connection.putrequest("POST", "/_bench/upload/")
        connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
        connection.putheader("Content-Length", str(len(head) + size + len(tail)))
        connection.endheaders()
        connection.send(head)
        for chunk in pdf_chunks(padding):
            digest.update(chunk)
            connection.send(chunk)
        connection.send(tail)
        response = connection.getresponse()
        answer = json.loads(response.read())
    finally:
        connection.close()
    elapsed = time.perf_counter() - began
    after = status(server.worker)
    if response.status != 200:
        raise RuntimeError(f"upload refused: {answer}")
    return {**answer, "seconds": elapsed, "file_size": size, "rss_before": before["VmRSS"],
            "peak": after["VmHWM"], "rss_after": after["VmRSS"], "peak_reset": peak_reset,
            "same_hash": answer["sha256"] == digest.hexdigest()}


def raw_copy_seconds(folder: Path, padding: int) -> float:
    """Copy a file of the same size on the same disk, hashing it: the lower bound of storing it."""
    source, target = folder / "raw-source.pdf", folder / "raw-copy.pdf"
    with source.open("wb") as out:
        for chunk in pdf_chunks(padding):
            out.write(chunk)
    began = time.perf_counter()
    digest = hashlib.sha256()
    with source.open("rb") as reading, target.open("wb") as writing:
        while chunk := reading.read(64 * 1024):
            digest.update(chunk)
            writing.write(chunk)
    elapsed = time.perf_counter() - began
    source.unlink()
    target.unlink()
    return elapsed


def report(label: str, figures: dict) -> float:
    growth = (figures["peak"] - figures["rss_before"]) / MB
    print(f"{label}: {figures['file_size'] / MB:.1f} MB, {figures['upload_class']}, "
          f"{figures['seconds']:.2f} s ({figures['file_size'] / MB / figures['seconds']:.0f} MB/s; "
          f"server: parse {figures['parse_seconds']:.2f} s, store {figures['store_seconds']:.2f} s), "
          f"SHA-256 {'matches' if figures['same_hash'] else 'DIFFERS'}")
    print(f"  worker RSS before {figures['rss_before'] / MB:.1f} MB, peak {figures['peak'] / MB:.1f} MB "
          f"(growth {growth:.1f} MB{'' if figures['peak_reset'] else '; peak since start: clear_refs refused'}), "
          f"after {figures['rss_after'] / MB:.1f} MB")
    return growth


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="icdc-upload-bench-")
    try:
        (Path(var_dir) / "upload-tmp").mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ICDC_", "DJANGO_", "DATABASE_URL"))}
        env.update(DJANGO_SETTINGS_MODULE="icdc.settings_bench", ICDC_VAR_DIR=var_dir,
                   ICDC_UPLOAD_TEMP_DIR=str(Path(var_dir) / "upload-tmp"),
                   ICDC_UPLOAD_MAX_ATTACHMENT_BYTES=str((args.megabytes + 1) * MB))
        with Server(env) as server:
            print(f"gunicorn, 1 sync worker (pid {server.worker}), icdc.settings_bench, loopback; "
                  f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
            report("warm-up, a one-page PDF", upload(server, 0))
            large = upload(server, args.megabytes * MB - 512)
            growth = report(f"large PDF ({args.megabytes} MB)", large)
        raw = raw_copy_seconds(Path(var_dir), args.megabytes * MB - 512)
        print(f"baseline: copy + SHA-256 of the same file on the same disk {raw:.2f} s; "
              f"server store ÷ baseline {large['store_seconds'] / raw:.2f}")
        print(f"peak RSS growth for the large file: {growth:.1f} MB (goal < {GOAL_MB} MB)")
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(var_dir)


if __name__ == "__main__":
    main()
