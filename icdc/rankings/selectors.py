"""Reading scoring runs for pages and exports (house style: selectors read, services write)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icdc.indicators.models import StatisticFigure
from icdc.programmes.selectors import current_programme
from icdc.scoring import explain, score_batch

from . import snapshot, texts
from .adapters import SOURCE_APPLICATION
from .models import ScoringRun, ScoringRunCity

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
    """Runs for the list page, newest first, without their (large) snapshot and result; each with
    ``system_label``, the label of the application type its indicator system scores (综合型…),
    from the programme definition in force."""
    labels = [When(system_code=t.indicator_system, then=Value(t.label))
              for t in current_programme().types if t.indicator_system]
    return (ScoringRun.objects.defer("snapshot", "result_text", "outline").select_related("version", "created_by")
            .annotate(n_cities=Count("city_results"),
                      n_selected=Count("city_results", filter=Q(city_results__selected=True)),
                      system_label=Case(*labels, default=F("system_code"), output_field=CharField())))


#: Rows per ranking page: the page costs the same at 40 cities or 300 (the export has them all).
RANKING_PAGE_SIZE = 50


def run_for_page(pk):
    """A run with what its pages show, without the (large) snapshot and result text."""
    return ScoringRun.objects.select_related("version", "created_by").defer("snapshot", "result_text").get(pk=pk)


def flag_labels(codes) -> list[str]:
    return [str(FLAG_SHORT.get(code, code)) for code in codes]


def part_of(run, track) -> int:
    """Index of the part that holds ``track``; KeyError when the run has no such track."""
    return run.part_index(track)


def track_header(run, track) -> dict:
    """What a track's ranking is about: name, quota, pass mark, weights, hash of its inputs."""
    part = run.outline["parts"][part_of(run, track)]
    params = run.params
    return {"track": track, "name": run.track_names.get(track, track),
            "quota": params["quotas"][track], "pass_mark": params["pass_mark"],
            "w_material": params["w_material"], "w_defence": params["w_defence"],
            "draws": params["draws"], "calibrated": params["calibrate"],
            "part_input_hash": part["input_hash"], "shared_tracks": part["tracks"]}


def _with_flags(rows):
    for row in rows:
        row.flag_labels = flag_labels(row.flags)
        row.flag_items = list(zip(row.flags, row.flag_labels, strict=True))
    return rows


def _track_rows(run, track):
    # ``detail`` (each city's slice of the result) is for the explanation page only.
    return run.city_results.filter(track=track).select_related("city").defer("detail").order_by("rank")


def ranking_rows(run, track) -> list:
    """The track's cities, rank 1 first, each with ``flag_items`` [(code, label)] for the table."""
    return _with_flags(list(_track_rows(run, track)))


def ranking_page(run, track, number):
    """One page of the track's ranking (``RANKING_PAGE_SIZE`` rows); a bad page number gives the
    nearest page. Rows carry ``flag_items`` as in ``ranking_rows``."""
    page = Paginator(_track_rows(run, track), RANKING_PAGE_SIZE).get_page(number)
    _with_flags(page.object_list)
    return page


def tracks(run) -> list[tuple[str, str]]:
    names = run.track_names
    return [(track, names.get(track, track)) for track in run.tracks]


def _recomputed_result(run, index):
    """The part's stored result as engine objects, or — if this engine cannot read that format
    back — a recomputation (flagged so the page says so). Reads the whole run: used only when a
    city's own slice cannot be read."""
    part, document = run.parts[index], run.part_results()[index]
    try:
        return snapshot.stored_result(document, part), False
    except snapshot.UnreadableResult:
        part_tracks, specs, cities = snapshot.parts_from_snapshot(run.snapshot)[index]
        params = snapshot.part_params(snapshot.run_params(run.params), part_tracks)
        return score_batch(specs, cities, params), True


def _city_result(run, index, row):
    """The city's slice of the stored result as a one-city BatchResult: one row read, whatever
    the size of the run. Falls back to the whole run when this engine cannot read the slice."""
    try:
        return snapshot.city_batch(run.outline["parts"][index], row.detail), False
    except snapshot.UnreadableResult:
        return _recomputed_result(run, index)


