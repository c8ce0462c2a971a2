"""Pages read a run in a bounded number of queries, however many cities it holds."""

from django.urls import reverse

from icdc.decisions.adapters import track_indicators
from icdc.decisions.services import create_run
from tests.factories import division

from . import helpers


def _big_run(draft_version, officer, n):
    apps, specs = [], track_indicators(draft_version, "COMP", "COMP")
    for k in range(n):
        code = f"{410100 + 100 * k}"
        division(code, f"测试市{k}", province_name="河南省")
        quality = 0.3 + 0.6 * k / n
        apps.append({"city_code": code, "tracks": ["COMP"],
                     "figures": {"D1.1": 200 + 1800 * quality},
                     "expert_scores": {"COMP": helpers.sheets(specs, quality)},
                     "defence_scores": {"COMP": 60 + 30 * quality}})
    return create_run(user=officer, version=draft_version, system_code="COMP", year=helpers.YEAR,
                      label=f"{n} 城", applications=apps, params=helpers.params(quotas={"COMP": 5}, draws=50))


def test_pages_do_not_grow_with_the_run(officer_client, draft_version, officer, comp_run,
                                        django_assert_max_num_queries):
    big = _big_run(draft_version, officer, 60)
    for run in (comp_run, big):
        city = run.city_results.order_by("rank").first().city_id
        pages = {  # session and user, run, its rows / last check; exports add the audit chain (5)
            reverse("decisions:run_list"): 6,
            reverse("decisions:run_track", args=[run.pk, "COMP"]): 8,
            reverse("decisions:city_explanation", args=[run.pk, "COMP", city]): 6,
            reverse("decisions:export_ranking", args=[run.pk]): 12,
            reverse("decisions:export_explanation", args=[run.pk, "COMP", city]): 11,
        }
        for url, limit in pages.items():
            with django_assert_max_num_queries(limit):
                assert officer_client.get(url).status_code == 200
