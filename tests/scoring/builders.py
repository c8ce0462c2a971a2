"""Plain-data builders for scoring tests: the draft indicator system and small batches."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml
from numpy.random import PCG64, Generator

from icdc.scoring import CityInput, IndicatorSpec, RunParams
from icdc.scoring.rules import band

DRAFT = Path(__file__).resolve().parents[2] / "data" / "indicators" / "draft-2019.yaml"


def draft_system(code: str = "COMP") -> list[IndicatorSpec]:
    """The draft indicator system (stand-in for Annex 3) as engine specs."""
    document = yaml.safe_load(DRAFT.read_text(encoding="utf-8"))
    system = next(s for s in document["systems"] if s["code"] == code)
    return [
        IndicatorSpec(code=i["code"], dimension=d["code"], kind=i["kind"], weight=i["weight"], rule=i.get("rule"),
                      floor=i.get("floor"), target=i.get("target"), name=i["name"], dimension_name=d["name"],
                      unit=i.get("unit", ""))
        for d in system["dimensions"] for i in d["indicators"]
    ]


def small_system() -> list[IndicatorSpec]:
    """Four indicators, 100 points: two by rule, two by experts."""
    return [
        IndicatorSpec(code="A1", dimension="A", kind="quantitative", weight=30, rule="linear", floor=0, target=100),
        IndicatorSpec(code="A2", dimension="A", kind="quantitative", weight=20, rule="threshold", target=50),
        IndicatorSpec(code="B1", dimension="B", kind="qualitative", weight=30),
        IndicatorSpec(code="B2", dimension="B", kind="qualitative", weight=20),
    ]


def city(code: str, a1: float | None, a2: float | None, b1: list[float], b2: list[float] | None = None,
         defence: float | None = 80.0, track: str = "COMP") -> CityInput:
    """A city of ``small_system``: experts E1..En score B1 (and B2, default = B1 scaled)."""
    b2 = b2 if b2 is not None else [x * 20 / 30 for x in b1]
    sheets = {f"E{k + 1}": {"B1": x, "B2": y} for k, (x, y) in enumerate(zip(b1, b2, strict=True))}
    return CityInput(city_code=code, track=track, figures={"A1": a1, "A2": a2}, expert_scores=sheets,
                     defence_score=defence)


def params(**overrides) -> RunParams:
    values = {"w_material": 0.7, "w_defence": 0.3, "pass_mark": 60.0, "quotas": {"COMP": 2}, "seed": 11,
              "draws": 0}
    values.update(overrides)
    return RunParams(**values)


def random_batch(specs: list[IndicatorSpec], n_cities: int, seed: int, tracks=("COMP",), panel=(3, 9),
                 pool: int = 40) -> list[CityInput]:
    """Random but plausible cities for ``specs``: figures around the band, experts from a pool."""
    rng = Generator(PCG64(seed))
    quant = [s for s in specs if s.kind == "quantitative"]
    qual = [s for s in specs if s.kind == "qualitative"]
    cities = []
    for n in range(n_cities):
        quality = rng.uniform(0.2, 1.0)
        figures = {}
        for s in quant:  # better cities have better figures, with noise; some fall outside the band
            start, end = band(s) if s.rule != "threshold" else (0.8 * s.target, 1.05 * s.target)
            share = rng.normal(quality, 0.25)
            figures[s.code] = None if rng.random() < 0.03 else float(np.round(start + (end - start) * share, 2))
        size = int(rng.integers(panel[0], panel[1] + 1))
        experts = rng.choice(pool, size, replace=False)
        sheets = {f"X{e:02d}": {s.code: float(np.clip(np.round(rng.normal(quality, 0.15) * s.weight * 2) / 2, 0,
                                                      s.weight)) for s in qual} for e in experts}
        cities.append(CityInput(city_code=f"{110000 + 100 * n}", track=tracks[n % len(tracks)], figures=figures,
                                expert_scores=sheets, defence_score=float(np.round(rng.uniform(50, 98), 1))))
    return cities
