"""Fixtures of the indicators tests: the shipped draft as a loaded version, cities, files."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import division

DRAFT_PATH = Path(settings.BASE_DIR) / "data" / "indicators" / "draft-2019.yaml"


@pytest.fixture
def draft_text():
    return DRAFT_PATH.read_text(encoding="utf-8")



@pytest.fixture
def cities(db):
    """Three cities that may apply, and their province (which may not)."""
    return {
        "370200": division("370200", "青岛市", short_name="青岛"),
        "370100": division("370100", "济南市"),
        "330200": division("330200", "宁波市", province_name="浙江省"),
        "370000": division("370000", "山东省", level="province"),
    }
