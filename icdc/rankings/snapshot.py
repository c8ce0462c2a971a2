"""The stored form of a scoring run and the way back to engine objects (plain data, no models).

A run is split into **parts**: tracks that are scored on the same indicator list go through
one ``score_batch`` call (the engine ranks each track separately and calibrates expert
leniency over the whole call). 综合型 is always one part; 特色型 is one part while no domain
has its own indicators, otherwise one part per distinct list (common part + domain part).

Hashes: with one part — every 综合型 run and the draft 特色型 system — ``input_hash`` and
``result_hash`` are exactly the engine's (``icdc.scoring.input_hash`` / ``result_hash``) and
the stored text is exactly ``result_bytes``, so anyone holding the engine can check a run
independently. With several parts the text is the JSON list of the parts' canonical bytes
and both hashes are taken over the list (see ``combine_hashes``).
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import asdict, replace

import numpy

from icdc.scoring import (
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
    result_bytes,
    result_hash,
    score_batch,
)

SNAPSHOT_FORMAT = "icdc-decisions-run/1"
#: The engine's identity as stored with each run: the result format and the numerics under it.
ENGINE = f"icdc-scoring/1 numpy/{numpy.__version__} python/{platform.python_version()}"


def spec_to_dict(spec: IndicatorSpec) -> dict:
    return asdict(spec)


def city_to_dict(city: CityInput) -> dict:
    """A canonical city as stored; ``defence_scores`` (per-expert) only when given, so a run without
    them stores the snapshot it stored before they existed."""
    data = {"city_code": city.city_code, "track": city.track, "name": city.name,
            "defence_score": city.defence_score, "figures": dict(city.figures),
            "expert_scores": {e: dict(sheet) for e, sheet in city.expert_scores.items()}}
    if city.defence_scores:
        data["defence_scores"] = dict(city.defence_scores)
    return data


def spec_from_dict(data: dict) -> IndicatorSpec:
    return IndicatorSpec(**data)


def city_from_dict(data: dict) -> CityInput:
    """A stored city in canonical key order (a PostgreSQL jsonb column does not keep it), so
    an explanation lists experts in the same order on every database."""
    return CityInput(**{**data, "figures": dict(sorted(data["figures"].items())),
                        "expert_scores": {e: dict(sorted(data["expert_scores"][e].items()))
                                          for e in sorted(data["expert_scores"], key=str)},
                        "defence_scores": {e: data.get("defence_scores", {})[e]
                                           for e in sorted(data.get("defence_scores", {}), key=str)}})


def part_params(params: RunParams, tracks) -> RunParams:
    """The run's parameters for one part: the quotas of that part's tracks only."""
    return replace(params, quotas={t: q for t, q in params.quotas.items() if t in tracks})


def run_params(data: dict) -> RunParams:
    return RunParams(**data)


def score_parts(parts, params: RunParams) -> list[BatchResult]:
    """One engine call per part; raises ScoringInputError before anything is stored."""
    return [score_batch(indicators, cities, part_params(params, tracks)) for tracks, indicators, cities in parts]


def digest(data: bytes, algorithm: str) -> str:
    hasher = hashlib.new(algorithm)
    hasher.update(data)
    return f"{algorithm}:{hasher.hexdigest()}"


def combine_hashes(hashes: list[str], algorithm: str) -> str:
    """One part: its own hash. Several: the hash of the JSON list of the parts' hashes."""
    if len(hashes) == 1:
        return hashes[0]
    return digest(json.dumps(hashes, separators=(",", ":")).encode("ascii"), algorithm)


def result_text(results: list[BatchResult]) -> str:
    """The canonical bytes of the result (one part) or a JSON list of them (several)."""
    blobs = [result_bytes(r) for r in results]
    data = blobs[0] if len(blobs) == 1 else b"[" + b",".join(blobs) + b"]"
    return data.decode("utf-8")


def run_result_hash(results: list[BatchResult], text: str, algorithm: str) -> str:
    return result_hash(results[0]) if len(results) == 1 else digest(text.encode("utf-8"), algorithm)


def part_document(tracks, result: BatchResult) -> dict:
    """A part as stored: its tracks, the engine's input hash and the canonical inputs."""
    return {"tracks": list(tracks), "input_hash": result.input_hash,
            "indicators": [spec_to_dict(s) for s in result.indicators],
            "cities": [city_to_dict(c) for c in result.inputs]}


def parts_from_snapshot(snapshot: dict) -> list[tuple[tuple[str, ...], list[IndicatorSpec], list[CityInput]]]:
    return [(tuple(p["tracks"]), [spec_from_dict(s) for s in p["indicators"]],
             [city_from_dict(c) for c in p["cities"]]) for p in snapshot["parts"]]


def recompute(snapshot: dict, params: dict) -> tuple[str, str, str]:
    """(input hash, result text, result hash) recomputed from a stored snapshot."""
    run = run_params(params)
    results = score_parts(parts_from_snapshot(snapshot), run)
    text = result_text(results)
    return (combine_hashes([r.input_hash for r in results], run.hash_algorithm), text,
            run_result_hash(results, text, run.hash_algorithm))


