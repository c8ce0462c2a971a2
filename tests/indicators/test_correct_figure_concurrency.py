"""Two officers correcting the same figure at once (PostgreSQL, threads): the row lock in
``statistic_figure_correct`` puts them one after the other, so the second record's “before” is
what the first wrote. Fails if the ``select_for_update`` is taken out."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.indicators.models import StatisticFigure
from icdc.indicators.statistics_services import statistic_figure_correct
from tests.factories import make_user
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def test_two_corrections_at_once_leave_a_true_history(cities):
    a = make_user(Role.MINISTRY_OFFICER, username="officer-a")
    b = make_user(Role.MINISTRY_OFFICER, username="officer-b")
    figure = StatisticFigure.objects.create(city_id="370100", year=2022, indicator_code="D1.2", value=100, unit="元",
                                            source="nbs", entered_at=timezone.now())
    stale = StatisticFigure.objects.get(pk=figure.pk)
    _first, second = race(lambda: statistic_figure_correct(figure=figure, value="110", reason="甲", user=a),
                          lambda: statistic_figure_correct(figure=stale, value="120", reason="乙", user=b))
    assert second.error is None
    history = [(r.before["value"], r.after["value"], r.actor_username)
               for r in AuditRecord.objects.filter(action="indicators.statistics.correct").order_by("seq")]
    assert history == [("100", "110", "officer-a"), ("110", "120", "officer-b")]
    assert StatisticFigure.objects.get(pk=figure.pk).value == Decimal("120")
