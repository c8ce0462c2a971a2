"""The documented deployment (gunicorn with deploy/gunicorn.conf.py) names no server software
in its responses, and sends the full content security policy."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn_url(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(ICDC_VAR_DIR=str(tmp_path), ICDC_AUDIT_KEY="11" * 32, GUNICORN_BIND=f"127.0.0.1:{port}",
               GUNICORN_WORKERS="1", GUNICORN_ACCESSLOG="", DJANGO_DEBUG="false",
               DJANGO_SETTINGS_MODULE="icdc.settings")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "icdc.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode())
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_no_server_banner_under_the_documented_gunicorn(gunicorn_url):
    for path in ("/accounts/login/", "/no-such-page/"):
        status, headers = _get(f"{gunicorn_url}{path}")
        assert status in (200, 404), path
        assert headers.get("Server") is None, (path, headers.get("Server"))
        assert "gunicorn" not in str(headers).lower()
    csp = _get(f"{gunicorn_url}/accounts/login/")[1]["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
