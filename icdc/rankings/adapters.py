"""Models → scoring-engine inputs (house style rule 5: the engine stays pure).

Indicators come from the version (``icdc.indicators.adapters.engine_indicators``); figures
from the official statistics (``StatisticFigure``, Art. 11) of the run's year; expert score
sheets and defence scores are passed in as plain data — the review app will provide them
from its models. Every refusal here is a ``RunInputError`` with a Chinese message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from icdc.divisions.models import Division
from icdc.indicators.adapters import engine_indicators
from icdc.indicators.models import IndicatorSystem, StatisticFigure
from icdc.programmes.selectors import current_programme
from icdc.scoring import CityInput, IndicatorSpec

QUANTITATIVE = "quantitative"
#: Provenance of a figure that came with the application rather than from official statistics.
SOURCE_APPLICATION = "application"


class RunInputError(ValueError):
    """Input a run cannot be built from; ``message`` is for the user, nothing was stored."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass
class Inputs:
    """A run's inputs: parts (tracks sharing an indicator list) and what the page needs to show."""

    parts: list[tuple[tuple[str, ...], list[IndicatorSpec], list[CityInput]]]
    track_names: dict[str, str]
    figure_sources: dict[str, dict[str, dict]] = field(default_factory=dict)


def spec_of(row: dict) -> IndicatorSpec:
    """One ``engine_indicators`` dict as an engine spec."""
    return IndicatorSpec(code=row["code"], dimension=row["dimension_code"], kind=row["kind"], weight=row["weight"],
                         rule=row["rule"], floor=row["floor"], target=row["target"], name=row["name"],
                         dimension_name=row["dimension_name"], unit=row["unit"] or "")


def _type_of(system_code: str, programme):
    kind = (programme or current_programme()).type_for_indicator_system(system_code)
    if kind is None:
        raise RunInputError(_("指标体系 %(code)s 不对应申报项目中的任何申报类型") % {"code": system_code})
    return kind


def allowed_tracks(version, system_code: str, programme=None) -> dict[str, str]:
    """Track code → name, from the programme definition (default: the one in force): a type
    without domains is one track (综合型), a type with domains one per 特色领域 that the indicator
    version also has (Art. 3, 7). Nothing here names a type or a domain."""
    if not IndicatorSystem.objects.filter(version=version, code=system_code).exists():
        raise RunInputError(_("指标体系版本 %(version)s 中没有指标体系 %(code)s")
                            % {"version": version.label, "code": system_code})
    programme = programme or current_programme()
    tracks = programme.tracks_for(_type_of(system_code, programme).code)
    if any(t.domain_code for t in tracks):
        present = set(version.domains.values_list("code", flat=True))
        tracks = [t for t in tracks if t.domain_code in present]
    return {t.code: t.label for t in tracks}


def track_indicators(version, system_code: str, track: str, programme=None) -> list[IndicatorSpec]:
    """The indicators a track is scored on: a domain track = common part + that domain's part."""
    domain = track if _type_of(system_code, programme).chooses_domains else None
    return [spec_of(row) for row in engine_indicators(version, system_code, domain)]


def _check_application(app, tracks: dict[str, str], seen: set[str]) -> str:
    code = str(app.get("city_code") or "")
    if not code:
        raise RunInputError(_("每条申报须注明城市代码"))
    if code in seen:
        raise RunInputError(_("城市 %(code)s 重复出现；一个城市在一次运行中只能有一条申报") % {"code": code})
    seen.add(code)
    wanted = list(app.get("tracks") or [])
    if not wanted:
        raise RunInputError(_("城市 %(code)s 未注明申报类别") % {"code": code})
    for track in wanted:
        if track not in tracks:
            raise RunInputError(_("城市 %(code)s 的申报类别 %(track)s 不属于本指标体系（可选：%(allowed)s）")
                                % {"code": code, "track": track, "allowed": "、".join(tracks)})
    for key, label in (("expert_scores", _("专家评分")), ("defence_scores", _("答辩得分"))):
        extra = sorted(set(app.get(key) or {}) - set(wanted))
        if extra:
            raise RunInputError(_("城市 %(code)s 的%(what)s含有未申报的类别：%(tracks)s")
                                % {"code": code, "what": label, "tracks": "、".join(extra)})
    return code


def _cities(applications, tracks) -> dict[str, Division]:
    if not applications:
        raise RunInputError(_("没有可计分的申报"))
    seen: set[str] = set()
    codes = [_check_application(app, tracks, seen) for app in applications]
    found = Division.objects.in_bulk(codes)
    for code in codes:
        if code not in found or not found[code].can_apply:
            raise RunInputError(_("城市代码 %(code)s 不存在或不是可申报的城市") % {"code": code})
    return found


