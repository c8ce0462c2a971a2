"""Expert review at full size (issue 14): drawing panels, and building a scoring run from the sheets.

Run: .venv/bin/python bench/review.py [--applications 300] [--pools 1000,2000] [--experts 7,15]
Prints figures, asserts nothing. Local and bounded (a few minutes): a throw-away test database —
PostgreSQL ``test_<name>`` when ``DATABASE_URL`` is set, else in-memory SQLite — made, filled with
bulk inserts and dropped again.

1. Panel draw, for ``--applications`` 综合型 applications (cities in 30 provinces) and a pool of each
   size of ``--pools``: 70 % of the experts in five provinces without applicants, the rest among the
   applicants' (excluded from a group's panel: same province), a tenth declaring a conflicting city, a tenth a
   conflicting employer (the 牵头单位 of some application), and some inactive.
   * the pure draw (``review.draw.draw_panel``), once per application (``--pure-sample`` of them,
     the time per draw extrapolated to all): a panel of 15 and 5 reserves for each, from the whole
     pool (conflicts per application);
   * the service (``review.panels.panel_draw``): one panel for the group, every expert checked
     against every application, recorded; time and SQL queries.
2. Scoring run, for each panel size of ``--experts``: one panel of that size over the applications,
   every member's submitted sheet on 40 qualitative indicators (``--applications`` × experts × 40
   ``ScoreEntry`` rows), each member's defence score, official figures for half the cities and
   declared figures for the rest (10 quantitative indicators); then
   ``rankings.services.create_run_for_batch`` (1000 robustness draws): time and SQL queries, and
   the time and queries of reading the inputs alone (``batch_inputs.collect``).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUALITATIVE, QUANTITATIVE = 40, 10
SIZE, RESERVES = 15, 5


def indicator_document(label):
    """40 qualitative indicators (2 points each) and 10 quantitative ones (2 points each)."""
    quant = [{"code": f"Q{k:02d}", "name": f"定量{k}", "kind": "quantitative", "unit": "亿元", "weight": 2,
              "rule": "linear", "floor": 0, "target": 100, "source": "国家统计局"} for k in range(QUANTITATIVE)]
    qual = [{"code": f"P{k:02d}", "name": f"定性{k}", "kind": "qualitative", "weight": 2} for k in range(QUALITATIVE)]
    return {"version": label, "systems": [{"code": "COMP", "name": "综合型", "applies_to": "综合型", "dimensions": [
        {"code": "D1", "name": "定量", "indicators": quant}, {"code": "D2", "name": "定性", "indicators": qual}]}]}


def world(n_applications):
    """Provinces, cities, a batch under the shipped programme, its applications (passed formal review;
    frozen revisions with declared figures), official figures for every other city, a Ministry officer."""
    import yaml
    from django.utils import timezone

    from icdc.accounts.models import Role, User
    from icdc.applications.models import Application, ApplicationRevision
    from icdc.batches.models import Batch
    from icdc.divisions.models import Division
    from icdc.indicators.models import StatisticFigure
    from icdc.indicators.services import import_version_document
    from icdc.indicators.yaml_io import load_document
    from icdc.programmes.definition import load_programme

    provinces = [Division.objects.create(code=f"{11 + p}0000", name=f"省{p}", level="province", kind="省",
                                         is_application_channel=True) for p in range(30)]
    # Applicants in 25 provinces; 5 more provinces where only experts work (a group's panel may not
    # hold an expert from the province of any of its applicants).
    cities = Division.objects.bulk_create([
        Division(code=f"{11 + k % 25}{k // 25 + 1:02d}00", name=f"市{k}", level="prefecture", kind="地级市",
                 parent=provinces[k % 25], can_apply=True) for k in range(n_applications)])
    cities += Division.objects.bulk_create([
        Division(code=f"{36 + k % 5}{k // 5 + 1:02d}00", name=f"专家市{k}", level="prefecture", kind="地级市",
                 parent=provinces[25 + k % 5], can_apply=True) for k in range(50)])
    version = import_version_document(document=load_document(yaml.safe_dump(
        indicator_document("bench-review"), allow_unicode=True).encode()))[0]
    programme = load_programme(ROOT / "data" / "programmes" / "info-consumption-demonstration-city.yaml")
    now = timezone.now()
    batch = Batch.objects.create(
        year=2030, title="2030年信息消费示范城市申报（基准）", programme_code=programme.code,
        programme_version=programme.version, programme_document=programme.document, status="open",
        quotas={"COMP": 30}, indicator_version=version, city_deadline=now, province_deadline=now)
    apps = Application.objects.bulk_create([
        Application(batch=batch, city=city, route="province", province=city.parent, number=f"2030-{city.code}",
                    type_code="COMP", status="formal_passed", revision_number=1, submitted_at=now, arrived_at=now)
        for city in cities[:n_applications]])
    figures = {f"Q{k:02d}": {"value": "55.5", "unit": "亿元", "year": "2029", "source": "nbs"}
               for k in range(QUANTITATIVE)}
    ApplicationRevision.objects.bulk_create([ApplicationRevision(
        application=a, number=1, sha256="0" * 64, frozen_at=now,
        content={"type": "COMP", "domains": [], "attachments": [],
                 "sections": {"lead": {"name": f"{a.city.name}工业和信息化局"}, "figures": figures}})
        for a in apps])
    StatisticFigure.objects.bulk_create([
        StatisticFigure(city=a.city, year=2029, indicator_code=f"Q{k:02d}", value=Decimal(40 + n % 50),
                        unit="亿元", source="nbs", entered_at=now)
        for n, a in enumerate(apps) if n % 2 == 0 for k in range(QUANTITATIVE)], batch_size=2000)
    officer = User.objects.create(username="bench-officer", role=Role.MINISTRY_OFFICER, password_changed_at=now)
    return {"batch": batch, "applications": apps, "cities": cities, "officer": officer}


def pool(size, cities, applications, start=0):
    """``size`` experts with accounts, in random cities; some with declared conflicts, some inactive."""
    from django.utils import timezone

    from icdc.accounts.models import Role, User
    from icdc.review.models import Expert
    from tests.review.factories import id_number

    rng = random.Random(size)
    now = timezone.now()
    accounts = User.objects.bulk_create([User(username=f"bench-expert-{start + k}", role=Role.EXPERT,
                                              password_changed_at=now) for k in range(size)])
    experts = []
    for k, account in enumerate(accounts):
        n = start + k  # (serial, birth year) unique per expert: the pool refuses the same ID number twice
        expert = Expert(account=account, name=f"专家{n}", id_number=id_number(serial=n % 1000,
                                                                           birth=f"{1950 + n // 1000}0101"),
                        mobile="13800000000", employer=f"单位{k % 400}",
                        city=rng.choice(cities[-50:] if rng.random() < 0.7 else cities[:-50]),
                        is_active=rng.random() > 0.03, load_limit=400)
        if rng.random() < 0.1:
            expert.conflict_employers = [f"{rng.choice(applications).city.name}工业和信息化局"]
        expert.specialities = ["LIFE"]
        experts.append(expert)
    for expert in experts:  # the blind index is computed on save; bulk_create calls pre_save too
        expert.id_number_hash = Expert._meta.get_field("id_number_hash").pre_save(expert, True)
    made = Expert.objects.bulk_create(experts, batch_size=500)
    through = Expert.conflict_cities.through
    through.objects.bulk_create([through(expert_id=e.pk, division_id=rng.choice(applications).city_id)
                                 for e in made if rng.random() < 0.1])
    return made


def measure(label, func):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
    print(f"  {label:58} {seconds:8.2f} s {len(captured.captured_queries):8d} queries")
    return result


def bench_draws(data, pool_sizes, pure_sample):
    from icdc.review import draw, selectors
    from icdc.review.models import Expert, PanelDraw
    from icdc.review.panels import group_applications, panel_draw

    batch, apps = data["batch"], data["applications"]
    made = 0
    for size in pool_sizes:
        PanelDraw.objects.filter(batch=batch).delete()
        pool(size - made, data["cities"], apps, start=made)
        made = size
        print(f"pool of {Expert.objects.count()} experts, {len(apps)} applications")
        plain_pool = measure("read the pool (selectors.draw_pool)", selectors.draw_pool)
        track = batch.programme().tracks_for("COMP")[0]
        plain_apps = measure("read the applications (panels.group_applications)",
                             lambda track=track: group_applications(batch, track))

        sample = plain_apps[:pure_sample]

        def per_application(plain_pool=plain_pool, sample=sample):
            return [draw.draw_panel(pool=plain_pool, application=a, size=SIZE, reserves=RESERVES, seed=f"s{a['id']}")
                    for a in sample]

        start = time.perf_counter()
        results = measure(f"pure draw.draw_panel × {len(sample)} (one per application)", per_application)
        each = (time.perf_counter() - start) / len(sample)
        excluded = sum(len(r["excluded"]) for r in results) / len(results)
        print(f"    {each * 1000:.0f} ms per draw (× {len(plain_apps)} applications ≈ {each * len(plain_apps):.0f} s); "
              f"{excluded:.0f} experts excluded per application on average")
        panel = measure("panels.panel_draw: one panel for the group, recorded",
                        lambda: panel_draw(batch=batch, group="COMP", size=SIZE, reserves=RESERVES,
                                           user=data["officer"], seed="bench"))
        print(f"    {len(panel.excluded)} experts excluded for a conflict with some application of the group")


def panel_of(data, size):
    """A current panel of ``size`` experts over every application, with their submitted sheets and
    defence scores (bulk inserts)."""
    from django.utils import timezone

    from icdc.review.models import DefenceScore, DefenceSlot, Expert, PanelDraw, ScoreEntry, ScoreSheet

    batch, apps = data["batch"], data["applications"]
    PanelDraw.objects.filter(batch=batch).update(replaces=None)
    for old in PanelDraw.objects.filter(batch=batch):
        DefenceScore.objects.filter(slot__panel=old).delete()
        DefenceSlot.objects.filter(panel=old).delete()
        ScoreEntry.objects.filter(sheet__panel=old).delete()
        ScoreSheet.objects.filter(panel=old).delete()
        old.delete()
    members = list(Expert.objects.order_by("id")[:size])
    now = timezone.now()
    panel = PanelDraw.objects.create(batch=batch, group="COMP", size=size, reserve_count=0, seed="bench",
                                     pool_hash="0" * 64, snapshot={}, application_ids=[a.pk for a in apps],
                                     members=[m.pk for m in members], drawn_members=[m.pk for m in members],
                                     drawn_by=data["officer"], drawn_at=now)
    rng = random.Random(size)
    sheets = ScoreSheet.objects.bulk_create([
        ScoreSheet(panel=panel, application=a, expert=m, track="COMP", status="submitted", submitted_at=now)
        for a in apps for m in members], batch_size=2000)
    entries = [ScoreEntry(sheet=s, indicator_code=f"P{k:02d}", score=Decimal(rng.randint(0, 4)) / 2)
               for s in sheets for k in range(QUALITATIVE)]
    ScoreEntry.objects.bulk_create(entries, batch_size=5000)
    slots = DefenceSlot.objects.bulk_create([
        DefenceSlot(panel=panel, application=a, starts_at=now, ends_at=now, status="held", scheduled_by=data["officer"])
        for a in apps])
    DefenceScore.objects.bulk_create([DefenceScore(slot=s, expert=m, score=Decimal(rng.randint(50, 100)),
                                                   submitted_at=now) for s in slots for m in members], batch_size=5000)
    return len(entries)


def bench_runs(data, panel_sizes):
    from icdc.rankings import batch_inputs
    from icdc.rankings.services import create_run_for_batch

    for size in panel_sizes:
        start = time.perf_counter()
        entries = panel_of(data, size)
        print(f"{len(data['applications'])} applications × {size} experts × {QUALITATIVE} indicators = {entries} "
              f"submitted scores (written in {time.perf_counter() - start:.1f} s)")
        measure("batch_inputs.collect (read panels, sheets, defence, figures)",
                lambda: batch_inputs.collect(batch=data["batch"], seed=1))
        run = measure("services.create_run_for_batch (1000 draws, stored, audited)",
                      lambda: create_run_for_batch(batch=data["batch"], user=data["officer"], seed=1))
        print(f"    run {run.pk}: {run.city_results.count()} cities, {len(run.result_text) / 1e6:.1f} MB result")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=300)
    parser.add_argument("--pools", default="1000,2000", help="pool sizes, ascending")
    parser.add_argument("--experts", default="7,15", help='panel sizes for the scoring run ("" for none)')
    parser.add_argument("--pure-sample", type=int, default=30,
                        help="applications drawn one by one with the pure draw (~0.1–0.3 s each at 1,000–2,000 experts)")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="icdc-bench-review-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icdc.settings")
    os.environ["ICDC_VAR_DIR"] = str(var)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ICDC_DATA_KEYS, settings.ICDC_DATA_KEY_ID = {"bench": "33" * 16}, "bench"
    settings.ICDC_AUDIT_KEY, settings.ICDC_AUDIT_KEY_ID = "11" * 32, "bench"
    print(f"database: {connection.vendor} (throw-away test database)")
    start = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"migrated in {time.perf_counter() - start:.1f} s")
        data = world(args.applications)
        bench_draws(data, [int(n) for n in args.pools.split(",")], args.pure_sample)
        bench_runs(data, [int(n) for n in args.experts.split(",") if n.strip()])
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
