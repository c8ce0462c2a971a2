"""Two submits of one application at once (PostgreSQL, threads): exactly one transition and one
audit record. Fails if the row lock in ``icdc.lib.workflow._lock`` is taken out (the second
submit would then work from the draft it read and crash on the revision's unique number)."""

import pytest
from django.db import connection

from icdc.accounts.models import Role
from icdc.applications import services
from icdc.applications.models import Application, ApplicationRevision
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from tests.applications import appform_factories as f
from tests.factories import division, make_user
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def test_two_submits_at_once_give_one_transition_and_one_record():
    city = division("370100", "济南市")
    a = make_user(Role.CITY_APPLICANT, username="jinan-a", division_obj=city)
    b = make_user(Role.CITY_APPLICANT, username="jinan-b", division_obj=city)
    app = f.fill(f.started(a, f.batch()), a)
    page_b = Application.objects.get(pk=app.pk)
    _first, second = race(lambda: services.application_submit(application=app, user=a),
                          lambda: services.application_submit(application=page_b, user=b))
    assert isinstance(second.error, Refusal) and second.error.code == "wrong_state", second.error
    assert ApplicationRevision.objects.filter(application=app).count() == 1
    assert list(AuditRecord.objects.filter(action="applications.application.submit")
                .values_list("actor_username", flat=True)) == ["jinan-a"]
