"""The demo's scoring runs: ~40 cities, plausible and seeded, official statistics untouched."""

import pytest
from django.core.management import call_command

from icdc.indicators.models import StatisticFigure
from icdc.rankings.demo import create_demo_run
from icdc.rankings.models import ScoringRun
from icdc.rankings.services import reproduce_run
from tests.factories import division

from . import helpers


@pytest.fixture
def demo_cities(cities):
    for k in range(40):
        division(f"{430100 + 100 * k}", f"演示市{k}", province_name="湖南省")


def test_demo_run_uses_statistics_present_and_invents_none(demo_cities, figures, draft_version, officer):
    n_figures = StatisticFigure.objects.count()
    run, created = create_demo_run(officer)
    assert created and run.city_results.count() == 40 and run.city_results.filter(selected=True).count() == 8
    assert StatisticFigure.objects.count() == n_figures  # synthetic figures live in the snapshot only
    [part] = run.parts
    by_code = {c["city_code"]: c for c in part["cities"]}
    # The five cities with official statistics come first and use them.
    assert by_code["370200"]["figures"]["D1.1"] == 1820.0
    assert run.snapshot["figure_sources"]["370200"]["D1.1"]["source"] == "nbs"
    assert run.snapshot["figure_sources"]["430100"]["D1.1"]["source"] == "application"
    assert by_code["430100"]["figures"]["D1.1"] is not None
    assert all(len(c["expert_scores"]) == 7 for c in part["cities"])
    assert run.year == helpers.YEAR and run.params["draws"] == 1000 and run.params["calibrate"]
    assert reproduce_run(user=officer, run=run)


def test_demo_run_is_seeded_and_idempotent(demo_cities, draft_version, officer):
    first, _created = create_demo_run(officer)
    assert create_demo_run(officer) == (first, False)
    snapshot, result = first.snapshot, first.result_text
    ScoringRun.objects.all().delete()
    again, _created = create_demo_run(officer)
    assert again.snapshot == snapshot and again.result_text == result


def test_command_makes_both_systems(demo_cities, draft_version, officer, capsys):
    call_command("score_demo_run", user=officer.username)
    runs = {r.system_code: r for r in ScoringRun.objects.all()}
    assert set(runs) == {"COMP", "SPEC"}
    assert set(runs["SPEC"].tracks) <= {"LIFE", "PUBLIC", "INDUSTRY", "PRODUCT"} and len(runs["SPEC"].tracks) >= 3
    assert "演示评分运行 · 特色型 · 2023" in capsys.readouterr().out
    call_command("score_demo_run", user=officer.username)
    assert ScoringRun.objects.count() == 2
