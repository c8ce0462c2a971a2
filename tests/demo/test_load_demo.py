"""`make run`'s demo dataset: every role can log in, data is real, and a second load changes nothing."""

import pytest
from django.core.management import call_command

from icdc.accounts.models import Role, User
from icdc.demo.dataset import DEMO_ACCOUNTS, DEMO_PASSWORD
from icdc.indicators.models import StatisticFigure
from icdc.rankings.models import ScoringRun


@pytest.fixture
def demo(db):
    call_command("load_divisions", verbosity=0)
    call_command("load_indicators", "--publish", verbosity=0)
    call_command("load_demo", verbosity=0)


def test_demo_has_one_account_per_role_that_logs_in(client, demo):
    assert {User.objects.get(username=u).role for u in DEMO_ACCOUNTS} == set(Role)
    for username in DEMO_ACCOUNTS:
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert "_auth_user_id" in client.session
        client.post("/accounts/logout/")


def test_demo_statistics_and_runs_exist_and_reload_changes_nothing(demo):
    figures, runs = StatisticFigure.objects.count(), ScoringRun.objects.count()
    assert figures == 600
    assert set(ScoringRun.objects.values_list("system_code", flat=True)) == {"COMP", "SPEC"}
    call_command("load_demo", verbosity=0)
    assert (StatisticFigure.objects.count(), ScoringRun.objects.count()) == (figures, runs)
