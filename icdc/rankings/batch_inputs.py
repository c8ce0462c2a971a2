"""A batch's scoring run from its review data (issue 14 item 8): no hand-built score sheets.

The applications are those of the batch's current panels (``review.panels.current_draws``: each
panel's ``application_ids``, ranked in the panel's group, which is a scoring track). For each:

* figures — the official ``StatisticFigure`` of the run's statistics year (the adapter reads them),
  else the figure the application declared in its frozen revision (section ``figures``, one per
  quantitative indicator code, ``applications.form``) for that same year, else missing;
* expert sheets — the submitted sheets (``review.scores.submitted_scores``);
* defence — each panel member's defence score (``review.defence.defence_scores``); a city that did
  not appear is an empty panel, a defence not yet held is missing;
* parameters — the batch's: quota per track, pass mark, material and defence weights, its locked
  indicator version (SPEC §4 "Batch", "Ranking and decision").

The statistics year, unless given, is the latest year before the batch's with official figures
for its cities, else the year most applications declared their figures for. Every query here is
one per kind of row (panels, applications, revisions, sheets, defence, statistics, indicators per
track), so the cost does not grow with the number of experts or applications. Refusals are
``RunInputError`` with a Chinese message; nothing is written.
"""

from __future__ import annotations

import math
import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext as _

from icdc.applications.form import FIGURES
from icdc.applications.models import Application, ApplicationRevision
from icdc.applications.workflow import WITHDRAWN
from icdc.indicators.models import StatisticFigure
from icdc.review.defence import defence_scores
from icdc.review.panels import current_draws
from icdc.review.scores import submitted_scores
from icdc.scoring import RunParams

from .adapters import QUANTITATIVE, RunInputError, allowed_tracks, track_indicators

#: Draws of the robustness analysis in a batch's run (the demo's number; ~1 s at 300 cities).
DRAWS = 1000
#: Application states that leave the ranking even though the application sat on a panel.
LEFT_THE_RANKING = (WITHDRAWN,)
#: Defence states of one application in one track, for the page.
DEFENCE_SCORED, DEFENCE_NO_SHOW, DEFENCE_PENDING = "scored", "no_show", "pending"


@dataclass
class Row:
    """What one application brings to the run in one track (the page lists these)."""

    application_id: int
    number: str
    city_code: str
    city_name: str
    track: str
    track_label: str
    panel_size: int
    sheets: int
    defence: str
    defence_count: int
    missing_figures: list[str] = field(default_factory=list)
    declared_figures: list[str] = field(default_factory=list)


@dataclass
class BatchInputs:
    """A batch's run, ready for ``services.create_run_for_batch``, and what the page shows of it."""

    batch: object
    version: object
    system_code: str
    system_label: str
    year: int
    applications: list[dict]
    params: RunParams
    rows: list[Row]
    label: str

    @property
    def n_applications(self) -> int:
        return len(self.applications)

    @property
    def n_sheets(self) -> int:
        return sum(r.sheets for r in self.rows)

    @property
    def n_defence_scores(self) -> int:
        return sum(r.defence_count for r in self.rows)

    @property
    def n_no_shows(self) -> int:
        return sum(r.defence == DEFENCE_NO_SHOW for r in self.rows)

    @property
    def n_missing_figures(self) -> int:
        return sum(len(r.missing_figures) for r in self.rows)


def systems(batch) -> list[tuple[str, str]]:
    """(indicator system code, type label) of the batch's types that have a current panel, in the
    programme's order: what a run of this batch can score."""
    programme = batch.programme()
    groups = set(current_draws(batch).values_list("group", flat=True))
    out = []
    for kind in programme.types:
        if kind.indicator_system and any(t.code in groups for t in programme.tracks_for(kind.code)):
            out.append((kind.indicator_system, str(kind.label)))
    return out


def _system(batch, system_code) -> tuple[str, str]:
    available = systems(batch)
    if not available:
        raise RunInputError(_("该批次尚未抽取评审专家组，无法生成评分运行"))
    if system_code in (None, ""):
        if len(available) > 1:
            raise RunInputError(_("该批次有多种申报类型，请选择要计分的类型"))
        return available[0]
    for code, label in available:
        if code == system_code:
            return code, label
    raise RunInputError(_("该批次的这一申报类型还没有评审专家组"))


def _declared(figures_section, codes) -> dict[str, tuple[float, str]]:
    """{code: (value, year)} of the figures a revision declares, for ``codes`` only."""
    out = {}
    if not isinstance(figures_section, dict):
        return out
    for code in codes:
        entry = figures_section.get(code)
        if not isinstance(entry, dict):
            continue
        try:
            value = float(str(entry.get("value", "")).strip())
        except ValueError:
            continue
        if math.isfinite(value):
            out[code] = (value, str(entry.get("year") or "").strip())
    return out


def _year(batch, year, cities, quant_codes, declared) -> int:
    if year not in (None, ""):
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise RunInputError(_("统计数据年份须为四位年份")) from None
        if not 1949 <= year <= 2100:
            raise RunInputError(_("统计数据年份须为四位年份"))
        if quant_codes and not (_official_years(cities, quant_codes, year=year)
                                or any(y == str(year) for figures in declared.values() for _v, y in figures.values())):
            raise RunInputError(_("%(year)s 年既没有这些城市的统计数据，也没有申报填报的数据，请检查统计数据年份")
                                % {"year": year})
        return year
    if not quant_codes:
        return batch.year - 1
    official = _official_years(cities, quant_codes, before=batch.year)
    if official:
        return max(official)
    counts = Counter(int(y) for figures in declared.values() for _v, y in figures.values() if y.isdigit())
    if counts:
        return max(counts, key=lambda y: (counts[y], y))
    raise RunInputError(_("无法确定统计数据年份：这些城市没有统计数据，申报材料也未填报定量指标数据"))


