"""Building a batch's run reads each kind of row once: the same queries with 3 experts or 9, and
with 2 applications or 4 (issue 14: "queries that do not grow with the number of experts")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icdc.rankings import batch_inputs
from icdc.rankings.services import create_run_for_batch

from . import batch_world


def _world(version, *, experts, extra_applications):
    from tests.applications import factories_review as fr

    data = batch_world.world(version=version, size=experts, experts=experts + 3)
    panel, batch = data["panel"], data["batch"]
    apps = list(data["applications"])
    for code, name in (("330100", "杭州市"), ("440100", "广州市"))[:extra_applications]:
        app = fr.recommended(batch_obj=batch, city_obj=fr.city(code, name))
        apps.append(app)
    panel.application_ids = [a.pk for a in apps]
    panel.save(update_fields=["application_ids"])
    for n, app in enumerate(apps):
        batch_world.official_figure(app.city, "Q1", 40 + 10 * n)
        batch_world.sheets_bulk(panel, app, data["members"], ["P1", "P2"], lambda e, c: 10 + e % 7)
        batch_world.defence(panel, app, {m: 70 + m.pk % 20 for m in data["members"]}, officer=data["officer"])
    return data


def _count(callable_):
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


@pytest.mark.parametrize("step", ["collect", "create"])
def test_queries_do_not_grow_with_experts_or_applications(db, step):
    version = batch_world.tiny_version()
    from icdc.review.models import ScoreSheet

    small = _world(version, experts=3, extra_applications=0)
    counts = {"small": _count(lambda: _run(step, small))}
    # A second batch: three times the experts, twice the applications.
    big = _world(version, experts=9, extra_applications=2)
    assert ScoreSheet.objects.filter(panel=big["panel"]).count() == 9 * 4
    counts["big"] = _count(lambda: _run(step, big))
    assert counts["small"] == counts["big"], counts


def _run(step, data):
    if step == "collect":
        return batch_inputs.collect(batch=data["batch"], seed=1)
    return create_run_for_batch(batch=data["batch"], user=data["officer"], seed=1)


def test_collect_at_two_sizes_with_django_assert_num_queries(db, django_assert_num_queries):
    version = batch_world.tiny_version()
    small = _world(version, experts=3, extra_applications=0)
    expected = _count(lambda: batch_inputs.collect(batch=small["batch"], seed=1))
    big = _world(version, experts=9, extra_applications=2)
    with django_assert_num_queries(expected):
        batch_inputs.collect(batch=big["batch"], seed=1)
    assert expected <= 16
