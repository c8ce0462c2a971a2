"""Inputs without per-expert defence scores hash and score exactly as before they existed.

The hashes below were taken with the engine as it stood before ``CityInput.defence_scores``
was added; a stored run must reproduce to the byte whatever the engine learns later."""

from icdc.scoring import result_hash, score_batch
from tests.scoring.builders import draft_system, params, random_batch

INPUT_HASH = "sha256:25af82065f08a9ee741831fb4fff617b7b45f2a3f94e6e8c01e61270f0ba63b6"
RESULT_HASHES = {
    (0, False): "sha256:b6e7a1570908b41f09ad5cd7e6489638eb27d39b491a80e74a28967f89b91a5c",
    (200, True): "sha256:d99ab9481e4d2c5e88b32ed58aa9381e29614a81420a5a08a757c18a997fde69",
}


def test_a_batch_with_single_defence_scores_keeps_its_input_and_result_hashes():
    specs = draft_system()
    for (draws, calibrate), expected in RESULT_HASHES.items():
        cities = random_batch(specs, 30, seed=8, tracks=("COMP", "LIFE", "PRODUCT"))
        run = params(quotas={"COMP": 3, "LIFE": 2, "PRODUCT": 1}, draws=draws, calibrate=calibrate, seed=20240601)
        result = score_batch(specs, cities, run)
        assert result.input_hash == INPUT_HASH
        assert result_hash(result) == expected
