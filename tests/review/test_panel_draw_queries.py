"""The draw's cost does not grow with the group: its queries are the same for 5 and 30 applications
(the frozen revisions read in one query), the lead agency is the current revision's, and the indexed
conflict check agrees with checking every expert against every application."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from icdc.review import draw, panels
from tests.review import factories

PROVINCES = ("51", "52", "53", "61", "62", "63")  # no expert of ``panel_world`` works there


def more_applications(world, count, *, start=0):
    """``count`` more 综合型 applications of the batch that passed formal review, in cities of provinces
    without experts, each with its 牵头单位 in its frozen revision."""
    from tests.applications import factories_review as fr

    made = []
    for k in range(start, start + count):
        code = f"{PROVINCES[k % len(PROVINCES)]}{k // len(PROVINCES) + 1:02d}00"
        content = {"type": "COMP", "domains": [], "attachments": [],
                   "sections": {"lead": {"name": f"城市{k}工业和信息化局"}}}
        made.append(fr.submitted(batch_obj=world["batch"], city_obj=fr.city(code, f"城市{k}"), content=content,
                                 status="formal_passed", arrived_at=timezone.now()))
    return made


def queries_of_a_draw(world, seed):
    with CaptureQueriesContext(connection) as captured:
        panel = panels.panel_draw(batch=world["batch"], group="COMP", size=3, reserves=1, user=world["officer"],
                                  seed=seed)
    return panel, len(captured.captured_queries)


@pytest.mark.django_db
def test_a_draw_for_30_applications_takes_as_many_queries_as_for_5():
    world = factories.panel_world()
    more_applications(world, 3)
    panels.panel_draw(batch=world["batch"], group="COMP", size=3, reserves=1, user=world["officer"], seed="0")
    small, at_5 = queries_of_a_draw(world, "a")  # a redraw, as the next one
    more_applications(world, 25, start=3)
    large, at_30 = queries_of_a_draw(world, "b")
    assert (len(small.application_ids), len(large.application_ids)) == (5, 30)
    assert at_30 == at_5, f"{at_5} queries for 5 applications, {at_30} for 30"


@pytest.mark.django_db
def test_the_lead_agency_matched_is_the_one_of_the_revision_that_went_to_review():
    """济南's revision 2 names another 牵头单位: the expert who declared the old one may sit on the panel;
    one who declared the new one may not."""
    from icdc.applications.effects import content_digest
    from icdc.applications.models import ApplicationRevision

    world = factories.panel_world()
    jinan = world["applications"][0]
    content = {"type": "COMP", "domains": [], "attachments": [], "sections": {"lead": {"name": "济南市大数据局"}}}
    ApplicationRevision.objects.create(application=jinan, number=2, content=content, sha256=content_digest(content),
                                       frozen_at=timezone.now())
    jinan.revision_number = 2
    jinan.save(update_fields=["revision_number"])
    new_lead = factories.expert(name="新单位回避", city=world["eligible"][0].city, employer="中山大学附属医院",
                                conflict_employers=["济南市大数据局"])
    panel = panels.panel_draw(batch=world["batch"], group="COMP", size=3, reserves=1, user=world["officer"])
    reasons = {e["expert"]: e["reason"] for e in panel.excluded}
    assert reasons[new_lead.pk] == "declared_employer"
    assert world["declared_employer"].pk not in reasons  # declared the lead of revision 1 only


def brute_force(pool, applications):
    """Every expert against every application, in order: the first conflict's reason."""
    out = {}
    for entry in pool:
        expert = {**draw._expert(entry), "active": True, "load_limit": 1, "specialities": []}
        for application in applications:
            reason = draw.exclusion(expert, draw._application(application), {})
            if reason in panels.CONFLICTS:
                out[expert["id"]] = reason
                break
    return out


@pytest.mark.parametrize("seed", range(20))
def test_the_indexed_conflict_check_finds_what_checking_every_pair_finds(seed):
    rng = random.Random(seed)
    cities = [(f"{p}0{c}00", f"{p}0000") for p in (11, 32, 37, 44) for c in (1, 2, 3)]
    units = [f"单位{k}" for k in range(6)]
    applications = []
    for k in range(rng.randint(0, 8)):
        city, province = rng.choice(cities + [("", "")])
        applications.append({"id": k + 1, "city": city, "province": province,
                             "units": rng.sample(units, rng.randint(0, 2))})
    pool = []
    for k in range(40):
        city, province = rng.choice(cities + [("", "")])
        pool.append({"id": 100 + k, "city": city, "province": province, "employer": rng.choice(units),
                     "conflict_cities": [c for c, _p in rng.sample(cities, rng.randint(0, 2))],
                     "conflict_employers": rng.sample(units, rng.randint(0, 2)), "load_limit": 3})
    assert panels._conflicts(pool, applications) == brute_force(pool, applications)


def test_drawing_from_a_canonical_snapshot_is_the_pure_draw():
    pool = [{"id": k, "city": f"4401{k:02d}", "province": "440000", "employer": f"大学{k}", "load_limit": 5,
             "specialities": ["LIFE"], "can_lead": k % 3 == 0} for k in range(12)]
    application = {"id": None, "city": "", "province": "", "speciality": "LIFE", "units": []}
    inputs = {"pool": pool, "application": application, "size": 4, "reserves": 2, "load": {3: 2, 5: 1}}
    assert draw.draw_snapshot(draw.canonical_snapshot(**inputs), seed="x") == draw.draw_panel(seed="x", **inputs)
    assert draw.draw_panel(seed="x", **inputs)["pool_hash"] == draw.snapshot_hash(**inputs)
