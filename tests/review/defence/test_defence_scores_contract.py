"""The contract the rankings adapter reads: application id → track → expert key → score (float), for
held slots of the batch's current panels; a no-show maps to {track: {}}; constant queries."""

import pytest

from icdc.review import panels
from icdc.review.defence import defence_scores, no_shows
from icdc.review.models import DefenceScore
from icdc.review.panels import panel_draw
from tests.review import factories
from tests.review.defence.conftest import slot

pytestmark = pytest.mark.django_db


def _score(s, expert, value):
    from django.utils import timezone

    return DefenceScore.objects.create(slot=s, expert=expert, score=value, comment="", submitted_at=timezone.now())


def test_held_scores_by_track_and_expert_key_and_no_shows_visibly_missing(world):
    jinan, nanjing = world["applications"]
    held = slot(world, jinan, status="held")
    slot(world, nanjing, status="no_show", hours_ago=5)
    for expert, value in zip(world["members"][:3], ("80.00", "85.50", "90.25"), strict=True):
        _score(held, expert, value)
    track = world["panel"].group
    result = defence_scores(world["batch"])
    assert result == {jinan.pk: {track: {str(world["members"][0].pk): 80.0, str(world["members"][1].pk): 85.5,
                                         str(world["members"][2].pk): 90.25}},
                      nanjing.pk: {track: {}}}
    assert all(isinstance(k, str) for k in result[jinan.pk][track])
    assert all(isinstance(v, float) for v in result[jinan.pk][track].values())
    assert no_shows(world["batch"]) == {nanjing.pk}


def test_scheduled_slots_and_redrawn_panels_are_left_out(world):
    jinan, nanjing = world["applications"]
    slot(world, jinan)  # scheduled: nothing yet
    assert defence_scores(world["batch"]) == {}
    old = slot(world, nanjing, status="held", hours_ago=5)
    _score(old, world["members"][0], "70")
    assert defence_scores(world["batch"]) == {nanjing.pk: {world["panel"].group: {str(world["members"][0].pk): 70.0}}}
    factories.expert(name="新专家", city=factories.division("510100", "成都市", province_name="四川省"), employer="川大")
    panel_draw(batch=world["batch"], group=world["panel"].group, size=5, reserves=0, user=world["officer"], seed="re")
    assert defence_scores(world["batch"]) == {} and no_shows(world["batch"]) == set()


@pytest.mark.parametrize("slots", [1, 2])
def test_a_constant_number_of_queries(world, django_assert_num_queries, slots):
    for application in world["applications"][:slots]:
        s = slot(world, application, status="held", hours_ago=3 * (application.pk % 7 + 1))
        for expert in world["members"]:
            _score(s, expert, "80")
    with django_assert_num_queries(2):
        result = defence_scores(world["batch"])
    assert sum(len(t) for tracks in result.values() for t in tracks.values()) == 5 * slots
    with django_assert_num_queries(1):
        no_shows(world["batch"])


def test_the_defence_score_of_a_member_replaced_since_does_not_count(world):
    jinan = world["applications"][0]
    held = slot(world, jinan, status="held")
    gone, stays = world["members"][:2]
    _score(held, gone, "60.00")
    _score(held, stays, "90.00")
    track = world["panel"].group
    assert defence_scores(world["batch"])[jinan.pk][track] == {str(gone.pk): 60.0, str(stays.pk): 90.0}
    panels.panel_member_decline(draw_record=world["panel"], expert=gone, reason="回避", user=world["officer"])
    assert defence_scores(world["batch"])[jinan.pk][track] == {str(stays.pk): 90.0}
