"""Runs stored before the engine learnt per-expert defence scores still reproduce to the byte.

``data/run_stored_before_per_expert_defence.json`` is the 综合型 run of ``helpers.create_comp_run``
as the engine stored it before that change (snapshot, parameters, result text and hashes)."""

import json
from pathlib import Path

from icdc.rankings import snapshot

from . import helpers

STORED = Path(__file__).parent / "data" / "run_stored_before_per_expert_defence.json"
#: The hashes of ``helpers.create_comp_run`` before the change.
INPUT_HASH = "sha256:b170f1fee568801fe7f1c73fd09a00c3cb68662824393c12c2b51cbc419ec425"
RESULT_HASH = "sha256:4c86d4a8c050e9cbf6d53543db884f063dba5715e53cfde509b0de1e0c48f51d"


def test_a_run_stored_before_the_change_recomputes_to_the_same_bytes():
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    assert (stored["input_hash"], stored["result_hash"]) == (INPUT_HASH, RESULT_HASH)
    input_hash, text, result_hash = snapshot.recompute(stored["snapshot"], stored["params"])
    assert input_hash == INPUT_HASH
    assert result_hash == RESULT_HASH
    assert text == stored["result_text"]


def test_the_same_run_created_today_has_the_same_hashes_and_snapshot(figures, draft_version, officer):
    run = helpers.create_comp_run(officer, draft_version)
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    assert (run.input_hash, run.result_hash) == (INPUT_HASH, RESULT_HASH)
    assert run.result_text == stored["result_text"]
    assert run.snapshot == stored["snapshot"]
