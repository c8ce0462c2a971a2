"""Fixtures of the decision tests: a 综合型 run of five cities (the rankings fixtures: 青岛 and 宁波
selected under a quota of 2, 济南 a close call), a batch, two Ministry officers, a proposal."""

import datetime

import pytest

from icdc.accounts.models import Role
from tests.factories import make_user
from tests.rankings import conftest as rankings_fixtures

from . import helpers

cities = rankings_fixtures.cities
figures = rankings_fixtures.figures
comp_run = rankings_fixtures.comp_run


@pytest.fixture
def batch(db):
    from tests.applications.factories_review import batch as make_batch

    return make_batch(status="in_review", notice_working_days=5)


@pytest.fixture
def checker(db):
    return make_user(Role.MINISTRY_OFFICER, username="checker")


@pytest.fixture
def proposal(batch, comp_run, officer):
    from icdc.decisions.services import proposal_create

    return proposal_create(batch=batch, run=comp_run, user=officer)


@pytest.fixture
def approved(proposal, officer, checker):
    return helpers.approve(proposal, officer, checker)


@pytest.fixture
def in_notice(approved, checker):
    """Published on Friday 2024-09-27, 10:00 Beijing: five working days to Thursday 2024-10-10."""
    from icdc.decisions.services import proposal_transition

    return proposal_transition(proposal=approved, name="publish", user=checker, now=helpers.at(2024, 9, 27, 10))


@pytest.fixture
def end_instant():
    return datetime.datetime(2024, 10, 10, 23, 59, 59, tzinfo=helpers.SHANGHAI)
