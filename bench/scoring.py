"""Benchmark of the scoring engine on a full-size batch; prints figures, asserts nothing.

Run: .venv/bin/python bench/scoring.py [--repeat N] [--draws D]
See bench/README.md for what is measured.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from numpy.random import PCG64, Generator

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from icdc.scoring import CityInput, IndicatorSpec, RunParams, result_bytes, score_batch  # noqa: E402

CITIES, INDICATORS, EXPERTS, POOL = 300, 40, 15, 120
TRACKS = {"COMP": (100, 10), "LIFE": (50, 5), "PUBLIC": (50, 5), "INDUSTRY": (50, 5), "PRODUCT": (50, 5)}
RULE_CYCLE = ("linear", "linear", "reverse_linear", "threshold")


def make_indicators() -> list[IndicatorSpec]:
    specs = []
    for k in range(INDICATORS):
        dimension = f"D{k // 7 + 1}"
        if k % 2 == 0:
            rule = RULE_CYCLE[(k // 2) % len(RULE_CYCLE)]
            floor, target = ((100.0, 20.0) if rule == "reverse_linear" else (None, 80.0) if rule == "threshold"
                             else (20.0, 100.0))
            specs.append(IndicatorSpec(code=f"Q{k:02d}", dimension=dimension, kind="quantitative", weight=2.5,
                                       rule=rule, floor=floor, target=target))
        else:
            specs.append(IndicatorSpec(code=f"E{k:02d}", dimension=dimension, kind="qualitative", weight=2.5))
    return specs


def make_cities(specs: list[IndicatorSpec], seed: int = 2024) -> list[CityInput]:
    rng = Generator(PCG64(seed))
    quant = [s for s in specs if s.kind == "quantitative"]
    qual = [s for s in specs if s.kind == "qualitative"]
    cities, number = [], 0
    for track, (count, _quota) in TRACKS.items():
        for _ in range(count):
            quality = rng.uniform(0.3, 0.95)
            figures = {s.code: (None if rng.random() < 0.02 else float(np.round(rng.normal(60 * quality + 30, 15), 2)))
                       for s in quant}
            panel = rng.choice(POOL, EXPERTS, replace=False)
            sheets = {f"X{e:03d}": {s.code: float(np.clip(np.round(rng.normal(quality, 0.12) * 2 * s.weight) / 2,
                                                          0, s.weight)) for s in qual} for e in panel}
            cities.append(CityInput(city_code=f"C{number:04d}", track=track, figures=figures, expert_scores=sheets,
                                    defence_score=float(np.clip(rng.normal(100 * quality, 8), 0, 100))))
            number += 1
    return cities


def best_of(repeat: int, func) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    return best, value


# --- The same arithmetic in bare numpy, on arrays built beforehand: the lower bound. ---------

def bare_arrays(specs, cities):
    cities = sorted(cities, key=lambda c: (c.track, c.city_code))  # the engine's canonical order
    tracks = sorted(TRACKS)
    quant = [s for s in specs if s.kind == "quantitative"]
    qual = [s for s in specs if s.kind == "qualitative"]
    figures = np.array([[np.nan if c.figures[s.code] is None else c.figures[s.code] for s in quant] for c in cities])
    experts = sorted({e for c in cities for e in c.expert_scores})
    pos = {e: i for i, e in enumerate(experts)}
    panels = [sorted(c.expert_scores) for c in cities]
    scores = np.array([[[c.expert_scores[e][s.code] for s in qual] for e in p] for c, p in zip(cities, panels, strict=True)])
    return {
        "quant_idx": np.array([i for i, s in enumerate(specs) if s.kind == "quantitative"]),
        "qual_idx": np.array([i for i, s in enumerate(specs) if s.kind == "qualitative"]),
        "weights": np.array([s.weight for s in specs]),
        "start": np.array([s.target if s.rule == "threshold" else max(s.floor, s.target) if s.rule ==
                           "reverse_linear" else s.floor for s in quant]),
        "end": np.array([s.target if s.rule != "reverse_linear" else min(s.floor, s.target) for s in quant]),
        "step": np.array([s.rule == "threshold" for s in quant]),
        "figures": figures, "scores": scores,  # scores [C, n, Q]
        "expert": np.array([[pos[e] for e in p] for p in panels]), "n_experts": len(experts),
        "defence": np.array([c.defence_score for c in cities]),
        "track": np.array([tracks.index(c.track) for c in cities]),
        "quota": np.array([TRACKS[t][1] for t in tracks]),
    }


def bare_trimmed(scores):  # [C, n, Q] → [C, Q]
    return (scores.sum(1) - scores.min(1) - scores.max(1)) / (scores.shape[1] - 2)


def bare_material(a, qual_points):
    w = a["weights"]
    span = np.where(a["step"], 1.0, a["end"] - a["start"])
    share = np.clip((a["figures"] - a["start"]) / span, 0, 1)
    share = np.nan_to_num(np.where(a["step"], a["figures"] >= a["end"], share))
    return share @ w[a["quant_idx"]] + qual_points.sum(1), share


def bare_rank(a, composite, material, qual_total):
    selected = np.zeros(len(composite), dtype=bool)
    for t, quota in enumerate(a["quota"]):
        members = np.flatnonzero(a["track"] == t)
        order = members[np.lexsort((members, -np.round(qual_total[members], 6), -np.round(material[members], 6),
                                    -np.round(composite[members], 6)))]
        selected[order[:quota]] = np.round(composite[order[:quota]], 6) >= 60
    return selected


def bare_calibrate(a, w_qual):
    shares = a["scores"] / w_qual
    idx = np.broadcast_to(a["expert"][:, :, None], shares.shape).ravel()
    count = np.bincount(idx, minlength=a["n_experts"])
    mean = np.bincount(idx, shares.ravel(), a["n_experts"]) / count
    sd = np.sqrt(np.bincount(idx, (shares.ravel() - mean[idx]) ** 2, a["n_experts"]) / count)
    e = a["expert"][:, :, None]
    return np.clip(shares.mean() + (shares - mean[e]) * (shares.std() / sd[e]), 0, 1) * w_qual


def bare_outliers(scores, w_qual):
    median = np.median(scores, axis=1, keepdims=True)
    mad = np.median(np.abs(scores - median), axis=1, keepdims=True)
    return np.abs(scores - median) > np.maximum(2 * 1.4826 * mad, 0.25 * w_qual)


def bare_draws(a, share, seed, draws):
    weight_rng, expert_rng = Generator(PCG64(seed)).spawn(2)
    w, k = a["weights"], len(a["weights"])
    weights = w.sum() * weight_rng.dirichlet(((k - 1) / 0.01 - 1) * w / w.sum(), size=draws)
    material = share @ weights[:, a["quant_idx"]].T
    scores = a["scores"]
    c, n, q = scores.shape
    picks = expert_rng.integers(0, n, size=(draws, c, n), dtype=np.int16)
    flat, base = scores.reshape(c * n, q), (np.arange(c) * n)[None, :, None]
    scale = weights[:, a["qual_idx"]] / w[a["qual_idx"]]
    step = max(1, 500_000 // (c * n * q))
    for s in range(0, draws, step):
        block = np.take(flat, base + picks[s:s + step].transpose(2, 1, 0), axis=0)
        means = (block.sum(0) - block.min(0) - block.max(0)) / (n - 2)
        material[:, s:s + step] += np.einsum("cdq,dq->cd", means, scale[s:s + step])
    composite = np.round(0.7 * material + 0.3 * a["defence"][:, None], 6)
    p = np.zeros(c)
    for t, quota in enumerate(a["quota"]):
        rows = np.flatnonzero(a["track"] == t)
        order = np.argsort(-composite[rows], axis=0, kind="stable")
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(len(rows))[:, None], axis=0)
        p[rows] = ((rank < quota) & (composite[rows] >= 60)).mean(1)
        np.quantile(rank + 1, [0.05, 0.5, 0.95], axis=1, method="inverted_cdf")
    return p


def bare_batch(a, seed, draws):
    w_qual = a["weights"][a["qual_idx"]]
    qual_points = bare_trimmed(a["scores"])
    bare_outliers(a["scores"], w_qual)
    material, share = bare_material(a, qual_points)
    composite = 0.7 * material + 0.3 * a["defence"]
    bare_rank(a, composite, material, qual_points.sum(1))
    calibrated = bare_trimmed(bare_calibrate(a, w_qual))
    material_c = material - qual_points.sum(1) + calibrated.sum(1)
    bare_rank(a, 0.7 * material_c + 0.3 * a["defence"], material_c, calibrated.sum(1))
    return bare_draws(a, share, seed, draws)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    specs, cities = make_indicators(), make_cities(make_indicators())
    params = RunParams(w_material=0.7, w_defence=0.3, pass_mark=60.0,
                       quotas={t: q for t, (_n, q) in TRACKS.items()}, seed=20240601, draws=args.draws,
                       calibrate=True)
    engine, result = best_of(args.repeat, lambda: score_batch(specs, cities, params))
    serialise, data = best_of(args.repeat, lambda: result_bytes(result))
    arrays = bare_arrays(specs, cities)
    bare, p_bare = best_of(args.repeat, lambda: bare_batch(arrays, params.seed, args.draws))
    p_engine = np.array([c.robustness.p_in_quota for c in result.cities])
    print(f"batch: {CITIES} cities x {INDICATORS} indicators ({INDICATORS // 2} expert-scored) x {EXPERTS} experts, "
          f"{args.draws} robustness draws, calibration on; best of {args.repeat}; {os.cpu_count()} CPUs")
    print(f"score_batch (validate, hash, score, rank, calibrate, robustness, results): {engine * 1000:8.1f} ms")
    print(f"result_bytes (canonical JSON, {len(data) / 1e6:.2f} MB):                           {serialise * 1000:8.1f} ms")
    print(f"bare-numpy lower bound of the same arithmetic:                           {bare * 1000:8.1f} ms")
    print(f"ratio score_batch / lower bound: {engine / bare:.2f}; "
          f"with serialisation: {(engine + serialise) / bare:.2f}")
    print(f"same arithmetic check: max |p_in_quota(engine) - p_in_quota(lower bound)| = "
          f"{np.abs(p_engine - p_bare).max():.4f}; close calls: {sum(c.robustness.close_call for c in result.cities)}")


if __name__ == "__main__":
    main()
