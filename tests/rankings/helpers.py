"""Building applications, statistics and runs for the decisions tests."""

import io

import openpyxl
from django.utils import timezone

from icdc.rankings.adapters import track_indicators
from icdc.scoring import RunParams

YEAR = 2022
#: Hidden strength of each city; 宁波 and 济南 are close at the cut-off of a quota of 2.
QUALITY = {"370200": 0.90, "330200": 0.700, "370100": 0.699, "320200": 0.50, "320100": 0.30}
EXPERTS = ["E1", "E2", "E3", "E4", "E5"]
#: Each expert's lean, as a share of the indicator's weight.
LEAN = {"E1": -0.10, "E2": -0.04, "E3": 0.0, "E4": 0.04, "E5": 0.12}
MISSING = ("320100", "D1.1")
#: One expert far from the rest of the panel: 无锡, E5, D6.3 (weight 5).
OUTLIER = ("320200", "E5", "D6.3")


def figure_value(spec, quality):
    if spec.rule == "threshold":
        return round(spec.target - 5 + 10 * quality, 2)
    return round(spec.floor + (spec.target - spec.floor) * quality, 2)


def make_figures(version, user):
    from icdc.indicators.models import StatisticFigure

    rows = []
    for spec in track_indicators(version, "COMP", "COMP"):
        if spec.kind != "quantitative":
            continue
        for code, quality in QUALITY.items():
            if (code, spec.code) != MISSING:
                rows.append(StatisticFigure(city_id=code, year=YEAR, indicator_code=spec.code,
                                            value=figure_value(spec, quality), unit=spec.unit, source="nbs",
                                            entered_by=user, entered_at=timezone.now()))
    return StatisticFigure.objects.bulk_create(rows)


def sheets(specs, quality, city_code=""):
    qual = [s for s in specs if s.kind == "qualitative"]
    out = {e: {s.code: min(s.weight, max(0.0, round((quality + LEAN[e]) * s.weight, 1))) for s in qual}
           for e in EXPERTS}
    city, expert, code = OUTLIER
    if city_code == city and code in out[expert]:
        out[expert][code] = next(s.weight for s in qual if s.code == code)
    return out


def applications(version, system="COMP", tracks_of=None):
    tracks_of = tracks_of or {code: ["COMP"] for code in QUALITY}
    out = []
    for code, tracks in tracks_of.items():
        quality = QUALITY[code]
        out.append({
            "city_code": code, "tracks": tracks,
            "expert_scores": {t: sheets(track_indicators(version, system, t), quality, code) for t in tracks},
            "defence_scores": {t: round(60 + 30 * quality, 1) for t in tracks},
        })
    return out


def params(**overrides):
    values = {"w_material": 0.7, "w_defence": 0.3, "pass_mark": 60.0, "quotas": {"COMP": 2}, "seed": 7,
              "draws": 300, "calibrate": True}
    values.update(overrides)
    return RunParams(**values)


def create_comp_run(user, version, **overrides):
    from icdc.rankings.services import create_run

    return create_run(user=user, version=version, system_code="COMP", year=YEAR, label="2022 年度综合型评分",
                      applications=applications(version), params=params(**overrides))


def workbook(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def audit_actions(prefix="rankings.scoring_run."):
    from icdc.audit.models import AuditRecord

    return list(AuditRecord.objects.filter(action__startswith=prefix).order_by("seq").values_list("action", flat=True))


def big_run(version, user, n, label=None):
    """A 综合型 run of ``n`` made-up cities (codes 410100, 410200, … over several provinces)."""
    from icdc.rankings.services import create_run
    from tests.factories import division

    apps, specs = [], track_indicators(version, "COMP", "COMP")
    for k in range(n):
        code = f"{41 + k // 90}{k % 90 + 1:02d}00"
        division(code, f"测试市{k}", province_name=f"测试省{41 + k // 90}")
        quality = 0.3 + 0.6 * k / n
        apps.append({"city_code": code, "tracks": ["COMP"],
                     "figures": {"D1.1": 200 + 1800 * quality},
                     "expert_scores": {"COMP": sheets(specs, quality)},
                     "defence_scores": {"COMP": 60 + 30 * quality}})
    return create_run(user=user, version=version, system_code="COMP", year=YEAR, label=label or f"{n} 城",
                      applications=apps, params=params(quotas={"COMP": 5}, draws=50))
