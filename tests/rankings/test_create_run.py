"""Creating a scoring run from real rows: inputs rebuilt from the database hash the same, every
city's result is stored beside the exact result bytes, and the run is audited."""

import json

from icdc.audit.models import AuditRecord
from icdc.indicators.models import Dimension, Domain, Indicator
from icdc.rankings.adapters import build_inputs
from icdc.rankings.models import ScoringRun, ScoringRunCity
from icdc.rankings.services import create_run
from icdc.scoring import input_hash, result_bytes, score_batch

from . import helpers


def test_stored_input_hash_is_the_engine_hash_of_inputs_rebuilt_from_the_database(comp_run, draft_version):
    inputs = build_inputs(version=draft_version, system_code="COMP", year=helpers.YEAR,
                          applications=helpers.applications(draft_version))
    [(tracks, specs, cities)] = inputs.parts
    assert tracks == ("COMP",)
    assert comp_run.input_hash == input_hash(specs, cities)
    assert comp_run.input_hash == input_hash(specs, list(reversed(cities)))  # order does not matter
    # The stored text is exactly the engine's canonical bytes for those inputs.
    result = score_batch(specs, cities, helpers.params())
    assert comp_run.result_text.encode("utf-8") == result_bytes(result)


def test_snapshot_holds_official_figures_expert_sheets_and_defence(comp_run):
    [part] = comp_run.snapshot["parts"]
    qingdao = next(c for c in part["cities"] if c["city_code"] == "370200")
    assert qingdao["name"] == "青岛市"
    assert qingdao["figures"]["D1.1"] == 1820.0  # 200 + (2000 − 200) × 0.9, from StatisticFigure
    assert sorted(qingdao["expert_scores"]) == helpers.EXPERTS
    assert qingdao["expert_scores"]["E3"]["D1.4"] == 3.6
    assert qingdao["defence_score"] == 87.0
    nanjing = next(c for c in part["cities"] if c["city_code"] == "320100")
    assert nanjing["figures"]["D1.1"] is None  # no statistic that year: missing, not invented
    assert comp_run.snapshot["figure_sources"]["370200"]["D1.1"]["source"] == "nbs"
    assert "D1.1" not in comp_run.snapshot["figure_sources"]["320100"]
    assert comp_run.seed == 7 and comp_run.params["seed"] == 7 and comp_run.params["quotas"] == {"COMP": 2}


def test_each_city_result_is_stored_for_lists(comp_run):
    rows = {r.city_id: r for r in ScoringRunCity.objects.filter(run=comp_run)}
    assert [r.city_id for r in sorted(rows.values(), key=lambda r: r.rank)] == \
        ["370200", "330200", "370100", "320200", "320100"]
    document = json.loads(comp_run.result_text)
    stored = {c["city_code"]: c for c in document["cities"]}
    for code, row in rows.items():
        assert row.composite == stored[code]["composite"] and row.rank == stored[code]["rank"]
        assert row.flags == stored[code]["flags"]
    assert rows["370200"].selected and rows["330200"].selected and not rows["370100"].selected
    assert rows["330200"].close_call and rows["370100"].close_call and not rows["370200"].close_call
    assert "missing_figure" in rows["320100"].flags and "expert_outlier" in rows["320200"].flags
    assert rows["370200"].calibrated_composite is not None


def test_the_run_is_audited_with_its_hashes(comp_run, officer):
    record = AuditRecord.objects.get(action="rankings.scoring_run.create")
    assert record.actor_id == officer.pk and record.object_id == str(comp_run.pk)
    assert record.after["input_hash"] == comp_run.input_hash
    assert record.after["result_hash"] == comp_run.result_hash
    assert record.after["applications"] == 5


def test_a_stored_run_cannot_be_changed(comp_run):
    import pytest

    from icdc.rankings.models import RunIsImmutable

    comp_run.label = "改名"
    with pytest.raises(RunIsImmutable):
        comp_run.save()


def _spec_apps(version):
    return helpers.applications(version, "SPEC", {"370200": ["LIFE", "PUBLIC"], "330200": ["LIFE"],
                                                  "370100": ["PUBLIC"], "320200": ["LIFE"]})


def test_specialised_city_in_two_domains_is_ranked_in_each(figures, draft_version, officer):
    run = create_run(user=officer, version=draft_version, system_code="SPEC", year=helpers.YEAR, label="特色型",
                     applications=_spec_apps(draft_version),
                     params=helpers.params(quotas={"LIFE": 1, "PUBLIC": 1, "PRODUCT": 1}))
    # The draft has no per-domain indicators: one engine call, the engine's own hashes.
    [part] = run.snapshot["parts"]
    assert part["tracks"] == ["LIFE", "PUBLIC"] and run.input_hash == part["input_hash"]
    assert run.snapshot["track_names"] == {"LIFE": "生活类信息消费", "PUBLIC": "公共服务类信息消费"}
    assert run.params["quotas"] == {"LIFE": 1, "PUBLIC": 1}
    ranks = set(run.city_results.values_list("track", "city_id", "rank"))
    assert ranks == {("LIFE", "370200", 1), ("LIFE", "330200", 2), ("LIFE", "320200", 3),
                     ("PUBLIC", "370200", 1), ("PUBLIC", "370100", 2)}


def test_a_domain_with_its_own_indicators_is_scored_on_common_part_plus_its_part(figures, draft_version, officer):
    life = Domain.objects.get(version=draft_version, code="LIFE")
    system = draft_version.systems.get(code="SPEC")
    dimension = Dimension.objects.create(system=system, code="S9", name="生活类专项", domain=life, position=9)
    Indicator.objects.create(version=draft_version, dimension=dimension, code="S9.1", name="生活类专项成效",
                             kind="qualitative", weight=5)
    run = create_run(user=officer, version=draft_version, system_code="SPEC", year=helpers.YEAR, label="特色型",
                     applications=_spec_apps(draft_version), params=helpers.params(quotas={"LIFE": 1, "PUBLIC": 1}))
    parts = {tuple(p["tracks"]): p for p in run.snapshot["parts"]}
    assert set(parts) == {("LIFE",), ("PUBLIC",)}
    assert "S9.1" in [i["code"] for i in parts[("LIFE",)]["indicators"]]
    assert "S9.1" not in [i["code"] for i in parts[("PUBLIC",)]["indicators"]]
    # Several engine calls: the run's hash covers every part's hash; the text lists both results.
    assert run.input_hash not in {p["input_hash"] for p in parts.values()}
    assert [d["tracks"][0]["track"] for d in run.part_results()] == ["LIFE", "PUBLIC"]
    assert ScoringRun.objects.count() == 1
