"""Scoring runs: create one from the batch's data, reproduce one from its snapshot (SPEC §3–4).

Composite = material-review score × w₁ + defence score × w₂; ranking within 综合型 and
within each 特色领域, quota and pass mark applied (SPEC §4 "Ranking and decision", Art. 6, 7,
12). The engine computes; this module checks permission, builds inputs, stores the snapshot
and result atomically and records the audit entry in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields, replace

from django.db import transaction
from django.utils.translation import gettext as _

from icdc.accounts.decorators import require_perm
from icdc.audit.services import record_event
from icdc.scoring import RunParams, ScoringInputError

from . import adapters, batch_inputs, exports, selectors, snapshot, texts
from .adapters import RunInputError
from .models import ReproductionCheck, ScoringRun, ScoringRunCity

CREATE_PERMISSION = "rankings.create_scoring_run"
REPRODUCE_PERMISSION = "rankings.reproduce_scoring_run"
MAX_LABEL = ScoringRun._meta.get_field("label").max_length
_PARAM_NAMES = {f.name for f in fields(RunParams)}


def _params(params) -> RunParams:
    """A RunParams, or a dict of its fields (as ``RunParams.to_dict()`` gives)."""
    if not isinstance(params, RunParams):
        if not isinstance(params, dict) or not {"w_material", "w_defence", "pass_mark", "quotas"} <= set(params):
            raise RunInputError(_("运行参数须包含材料评审权重、答辩权重、合格分数线和名额"))
        unknown = sorted(set(params) - _PARAM_NAMES)
        if unknown:
            raise RunInputError(_("未知的运行参数：%(names)s") % {"names": "、".join(unknown)})
        params = RunParams(**params)
    if not isinstance(params.quotas, Mapping):
        raise RunInputError(_("名额须按类别填写"))
    return params


def _check_header(label, year) -> None:
    if not str(label or "").strip() or len(str(label)) > MAX_LABEL:
        raise RunInputError(_("请填写运行名称（不超过 %(n)d 个字符）") % {"n": MAX_LABEL})
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2100:
        raise RunInputError(_("统计数据年份须为四位年份"))


def _city_rows(run, results, details) -> list[ScoringRunCity]:
    rows = []
    for result in results:
        for c in result.cities:
            robust, calibrated = c.robustness, c.calibrated
            rows.append(ScoringRunCity(
                run=run, city_id=c.city_code, track=c.track, rank=c.rank, composite=c.composite,
                material=c.material, defence=c.defence, eligible=c.eligible, selected=c.selected,
                close_call=bool(robust and robust.close_call), p_in_quota=robust.p_in_quota if robust else None,
                calibrated_composite=calibrated.composite if calibrated else None,
                calibrated_rank=calibrated.rank if calibrated else None, flags=list(c.flags),
                detail=details[(c.city_code, c.track)]))
    return rows


def create_run(*, user, version, system_code, year, label, applications, params, programme=None) -> ScoringRun:
    """Score ``applications`` on ``version``'s ``system_code`` with ``year``'s statistics; store it.

    ``applications``: [{city_code, tracks: [track, …], expert_scores: {track: {expert_id:
    {code: points}}}, defence_scores: {track: points, or {expert_id: points} scored by each panel
    member}, figures (optional): {code: value} reported by the application, used only where no
    official statistic exists}].
    ``params``: a RunParams or its dict. ``programme``: the programme definition whose tracks
    apply (a batch's copy; default: the one in force). Bad input raises ``RunInputError`` (Chinese
    ``message``) and stores nothing (SPEC §6).
    """
    require_perm(user, CREATE_PERMISSION)
    _check_header(label, year)
    run_params = _params(params)
    inputs = adapters.build_inputs(version=version, system_code=system_code, year=year, applications=applications,
                                   programme=programme)
    results = _score(inputs, run_params)
    return _store(user, version, system_code, year, str(label).strip(), inputs, results)


def create_run_for_batch(*, batch, user, system_code=None, year=None, label=None, seed=None) -> ScoringRun:
    """Score ``batch`` from its review data and store the run (issue 14 item 8; SPEC §4 "Ranking
    and decision": composite = material × w₁ + defence × w₂, ranked per track, quota and pass mark).

    What goes in is read by ``batch_inputs.collect``: the applications of the batch's current
    panels, official or declared figures of the statistics ``year`` (default: see there), the
    submitted expert sheets, each member's defence scores, and the batch's indicator version,
    quotas, pass mark and weights — nothing typed by hand. ``system_code``: which type to score
    when the batch has panels for several. Audited ``rankings.scoring_run.create`` like
    ``create_run``; a refusal raises ``RunInputError`` (Chinese ``message``) and stores nothing.
    """
    require_perm(user, CREATE_PERMISSION)
    data = batch_inputs.collect(batch=batch, system_code=system_code, year=year, seed=seed, label=label)
    _check_header(data.label, data.year)
    inputs = adapters.build_inputs(version=data.version, system_code=data.system_code, year=data.year,
                                   applications=data.applications, programme=batch.programme())
    return _store(user, data.version, data.system_code, data.year, data.label, inputs, _score(inputs, data.params),
                  batch=batch)


def _score(inputs, run_params):
    try:
        return snapshot.score_parts(inputs.parts, run_params)
    except ScoringInputError as exc:
        raise RunInputError(texts.error_text(exc)) from exc


def _store(user, version, system_code, year, label, inputs, results, batch=None) -> ScoringRun:
    tracks = [t for part_tracks, _specs, _cities in inputs.parts for t in part_tracks]
    # The engine's normalised parameters, with the quotas of every part.
    params = replace(results[0].params, quotas={t: q for r in results for t, q in r.params.quotas.items()})
    algorithm = params.hash_algorithm
    text = snapshot.result_text(results)
    document = {
        "format": snapshot.SNAPSHOT_FORMAT, "version": version.label, "system_code": system_code, "year": year,
        "track_names": inputs.track_names, "figure_sources": inputs.figure_sources,
        "parts": [snapshot.part_document(part[0], result) for part, result in zip(inputs.parts, results, strict=True)],
    }
    cities = {c.city_code for part in inputs.parts for c in part[2]}
    # The pages' copies are cut from the very text being stored, not from the objects.
    documents = _documents(text)
    with transaction.atomic():
        run = ScoringRun.objects.create(
            label=label, version=version, system_code=system_code, year=year, params=params.to_dict(),
            seed=params.seed, snapshot=document,
            input_hash=snapshot.combine_hashes([r.input_hash for r in results], algorithm),
            result_text=text, result_hash=snapshot.run_result_hash(results, text, algorithm),
            engine=snapshot.ENGINE, created_by=user, outline=snapshot.run_outline(document, documents), batch=batch)
        ScoringRunCity.objects.bulk_create(_city_rows(run, results, snapshot.city_details(document, documents)))
        record_event(action="rankings.scoring_run.create", user=user, obj=run, after={
            "version": version.label, "system_code": system_code, "year": year, "tracks": tracks,
            "applications": len(cities), "input_hash": run.input_hash, "result_hash": run.result_hash,
            "seed": run.seed, "engine": run.engine, **({"batch": batch.pk} if batch is not None else {})})
    return run


def _documents(text: str) -> list[dict]:
    data = json.loads(text)
    return data if isinstance(data, list) else [data]


def reproduce_run(*, user, run) -> bool:
    """Recompute ``run`` from its snapshot and compare the bytes with the stored result.

    Records a ``ReproductionCheck`` and the audit entry ``scoring.reproduce`` (result
    ``failed`` on a mismatch) and sets the run's status; returns whether everything matched.
    """
    require_perm(user, REPRODUCE_PERMISSION, run)
    input_ok, matched, new_hash, reasons = _compare(run)
    detail = texts.recheck_text(matched=matched, reasons=reasons)
    with transaction.atomic():
        locked = ScoringRun.objects.select_for_update().only("id", "status").get(pk=run.pk)
        ReproductionCheck.objects.create(run=locked, matched=matched, input_matched=input_ok,
                                         result_hash=new_hash, engine=snapshot.ENGINE, detail=detail[:500],
                                         reasons=reasons, checked_by=user)
        locked.status = ScoringRun.Status.VERIFIED if matched else ScoringRun.Status.MISMATCH
        locked.save(update_fields=["status"])
        record_event(action="rankings.scoring_run.reproduce", user=user, obj=run, result="ok" if matched else "failed",
                     detail=detail[:500], after={"matched": matched, "input_matched": input_ok,
                                                 "result_hash": new_hash, "engine": snapshot.ENGINE})
    run.status = locked.status
    return matched


def _compare(run) -> tuple[bool, bool, str, list]:
    """(input hash matched, everything matched, recomputed result hash, why not as
    ``[code, values]`` pairs — see ``texts.RECHECK_REASONS``)."""
    try:
        new_input, text, new_hash = snapshot.recompute(run.snapshot, run.params)
    except (ScoringInputError, KeyError, TypeError, ValueError) as exc:
        error = texts.error_text(exc) if isinstance(exc, ScoringInputError) else str(exc)
        return False, False, "", [["unreadable", {"error": error[:300]}]]
    input_ok = new_input == run.input_hash
    copies_ok = _copies_match(run, text)
    matched = input_ok and text == run.result_text and new_hash == run.result_hash and copies_ok
    if matched:
        return True, True, new_hash, []
    reasons = [] if input_ok else [["input", {}]]
    if text != run.result_text:
        reasons.append(["content", {}])
    if new_hash != run.result_hash:
        reasons.append(["hash", {}])
    if not copies_ok:
        reasons.append(["copies", {}])
    if run.engine != snapshot.ENGINE:
        reasons.append(["engine", {"old": run.engine, "new": snapshot.ENGINE}])
    return input_ok, False, new_hash, reasons


def _copies_match(run, text) -> bool:
    """The outline and every city's slice, as the pages read them, equal those cut from the
    recomputed result: a changed copy would otherwise explain numbers that were never counted."""
    documents = _documents(text)
    if run.outline != snapshot.run_outline(run.snapshot, documents):
        return False
    stored = {(row["city_id"], row["track"]): row["detail"]
              for row in run.city_results.values("city_id", "track", "detail")}
    return stored == snapshot.city_details(run.snapshot, documents)


EXPORT_PERMISSION = "rankings.export_scoring_run"


def export_ranking(*, user, run) -> tuple[bytes, str, str]:
    """The run's ranking, one sheet per track, as (bytes, filename, content type); audited
    ``scoring.export`` (SPEC §5: Excel export of every list an officer sees)."""
    require_perm(user, EXPORT_PERMISSION, run)
    tracks = [(selectors.track_header(run, track), selectors.ranking_rows(run, track)) for track in run.tracks]
    content = exports.ranking_workbook(run, tracks)
    record_event(action="rankings.scoring_run.export", user=user, obj=run, detail=f"ranking tracks={','.join(run.tracks)}")
    return content, _("排名-%(run)s.xlsx") % {"run": run.label}, exports.XLSX_TYPE


def export_explanation(*, user, run, track, city_code) -> tuple[bytes, str, str]:
    """A city's explanation as on its page (SPEC §3: explainable down to each expert's score);
    audited ``scoring.export``. KeyError when the city is not in that track."""
    require_perm(user, EXPORT_PERMISSION, run)
    tree = selectors.explanation(run, track, city_code)
    content = exports.explanation_workbook(run, tree)
    record_event(action="rankings.scoring_run.export", user=user, obj=run, detail=f"explanation track={track} city={city_code}")
    return content, _("得分说明-%(run)s-%(track)s-%(city)s.xlsx") % {
        "run": run.label, "track": track, "city": tree["city_name"] or city_code}, exports.XLSX_TYPE
