"""Per-expert leniency calibration: shown beside the raw result, never replacing it."""

from dataclasses import replace

import pytest

from icdc.scoring import CityInput, result_bytes, score_batch
from tests.scoring.builders import draft_system, params, random_batch, small_system

QUALITIES = [0.3, 0.45, 0.6, 0.75, 0.9]


def sheet(share):
    return {"B1": round(30 * share, 10), "B2": round(20 * share, 10)}


def lenient_batch():
    """Pairs of equally good cities; the first of each pair drew a lenient expert (+10 %)."""
    cities = []
    for k, q in enumerate(QUALITIES):
        panels = ({"LENIENT": sheet(q + 0.1), "N1": sheet(q), "N2": sheet(q)},
                  {"N1": sheet(q), "N2": sheet(q), "N3": sheet(q)})
        for suffix, panel in zip("ab", panels, strict=True):
            cities.append(CityInput(city_code=f"{k}{suffix}", track="COMP", figures={"A1": 50, "A2": 60},
                                    expert_scores=panel, defence_score=80))
    return cities


def test_calibration_removes_a_lenient_experts_shift_beside_the_raw_result():
    result = score_batch(small_system(), lenient_batch(), params(quotas={"COMP": 3}, calibrate=True))
    for k in range(len(QUALITIES)):
        lucky, plain = result.city(f"{k}a"), result.city(f"{k}b")
        assert lucky.material > plain.material  # raw: the lenient expert helped
        assert lucky.calibrated.material == pytest.approx(plain.calibrated.material, abs=1e-9)
    leniency = {e.expert_id: e for e in result.leniency}
    assert leniency["LENIENT"].mean == pytest.approx(leniency["N3"].mean + 0.1)


def test_calibrating_never_changes_the_official_result():
    specs = draft_system()
    cities = random_batch(specs, 20, seed=13)
    raw = score_batch(specs, cities, params(quotas={"COMP": 4}, draws=50))
    calibrated = score_batch(specs, cities, params(quotas={"COMP": 4}, draws=50, calibrate=True))
    stripped = replace(calibrated, cities=tuple(replace(c, calibrated=None) for c in calibrated.cities), leniency=(),
                       leniency_baseline=None, params=raw.params)
    assert result_bytes(stripped) == result_bytes(raw)
    assert all(c.calibrated is not None and c.calibrated.rank >= 1 for c in calibrated.cities)
