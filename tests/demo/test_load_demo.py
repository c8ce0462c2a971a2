"""`make run`'s demo dataset: every role can log in, data is real, and a second load changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from icdc.accounts.models import Role, User
from icdc.accounts.selectors import demo_accounts
from icdc.demo.dataset import DEMO_ACCOUNTS, DEMO_PASSWORD
from icdc.indicators.models import StatisticFigure
from icdc.rankings.models import ScoringRun


@pytest.fixture
def demo(db):
    call_command("load_divisions", verbosity=0)
    call_command("load_indicators", "--publish", verbosity=0)
    call_command("load_demo", verbosity=0)


def test_demo_has_one_account_per_role_that_logs_in(client, demo):
    logins = demo_accounts()  # what ``demo_logins`` and the demo login page print
    assert {u.role for u in logins} == set(Role)
    assert {User.objects.get(username=u).role for u in DEMO_ACCOUNTS} == set(Role) - {Role.EXPERT}
    for user in logins:
        response = client.post("/accounts/login/", {"username": user.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.username
        assert "_auth_user_id" in client.session
        client.post("/accounts/logout/")


def test_every_printed_expert_login_is_in_the_pool_and_on_the_panel(demo):
    """The expert logins printed are the pool's (each sees the panel's work); the old login
    ``expert``, which had no pool entry and saw nothing, is not created any more."""
    from icdc.accounts.rules import is_in_expert_pool
    from icdc.demo.applications import demo_year
    from icdc.demo.review import DEMO_EXPERTS
    from icdc.review.models import Expert, PanelDraw

    experts = [u for u in demo_accounts() if u.role == Role.EXPERT]
    assert sorted(u.username for u in experts) == sorted(DEMO_EXPERTS)
    assert all(is_in_expert_pool(u) for u in experts)
    panel = PanelDraw.objects.get(batch__year=demo_year(), replaced_by__isnull=True)
    assert sorted(Expert.objects.filter(account__in=experts).values_list("pk", flat=True)) == sorted(panel.members)
    assert not User.objects.filter(username="expert").exists()
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "expert_01" in out.getvalue()
    assert not [line for line in out.getvalue().splitlines() if line.split(" ")[0] == "expert"]


@pytest.mark.django_db
def test_an_older_demos_expert_login_is_retired_once(client):
    """A database loaded before the pool existed has the login ``expert`` outside the pool: the next
    load deactivates it through the account service (one audit record), and a further load changes
    nothing."""
    from icdc.audit.models import AuditRecord
    from tests.factories import make_user

    call_command("load_divisions", verbosity=0)
    call_command("load_indicators", "--publish", verbosity=0)
    make_user(Role.EXPERT, username="expert", is_demo=True, display_name="评审专家 张工")
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "旧演示账号 expert 不在专家库中，已停用" in out.getvalue()
    old = User.objects.get(username="expert")
    assert not old.is_active and old.is_demo
    record = AuditRecord.objects.get(action="accounts.account.deactivate")
    assert record.object_id == str(old.pk) and "expert_01" in record.detail
    assert "expert" not in [u.username for u in demo_accounts()]
    response = client.post("/accounts/login/", {"username": "expert", "password": DEMO_PASSWORD})
    assert "_auth_user_id" not in client.session, response.status_code
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "旧演示账号" not in again.getvalue()
    assert AuditRecord.objects.filter(action="accounts.account.deactivate").count() == 1


def test_demo_statistics_and_runs_exist_and_reload_changes_nothing(demo):
    figures, runs = StatisticFigure.objects.count(), ScoringRun.objects.count()
    assert figures == 600
    assert set(ScoringRun.objects.values_list("system_code", flat=True)) == {"COMP", "SPEC"}
    call_command("load_demo", verbosity=0)
    assert (StatisticFigure.objects.count(), ScoringRun.objects.count()) == (figures, runs)
