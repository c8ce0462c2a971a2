"""Every create, update and delete of registered programme data is recorded with before/after."""

import pytest
from django.db import transaction
from django.test import RequestFactory

from icdc.accounts.models import Role, User
from icdc.audit import context
from icdc.audit.models import AuditRecord
from icdc.audit.registry import MASK, is_sensitive, json_value, registered_models, snapshot, track
from icdc.audit.verification import verify_chain
from icdc.divisions.models import Division
from tests.factories import division, make_user

pytestmark = pytest.mark.django_db


def _data_records(object_type):
    return list(AuditRecord.objects.filter(object_type=object_type, action__startswith="audit.row.").order_by("seq"))


def test_user_and_division_are_registered():
    assert {User, Division} <= set(registered_models())


def test_create_update_delete_of_a_division_are_recorded():
    province = division("370000", "山东省", level="province")
    city = Division.objects.create(code="370200", name="青岛市", level="prefecture", kind="地级市", parent=province)
    city.name = "青岛"
    city.short_name = "青"
    city.save()
    city.delete()
    created, updated, deleted = _data_records("divisions.division")[-3:]
    assert created.action == "audit.row.create" and created.object_id == "370200"
    assert created.before is None and created.after["name"] == "青岛市" and created.after["parent"] == "370000"
    assert updated.action == "audit.row.update"
    assert updated.before == {"name": "青岛市", "short_name": ""}
    assert updated.after == {"name": "青岛", "short_name": "青"}
    assert deleted.action == "audit.row.delete" and deleted.before["name"] == "青岛" and deleted.after is None
    assert verify_chain().ok


def test_a_save_that_changes_nothing_records_nothing():
    city = division()
    before = AuditRecord.objects.count()
    city.save()
    assert AuditRecord.objects.count() == before


def test_password_and_last_login_never_reach_the_trail():
    user = make_user(Role.CITY_APPLICANT)
    created = _data_records("accounts.user")[-1]
    assert "password" not in created.after and "last_login" not in created.after
    assert created.after["division"] == "370100" and created.after["role"] == "city"
    count = AuditRecord.objects.count()
    user.last_login = user.date_joined
    user.save(update_fields=["last_login"])  # what every login does: nothing to record
    assert AuditRecord.objects.count() == count
    user.set_password("Another#Pass2026")
    user.save()
    assert not AuditRecord.objects.filter(after__icontains="md5$").exists()
    assert not AuditRecord.objects.filter(before__icontains="md5$").exists()


def test_the_actor_and_ip_of_the_request_being_served_are_recorded(role_users):
    admin = role_users[Role.SYSTEM_ADMIN]
    request = RequestFactory().post("/accounts/x", REMOTE_ADDR="192.0.2.7")
    request.user = admin
    token = context.bind(request)
    try:
        target = make_user(Role.EXPERT)
        target.is_active = False
        target.save()
    finally:
        context.unbind(token)
    update = _data_records("accounts.user")[-1]
    assert (update.actor_username, update.actor_role, update.ip_address) == (admin.username, "sysadmin", "192.0.2.7")
    assert (update.before, update.after) == ({"is_active": True}, {"is_active": False})


def test_the_record_commits_or_rolls_back_with_the_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        division("370300", "淄博市")
        raise RuntimeError
    assert not Division.objects.filter(code__in=["370000", "370300"]).exists()
    assert not AuditRecord.objects.filter(object_type="divisions.division").exists()


def test_secret_looking_fields_are_masked():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice(id=1, name="手机", key="ab" * 20)
    recorded = snapshot(device, track(TOTPDevice))
    assert recorded["key"] == MASK and recorded["name"] == "手机"
    assert all(is_sensitive(name) for name in ["password", "otp_secret", "api_token", "private_key_pem"])
    assert not any(is_sensitive(name) for name in ["name", "division", "keyword", "monkey"])


def test_values_become_json():
    import datetime as dt
    import decimal

    assert json_value(decimal.Decimal("1.50")) == json_value(decimal.Decimal("1.5")) == "1.5"
    assert json_value(decimal.Decimal("100")) == "100"
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert json_value(dt.datetime(2026, 1, 1, 8, tzinfo=shanghai)) == json_value(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert json_value(dt.date(2026, 11, 24)) == "2026-11-24"
    assert json_value(b"\x00\x01") == "<2 bytes>"


def test_a_service_that_records_the_change_itself_is_not_recorded_twice():
    from icdc.audit.registry import audited_elsewhere
    from icdc.audit.services import record_event

    city = division()
    before = AuditRecord.objects.count()
    with audited_elsewhere():
        city.short_name = "济"
        city.save()
        record_event(action="divisions.renamed", obj=city, after={"short_name": "济"})
    assert AuditRecord.objects.count() == before + 1
    city.short_name = "济南"
    city.save()
    assert _data_records("divisions.division")[-1].after == {"short_name": "济南"}


def test_fixture_loads_are_not_audited_row_by_row(db):
    """loaddata / restore send raw saves: the rows' history is already in the chain."""
    from django.core import serializers

    from icdc.audit.models import AuditRecord
    from icdc.divisions.models import Division

    before = AuditRecord.objects.count()
    payload = '[{"model": "divisions.division", "pk": "990000", "fields": {"name": "测试省", "level": "province", "kind": "省"}}]'
    for obj in serializers.deserialize("json", payload):
        obj.save()
    assert Division.objects.filter(code="990000").exists()
    assert AuditRecord.objects.count() == before
