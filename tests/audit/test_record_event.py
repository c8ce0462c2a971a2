"""record_event: who, when, what, result, from where — chained and signed."""

import pytest
from django.db import transaction
from django.test import RequestFactory

from icdc.accounts.models import Role
from icdc.audit import chain
from icdc.audit.models import AuditChainHead, AuditRecord
from icdc.audit.services import record_event
from icdc.audit.verification import verify_chain

from .conftest import tamper, write_events

pytestmark = pytest.mark.django_db


def test_several_events_form_one_valid_chain():
    records = write_events(6)
    assert [r.seq for r in records] == [1, 2, 3, 4, 5, 6]
    assert records[0].prev_mac == chain.GENESIS_MAC
    assert all(b.prev_mac == a.mac for a, b in zip(records, records[1:], strict=False))
    result = verify_chain()
    assert result.ok, result.summary
    assert result.count == 6
    head = AuditChainHead.objects.get()
    assert (head.seq, head.mac) == (6, records[-1].mac)


def test_a_record_says_who_when_what_result_and_from_where(role_users, settings):
    settings.ICDC_AUDIT_OLD_KEYS = {"test": settings.ICDC_AUDIT_KEY}  # the fixtures' records
    settings.ICDC_AUDIT_KEY_ID, settings.ICDC_AUDIT_KEY = "k2026", "44" * 32
    user = role_users[Role.MINISTRY_OFFICER]
    request = RequestFactory().post("/x", REMOTE_ADDR="10.1.2.3")
    request.user = user
    record_event(action="batch.open", request=request, obj=user, result="ok", detail="开启批次",
                 before={"status": "draft"}, after={"status": "open"})
    stored = AuditRecord.objects.get(action="batch.open")
    assert (stored.actor_id, stored.actor_username, stored.actor_role) == (user.pk, user.username, "ministry")
    assert stored.ip_address == "10.1.2.3"
    assert (stored.object_type, stored.object_id) == ("accounts.user", str(user.pk))
    assert (stored.before, stored.after, stored.result) == ({"status": "draft"}, {"status": "open"}, "ok")
    assert (stored.algorithm, stored.key_id) == ("HMAC-SM3", "k2026")
    assert stored.occurred_at is not None
    assert verify_chain().ok


def test_a_failed_login_records_the_name_that_was_tried():
    request = RequestFactory().post("/accounts/login/", {"username": "=cmd|calc"}, REMOTE_ADDR="10.0.0.9")
    record_event(action="accounts.session.login_failed", request=request, result="failed")
    stored = AuditRecord.objects.get()
    assert (stored.actor_id, stored.actor_username, stored.result) == (None, "=cmd|calc", "failed")


def test_values_too_long_for_their_column_are_cut_before_signing():
    record_event(action="x" * 100, object_repr="对" * 500, detail="a\x00b")
    stored = AuditRecord.objects.get()
    assert len(stored.action) == 64 and len(stored.object_repr) == 200 and stored.detail == "ab"
    assert verify_chain().ok


def test_a_change_that_rolls_back_leaves_no_record():
    record_event(action="kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(action="rolled.back")
        raise RuntimeError
    record_event(action="after")
    assert list(AuditRecord.objects.order_by("seq").values_list("action", "seq")) == [("kept", 1), ("after", 2)]
    assert verify_chain().ok


def test_a_lost_head_row_is_reported_then_rebuilt_and_the_loss_recorded():
    write_events(3)
    tamper("DELETE FROM audit_auditchainhead")  # refused on PostgreSQL unless triggers are off
    assert "链头记录缺失" in verify_chain().summary
    fifth = record_event(action="after.head.lost")
    assert list(AuditRecord.objects.filter(seq__gt=3).order_by("seq").values_list("seq", "action", "result")) == [
        (4, "audit.chain.head_rebuilt", "error"), (5, "after.head.lost", "ok")]
    assert fifth.seq == 5
    # Every record verifies, but the rebuild itself is evidence: reported as a finding.
    result = verify_chain()
    assert not result.ok and result.failure is None
    assert [finding.seq for finding in result.findings] == [4]
    assert "链头记录曾缺失并被重建" in result.summary


def test_nul_characters_are_dropped_before_signing_wherever_they_are():
    record_event(action="x", after={"a\x00": ["b\x00c", {"d": "\\u0000 stays"}]})
    stored = AuditRecord.objects.get()
    assert stored.after == {"a": ["bc", {"d": "\\u0000 stays"}]}
    assert verify_chain().ok


def test_the_embedded_key_file_is_created_private(settings, tmp_path):
    from icdc.audit import keys

    settings.ICDC_AUDIT_KEY, settings.ICDC_AUDIT_KEY_FILE = "", tmp_path / "k" / "audit.key"
    first = keys.current_key()
    assert (settings.ICDC_AUDIT_KEY_FILE.stat().st_mode & 0o777) == 0o600
    assert keys.current_key() == first and len(first[1]) == 32
