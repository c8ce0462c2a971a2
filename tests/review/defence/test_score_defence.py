"""Each current panel member scores a held defence once: 0..100 with two decimals, a comment; final once
submitted; nothing before the slot is held, nothing before the member signed the batch's declaration,
nothing for an expert off the panel."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.review.defence import defence_score_submit, parse_score
from icdc.review.models import DefenceScore
from icdc.review.panels import panel_member_decline
from tests.review.defence.conftest import sign, slot

pytestmark = pytest.mark.django_db


def test_a_member_scores_a_held_defence_once_and_it_is_final(signed):
    s = slot(signed, status="held")
    member = signed["members"][0]
    row = defence_score_submit(slot=s, user=member.account, score="86.5", comment="答辩清楚")
    assert (row.slot, row.expert, row.score, row.comment) == (s, member, Decimal("86.50"), "答辩清楚")
    record = AuditRecord.objects.get(action="review.defence.score")
    assert record.after == {"slot": s.pk, "application": s.application_id, "expert": member.pk, "score": "86.50"}
    with pytest.raises(Refusal) as refused:
        defence_score_submit(slot=s, user=member.account, score="90")
    assert refused.value.code == "already_scored" and "不能修改" in str(refused.value)
    assert DefenceScore.objects.get(slot=s, expert=member).score == Decimal("86.50")


@pytest.mark.parametrize(("typed", "code"), [
    ("100.01", "out_of_range"), ("-1", "out_of_range"), ("NaN", "out_of_range"), ("Infinity", "out_of_range"),
    ("八十", "not_a_number"), ("", "not_a_number"), ("80.123", "too_precise"),
])
def test_a_score_outside_0_to_100_or_with_three_decimals_is_refused_in_chinese(signed, typed, code):
    s = slot(signed, status="held")
    with pytest.raises(Refusal) as refused:
        defence_score_submit(slot=s, user=signed["members"][0].account, score=typed)
    assert refused.value.code == code and any("\u4e00" <= c <= "\u9fff" for c in str(refused.value))
    assert not DefenceScore.objects.exists()


def test_the_bounds_are_accepted():
    assert parse_score("0") == Decimal("0.00") and parse_score(" 100 ") == Decimal("100.00")
    assert parse_score("99.9") == Decimal("99.90")


def test_no_score_before_the_defence_is_held(signed):
    for status in ("scheduled", "no_show"):
        s = slot(signed, signed["applications"][0 if status == "scheduled" else 1], status=status)
        with pytest.raises((PermissionDenied, Refusal)):
            defence_score_submit(slot=s, user=signed["members"][0].account, score="80")
    assert not DefenceScore.objects.exists()


def test_no_score_before_the_declaration_is_signed(world):
    s = slot(world, status="held")
    member = world["members"][0]
    with pytest.raises(PermissionDenied):
        defence_score_submit(slot=s, user=member.account, score="80")
    sign(member, world["batch"])
    assert defence_score_submit(slot=s, user=member.account, score="80").score == Decimal("80")


def test_an_expert_off_the_panel_or_replaced_cannot_score(signed):
    s = slot(signed, status="held")
    outsider = signed["declared"]
    sign(outsider, signed["batch"])
    with pytest.raises(PermissionDenied):
        defence_score_submit(slot=s, user=outsider.account, score="80")
    leaving = signed["members"][1]
    panel_member_decline(draw_record=signed["panel"], expert=leaving, reason="出差", user=signed["officer"])
    with pytest.raises(PermissionDenied):
        defence_score_submit(slot=s, user=leaving.account, score="80")
    assert not DefenceScore.objects.exists()


def test_the_score_page_submits_and_then_shows_the_score(signed, client):
    s = slot(signed, status="held")
    member = signed["members"][0]
    client.force_login(member.account)
    refused = client.post(f"/review/defence/slots/{s.pk}/score/", {"score": "101", "comment": ""})
    assert refused.status_code == 422 and "0～100" in refused.content.decode()
    response = client.post(f"/review/defence/slots/{s.pk}/score/", {"score": "77.25", "comment": "好"})
    assert response.status_code == 302
    page = client.get(f"/review/defence/slots/{s.pk}/score/").content.decode()
    assert "77.25" in page and "提交后不能修改" in page and 'data-testid="score-form"' not in page
    assert DefenceScore.objects.get().score == Decimal("77.25")
