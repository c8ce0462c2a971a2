"""``manage.py reencrypt_data``: after a new ICDC_DATA_KEY_ID, every encrypted value moves to it, audited."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from icdc.accounts.models import Role, User
from icdc.audit.models import AuditRecord
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _raw_mobiles():
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM accounts_user WHERE mobile <> '' ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_rotation_moves_every_value_to_the_new_key_and_is_audited(settings):
    settings.ICDC_DATA_KEYS, settings.ICDC_DATA_KEY_ID = {"t0": "aa" * 16}, "t0"
    first = make_user(Role.MINISTRY_OFFICER, mobile="13812345678")
    make_user(Role.EXPERT, mobile="13900000000")
    assert all(raw.startswith("sm4gcm:t0:") for raw in _raw_mobiles())

    settings.ICDC_DATA_KEYS, settings.ICDC_DATA_KEY_ID = {"t0": "aa" * 16, "t1": "bb" * 16}, "t1"
    out = StringIO()
    call_command("reencrypt_data", stdout=out)

    assert all(raw.startswith("sm4gcm:t1:") for raw in _raw_mobiles()) and len(_raw_mobiles()) == 2
    assert "accounts.user.mobile: 2" in out.getvalue()
    record = AuditRecord.objects.get(action="keyring.data.reencrypt")
    assert record.after == {"key_id": "t1", "rows": {"accounts.user.mobile": 2, "decisions.objection.contact": 0,
                                                     "decisions.objection.name": 0,
                                                     "decisions.objection.unit_name": 0,
                                                     "review.expert.id_number": 0, "review.expert.mobile": 0,
                                                     "review.expert.name": 0}}
    settings.ICDC_DATA_KEYS = {"t1": "bb" * 16}  # the old key can now go
    assert User.objects.get(pk=first.pk).mobile == "13812345678"
