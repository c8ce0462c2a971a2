"""The run pages cost the same at 40 cities and at 300 (issue 12 item 6): the same queries,
none of which reads the run's snapshot or result text (megabytes at 300 cities)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import helpers

#: Columns only the re-check reads; a page that selects them grows with the run.
WHOLE_RUN_COLUMNS = ('"snapshot"', '"result_text"')


@pytest.fixture
def runs(draft_version, officer):
    return {n: helpers.big_run(draft_version, officer, n) for n in (40, 300)}


def _pages(run):
    middle = run.city_results.get(track="COMP", rank=20).city_id
    return {
        "list": reverse("rankings:run_list"),
        "ranking": reverse("rankings:run_track", args=[run.pk, "COMP"]),
        "ranking page 2": reverse("rankings:run_track", args=[run.pk, "COMP"]) + "?page=2",
        "explanation": reverse("rankings:city_explanation", args=[run.pk, "COMP", middle]),
        "ranking export": reverse("rankings:export_ranking", args=[run.pk]),
        "explanation export": reverse("rankings:export_explanation", args=[run.pk, "COMP", middle]),
    }


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def test_run_pages_make_the_same_queries_at_40_and_300_cities(officer_client, runs):
    counts = {n: {name: len(_queries(officer_client, url)) for name, url in _pages(run).items()}
              for n, run in runs.items()}
    assert counts[40] == counts[300]
    # session and user, run, its rows (and their count) / last check; exports add the audit chain
    limits = {"list": 6, "ranking": 9, "ranking page 2": 9, "explanation": 7, "ranking export": 12,
              "explanation export": 12}
    assert all(counts[300][name] <= limit for name, limit in limits.items()), counts[300]


def test_ranking_and_explanation_pages_never_read_the_whole_run(officer_client, runs):
    pages = _pages(runs[300])
    for name in ("ranking", "ranking page 2", "explanation", "explanation export"):
        for sql in _queries(officer_client, pages[name]):
            if '"rankings_scoringrun"' in sql:
                assert not any(column in sql for column in WHOLE_RUN_COLUMNS), (name, sql)
