"""Two writers on one expert at once (PostgreSQL, threads). Each test fails without its row lock:

- signing twice at once (a double click, two tabs): without the lock on the expert the second
  insert meets the first's unique row and fails; with it the second waits and gets the first;
- two edits at once: without the lock the second saves the whole row it read before the first
  committed and silently puts back the old mobile number (a lost update);
- two conflict declarations at once: without the lock the second's audit record says "before"
  is the state the first had already replaced.
"""

import pytest
from django.db import connection

from icdc.audit.models import AuditRecord
from icdc.review import services
from icdc.review.models import Declaration, Expert
from tests.applications.factories import open_batch
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def test_signing_twice_at_once_keeps_one_signature(pool_expert):
    batch = open_batch(status="in_review")
    _text, sha = services.declaration_for(expert=pool_expert, batch=batch)
    sign = lambda: services.declaration_sign(user=pool_expert.account, batch=batch, shown_sha256=sha)  # noqa: E731
    first, second = race(sign, sign)
    assert second.error is None, second.error
    assert second.value.pk == first.value.pk and Declaration.objects.count() == 1
    assert AuditRecord.objects.filter(action="review.declaration.sign").count() == 1


def test_two_edits_at_once_lose_neither(officer, pool_expert):
    page_b = Expert.objects.get(pk=pool_expert.pk)
    race(lambda: services.expert_update(user=officer, expert=pool_expert, mobile="13900000001"),
         lambda: services.expert_update(user=officer, expert=page_b, title="研究员"))
    expert = Expert.objects.get(pk=pool_expert.pk)
    assert (expert.mobile, expert.title) == ("13900000001", "研究员")


def test_two_declarations_at_once_are_audited_one_after_the_other(pool_expert):
    user = pool_expert.account
    race(lambda: services.expert_conflicts_declare(user=user, expert=pool_expert, cities=[], employers=["甲单位"]),
         lambda: services.expert_conflicts_declare(user=user, expert=pool_expert, cities=[], employers=["乙单位"]))
    records = list(AuditRecord.objects.filter(action="review.expert.declare_conflicts").order_by("seq"))
    assert [r.before["employers"] for r in records] == [[], ["甲单位"]]
    assert Expert.objects.get(pk=pool_expert.pk).conflict_employers == ["乙单位"]
