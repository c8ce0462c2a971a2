"""`verify_audit` exit status: 0 intact, 1 tampering found, 2 could not verify (issue 10.3).

Monitoring must tell "the trail was tampered with" from "the check could not run"; neither
may end in a traceback.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .conftest import tamper, write_events

ROOT = Path(__file__).resolve().parents[2]


def _status(*args):
    try:
        call_command("verify_audit", *args)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""


@pytest.mark.django_db
def test_intact_is_0_and_tampered_is_1():
    write_events(3)
    assert _status() == (0, "")
    tamper("UPDATE audit_auditrecord SET detail = 'x' WHERE seq = 2")
    status, message = _status()
    assert status == 1 and "第 2 号记录" in message


@pytest.mark.django_db
def test_a_rebuilt_head_is_a_finding_with_status_1():
    write_events(2)
    tamper("DELETE FROM audit_auditchainhead")
    write_events(1)  # the writer rebuilds the head and records audit.head_rebuilt (seq 3)
    status, message = _status()
    assert status == 1
    assert "第 3 号记录" in message and "audit.chain.head_rebuilt" in message and "链头记录曾缺失并被重建" in message


@pytest.mark.django_db
def test_an_unusable_key_is_2_with_the_reason(settings):
    write_events(1)
    settings.ICDC_AUDIT_KEY = "not hex"
    status, message = _status()
    assert status == 2 and "无法完成审计日志校验" in message and "ICDC_AUDIT_KEY must be hex" in message


def test_a_missing_archive_is_2(tmp_path):
    status, message = _status("--archive", str(tmp_path / "nothing.jsonl"))
    assert status == 2 and "nothing.jsonl" in message


def test_a_database_without_the_tables_exits_2_without_a_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "ICDC_VAR_DIR": str(tmp_path),
           "ICDC_AUDIT_KEY": "11" * 32, "ICDC_AUDIT_KEY_ID": "test", "ICDC_DATA_KEYS": "test=" + "33" * 16,
           "ICDC_DATA_KEY_ID": "test", "DJANGO_SETTINGS_MODULE": "icdc.settings"}
    done = subprocess.run([sys.executable, "manage.py", "verify_audit"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "无法完成审计日志校验" in done.stderr and "no such table" in done.stderr
    assert "Traceback" not in done.stderr
