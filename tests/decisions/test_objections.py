"""Objections: filed during the period with a receipt, refused one second late, a forged receipt
finds nothing; handled by officers (uphold with the vacancy decided, dismiss), with a reply."""

import datetime

import pytest

from icdc.audit.models import AuditRecord
from icdc.decisions.services import (
    new_receipt,
    normalise_receipt,
    objection_by_receipt,
    objection_note_add,
    objection_transition,
)
from icdc.lib.refusals import Refusal

from .helpers import entry, file


def test_an_objection_in_the_period_is_accepted_with_a_receipt(in_notice, end_instant):
    objection = file(in_notice, now=end_instant)  # the last second of the last day
    assert objection.status == "received" and objection.city_id == "330200"
    assert normalise_receipt(objection.receipt) == objection.receipt
    assert objection_by_receipt(objection.receipt.lower().replace("-", " ")) == objection
    record = AuditRecord.objects.get(action="decisions.objection.file")
    assert record.actor_id is None and record.after["city"] == "330200"


def test_an_objection_one_second_after_the_end_is_refused(in_notice, end_instant):
    with pytest.raises(Refusal) as exc:
        file(in_notice, now=end_instant + datetime.timedelta(seconds=1))
    assert "公示期已于 2024-10-10" in str(exc.value)
    assert not in_notice.objections.exists()


def test_a_city_not_on_the_list_and_a_unit_without_its_name_are_refused(in_notice):
    with pytest.raises(Refusal):
        file(in_notice, city_code="320100")  # 南京: not on the list
    with pytest.raises(Refusal):
        file(in_notice, filer_kind="unit", unit_name="")
    objection = file(in_notice, filer_kind="unit", unit_name="某信息技术协会")
    assert objection.filer_display == "某信息技术协会（张三）"


def test_a_forged_receipt_finds_nothing(in_notice):
    real = file(in_notice)
    forged = new_receipt()
    assert forged != real.receipt and objection_by_receipt(forged) is None
    body = real.receipt.replace("-", "")
    wrong_check = body[:-1] + ("0" if body[-1] != "0" else "1")
    assert normalise_receipt(wrong_check) is None and objection_by_receipt(wrong_check) is None
    assert objection_by_receipt("") is None and objection_by_receipt("' OR 1=1 --") is None


def test_upheld_the_city_leaves_the_list_and_the_vacancy_is_the_officers_decision(in_notice, officer):
    objection = file(in_notice, city_code="330200")
    objection_transition(objection=objection, name="investigate", user=officer)
    objection_note_add(objection=objection, text="已向浙江省核实。", user=officer)
    with pytest.raises(Refusal) as exc:  # no decision about the vacancy: refused, nothing changes
        objection_transition(objection=objection, name="uphold", user=officer, note="异议属实。", data={})
    assert "空缺" in str(exc.value)
    assert entry(in_notice, "330200").included
    jinan = entry(in_notice, "370100")
    objection = objection_transition(objection=objection, name="uphold", user=officer, note="经核实，异议属实。",
                                     data={"vacancy": "filled", "vacancy_entry": jinan.pk,
                                           "vacancy_reason": "济南市排名第三且达到合格线。"})
    ningbo = entry(in_notice, "330200")
    jinan.refresh_from_db()
    assert objection.status == "upheld" and objection.reply == "经核实，异议属实。"
    assert not ningbo.included and ningbo.removed_by == objection
    assert jinan.included and "济南市排名第三" in jinan.reason
    after = AuditRecord.objects.get(action="decisions.objection.uphold").after
    assert after["removed"] == [["330200", "COMP"]] and after["added"] == ["370100", "COMP"]
    assert after["vacancy"] == "filled"
    assert objection_by_receipt(objection.receipt).reply == "经核实，异议属实。"


def test_upheld_with_the_place_left_vacant_adds_no_one(in_notice, officer):
    objection = file(in_notice, city_code="370200")
    objection_transition(objection=objection, name="investigate", user=officer)
    objection_transition(objection=objection, name="uphold", user=officer, note="属实。",
                         data={"vacancy": "vacant", "vacancy_reason": "其余城市均未达到名额要求。"})
    assert list(in_notice.entries.filter(included=True).values_list("city_id", flat=True)) == ["330200"]


def test_dismissed_with_a_reply_the_list_stays(in_notice, officer):
    objection = file(in_notice)
    objection_transition(objection=objection, name="investigate", user=officer)
    with pytest.raises(Refusal):
        objection_transition(objection=objection, name="dismiss", user=officer, note="")
    objection_transition(objection=objection, name="dismiss", user=officer, note="经核查，数据一致，异议不成立。")
    objection.refresh_from_db()
    assert objection.status == "dismissed" and objection.reply.startswith("经核查")
    assert entry(in_notice, "330200").included
    with pytest.raises(Refusal):
        objection_note_add(objection=objection, text="迟到的记录", user=officer)
