"""A gunicorn started by a bench: wait until it answers, stop its whole process group.
Shared by bench/web.py and bench/upload.py (loopback only)."""

import os
import signal
import subprocess
import time
import urllib.request


def answer_when_up(process: subprocess.Popen, url: str, *, within: float = 30) -> bytes:
    """The body of the first answer from ``url``; RuntimeError if gunicorn exits or stays silent."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return answer.read()
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {within:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """TERM the process group, KILL it after 10 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
