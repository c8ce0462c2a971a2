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


@pytest.mark.django_db
def test_startup_passes_here_and_running_it_twice_audits_each_change_once():
    from django.core.checks.registry import registry
    from django.db.models.signals import post_save

    from icdc.accounts.models import User
    from icdc.audit.models import AuditRecord
    from icdc.audit.registry import registered_models
    from icdc.divisions.models import Division
    from tests.factories import division

    config = apps.get_app_config("audit")
    assert config.ready() is None  # SM3 works here: no ImproperlyConfigured
    config.ready()  # tests and some servers import twice: nothing may be hooked twice

    assert {User, Division} <= set(registered_models())
    assert check_audit_key in registry.get_checks() and check_retention in registry.get_checks()
    hooks = [r for r in post_save._live_receivers(Division)[0] if getattr(r, "__module__", "") == "icdc.audit.registry"]
    assert len(hooks) == 1
    city = division("370200", "青岛市")
    before = AuditRecord.objects.count()
    city.name = "青岛"
    city.save()
    changes = AuditRecord.objects.filter(action="audit.row.update", object_id="370200")
    assert AuditRecord.objects.count() == before + 1 and changes.count() == 1
    assert changes.get().after == {"name": "青岛"}


def test_a_short_or_malformed_key_is_reported(settings):
    settings.ICDC_AUDIT_KEY = "abcd"
    assert [e.id for e in check_audit_key()] == ["audit.E001"]
    settings.ICDC_AUDIT_KEY = "not hex"
    assert [e.id for e in check_audit_key()] == ["audit.E001"]
    settings.ICDC_AUDIT_KEY = "11" * 32
    assert check_audit_key() == []


def test_the_default_settings_pass():
    assert check_retention() == []
