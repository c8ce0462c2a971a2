"""The production profile passes Django's deployment checks and enforces what the demo relaxes."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="icdc.settings_production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="icdc.example.gov.cn",
        ICDC_AUDIT_KEY=secrets.token_hex(32),
        ICDC_DATA_KEYS=f"k1={secrets.token_hex(16)}",
        ICDC_DATA_KEY_ID="k1",
        **extra,
    )
    return env


def run_manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_check_deploy_reports_no_issue():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    env = production_env()
    del env["ICDC_AUDIT_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ICDC_AUDIT_KEY" in result.stderr


def test_production_forces_two_factor_and_secure_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ICDC_REQUIRE_2FA, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG, s.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=production_env(), capture_output=True, text=True)
    assert result.stdout.split() == ["True", "True", "True", "False", "31536000"], result.stderr


def test_demo_accounts_cannot_be_created_in_production():
    result = run_manage("load_demo", env=production_env(DATABASE_URL="sqlite:///:memory:"))
    assert result.returncode != 0
    assert "生产环境不允许创建演示账号" in result.stderr
