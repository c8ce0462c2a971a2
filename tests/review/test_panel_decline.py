"""A member who declines is replaced by the first reserve (recorded, audited); none left: redraw."""

import pytest
from django.db import connection

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.review import panels
from icdc.review.models import PanelDraw
from tests.races import race
from tests.review import factories


@pytest.fixture
def world(db):
    return factories.panel_world()


def _panel(world, reserves=2):
    return panels.panel_draw(batch=world["batch"], group="COMP", size=5, reserves=reserves, user=world["officer"],
                             seed="decline")


@pytest.mark.django_db
def test_the_first_reserve_takes_the_place_recorded_and_audited(world):
    panel = _panel(world)
    leaving, first, second = panel.members[2], panel.reserves[0], panel.reserves[1]
    panels.panel_member_decline(draw_record=panel, expert=leaving, reason="出差无法参加", user=world["officer"])
    panel.refresh_from_db()
    assert panel.members[2] == first and leaving not in panel.members
    assert panel.reserves == [second]
    assert panel.drawn_members[2] == leaving  # the draw itself is kept as drawn
    assert panel.replacements[0]["expert"] == leaving and panel.replacements[0]["substitute"] == first
    assert panel.replacements[0]["reason"] == "出差无法参加"
    record = AuditRecord.objects.get(action="review.panel.replace")
    assert record.after["substitute"] == first and record.detail == "出差无法参加"
    assert panels.panel_draw_verify(draw_record=panel)[0]  # the replacement does not spoil the re-run


@pytest.mark.django_db
def test_the_leader_declining_hands_the_lead_on(world):
    panel = _panel(world)
    leader = panel.leader
    panels.panel_member_decline(draw_record=panel, expert=leader, reason="回避", user=world["officer"])
    panel.refresh_from_db()
    assert panel.leader == panel.members[0] != leader


@pytest.mark.django_db
def test_no_reserve_left_is_refused_with_the_advice_to_redraw(world):
    panel = _panel(world, reserves=1)
    panels.panel_member_decline(draw_record=panel, expert=panel.members[0], reason="回避", user=world["officer"])
    with pytest.raises(Refusal) as refused:
        panels.panel_member_decline(draw_record=panel, expert=panel.members[1], reason="回避", user=world["officer"])
    assert refused.value.code == "no_reserve" and "重新抽取" in str(refused.value)
    redraw = panels.panel_draw(batch=world["batch"], group="COMP", size=5, reserves=1, user=world["officer"])
    assert redraw.replaces_id == panel.pk and PanelDraw.objects.count() == 2
    with pytest.raises(Refusal) as replaced:  # the old draw stays, but is no longer the group's panel
        panels.panel_member_decline(draw_record=panel, expert=panel.members[1], reason="回避", user=world["officer"])
    assert replaced.value.code == "replaced"


@pytest.mark.django_db
def test_a_non_member_or_no_reason_is_refused(world):
    panel = _panel(world)
    for expert, reason, code in ((panel.reserves[0], "回避", "not_member"), (panel.members[0], " ", "no_reason")):
        with pytest.raises(Refusal) as refused:
            panels.panel_member_decline(draw_record=panel, expert=expert, reason=reason, user=world["officer"])
        assert refused.value.code == code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
def test_two_declines_at_once_do_not_hand_the_same_reserve_to_both():
    """Without the row lock the second decline reads the reserves before the first committed, takes the
    same first reserve and saves over the first's change (the first's member is back on the panel)."""
    world = factories.panel_world()
    panel = _panel(world)
    one, two = panel.members[0], panel.members[1]

    def decline(expert):
        return lambda: panels.panel_member_decline(draw_record=PanelDraw.objects.get(pk=panel.pk), expert=expert,
                                                   reason="回避", user=world["officer"])

    first, second = race(decline(one), decline(two))
    assert second.error is None, second.error
    panel.refresh_from_db()
    assert one not in panel.members and two not in panel.members
    assert set(panel.drawn_reserves) <= set(panel.members) and panel.reserves == []
    assert [e["substitute"] for e in panel.replacements] == panel.drawn_reserves
