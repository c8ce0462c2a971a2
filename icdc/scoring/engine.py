"""``score_batch``: one scoring run over a batch's applications (SPEC §3–4).

Flow: check and canonicalise inputs → hash them → quantitative points by rule →
qualitative points by trimmed mean, outlier flags → dimension totals, material score,
composite → ranking per track with quota and pass mark → optional leniency calibration
(beside, never instead) → optional robustness draws → plain result objects.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import aggregate, ranking, robustness, rules
from .canonical import input_hash_of
from .composite import Totals, composite, indicator_matrix, totals
from .prepare import Prepared, normalise_params, prepare
from .types import (
    FLAG_BELOW_PASS_MARK,
    FLAG_CLOSE_CALL,
    FLAG_EXPERT_OUTLIER,
    FLAG_MISSING_DEFENCE,
    FLAG_MISSING_FIGURE,
    FLAG_NO_EXPERT_SCORES,
    FLAG_TIED_AT_CUTOFF,
    BatchResult,
    Calibrated,
    CityInput,
    CityResult,
    ExpertLeniency,
    ExpertOutlier,
    IndicatorSpec,
    Robustness,
    RunParams,
    TrackResult,
)


def _qual_weights(prep: Prepared) -> np.ndarray:
    return np.array([prep.specs[i].weight for i in prep.qual], dtype=float)


def _score(prep: Prepared, qual_points: np.ndarray, params: RunParams) -> tuple[Totals, np.ndarray]:
    quant_points = rules.points(prep.figures, rules.rule_arrays(tuple(prep.specs[i] for i in prep.quant)))
    points = indicator_matrix(len(prep.cities), prep.quant, prep.qual, quant_points, qual_points)
    sums = totals(prep.specs, points, prep.quant, prep.qual)
    return sums, composite(sums.material, prep.defence, params.w_material, params.w_defence)


def _rank(prep: Prepared, sums: Totals, comp: np.ndarray, params: RunParams) -> ranking.Ranking:
    track_of = np.searchsorted(np.array(prep.tracks), np.array([c.track for c in prep.cities]))
    return ranking.rank_tracks(track_of, prep.tracks, comp, sums.material, sums.qualitative,
                               params.pass_mark, params.quotas)


def _calibrated(prep: Prepared, params: RunParams):
    """Calibrated material/composite/rank per city, and the leniency table."""
    weights = _qual_weights(prep)
    shares = prep.scores / weights[None, :, None]
    stats = aggregate.leniency(shares, prep.expert_index, len(prep.expert_ids))
    calibrated = aggregate.calibrate(shares, prep.expert_index, stats) * weights[None, :, None]
    qual_points = aggregate.trimmed_mean(calibrated).mean
    sums, comp = _score(prep, qual_points, params)
    ranked = _rank(prep, sums, comp, params)
    per_city = [Calibrated(material=float(m), composite=float(c), rank=int(r))
                for m, c, r in zip(sums.material, comp, ranked.rank, strict=True)]
    table = tuple(ExpertLeniency(expert_id=e, mean=float(stats.mean[i]), sd=float(stats.sd[i]),
                                 n_scores=int(stats.count[i])) for i, e in enumerate(prep.expert_ids))
    return per_city, table, (stats.overall_mean, stats.overall_sd)


def _simulate(prep: Prepared, params: RunParams, sums: Totals, agg: aggregate.Aggregate, ranked):
    weights = np.array([s.weight for s in prep.specs], dtype=float)
    quant = np.array(prep.quant, dtype=np.int64)
    model = robustness.Model(
        weights=weights, quant=quant, qual=np.array(prep.qual, dtype=np.int64),
        quant_share=sums.points[:, quant] / weights[quant], qual_scores=prep.scores, qual_mean=agg.mean,
        panel_size=np.array([len(p) for p in prep.panels]), defence=np.nan_to_num(prep.defence, nan=0.0),
        w_material=params.w_material, w_defence=params.w_defence, pass_mark=params.pass_mark,
        tracks=prep.tracks, quotas=params.quotas, order=ranked.order, defence_scores=prep.defence_scores,
    )
    return robustness.simulate(model, seed=params.seed, draws=params.draws, cv=params.weight_cv,
                               perturb=params.perturb_weights, resample=params.resample_experts)


def _robustness(sim, ranked: ranking.Ranking, c: int, threshold: float) -> Robustness:
    p = float(sim.p_in_quota[c])
    flips = 1.0 - p if ranked.selected[c] else p
    low, median, high = (int(v) for v in sim.rank_quantiles[c])
    return Robustness(p_in_quota=p, rank_p05=low, rank_median=median, rank_p95=high, close_call=flips >= threshold)


def _expert_detail(prep: Prepared, agg: aggregate.Aggregate, outlier_mask, median, c: int):
    panel, qual_codes = prep.panels[c], [prep.specs[i].code for i in prep.qual]
    trimmed = {code: (panel[agg.low[c, q]], panel[agg.high[c, q]])
               for q, code in enumerate(qual_codes) if agg.trimmed[c, q]}
    found = np.argwhere(outlier_mask[c])
    outliers = tuple(ExpertOutlier(indicator=qual_codes[q], expert_id=panel[j], score=float(prep.scores[c, q, j]),
                                   median=float(median[c, q])) for q, j in found)
    return trimmed, outliers


def _flags(prep: Prepared, c: int, agg, outliers, ranked, robust: Robustness | None) -> tuple[str, ...]:
    checks = (
        (FLAG_MISSING_FIGURE, bool(np.isnan(prep.figures[c]).any())),
        (FLAG_NO_EXPERT_SCORES, bool(len(prep.qual) and (agg.count[c] == 0).any())),
        (FLAG_EXPERT_OUTLIER, bool(outliers)),
        (FLAG_MISSING_DEFENCE, bool(np.isnan(prep.defence[c]))),
        (FLAG_BELOW_PASS_MARK, not ranked.eligible[c]),
        (FLAG_TIED_AT_CUTOFF, bool(ranked.tied_at_cutoff[c])),
        (FLAG_CLOSE_CALL, bool(robust and robust.close_call)),
    )
    return tuple(flag for flag, raised in checks if raised)


def _defence_trimmed(prep: Prepared) -> list[tuple[str, str] | None]:
    """Per city, the (lowest, highest) defence expert the trimmed mean dropped, or None."""
    agg = aggregate.trimmed_mean(prep.defence_scores)
    return [(panel[agg.low[c]], panel[agg.high[c]]) if panel and agg.trimmed[c] else None
            for c, panel in enumerate(prep.defence_panels)]


def _city_result(prep, c, sums, comp, agg, outlier_info, ranked, calibrated, sim, params,
                 defence_trimmed) -> CityResult:
    city, codes = prep.cities[c], [s.code for s in prep.specs]
    trimmed, outliers = _expert_detail(prep, agg, *outlier_info, c)
    robust = _robustness(sim, ranked, c, params.close_call_threshold) if sim is not None else None
    return CityResult(
        city_code=city.city_code, track=city.track, composite=float(comp[c]), material=float(sums.material[c]),
        defence=float(np.nan_to_num(prep.defence[c], nan=0.0)),
        quantitative_total=float(sums.quantitative[c]), qualitative_total=float(sums.qualitative[c]),
        dimension_points={d: float(v) for d, v in zip(sums.dimensions, sums.dimension_points[c], strict=True)},
        indicator_points={k: float(v) for k, v in zip(codes, sums.points[c], strict=True)},
        trimmed=trimmed, outliers=outliers, flags=_flags(prep, c, agg, outliers, ranked, robust),
        rank=int(ranked.rank[c]), eligible=bool(ranked.eligible[c]), selected=bool(ranked.selected[c]),
        calibrated=calibrated[c] if calibrated else None, robustness=robust,
        defence_trimmed=defence_trimmed[c],
    )


def _tracks(prep: Prepared, ranked: ranking.Ranking, params: RunParams) -> tuple[TrackResult, ...]:
    out = []
    for track in prep.tracks:
        ordered = ranked.order[track]
        out.append(TrackResult(
            track=track, quota=int(params.quotas[track]),
            ranking=tuple(prep.cities[i].city_code for i in ordered),
            selected=tuple(prep.cities[i].city_code for i in ordered if ranked.selected[i]),
        ))
    return tuple(out)


def score_batch(indicators: Sequence[IndicatorSpec], cities: Sequence[CityInput], params: RunParams) -> BatchResult:
    """Score, rank and (optionally) stress-test one batch; see the package docstring."""
    prep = prepare(indicators, cities)
    params = normalise_params(params, prep.tracks)
    digest = input_hash_of(prep.specs, prep.cities, params.hash_algorithm)
    agg = aggregate.trimmed_mean(prep.scores)
    outlier_info = aggregate.outliers(prep.scores, _qual_weights(prep))
    sums, comp = _score(prep, agg.mean, params)
    ranked = _rank(prep, sums, comp, params)
    calibrated, leniency, baseline = _calibrated(prep, params) if params.calibrate else (None, (), None)
    sim = _simulate(prep, params, sums, agg, ranked) if params.draws > 0 and prep.cities else None
    defence_trimmed = _defence_trimmed(prep)
    results = tuple(_city_result(prep, c, sums, comp, agg, outlier_info, ranked, calibrated, sim, params,
                                 defence_trimmed) for c in range(len(prep.cities)))
    return BatchResult(input_hash=digest, params=params, indicators=prep.specs, cities=results,
                       tracks=_tracks(prep, ranked, params), leniency=leniency,
                       leniency_baseline=baseline, inputs=prep.cities)
