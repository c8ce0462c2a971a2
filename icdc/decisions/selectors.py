"""Reading scoring runs for pages and exports (house style: selectors read, services write)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icdc.indicators.models import StatisticFigure
from icdc.scoring import explain, score_batch

from . import snapshot, texts
from .adapters import SOURCE_APPLICATION
from .models import ScoringRun

#: Short labels of the engine's flag codes for tables (the explanation shows the long ones).
FLAG_SHORT = {
    "missing_figure": gettext_lazy("缺统计数据"),
    "no_expert_scores": gettext_lazy("无专家评分"),
    "expert_outlier": gettext_lazy("专家评分离群"),
    "missing_defence": gettext_lazy("缺答辩得分"),
    "below_pass_mark": gettext_lazy("未达合格线"),
    "tied_at_cutoff": gettext_lazy("名额线同分"),
    "close_call": gettext_lazy("临界"),
}


def runs():
    """Runs for the list page, newest first, without their (large) snapshot and result."""
    return (ScoringRun.objects.defer("snapshot", "result_text").select_related("version", "created_by")
            .annotate(n_cities=Count("city_results"),
                      n_selected=Count("city_results", filter=Q(city_results__selected=True))))


def run_for_page(pk):
    return ScoringRun.objects.select_related("version", "created_by").get(pk=pk)


def flag_labels(codes) -> list[str]:
    return [str(FLAG_SHORT.get(code, code)) for code in codes]


def part_of(run, track) -> int:
    """Index of the part that holds ``track``; KeyError when the run has no such track."""
    for index, part in enumerate(run.parts):
        if track in part["tracks"]:
            return index
    raise KeyError(track)


def track_header(run, track) -> dict:
    """What a track's ranking is about: name, quota, pass mark, weights, hash of its inputs."""
    part = run.parts[part_of(run, track)]
    params = run.params
    return {"track": track, "name": run.snapshot["track_names"].get(track, track),
            "quota": params["quotas"][track], "pass_mark": params["pass_mark"],
            "w_material": params["w_material"], "w_defence": params["w_defence"],
            "draws": params["draws"], "calibrated": params["calibrate"],
            "part_input_hash": part["input_hash"], "shared_tracks": part["tracks"]}


def ranking_rows(run, track) -> list:
    """The track's cities, rank 1 first, each with ``flag_items`` [(code, label)] for the table."""
    rows = list(run.city_results.filter(track=track).select_related("city").order_by("rank"))
    for row in rows:
        row.flag_labels = flag_labels(row.flags)
        row.flag_items = list(zip(row.flags, row.flag_labels, strict=True))
    return rows


def tracks(run) -> list[tuple[str, str]]:
    names = run.snapshot["track_names"]
    return [(track, names.get(track, track)) for track in run.tracks]


def _result(run, index):
    """The part's stored result as engine objects, or — if this engine cannot read that format
    back — a recomputation (flagged so the page says so)."""
    part, document = run.parts[index], run.part_results()[index]
    try:
        return snapshot.stored_result(document, part), False
    except snapshot.UnreadableResult:
        part_tracks, specs, cities = snapshot.parts_from_snapshot(run.snapshot)[index]
        params = snapshot.part_params(snapshot.run_params(run.params), part_tracks)
        return score_batch(specs, cities, params), True


def source_label(source: dict | None) -> str:
    if not source:
        return ""
    if source["source"] == SOURCE_APPLICATION:
        return _("申报材料填报")
    label = str(dict(StatisticFigure.Source.choices).get(source["source"], source["source"]))
    return f"{label}（{source['note']}）" if source.get("note") else label


def explanation(run, track, city_code) -> dict:
    """A city's explanation tree (``icdc.scoring.explain``) with names and figure sources.

    KeyError when the city is not in that track of the run.
    """
    index = part_of(run, track)
    result, recomputed = _result(run, index)
    tree = texts.translate_explanation(explain(result, city_code, track).to_dict())
    sources = run.snapshot["figure_sources"].get(city_code, {})
    for dimension in tree["dimensions"]:
        for node in dimension["indicators"]:
            node["source"] = source_label(sources.get(node["code"]))
    city = next(c for c in run.parts[index]["cities"] if c["city_code"] == city_code and c["track"] == track)
    tree.update(city_name=city["name"], track_name=run.snapshot["track_names"].get(track, track),
                recomputed=recomputed, flag_labels=flag_labels(tree["flags"]), year=run.year)
    return tree


def last_check(run):
    """The run's latest re-check with ``summary``, its result in the reader's language."""
    check = run.checks.select_related("checked_by").first()
    if check is not None:
        check.summary = texts.check_summary(check)
    return check