def _official_years(cities, codes, *, year=None, before=None) -> list[int]:
    rows = StatisticFigure.objects.filter(city_id__in=cities, indicator_code__in=codes)
    if year is not None:
        rows = rows.filter(year=year)
    if before is not None:
        rows = rows.filter(year__lt=before)
    return list(rows.values_list("year", flat=True).distinct().order_by())


def _params(batch, tracks, seed) -> RunParams:
    quotas = {}
    for track, label in tracks.items():
        quota = (batch.quotas or {}).get(track)
        if quota in (None, ""):
            raise RunInputError(_("批次未设置“%(track)s”的名额") % {"track": label})
        quotas[track] = int(quota)
    if seed in (None, ""):
        seed = secrets.randbelow(2**31)
    try:
        seed = int(seed)
    except (TypeError, ValueError):
        raise RunInputError(_("随机种子须为非负整数")) from None
    if seed < 0:
        raise RunInputError(_("随机种子须为非负整数"))
    return RunParams(w_material=float(batch.material_weight), w_defence=float(batch.defence_weight),
                     pass_mark=float(batch.pass_mark), quotas=quotas, seed=seed, draws=DRAWS, calibrate=True)


def _panel_tracks(batch, tracks) -> dict[int, dict[str, int]]:
    """application id → {track: panel size} over the batch's current panels of ``tracks``."""
    out: dict[int, dict[str, int]] = {}
    for group, application_ids, members in current_draws(batch).filter(group__in=list(tracks)) \
            .values_list("group", "application_ids", "members").order_by("group"):
        for application_id in application_ids:
            out.setdefault(int(application_id), {})[group] = len(members)
    return out


def collect(*, batch, system_code=None, year=None, seed=None, label=None) -> BatchInputs:
    """The run of ``batch`` for ``system_code`` (default: its only type with panels), read from the
    review data (see the module docstring). Raises ``RunInputError``; writes nothing."""
    version = batch.indicator_version
    if version is None:
        raise RunInputError(_("该批次未锁定评价指标体系版本，无法生成评分运行"))
    system_code, system_label = _system(batch, system_code)
    programme = batch.programme()
    tracks = allowed_tracks(version, system_code, programme)
    on_panels = _panel_tracks(batch, tracks)
    if not on_panels:
        raise RunInputError(_("该批次的评审专家组中没有申报"))
    applications = list(Application.objects.filter(pk__in=list(on_panels)).exclude(status__in=LEFT_THE_RANKING)
                        .select_related("city").order_by("city_id", "pk"))
    quant = {t: [s.code for s in track_indicators(version, system_code, t, programme) if s.kind == QUANTITATIVE]
             for t in sorted({t for tracks_of in on_panels.values() for t in tracks_of})}
    all_quant = sorted({c for codes in quant.values() for c in codes})
    revisions = dict(ApplicationRevision.objects.filter(application_id__in=[a.pk for a in applications],
                                                        number=F("application__revision_number"))
                     .values_list("application_id", f"content__sections__{FIGURES}").order_by())
    declared = {a.pk: _declared(revisions.get(a.pk), all_quant) for a in applications}
    cities = [a.city_id for a in applications]
    year = _year(batch, year, cities, all_quant, declared)
    sheets, defences = submitted_scores(batch), defence_scores(batch)
    if not any(sheets.get(a.pk, {}).get(t) for a in applications for t in on_panels[a.pk]):
        raise RunInputError(_("尚无专家提交评分表，无法生成评分运行"))
    official = _official(cities, all_quant, year)
    run_tracks = {t: tracks[t] for t in tracks if t in quant}
    params = _params(batch, run_tracks, seed)
    apps, rows = [], []
    for application in applications:
        figures = {code: value for code, (value, y) in declared[application.pk].items() if y in ("", str(year))}
        app_tracks = sorted(on_panels[application.pk])
        apps.append({
            "city_code": application.city_id, "tracks": app_tracks, "figures": figures,
            "expert_scores": {t: sheets.get(application.pk, {}).get(t, {}) for t in app_tracks},
            "defence_scores": {t: defences[application.pk][t] for t in app_tracks
                               if t in defences.get(application.pk, {})},
        })
        for track in app_tracks:
            rows.append(_row(application, track, tracks[track], on_panels, sheets, defences,
                             quant[track], official.get(application.city_id, set()), figures))
    label = (label or "").strip() or _("%(batch)s · %(type)s · %(year)s 年统计数据") % {
        "batch": batch.title, "type": system_label, "year": year}
    return BatchInputs(batch=batch, version=version, system_code=system_code, system_label=system_label, year=year,
                       applications=apps, params=params, rows=rows, label=label)


def _official(cities, codes, year) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for city, code in StatisticFigure.objects.filter(city_id__in=cities, indicator_code__in=codes, year=year) \
            .values_list("city_id", "indicator_code").order_by():
        out.setdefault(city, set()).add(code)
    return out


def _row(application, track, track_label, on_panels, sheets, defences, quant_codes, official, figures) -> Row:
    panel = defences.get(application.pk, {}).get(track)
    defence = DEFENCE_PENDING if panel is None else DEFENCE_SCORED if panel else DEFENCE_NO_SHOW
    return Row(
        application_id=application.pk, number=application.number, city_code=application.city_id,
        city_name=application.city.name, track=track, track_label=str(track_label),
        panel_size=on_panels[application.pk][track], sheets=len(sheets.get(application.pk, {}).get(track, {})),
        defence=defence, defence_count=len(panel or {}),
        missing_figures=[c for c in quant_codes if c not in official and c not in figures],
        declared_figures=[c for c in quant_codes if c not in official and c in figures],
    )
