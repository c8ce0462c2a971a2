import pytest
from django.urls import reverse

from tests.factories import DEMO_PASSWORD


def login(client, username, password=DEMO_PASSWORD, data=None, **headers):
    """Log in through the real login page (django-axes needs the request)."""
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password, **(data or {})}, **headers
    )


def audit(action, **filters):
    from icdc.audit.models import AuditRecord

    return AuditRecord.objects.filter(action=action, **filters)


@pytest.fixture
def two_factor_on(settings):
    settings.ICDC_REQUIRE_2FA = True
    return settings
