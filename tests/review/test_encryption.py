"""Name, ID number and mobile are SM4-encrypted at rest: a raw SELECT shows tokens only."""

import pytest
from django.db import connection

from icdc.lib.fields import matching
from icdc.review.models import Expert
from tests.review import factories

pytestmark = pytest.mark.django_db


def test_the_database_holds_tokens_not_the_numbers(cities):
    expert = factories.expert(name="周八", mobile="13655556666", city=cities["qingdao"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, id_number, mobile, id_number_hash FROM review_expert WHERE id = %s", [expert.pk])
        name, number, mobile, digest = cursor.fetchone()
    for stored, plain in ((name, "周八"), (number, expert.id_number), (mobile, "13655556666")):
        assert stored.startswith("sm4gcm:") and plain not in stored
    assert digest and expert.id_number not in digest
    assert Expert.objects.get(pk=expert.pk).id_number == expert.id_number
    assert Expert.objects.filter(matching(Expert, "id_number_hash", expert.id_number)).get() == expert
