"""Fixtures of the decisions tests: the shipped draft indicators, five cities with official
statistics for 2022, and a 综合型 run built from them through the real service."""

from pathlib import Path

import pytest
from django.conf import settings

from icdc.accounts.models import Role
from tests.factories import division

from . import helpers

DRAFT_PATH = Path(settings.BASE_DIR) / "data" / "indicators" / "draft-2019.yaml"


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
    jiangsu = {"province_name": "江苏省"}
    return {
        "370200": division("370200", "青岛市"),
        "330200": division("330200", "宁波市", province_name="浙江省"),
        "370100": division("370100", "济南市"),
        "320200": division("320200", "无锡市", **jiangsu),
        "320100": division("320100", "南京市", **jiangsu),
    }


@pytest.fixture
def figures(draft_version, cities, officer):
    """Official 2022 statistics for every quantitative indicator (南京 lacks D1.1)."""
    return helpers.make_figures(draft_version, officer)


@pytest.fixture
def comp_run(figures, draft_version, officer):
    return helpers.create_comp_run(officer, draft_version)
