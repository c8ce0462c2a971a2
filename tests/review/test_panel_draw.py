"""Drawing a panel for a group of a batch: conflicts with any of its applications exclude, recorded,
reproducible; a redraw keeps the earlier draw."""

import pytest
from django.core.exceptions import PermissionDenied
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


def test_a_panel_of_five_is_drawn_with_the_conflicted_excluded_and_the_reasons_recorded(world):
    panel = panels.panel_draw(batch=world["batch"], group="COMP", size=5, reserves=2, user=world["officer"],
                              seed="s-1")
    eligible = {e.pk for e in world["eligible"]}
    assert len(panel.members) == 5 and set(panel.members) <= eligible
    assert len(panel.reserves) == 2 and set(panel.reserves) <= eligible - set(panel.members)
    assert panel.leader == panel.members[0]
    reasons = {e["expert"]: e["reason"] for e in panel.excluded}
    assert reasons == {world["same_province"].pk: "same_province", world["employer_city"].pk: "employer_city",
                       world["declared"].pk: "declared_city", world["declared_employer"].pk: "declared_employer"}
    assert panel.seed == "s-1" and len(panel.pool_hash) == 64
    assert sorted(panel.application_ids) == sorted(a.pk for a in world["applications"])
    record = AuditRecord.objects.get(action="review.panel.draw")
    assert record.after["seed"] == "s-1" and record.after["pool_hash"] == panel.pool_hash
    assert record.after["excluded"] == 4 and record.after["applications"] == 2


def test_the_seed_defaults_to_a_random_one_and_is_recorded(world):
    one = panels.panel_draw(batch=world["batch"], group="COMP", size=3, reserves=1, user=world["officer"])
    assert len(one.seed) == 32


def test_a_rerun_with_the_recorded_seed_and_pool_gives_the_same_panel(world):
    panel = panels.panel_draw(batch=world["batch"], group="COMP", size=5, reserves=2, user=world["officer"],
                              seed="fixed")
    stored = PanelDraw.objects.get(pk=panel.pk)
    same, result = panels.panel_draw_verify(draw_record=stored)
    assert same and result["members"] == stored.members and result["reserves"] == stored.reserves
    stored.seed = stored.seed + "x"  # another seed: another order (8 eligible, 5 drawn)
    assert panels.panel_draw_verify(draw_record=stored)[0] is False


def test_a_tampered_snapshot_is_not_verified(world):
    panel = panels.panel_draw(batch=world["batch"], group="COMP", size=5, reserves=2, user=world["officer"])
    panel.snapshot["pool"] = panel.snapshot["pool"][1:]
    assert panels.panel_draw_verify(draw_record=panel)[0] is False


def test_a_redraw_keeps_the_old_draw_visible_and_names_it(world):
    first = panels.panel_draw(batch=world["batch"], group="COMP", size=3, reserves=0, user=world["officer"], seed=1)
    second = panels.panel_draw(batch=world["batch"], group="COMP", size=3, reserves=0, user=world["officer"], seed=2)
    assert second.replaces == first
    assert PanelDraw.objects.filter(batch=world["batch"]).count() == 2
    first.refresh_from_db()
    assert first.members == first.drawn_members  # untouched
    assert list(panels.current_draws(world["batch"])) == [second]


def test_the_load_of_other_groups_is_counted(world):
    from tests.applications import factories_review as fr

    life = fr.recommended(batch_obj=world["batch"], city_obj=fr.city("440100", "广州市"), type_code="SPEC",
                          domains=["LIFE"])
    assert life.pk
    comp = panels.panel_draw(batch=world["batch"], group="COMP", size=3, reserves=0, user=world["officer"], seed=1)
    assert panels._load(world["batch"]) == {pk: 2 for pk in comp.members}


def test_too_few_eligible_experts_is_refused_and_nothing_is_stored(world):
    with pytest.raises(Refusal) as refused:
        panels.panel_draw(batch=world["batch"], group="COMP", size=9, reserves=0, user=world["officer"])
    assert refused.value.code == "shortfall"
    assert not PanelDraw.objects.exists()


def test_a_group_without_applications_or_unknown_is_refused(world):
    for group, code in (("LIFE", "no_applications"), ("NOPE", "unknown_group")):
        with pytest.raises(Refusal) as refused:
            panels.panel_draw(batch=world["batch"], group=group, size=1, reserves=0, user=world["officer"])
        assert refused.value.code == code


def test_only_the_ministry_officer_draws(world, role_users):
    from icdc.accounts.models import Role

    for role in (Role.EXPERT, Role.PROVINCIAL_OFFICIAL, Role.CITY_APPLICANT, Role.SYSTEM_ADMIN):
        with pytest.raises(PermissionDenied):
            panels.panel_draw(batch=world["batch"], group="COMP", size=1, reserves=0, user=role_users[role])
    assert not PanelDraw.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
def test_two_draws_of_a_group_at_once_make_the_second_a_recorded_redraw():
    """Without the lock on the batch both draws see no current draw of the group: two current panels."""
    world = factories.panel_world()

    def drawing(seed):
        return lambda: panels.panel_draw(batch=world["batch"], group="COMP", size=3, reserves=0,
                                         user=world["officer"], seed=seed)

    first, second = race(drawing("a"), drawing("b"))
    assert second.error is None, second.error
    assert second.value.replaces_id == first.value.pk
    assert list(panels.current_draws(world["batch"])) == [second.value]
