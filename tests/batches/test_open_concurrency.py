"""Two officers opening one batch at once (PostgreSQL, threads): one transition, one audit record.
Fails if the row lock in ``icdc.lib.workflow._lock`` is taken out: the second officer would work
from the draft it read, and the batch would be opened (and audited) twice."""

import pytest
from django.db import connection

from icdc.audit.models import AuditRecord
from icdc.batches import services
from icdc.batches.models import Batch
from icdc.lib.refusals import Refusal
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def test_two_officers_opening_one_batch_give_one_transition_and_one_record(draft_batch, officer, second_officer):
    page_b = Batch.objects.get(pk=draft_batch.pk)  # the second officer's page, read before either acts
    _first, second = race(lambda: services.batch_open(batch=draft_batch, user=officer),
                          lambda: services.batch_open(batch=page_b, user=second_officer))
    assert isinstance(second.error, Refusal) and second.error.code == "wrong_state", second.error
    assert Batch.objects.get(pk=draft_batch.pk).status == "open"
    assert list(AuditRecord.objects.filter(action="batches.batch.open")
                .values_list("actor_username", flat=True)) == [officer.username]
