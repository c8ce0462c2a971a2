"""Two officers issuing one title's certificate at once (PostgreSQL, threads): one published
certificate and one audit record; the second officer gets the first one's row. Fails if the title
row lock in ``titles.services.issue_certificate`` is taken out (the second would not see the
first's uncommitted certificate and publish another PDF, or fail on the digest's uniqueness)."""

import pytest
from django.db import connection

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.documents.models import PublishedDocument
from icdc.titles.models import Title
from icdc.titles.services import issue_certificate
from tests.factories import division, make_user
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def test_two_officers_issue_one_certificate(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    title = Title.objects.create(city=division("530100", "昆明市", province_name="云南省"), batch_year=2021, kind="comprehensive",
                                 award_title="信息消费示范城市（综合型）", announced="2022-01-25", announced_year=2022)
    a = make_user(Role.MINISTRY_OFFICER, username="officer-a")
    b = make_user(Role.MINISTRY_OFFICER, username="officer-b")
    first, second = race(lambda: issue_certificate(title=title, user=a),
                         lambda: issue_certificate(title=Title.objects.get(pk=title.pk), user=b))
    assert second.error is None, second.error
    assert second.value.pk == first.value.pk
    assert PublishedDocument.objects.filter(kind="certificate").count() == 1
    assert list(AuditRecord.objects.filter(action="titles.certificate.issue")
                .values_list("actor_username", flat=True)) == ["officer-a"]
