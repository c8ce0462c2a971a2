"""Numbers in before/after: an honest record verifies on SQLite and on PostgreSQL (issue 10.1).

jsonb stores numbers as ``numeric``: -0.0 came back as 0.0 and 1e16 as 10000000000000000,
so records signed with Python's form were reported as edited and prune_audit refused forever.
"""

import json
import math

import pytest
from django.core.management import call_command
from django.db import connection

from icdc.audit import chain
from icdc.audit.models import AuditRecord
from icdc.audit.services import record_event
from icdc.audit.verification import verify_chain
from icdc.lib.refusals import Refusal

from .conftest import clock_at, days_ago

AWKWARD = {"neg_zero": -0.0, "e16": 1e16, "e22": 1e22, "big_int": 2**70, "tenth": 0.1, "tiny": 1e-30,
           "one": 1.0, "nested": [{"x": -0.0, "y": [1e16, 2.5]}], "flag": True, "small": 2**53}
STORED = {"neg_zero": 0, "e16": "1e+16", "e22": "1e+22", "big_int": "1180591620717411303424",
          "tenth": 0.1, "tiny": 1e-30, "one": 1, "nested": [{"x": 0, "y": ["1e+16", 2.5]}],
          "flag": True, "small": 2**53}


def test_numbers_are_put_in_the_form_every_database_gives_back():
    assert chain.canonical_json(AWKWARD) == STORED
    assert chain.canonical_number(-(2**53) - 1) == str(-(2**53) - 1)
    assert math.copysign(1, chain.canonical_number(-0.0)) == 1


@pytest.mark.django_db
def test_the_stored_json_is_exactly_what_was_signed():
    record = record_event(action="test.numbers", before={"v": -0.0}, after=AWKWARD)
    stored = AuditRecord.objects.values("before", "after").get(pk=record.pk)
    assert stored == {"before": {"v": 0}, "after": STORED}
    # What the database hands back is a fixed point: writing it again changes nothing.
    with connection.cursor() as cursor:
        cursor.execute("SELECT after FROM audit_auditrecord WHERE id = %s", [record.pk])
        raw = cursor.fetchone()[0]
    assert chain.canonical_json(raw if isinstance(raw, dict) else json.loads(raw)) == STORED


@pytest.mark.django_db
@pytest.mark.parametrize("value", [-0.0, 1e16, 1e22, 2**70, 0.1, 1e-30])
def test_a_record_holding_an_awkward_number_verifies(value, capsys):
    record_event(action="test.number", after={"v": value, "list": [value]})
    record_event(action="test.after")
    call_command("verify_audit")
    assert "审计日志完整性校验通过" in capsys.readouterr().out


@pytest.mark.django_db
def test_prune_archives_records_holding_awkward_numbers(tmp_path, capsys):
    with clock_at(days_ago(400)):
        record_event(action="test.old", after=AWKWARD)
    record_event(action="test.new", after=AWKWARD)
    call_command("prune_audit", "--archive-dir", str(tmp_path))
    assert "已归档并删除 1 条审计记录" in capsys.readouterr().out
    assert verify_chain().ok
    archive = next(tmp_path.iterdir())
    call_command("verify_audit", "--archive", str(archive))
    assert "审计日志完整性校验通过" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_and_nothing_is_written(value):
    with pytest.raises(Refusal, match="非有限数值") as refusal:
        record_event(action="test.nan", after={"v": [value]})
    assert refusal.value.code == "audit_not_finite"
    assert not AuditRecord.objects.exists()


def test_a_presigned_mac_equals_the_mac_of_the_whole_record():
    key = bytes.fromhex("22" * 32)
    for after in (None, {}, AWKWARD, {"文本": "含\"引号\"和\\反斜杠"}):
        fields = {name: "" for name in chain.SIGNED_FIELDS}
        fields.update(occurred_at="2026-11-24T00:00:00.000000+00:00", actor_id=None, before=None,
                      after=chain.canonical_json(after) if after else after, action="x", result="拒绝\"",
                      algorithm=chain.ALGORITHM, key_id="k")
        signer = chain.Presigned(key, fields)
        for seq, prev in ((1, chain.GENESIS_MAC), (10**12, "ab" * 32)):
            assert signer.finish(seq, prev) == chain.compute_mac(key, {**fields, "seq": seq, "prev_mac": prev})