def source_label(source: dict | None) -> str:
    if not source:
        return ""
    if source["source"] == SOURCE_APPLICATION:
        return _("申报材料填报")
    label = str(dict(StatisticFigure.Source.choices).get(source["source"], source["source"]))
    return f"{label}（{source['note']}）" if source.get("note") else label


def explanation(run, track, city_code) -> dict:
    """A city's explanation tree (``icdc.scoring.explain``) with names and figure sources, read
    from that city's row (``ScoringRunCity.detail``), not from the whole run.

    KeyError when the city is not in that track of the run.
    """
    index = part_of(run, track)
    try:
        row = ScoringRunCity.objects.only("detail").get(run_id=run.pk, track=track, city_id=city_code)
    except ScoringRunCity.DoesNotExist:
        raise KeyError(city_code) from None
    result, recomputed = _city_result(run, index, row)
    tree = texts.translate_explanation(explain(result, city_code, track).to_dict())
    sources = row.detail["sources"]
    for dimension in tree["dimensions"]:
        for node in dimension["indicators"]:
            node["source"] = source_label(sources.get(node["code"]))
    tree.update(city_name=row.detail["input"]["name"], track_name=run.track_names.get(track, track),
                recomputed=recomputed, flag_labels=flag_labels(tree["flags"]), year=run.year)
    _label_experts(run, tree)
    return tree


def _label_experts(run, tree) -> None:
    """Give every expert node of ``tree`` a ``label``: the masked name from the pool for a batch's run."""
    nodes = [e for d in tree["dimensions"] for n in d["indicators"] for e in n["experts"]]
    nodes += tree["defence_experts"]
    labels = expert_labels(run, {e["expert_id"] for e in nodes})
    for node in nodes:
        node["label"] = labels[node["expert_id"]]


def expert_labels(run, expert_ids) -> dict[str, str]:
    """Expert key → what a page shows. A run built from a batch keys experts by their pool id: shown
    as the masked name (``review.models.mask_name``) with the key; other runs' keys (the demo's
    E01…) are shown as they are."""
    labels = {key: str(key) for key in expert_ids}
    if not run.batch_id:
        return labels
    from icdc.review.models import Expert, mask_name

    wanted = [int(key) for key in expert_ids if str(key).isdigit()]
    for expert in Expert.objects.filter(pk__in=wanted).only("id", "name"):
        labels[str(expert.pk)] = f"{mask_name(expert.name)}（{expert.pk}）"
    return labels


#: |mean − batch mean| ÷ batch spread at or above which an expert reads as lenient or strict.
LENIENCY_NOTABLE = 0.5


def leniency(run) -> list[dict]:
    """Per part of the run: its tracks' names and each expert's leniency as the engine computed it
    (mean and spread of their score shares over the part, and the part's own), most lenient first,
    with the deviation from the part's mean and a word (偏宽 / 偏严 / 适中) beside the numbers.
    Empty for a run made without calibration. Reads the stored result text (the whole run)."""
    parts = []
    results = run.part_results()
    keys = {e["expert_id"] for result in results for e in result["leniency"]}
    labels = expert_labels(run, keys)
    for part, result in zip(run.outline["parts"], results, strict=True):
        if not result["leniency_baseline"]:
            continue
        mean, sd = result["leniency_baseline"]
        experts = []
        for entry in result["leniency"]:
            deviation = entry["mean"] - mean
            z = deviation / sd if sd > 0 else 0.0
            word = _("偏宽") if z >= LENIENCY_NOTABLE else _("偏严") if z <= -LENIENCY_NOTABLE else _("适中")
            experts.append({**entry, "label": labels[entry["expert_id"]], "deviation": deviation, "z": z,
                            "word": word, "notable": abs(z) >= LENIENCY_NOTABLE})
        experts.sort(key=lambda e: (-e["mean"], e["expert_id"]))
        parts.append({"tracks": [run.track_names.get(t, t) for t in part["tracks"]], "mean": mean, "sd": sd,
                      "experts": experts})
    return parts


def last_check(run):
    """The run's latest re-check with ``summary``, its result in the reader's language."""
    check = run.checks.select_related("checked_by").first()
    if check is not None:
        check.summary = texts.check_summary(check)
    return check
