"""The indicator-version locks under two officers at once (PostgreSQL, threads). Each test
fails if the ``select_for_update`` it names is taken out of ``icdc/indicators/services.py``."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from icdc.audit.models import AuditRecord
from icdc.indicators import selectors, services
from icdc.indicators.models import Indicator, IndicatorSetVersion
from tests.factories import make_user
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


@pytest.fixture
def officers(db):
    from icdc.accounts.models import Role

    return make_user(Role.MINISTRY_OFFICER, username="officer-a"), make_user(Role.MINISTRY_OFFICER, username="officer-b")


def _records(action):
    return list(AuditRecord.objects.filter(action=action).values_list("actor_username", flat=True))


def _name_change(indicator, user, name):
    data = {f: getattr(indicator, f) for f in services.INDICATOR_FIELDS}
    return lambda: services.update_indicator(indicator=indicator, user=user, data={**data, "name": name})


def test_two_officers_publishing_at_once_give_one_transition_and_one_record(officers, draft_version):
    """The version row lock (``_locked_row``): the second officer sees the version published."""
    a, b = officers
    version_b = IndicatorSetVersion.objects.get(pk=draft_version.pk)  # each officer's own page
    _first, second = race(lambda: services.publish_version(version=draft_version, user=a),
                          lambda: services.publish_version(version=version_b, user=b))
    assert isinstance(second.error, ValidationError) and "已发布，不能修改" in second.error.messages[0]
    assert _records("indicators.version.publish") == ["officer-a"]


def test_an_edit_racing_a_publish_never_changes_the_published_version(officers, draft_version):
    """The version row lock taken by ``update_indicator``: no edit lands after the freeze."""
    a, b = officers
    d11 = Indicator.objects.get(version=draft_version, code="D1.1")
    _first, second = race(lambda: services.publish_version(version=draft_version, user=a),
                          _name_change(d11, b, "发布后改名"))
    assert isinstance(second.error, ValidationError)
    assert Indicator.objects.get(pk=d11.pk).name == "信息消费规模"
    assert _records("indicators.indicator.update") == []


def test_two_batches_locking_one_version_at_once_record_one_lock(draft_version):
    """``lock_version`` is idempotent under a race too: one transition, one record."""
    _first, second = race(lambda: services.lock_version(version=draft_version, reason="批次甲"),
                          lambda: services.lock_version(version=draft_version, reason="批次乙"))
    assert second.error is None
    assert AuditRecord.objects.filter(action="indicators.version.lock").count() == 1
    assert IndicatorSetVersion.objects.get(pk=draft_version.pk).locked_reason == "批次甲"


def test_two_officers_editing_one_indicator_leave_a_true_history(officers, draft_version):
    """Each edit re-reads the indicator under the version lock, so the second record's “before”
    is what the first wrote (not the page the second officer loaded)."""
    a, b = officers
    d11 = Indicator.objects.get(version=draft_version, code="D1.1")
    stale = Indicator.objects.get(pk=d11.pk)
    _first, second = race(_name_change(d11, a, "甲改的名"), _name_change(stale, b, "乙改的名"))
    assert second.error is None
    history = [(r.before["name"], r.after["name"]) for r in
               AuditRecord.objects.filter(action="indicators.indicator.update").order_by("seq")]
    assert history == [("信息消费规模", "甲改的名"), ("甲改的名", "乙改的名")]


def test_importing_a_label_while_its_draft_changes_sees_the_change(officers, draft_version):
    """The lock on an existing label (``import_version_document``): “same content, nothing to do”
    is only said of the content as it is after the concurrent edit, not before it."""
    a, b = officers
    document = selectors.version_document(draft_version)
    d11 = Indicator.objects.get(version=draft_version, code="D1.1")
    _first, second = race(_name_change(d11, a, "导入时改名"),
                          lambda: services.import_version_document(document=document, user=b))
    assert isinstance(second.error, ValidationError), second.value
    assert "已存在且内容不同" in second.error.messages[0]
