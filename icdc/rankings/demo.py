"""A plausible scoring run for the demo (called by the demo loader and ``score_demo_run``).

Until the review app exists there are no real expert scores or defences, so they are
generated here — seeded by city code, so every load gives the same run. Figures come from
the ``StatisticFigure`` rows present for the year; where a city has none, plausible figures
are generated the same way and passed as figures reported by the application: they live in
the run's snapshot only, never as official statistics.
"""

from __future__ import annotations

import hashlib

import numpy as np
from django.db.models import Count, Max

from icdc.divisions.models import Division
from icdc.indicators.models import IndicatorSetVersion, StatisticFigure
from icdc.programmes.selectors import current_programme
from icdc.scoring import RunParams

from . import adapters, services
from .models import ScoringRun

DEMO_YEAR = 2023  # used when no statistics are loaded
#: Demo sizes by the kind of type (the programme says which types choose domains; nothing here
#: names a type): 2019's batch had 8 comprehensive titles and about 3 per specialised domain.
N_CITIES = {False: 40, True: 24}
QUOTAS = {False: 8, True: 3}


def demo_systems():
    """The indicator systems the programme's types are scored on, in the programme's order."""
    return [t.indicator_system for t in current_programme().types if t.indicator_system]


def _sized(table, system_code):
    kind = current_programme().type_for_indicator_system(system_code)
    return table[bool(kind and kind.chooses_domains)]
EXPERT_POOL = [f"E{n:02d}" for n in range(1, 31)]
PANEL_SIZE = 7
SEED = 20231


def _rng(*parts) -> np.random.Generator:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _version():
    versions = IndicatorSetVersion.objects.filter(systems__code__in=demo_systems()).distinct() \
        .order_by("-created_at", "-id")
    version = versions.exclude(status=IndicatorSetVersion.Status.DRAFT).first() or versions.first()
    if version is None:
        raise adapters.RunInputError("没有可用的指标体系版本，请先运行 load_indicators")
    return version


def _year() -> int:
    return StatisticFigure.objects.aggregate(year=Max("year"))["year"] or DEMO_YEAR


def _cities(year: int, n: int) -> list[Division]:
    """Cities with the most statistics that year first, then the others by code."""
    counts = dict(StatisticFigure.objects.filter(year=year).values_list("city_id").annotate(n=Count("id")))
    cities = list(Division.objects.filter(can_apply=True).order_by("code"))
    cities.sort(key=lambda c: (-counts.get(c.code, 0), not c.applies_directly, c.code))
    return cities[:n]


def _quality(city_code: str) -> float:
    """A city's hidden 'strength' in [0.25, 0.95] that its figures and scores follow."""
    return float(_rng("quality", city_code).uniform(0.25, 0.95))


def _figure(spec, quality: float, rng) -> float:
    if spec.rule == "threshold":
        start, end = 0.85 * spec.target, 1.05 * spec.target
    else:
        start, end = (spec.floor, spec.target) if spec.rule == "linear" else (max(spec.floor, spec.target),
                                                                              min(spec.floor, spec.target))
    return round(start + (end - start) * float(rng.normal(quality, 0.2)), 2)


def _sheets(specs, quality: float, rng) -> dict[str, dict[str, float]]:
    panel = rng.choice(EXPERT_POOL, PANEL_SIZE, replace=False)
    sheets = {}
    for expert in sorted(panel):
        leniency = float(_rng("leniency", expert).normal(0, 0.04))  # some experts score high, some low
        sheets[str(expert)] = {s.code: float(np.clip(np.round((rng.normal(quality, 0.07) + leniency) * s.weight * 2)
                                                     / 2, 0, s.weight)) for s in specs}
    return sheets


def _application(city, tracks, specs_by_track, quality) -> dict:
    rng = _rng("application", city.code)
    quant = {s.code: s for specs in specs_by_track.values() for s in specs if s.kind == "quantitative"}
    return {
        "city_code": city.code, "tracks": tracks,
        "figures": {code: _figure(spec, quality, rng) for code, spec in sorted(quant.items())},
        "expert_scores": {t: _sheets([s for s in specs_by_track[t] if s.kind == "qualitative"], quality,
                                     _rng("sheets", city.code, t)) for t in tracks},
        "defence_scores": {t: round(float(np.clip(_rng("defence", city.code, t).normal(55 + 40 * quality, 6), 0, 100)),
                                    1) for t in tracks},
    }


def _tracks_of(city, tracks, chooses_domains) -> list[str]:
    if not chooses_domains:
        return list(tracks)
    rng = _rng("domains", city.code)
    return sorted(rng.choice(tracks, 1 + int(rng.random() < 0.3), replace=False).tolist())


def create_demo_run(user, system_code: str = "", n_cities: int | None = None) -> tuple[ScoringRun, bool]:
    """(run, created): the demo's scoring run for ``system_code`` (COMP or SPEC). An existing
    one is returned as it is, so the demo loader can run again safely. ``n_cities`` other than
    the demo's own number makes a separate run (its label says how many): the web benchmark
    measures the run pages at 40 and at 300 cities."""
    system_code = system_code or demo_systems()[0]
    version, year = _version(), _year()
    kind = current_programme().type_for_indicator_system(system_code)
    label = f"演示评分运行 · {kind.label if kind else system_code} · {year}"
    if n_cities is None or n_cities == _sized(N_CITIES, system_code):
        n_cities = _sized(N_CITIES, system_code)
    else:
        label = f"{label} · {n_cities} 城"
    existing = ScoringRun.objects.filter(label=label, version=version).first()
    if existing is not None:
        return existing, False
    tracks = adapters.allowed_tracks(version, system_code)
    specs = {t: adapters.track_indicators(version, system_code, t) for t in tracks}
    applications = [
        _application(city, _tracks_of(city, list(tracks), kind.chooses_domains), specs, _quality(city.code))
        for city in _cities(year, n_cities)
    ]
    params = RunParams(w_material=0.7, w_defence=0.3, pass_mark=60.0, seed=SEED, draws=1000, calibrate=True,
                       quotas={t: _sized(QUOTAS, system_code) for t in tracks})
    run = services.create_run(user=user, version=version, system_code=system_code, year=year, label=label,
                              applications=applications, params=params)
    return run, True
