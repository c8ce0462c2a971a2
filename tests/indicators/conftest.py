"""Fixtures of the indicators tests: the shipped draft as a loaded version, cities, files."""

from pathlib import Path

import pytest
from django.conf import settings

from icdc.accounts.models import Role
from tests.factories import division

DRAFT_PATH = Path(settings.BASE_DIR) / "data" / "indicators" / "draft-2019.yaml"


@pytest.fixture
def draft_text():
    return DRAFT_PATH.read_text(encoding="utf-8")


@pytest.fixture
def draft_version(db):
    """The project's default seed, loaded the way ``load_indicators`` loads it."""
    from icdc.indicators.services import import_version_document
    from icdc.indicators.yaml_io import load_document

    version, _created = import_version_document(document=load_document(DRAFT_PATH.read_bytes()))
    return version


@pytest.fixture
def officer(role_users):
    return role_users[Role.MINISTRY_OFFICER]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def cities(db):
    """Three cities that may apply, and their province (which may not)."""
    return {
        "370200": division("370200", "青岛市", short_name="青岛"),
        "370100": division("370100", "济南市"),
        "330200": division("330200", "宁波市", province_name="浙江省"),
        "370000": division("370000", "山东省", level="province"),
    }
