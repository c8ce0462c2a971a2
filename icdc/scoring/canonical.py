"""Canonical bytes for inputs and results, so a run can be hashed and re-run to the byte.

One serialisation: JSON with sorted keys, no whitespace, UTF-8, no NaN, numbers as floats
(5 and 5.0 are the same figure) written by Python's shortest round-trip repr. Inputs go in
canonical order (see ``prepare.py``), so the hash does not depend on the order in which the
caller listed cities, experts or figures.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from . import messages
from .errors import ScoringInputError
from .prepare import canonical_cities, normalise_indicators
from .types import BatchResult, CityInput, IndicatorSpec

INPUT_FORMAT = "icdc-scoring-input/1"
ALGORITHMS = ("sha256", "sm3")


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON-able value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def digest(data: bytes, algorithm: str = "sha256") -> str:
    """``"<algorithm>:<hex>"``; SM3 (GB/T 32905) where the OpenSSL build provides it."""
    if algorithm not in ALGORITHMS:
        raise ScoringInputError(messages.BAD_HASH, name=algorithm)
    try:
        hasher = hashlib.new(algorithm)
    except ValueError:
        raise ScoringInputError(messages.BAD_HASH, name=algorithm) from None
    hasher.update(data)
    return f"{algorithm}:{hasher.hexdigest()}"


def input_document(specs: tuple[IndicatorSpec, ...], cities: tuple[CityInput, ...]) -> dict[str, Any]:
    """Already canonical inputs (as ``prepare`` returns them) as one JSON document."""
    return {
        "format": INPUT_FORMAT,
        "indicators": [asdict(spec) for spec in specs],
        "cities": [city_document(c) for c in cities],
    }


def city_document(c: CityInput) -> dict[str, Any]:
    """One canonical city. ``defence_scores`` only when given: a city without per-expert defence
    scores has the very document (and hash) it had before they existed."""
    document = {"city_code": c.city_code, "track": c.track, "name": c.name, "defence_score": c.defence_score,
                "figures": c.figures, "expert_scores": c.expert_scores}
    if c.defence_scores:
        document["defence_scores"] = c.defence_scores
    return document


def input_hash_of(specs, cities, algorithm: str = "sha256") -> str:
    """Hash of canonical inputs; the engine calls this after ``prepare``."""
    return digest(canonical_json(input_document(specs, cities)), algorithm)


def input_hash(indicators, cities, algorithm: str = "sha256") -> str:
    """Hash of a batch's inputs in any order: the value a stored run is checked against."""
    specs = normalise_indicators(indicators)
    return input_hash_of(specs, canonical_cities(cities, specs), algorithm)


def result_bytes(result: BatchResult) -> bytes:
    """The result as canonical bytes: equal inputs, parameters and seed give equal bytes."""
    return canonical_json(result.to_dict())


def result_hash(result: BatchResult) -> str:
    return digest(result_bytes(result), result.params.hash_algorithm)
