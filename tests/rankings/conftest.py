"""Fixtures of the decisions tests: the shipped draft indicators, five cities with official
statistics for 2022, and a 综合型 run built from them through the real service."""


import pytest

from tests.factories import division

from . import helpers


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
