"""The panel draw (随机抽取): pure, seeded, reproducible; conflicts never drawn; load balanced."""

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icdc.review.draw import REASONS, draw_panel, snapshot_hash

APPLICATION = {"id": 1, "city": "320100", "province": "320000", "speciality": None, "units": ["南京市工信局"]}


def _pool():
    return [
        {"id": 1, "city": "370200", "province": "370000", "employer": "青岛大学", "load_limit": 5},
        {"id": 2, "city": "320100", "province": "320000", "employer": "南京大学", "load_limit": 5},  # employer city
        {"id": 3, "city": "320500", "province": "320000", "employer": "苏州大学", "load_limit": 5},  # same province
        {"id": 4, "city": "110000", "province": "110000", "employer": "北京大学", "load_limit": 5,
         "conflict_cities": ["320100"]},  # declared the city
        {"id": 5, "city": "330100", "province": "330000", "employer": "浙江大学", "load_limit": 5,
         "conflict_employers": ["南京市工信局"]},  # declared one of the applicant's units
        {"id": 6, "city": "440100", "province": "440000", "employer": "中山大学", "load_limit": 2},  # at its limit
        {"id": 7, "city": "210100", "province": "210000", "employer": "东北大学", "load_limit": 5, "active": False},
        *({"id": n, "city": "420100", "province": "420000", "employer": f"单位{n}", "load_limit": 5,
           "can_lead": n == 12} for n in range(8, 16)),
    ]


def test_every_conflict_is_excluded_with_its_reason():
    result = draw_panel(pool=_pool(), application=APPLICATION, size=5, reserves=2, seed=42, load={6: 2})
    reasons = {e["expert"]: e["reason"] for e in result["excluded"]}
    assert reasons == {2: "employer_city", 3: "same_province", 4: "declared_city", 5: "declared_employer",
                       6: "load_limit", 7: "inactive"}
    chosen = result["members"] + result["reserves"]
    assert len(result["members"]) == 5 and len(result["reserves"]) == 2 and len(set(chosen)) == 7
    assert not set(chosen) & set(reasons) and result["shortfall"] == 0
    assert result["leader"] in result["members"]


def test_a_rerun_with_the_recorded_seed_and_pool_gives_the_same_panel():
    pool, load = _pool(), {1: 1, 9: 0}
    first = draw_panel(pool=pool, application=APPLICATION, size=5, reserves=2, seed="2026-B1-0001", load=load)
    again = draw_panel(pool=list(reversed(pool)), application=APPLICATION, size=5, reserves=2,
                       seed="2026-B1-0001", load=dict(reversed(list(load.items()))))
    assert again == first  # the order the pool is read in changes nothing, the hash included
    others = {tuple(draw_panel(pool=pool, application=APPLICATION, size=5, reserves=2, seed=s, load=load)["members"])
              for s in range(20)}
    assert len(others) > 1  # the seed matters


