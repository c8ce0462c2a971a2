"""Two officers deciding the same application at once (PostgreSQL, threads): exactly one transition,
one formal-review record and one audit record. The row lock is ``icdc.lib.workflow._lock`` (every
transition goes through ``perform``); with it taken out both decisions go through, the second
overwriting the first's record — ``test_without_the_lock_both_go_through`` shows the difference."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from icdc.applications import workflow
from icdc.applications.models import Application
from icdc.audit.models import AuditRecord
from icdc.lib import workflow as lib_workflow
from icdc.lib.refusals import Refusal
from icdc.review import formal
from icdc.review.models import FormalReview
from tests.applications import factories_review as fr
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def _world():
    application = fr.recommended(batch_obj=fr.batch(), city_obj=fr.city("370100", "济南市"))
    return application, fr.ministry(username="officer-a"), fr.ministry(username="officer-b")


def _decisions(application, a, b):
    page_b = Application.objects.get(pk=application.pk)  # the second officer's page, read before either acts
    deadline = timezone.now() + datetime.timedelta(days=7)
    return race(lambda: formal.formal_decide(application=application, user=a, outcome="pass"),
                lambda: formal.formal_decide(application=page_b, user=b, outcome="supplement", reasons="补充",
                                             deadline=deadline))


def test_two_officers_deciding_at_once_give_one_transition_and_one_record():
    application, a, b = _world()
    _first, second = _decisions(application, a, b)
    assert isinstance(second.error, Refusal) and second.error.code == "wrong_state", second.error
    application.refresh_from_db()
    assert (application.status, application.revision_number) == (workflow.FORMAL_PASSED, 1)
    assert list(FormalReview.objects.values_list("outcome", "reviewer__username")) == [("passed", "officer-a")]
    decisions = AuditRecord.objects.filter(action__startswith="applications.application.formal_")
    assert list(decisions.values_list("action", "actor_username")) == [
        ("applications.application.formal_pass", "officer-a")]


def test_without_the_lock_both_go_through(monkeypatch):
    """The check of the test above: with the row lock removed, the contender works from the state it
    read before the holder's change and a second decision is written."""

    def unlocked(instances):
        return {(type(i)._meta.label, i.pk): type(i)._default_manager.get(pk=i.pk) for i in instances}

    monkeypatch.setattr(lib_workflow, "_lock", unlocked)
    application, a, b = _world()
    _first, second = _decisions(application, a, b)
    assert second.error is None  # nothing stopped the second officer
    assert AuditRecord.objects.filter(action__startswith="applications.application.formal_").count() == 2
