"""YAML round trip: load the draft → export → re-import gives identical data."""

import yaml

from icdc.indicators import selectors
from icdc.indicators.services import import_version_document
from icdc.indicators.yaml_io import document_sha256, dump_yaml, load_document, normalize_document


def test_export_then_reimport_gives_identical_data(draft_version, draft_text):
    exported = dump_yaml(selectors.version_document(draft_version))
    # The exported file holds exactly what the hand-written draft holds...
    assert yaml.safe_load(exported) == yaml.safe_load(draft_text)
    # ...and re-importing it (under a new label) builds an identical version.
    copy, created = import_version_document(document=load_document(exported, label="round-trip"))
    assert created
    original, again = selectors.version_document(draft_version), selectors.version_document(copy)
    assert again == {**original, "version": "round-trip"}
    assert copy.source_sha256 == draft_version.source_sha256  # same content, same hash
    assert dump_yaml(again) == exported.replace("version: draft-2019", "version: round-trip")


def test_reimporting_the_export_under_the_same_label_changes_nothing(draft_version):
    exported = dump_yaml(selectors.version_document(draft_version))
    version, created = import_version_document(document=load_document(exported))
    assert (version.pk, created) == (draft_version.pk, False)


def test_decimal_weights_and_bounds_survive_the_round_trip(db, draft_text):
    raw = yaml.safe_load(draft_text)
    d1 = raw["systems"][0]["dimensions"][0]["indicators"]
    d1[0].update(weight=5.75, floor=199.5, target=2000.25)
    d1[1]["weight"] = 5.25
    version, _ = import_version_document(document=normalize_document(raw))
    exported = yaml.safe_load(dump_yaml(selectors.version_document(version)))
    assert exported["systems"][0]["dimensions"][0]["indicators"][:2] == d1[:2]


def test_hash_ignores_layout_and_comments(draft_text):
    document = load_document(draft_text)
    reformatted = dump_yaml(document)
    assert "#" not in reformatted
    assert document_sha256(load_document(reformatted)) == document_sha256(document)