# --- reading a stored result back into engine objects --------------------------------


def _city_result(d: dict) -> CityResult:
    return CityResult(
        city_code=d["city_code"], track=d["track"], composite=d["composite"], material=d["material"],
        defence=d["defence"], quantitative_total=d["quantitative_total"], qualitative_total=d["qualitative_total"],
        dimension_points=d["dimension_points"], indicator_points=d["indicator_points"],
        trimmed={k: tuple(v) for k, v in d["trimmed"].items()},
        outliers=tuple(ExpertOutlier(**o) for o in d["outliers"]), flags=tuple(d["flags"]), rank=d["rank"],
        eligible=d["eligible"], selected=d["selected"],
        calibrated=Calibrated(**d["calibrated"]) if d["calibrated"] else None,
        robustness=Robustness(**d["robustness"]) if d["robustness"] else None,
        defence_trimmed=tuple(d["defence_trimmed"]) if d.get("defence_trimmed") else None,
    )


class UnreadableResult(ValueError):
    """A stored result this engine cannot read back exactly (another result format)."""


def stored_result(document: dict, part: dict) -> BatchResult:
    """The stored result of one part as a BatchResult, so ``explain`` reads the stored numbers.

    Checked by round trip: the rebuilt object must serialise to the stored document, or the
    reading is refused rather than risk explaining numbers that were never counted.
    """
    try:
        result = BatchResult(
            input_hash=document["input_hash"], params=run_params(document["params"]),
            indicators=tuple(spec_from_dict(s) for s in document["indicators"]),
            cities=tuple(_city_result(c) for c in document["cities"]),
            tracks=tuple(TrackResult(track=t["track"], quota=t["quota"], ranking=tuple(t["ranking"]),
                                     selected=tuple(t["selected"])) for t in document["tracks"]),
            leniency=tuple(ExpertLeniency(**e) for e in document["leniency"]),
            leniency_baseline=tuple(document["leniency_baseline"]) if document["leniency_baseline"] else None,
            inputs=tuple(city_from_dict(c) for c in part["cities"]),
        )
    except (KeyError, TypeError) as exc:
        raise UnreadableResult(str(exc)) from exc
    if json.loads(result_bytes(result)) != document:
        raise UnreadableResult("round trip differs")
    return result


# --- copies for the pages: the run's outline and each city's slice ---------------------
# Taken from the stored documents (plain JSON, as parsed from the stored text) when the run is
# created; ``reproduce_run`` recomputes and compares them. The same functions, frozen, back-fill
# runs stored before these copies existed (migration ``run_outline_and_city_detail``).


def run_outline(document: dict, results: list[dict]) -> dict:
    """The run-wide facts a page needs, without the snapshot's cities or the result's cities."""
    return {"track_names": document["track_names"], "parts": [
        {"tracks": part["tracks"], "input_hash": part["input_hash"], "format": result["format"],
         "params": result["params"], "indicators": result["indicators"],
         "leniency_baseline": result["leniency_baseline"]}
        for part, result in zip(document["parts"], results, strict=True)]}


def city_details(document: dict, results: list[dict]) -> dict[tuple[str, str], dict]:
    """(city code, track) → the city's result, its inputs, its experts' leniency, its sources."""
    details = {}
    for part, result in zip(document["parts"], results, strict=True):
        inputs = {(c["city_code"], c["track"]): c for c in part["cities"]}
        leniency = {e["expert_id"]: e for e in result["leniency"]}
        for city in result["cities"]:
            key = (city["city_code"], city["track"])
            city_input = inputs[key]
            details[key] = {
                "result": city, "input": city_input,
                "leniency": [leniency[e] for e in sorted(city_input["expert_scores"], key=str) if e in leniency],
                "sources": document["figure_sources"].get(city["city_code"], {}),
            }
    return details


def city_batch(part: dict, detail: dict) -> BatchResult:
    """A one-city BatchResult from the outline's part and the city's slice, for ``explain``.

    ``explain`` reads only the parameters, the indicators, the city's result and inputs and its
    experts' leniency, so this gives the same tree as the whole stored result. Refused (like
    ``stored_result``) when the slice is in another format or does not read back exactly.
    """
    try:
        result = BatchResult(
            input_hash=part["input_hash"], params=run_params(part["params"]),
            indicators=tuple(spec_from_dict(s) for s in part["indicators"]),
            cities=(_city_result(detail["result"]),), tracks=(),
            leniency=tuple(ExpertLeniency(**e) for e in detail["leniency"]),
            leniency_baseline=tuple(part["leniency_baseline"]) if part["leniency_baseline"] else None,
            inputs=(city_from_dict(detail["input"]),),
        )
    except (KeyError, TypeError) as exc:
        raise UnreadableResult(str(exc)) from exc
    document = json.loads(result_bytes(result))
    if document["format"] != part["format"] or document["cities"] != [detail["result"]]:
        raise UnreadableResult("round trip differs")
    return result
