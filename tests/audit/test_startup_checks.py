"""The platform refuses to start without SM3, and `manage.py check` reports a bad audit setup."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from icdc.audit import chain
from icdc.audit.checks import check_audit_key, check_retention


def test_startup_fails_without_a_working_sm3(monkeypatch):
    monkeypatch.setattr(chain, "sm3_available", lambda: False)
    with pytest.raises(ImproperlyConfigured, match="SM3"):
        apps.get_app_config("audit").ready()


def test_startup_passes_here():
    apps.get_app_config("audit").ready()  # idempotent: registering twice changes nothing


def test_a_short_or_malformed_key_is_reported(settings):
    settings.ICDC_AUDIT_KEY = "abcd"
    assert [e.id for e in check_audit_key()] == ["audit.E001"]
    settings.ICDC_AUDIT_KEY = "not hex"
    assert [e.id for e in check_audit_key()] == ["audit.E001"]
    settings.ICDC_AUDIT_KEY = "11" * 32
    assert check_audit_key() == []


def test_the_default_settings_pass():
    assert check_retention() == []