def test_the_same_seed_in_a_fresh_interpreter_gives_the_same_panel():
    code = ("from tests.review.test_draw import _pool, APPLICATION; from icdc.review.draw import draw_panel; "
            "print(draw_panel(pool=_pool(), application=APPLICATION, size=5, reserves=2, seed=7)['members'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    here = draw_panel(pool=_pool(), application=APPLICATION, size=5, reserves=2, seed=7)["members"]
    assert out == str(here)


def test_the_pool_hash_changes_with_the_pool():
    inputs = {"pool": _pool(), "application": APPLICATION, "size": 5, "reserves": 2, "load": {}}
    changed = _pool()
    changed[0]["conflict_cities"] = ["999999"]
    assert snapshot_hash(**inputs) != snapshot_hash(**{**inputs, "pool": changed})
    assert len(snapshot_hash(**inputs)) == 64


def test_the_least_loaded_are_drawn_first():
    pool = [{"id": n, "city": "420100", "province": "420000", "load_limit": 10} for n in range(1, 11)]
    load = {n: (0 if n in (3, 7, 9) else 4) for n in range(1, 11)}
    result = draw_panel(pool=pool, application=APPLICATION, size=3, reserves=1, seed=1, load=load)
    assert sorted(result["members"]) == [3, 7, 9]


def test_the_leader_is_the_first_member_who_can_lead():
    result = draw_panel(pool=_pool(), application=APPLICATION, size=8, reserves=0, seed=3, load={6: 2})
    assert result["leader"] == 12


def test_too_few_eligible_experts_is_a_shortfall():
    result = draw_panel(pool=_pool()[:7], application=APPLICATION, size=3, reserves=1, seed=1, load={6: 2})
    assert result["members"] == [1] and result["shortfall"] == 2 and result["reserves"] == []


def test_a_domain_group_needs_the_speciality():
    pool = [{"id": 1, "city": "420100", "province": "420000", "load_limit": 5, "specialities": ["LIFE"]},
            {"id": 2, "city": "420100", "province": "420000", "load_limit": 5, "specialities": ["PUBLIC"]}]
    result = draw_panel(pool=pool, application={**APPLICATION, "speciality": "LIFE"}, size=1, reserves=0, seed=1)
    assert result["members"] == [1] and result["excluded"] == [{"expert": 2, "reason": "speciality"}]


def test_the_draw_module_needs_no_django():
    code = "import sys, icdc.review.draw; print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_every_reason_has_a_label():
    from icdc.review.texts import DRAW_REASONS

    assert set(DRAW_REASONS) == set(REASONS)


CITIES = [("110000", "110000"), ("320100", "320000"), ("320500", "320000"), ("370200", "370000"),
          ("370100", "370000"), ("440100", "440000")]


@st.composite
def pools(draw):
    size = draw(st.integers(min_value=0, max_value=25))
    pool = []
    for n in range(1, size + 1):
        city, province = draw(st.sampled_from(CITIES))
        pool.append({
            "id": n, "city": city, "province": province, "active": draw(st.booleans()),
            "employer": draw(st.sampled_from(["甲", "乙", "丙"])),
            "specialities": draw(st.lists(st.sampled_from(["LIFE", "PUBLIC", "INDUSTRY"]), max_size=2)),
            "conflict_cities": draw(st.lists(st.sampled_from([c for c, _p in CITIES]), max_size=2)),
            "conflict_employers": draw(st.lists(st.sampled_from(["甲", "乙", "牵头单位"]), max_size=1)),
            "load_limit": draw(st.integers(min_value=0, max_value=3)),
        })
    return pool


@settings(max_examples=300, deadline=None)
@given(pool=pools(), where=st.sampled_from(CITIES), speciality=st.sampled_from([None, "LIFE", "PUBLIC"]),
       loads=st.lists(st.integers(min_value=0, max_value=4), min_size=25, max_size=25),
       size=st.integers(min_value=1, max_value=7), reserves=st.integers(min_value=0, max_value=3),
       seed=st.integers())
def test_the_draw_never_selects_a_conflicted_expert(pool, where, speciality, loads, size, reserves, seed):
    application = {"id": 1, "city": where[0], "province": where[1], "speciality": speciality, "units": ["牵头单位"]}
    load = {n: loads[n - 1] for n in range(1, len(pool) + 1)}
    result = draw_panel(pool=pool, application=application, size=size, reserves=reserves, seed=seed, load=load)
    by_id = {e["id"]: e for e in pool}
    chosen = result["members"] + result["reserves"]
    assert len(chosen) == len(set(chosen)) <= size + reserves
    for expert_id in chosen:
        e = by_id[expert_id]
        assert e["active"] and e["city"] != where[0] and e["province"] != where[1]
        assert where[0] not in e["conflict_cities"] and "牵头单位" not in e["conflict_employers"]
        assert load[expert_id] < e["load_limit"]
        assert speciality is None or speciality in e["specialities"]
    excluded = {x["expert"] for x in result["excluded"]}
    assert excluded <= set(by_id) and not excluded & set(chosen)
    # every eligible expert left out is at least as loaded as every member (load is balanced)
    eligible = set(by_id) - excluded
    if result["members"] and eligible - set(chosen):
        assert max(load[m] for m in result["members"]) <= min(load[o] for o in eligible - set(chosen))
    assert result["shortfall"] == max(0, size - len(eligible))


@pytest.mark.django_db
def test_the_pool_from_the_database_is_drawn_from(cities):
    from icdc.review.selectors import draw_pool
    from tests.review import factories

    near = factories.expert(city=cities["jinan"])
    far = factories.expert(city=cities["nanjing"], name="远方")
    declared = factories.expert(city=cities["beijing"], name="回避")
    declared.conflict_cities.set([cities["qingdao"]])
    application = {"id": 1, "city": "370200", "province": "370000", "speciality": None, "units": []}
    result = draw_panel(pool=draw_pool(), application=application, size=1, reserves=0, seed=1)
    assert result["members"] == [far.pk]
    assert {(x["expert"], x["reason"]) for x in result["excluded"]} == {(near.pk, "same_province"),
                                                                       (declared.pk, "declared_city")}
