"""Each city's slice of the stored result (``ScoringRunCity.detail``) and the run's outline:
the explanation page reads one row, yet explains exactly what the whole stored result says."""

import pytest

from icdc.indicators.models import Dimension, Domain, Indicator
from icdc.rankings import selectors
from icdc.rankings.models import ReproductionCheck, ScoringRun, ScoringRunCity
from icdc.rankings.services import create_run, reproduce_run
from icdc.scoring import explain

from . import helpers


def _from_whole_result(run, track, city_code):
    """The explanation as the pages built it before: from the whole stored result."""
    run = ScoringRun.objects.get(pk=run.pk)
    result, recomputed = selectors._recomputed_result(run, run.part_index(track))
    assert recomputed is False
    return explain(result, city_code, track).to_dict()


def _tree_of(run, track, city_code):
    tree = selectors.explanation(selectors.run_for_page(run.pk), track, city_code)
    assert tree["recomputed"] is False
    return {key: value for key, value in tree.items() if key not in {"city_name", "track_name", "recomputed",
                                                                      "flag_labels", "year"}}


def _without_sources(tree):
    """The tree without what the page adds to the engine's: figure sources and experts' labels."""
    for dimension in tree["dimensions"]:
        for node in dimension["indicators"]:
            node.pop("source")
            for expert in node["experts"]:
                expert.pop("label")
    for expert in tree["defence_experts"]:
        expert.pop("label")
    return tree


def test_every_city_is_explained_from_its_slice_exactly_as_from_the_whole_result(comp_run):
    for row in comp_run.city_results.all():
        assert _without_sources(_tree_of(comp_run, row.track, row.city_id)) == \
            _from_whole_result(comp_run, row.track, row.city_id)


def test_a_run_of_several_parts_is_explained_from_each_part(figures, draft_version, officer):
    life = Domain.objects.get(version=draft_version, code="LIFE")
    dimension = Dimension.objects.create(system=draft_version.systems.get(code="SPEC"), code="S9", name="生活类专项",
                                         domain=life, position=9)
    Indicator.objects.create(version=draft_version, dimension=dimension, code="S9.1", name="生活类专项成效",
                             kind="qualitative", weight=5)
    apps = helpers.applications(draft_version, "SPEC", {"370200": ["LIFE", "PUBLIC"], "330200": ["LIFE"],
                                                        "370100": ["PUBLIC"]})
    run = create_run(user=officer, version=draft_version, system_code="SPEC", year=helpers.YEAR, label="特色型",
                     applications=apps, params=helpers.params(quotas={"LIFE": 1, "PUBLIC": 1}))
    assert [p["tracks"] for p in run.outline["parts"]] == [["LIFE"], ["PUBLIC"]]
    assert run.track_names == {"LIFE": "生活类信息消费", "PUBLIC": "公共服务类信息消费"}
    for track, city in (("LIFE", "370200"), ("PUBLIC", "370200"), ("PUBLIC", "370100")):
        tree = _without_sources(_tree_of(run, track, city))
        assert tree == _from_whole_result(run, track, city)
    codes = [n["code"] for d in _tree_of(run, "LIFE", "370200")["dimensions"] for n in d["indicators"]]
    assert "S9.1" in codes


def test_the_slice_holds_the_city_its_sources_and_only_its_experts(comp_run):
    row = ScoringRunCity.objects.get(run=comp_run, city_id="370200")
    assert row.detail["input"]["name"] == "青岛市"
    assert row.detail["result"]["rank"] == row.rank and row.detail["result"]["composite"] == row.composite
    assert [e["expert_id"] for e in row.detail["leniency"]] == helpers.EXPERTS
    assert row.detail["sources"]["D1.1"]["source"] == "nbs"
    assert comp_run.outline["parts"][0]["input_hash"] == comp_run.input_hash


@pytest.mark.parametrize("tamper", ["detail", "outline"])
def test_a_changed_copy_fails_the_recheck(comp_run, officer, tamper):
    if tamper == "detail":
        row = ScoringRunCity.objects.get(run=comp_run, city_id="370100")
        detail = row.detail
        detail["result"]["indicator_points"]["D1.1"] += 1  # the page would explain a point never counted
        ScoringRunCity.objects.filter(pk=row.pk).update(detail=detail)
    else:
        outline = comp_run.outline
        outline["parts"][0]["params"]["w_material"] = 0.8
        ScoringRun.objects.filter(pk=comp_run.pk).update(outline=outline)
    assert reproduce_run(user=officer, run=ScoringRun.objects.get(pk=comp_run.pk)) is False
    check = ReproductionCheck.objects.get()
    assert check.input_matched and "城市明细" in check.detail
    assert ScoringRun.objects.get(pk=comp_run.pk).status == ScoringRun.Status.MISMATCH


def test_runs_stored_before_the_copies_get_them_from_the_migration(comp_run):
    import importlib

    from django.apps import apps as global_apps

    class MovedApps:  # the migration ran in ``decisions``, before the models moved to ``rankings``
        @staticmethod
        def get_model(app_label, name):
            assert app_label == "decisions"
            return global_apps.get_model("rankings", name)

    apps = MovedApps()
    migration = importlib.import_module("icdc.decisions.migrations.0002_run_outline_and_city_detail")
    outline = comp_run.outline
    details = dict(ScoringRunCity.objects.filter(run=comp_run).values_list("id", "detail"))
    ScoringRun.objects.filter(pk=comp_run.pk).update(outline={})
    ScoringRunCity.objects.filter(run=comp_run).update(detail={})
    migration.backfill(apps, None)
    assert ScoringRun.objects.get(pk=comp_run.pk).outline == outline
    assert dict(ScoringRunCity.objects.filter(run=comp_run).values_list("id", "detail")) == details
