"""Who objected is kept encrypted at rest: the objector's name, contact and unit name are SM4
tokens in the database, plaintext on the officer's page; the migration converts rows filed
before, and a data key rotation (``reencrypt_data``) moves them to the new key."""

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from icdc.decisions.models import Objection
from icdc.decisions.services import objection_by_receipt
from icdc.lib.sm4 import DecryptionError

from .helpers import file

migration = importlib.import_module("icdc.decisions.migrations.0006_objector_data_encrypted")

COLUMNS = ("name", "unit_name", "contact")
EDITOR = SimpleNamespace(connection=connection)  # what RunPython hands the function: its connection


def raw_row(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, unit_name, contact FROM decisions_objection WHERE id = %s", [pk])
        return dict(zip(COLUMNS, cursor.fetchone(), strict=True))


def write_plaintext(pk, **values):
    """What a row filed before the migration holds: the plaintext in the column."""
    with connection.cursor() as cursor:
        for column, value in values.items():
            cursor.execute(f"UPDATE decisions_objection SET {column} = %s WHERE id = %s", [value, pk])


def test_the_columns_hold_tokens_and_the_model_the_plaintext(in_notice):
    objection = file(in_notice, filer_kind="unit", name="王五", unit_name="宁波某某五金店", contact="13912345678")
    raw = raw_row(objection.pk)
    assert raw["name"].startswith("sm4gcm:") and "王五" not in raw["name"]
    assert raw["unit_name"].startswith("sm4gcm:") and "五金店" not in raw["unit_name"]
    assert raw["contact"].startswith("sm4gcm:") and "13912345678" not in raw["contact"]
    loaded = Objection.objects.get(pk=objection.pk)
    assert (loaded.name, loaded.unit_name, loaded.contact) == ("王五", "宁波某某五金店", "13912345678")
    assert objection_by_receipt(objection.receipt).contact == "13912345678"  # the receipt page still finds it


def test_a_person_has_no_unit_name_and_an_empty_one_stays_empty(in_notice):
    objection = file(in_notice)
    assert raw_row(objection.pk)["unit_name"] == ""
    assert Objection.objects.filter(unit_name="").get() == objection


def test_the_officer_page_shows_the_objector_in_plaintext(client, officer, in_notice):
    objection = file(in_notice, filer_kind="unit", name="王五", unit_name="某信息技术协会", contact="wangwu@example.cn")
    client.force_login(officer)
    page = client.get(reverse("decisions:objection_detail", args=[objection.pk])).content.decode()
    assert "某信息技术协会（王五）" in page and "wangwu@example.cn" in page
    assert "sm4gcm:" not in page


def test_the_migration_encrypts_a_row_filed_in_plaintext_and_back(in_notice):
    objection = file(in_notice)
    write_plaintext(objection.pk, name="赵六", unit_name="某协会", contact="zhaoliu@example.cn")
    with pytest.raises(DecryptionError):  # why the AlterField alone is not enough
        Objection.objects.get(pk=objection.pk)

    migration.encrypt_objectors(apps, EDITOR)

    raw = raw_row(objection.pk)
    assert all(value.startswith("sm4gcm:") for value in raw.values())
    loaded = Objection.objects.get(pk=objection.pk)
    assert (loaded.name, loaded.unit_name, loaded.contact) == ("赵六", "某协会", "zhaoliu@example.cn")
    migration.encrypt_objectors(apps, EDITOR)  # run again: tokens are left alone
    assert raw_row(objection.pk) == raw

    migration.decrypt_objectors(apps, EDITOR)
    assert raw_row(objection.pk) == {"name": "赵六", "unit_name": "某协会", "contact": "zhaoliu@example.cn"}


def test_a_key_rotation_moves_the_objectors_to_the_new_key(settings, in_notice):
    settings.ICDC_DATA_KEYS, settings.ICDC_DATA_KEY_ID = {"t0": "aa" * 16}, "t0"
    objection = file(in_notice, filer_kind="unit", unit_name="某信息技术协会")
    assert all(value.startswith("sm4gcm:t0:") for value in raw_row(objection.pk).values())

    settings.ICDC_DATA_KEYS, settings.ICDC_DATA_KEY_ID = {"t0": "aa" * 16, "t1": "bb" * 16}, "t1"
    out = StringIO()
    call_command("reencrypt_data", stdout=out)

    assert all(value.startswith("sm4gcm:t1:") for value in raw_row(objection.pk).values())
    for column in COLUMNS:
        assert f"decisions.objection.{column}: 1" in out.getvalue()
    settings.ICDC_DATA_KEYS = {"t1": "bb" * 16}  # the old key can go
    loaded = Objection.objects.get(pk=objection.pk)
    assert (loaded.name, loaded.unit_name, loaded.contact) == ("张三", "某信息技术协会", "13800000000")