def _groups(version, system_code, wanted_tracks, programme) -> list[tuple[tuple[str, ...], list[IndicatorSpec]]]:
    """Tracks grouped by identical indicator lists, in track order."""
    groups: dict[tuple, list[str]] = {}
    for track in wanted_tracks:
        specs = tuple(track_indicators(version, system_code, track, programme))
        if not specs:
            raise RunInputError(_("类别 %(track)s 没有评价指标") % {"track": track})
        groups.setdefault(specs, []).append(track)
    return [(tuple(tracks), list(specs)) for specs, tracks in groups.items()]


def _official_figures(cities, year, codes) -> dict[str, dict[str, StatisticFigure]]:
    out: dict[str, dict[str, StatisticFigure]] = {}
    rows = StatisticFigure.objects.filter(city_id__in=list(cities), year=year, indicator_code__in=codes)
    for row in rows.only("city_id", "indicator_code", "value", "unit", "source", "source_note"):
        out.setdefault(row.city_id, {})[row.indicator_code] = row
    return out


def _figures(app, quant_specs, official, sources) -> dict[str, float | None]:
    """Official figure first; else the one the application reports; else missing (None).

    An official figure in another unit than the indicator's is refused, never rescaled: the
    version may have changed the unit since the figure was imported."""
    supplied = app.get("figures") or {}
    figures = {}
    for spec in quant_specs:
        code = spec.code
        if code in official:
            row = official[code]
            if spec.unit and row.unit and row.unit != spec.unit:
                raise RunInputError(_("城市 %(city)s 指标 %(code)s 的统计数据单位为“%(unit)s”，与指标体系要求的"
                                      "“%(expected)s”不符") % {"city": app["city_code"], "code": code,
                                                              "unit": row.unit, "expected": spec.unit})
            figures[code] = float(row.value)
            sources[code] = {"source": row.source, "note": row.source_note, "unit": row.unit}
        elif supplied.get(code) is not None:
            figures[code] = supplied[code]
            sources[code] = {"source": SOURCE_APPLICATION, "note": "", "unit": spec.unit}
        else:
            figures[code] = None
    return figures


def _check_supplied(app, all_quant: set[str]) -> None:
    unknown = sorted(set(app.get("figures") or {}) - all_quant)
    if unknown:
        raise RunInputError(_("城市 %(code)s 填报的指标 %(codes)s 不是本指标体系的定量指标")
                            % {"code": app["city_code"], "codes": "、".join(unknown)})


def _members(applications, part_tracks, specs, cities, official, sources) -> list[CityInput]:
    """One CityInput per (city, track) of this part: a city in two domains is two entries."""
    quant = [s for s in specs if s.kind == QUANTITATIVE]
    members = []
    for app in applications:
        code = str(app["city_code"])
        for track in (t for t in app["tracks"] if t in part_tracks):
            members.append(CityInput(
                city_code=code, track=track, name=cities[code].name,
                figures=_figures(app, quant, official.get(code, {}), sources.setdefault(code, {})),
                expert_scores=(app.get("expert_scores") or {}).get(track, {}), **_defence(app, track)))
    return members


def _defence(app, track) -> dict:
    """The track's defence: per-expert scores ({expert: score}; {} for a city that did not appear)
    or one aggregated score (a number; None when missing)."""
    value = (app.get("defence_scores") or {}).get(track)
    if isinstance(value, Mapping):
        return {"defence_scores": dict(value)}
    return {"defence_score": value}


def build_inputs(*, version, system_code: str, year: int, applications, programme=None) -> Inputs:
    """Engine inputs for ``applications`` (see ``services.create_run`` for their shape); track
    codes and names come from ``programme`` (default: the one in force, ``current_programme``)."""
    programme = programme or current_programme()
    tracks = allowed_tracks(version, system_code, programme)
    cities = _cities(applications, tracks)
    wanted = [t for t in tracks if any(t in app["tracks"] for app in applications)]
    groups = _groups(version, system_code, wanted, programme)
    quant = {s.code for _tracks, specs in groups for s in specs if s.kind == QUANTITATIVE}
    for app in applications:
        _check_supplied(app, quant)
    official = _official_figures(cities, year, sorted(quant))
    sources: dict[str, dict[str, dict]] = {}
    parts = [(part_tracks, specs, _members(applications, part_tracks, specs, cities, official, sources))
             for part_tracks, specs in groups]
    return Inputs(parts=parts, track_names={t: tracks[t] for t in wanted}, figure_sources=sources)
