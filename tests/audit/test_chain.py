"""The HMAC-SM3 chain as pure functions (no database)."""

import hashlib

from icdc.audit import chain

KEY = bytes.fromhex("22" * 32)


def _hmac_sm3_by_hand(key, message):
    # RFC 2104 with SM3's 64-byte block: checks that hmac.new(..., "sm3") really is HMAC-SM3.
    block = key.ljust(64, b"\0")
    inner = hashlib.new("sm3", bytes(b ^ 0x36 for b in block) + message).digest()
    return hashlib.new("sm3", bytes(b ^ 0x5C for b in block) + inner).hexdigest()


def _rows(n):
    rows, prev = [], chain.GENESIS_MAC
    for seq in range(1, n + 1):
        row = {name: "" for name in chain.SIGNED_FIELDS}
        row.update(seq=seq, occurred_at="2026-11-24T00:00:00.000000+00:00", actor_id=None, before=None,
                   after={"n": seq}, action="test", result="ok", algorithm=chain.ALGORITHM, key_id="k",
                   prev_mac=prev)
        row["mac"] = chain.compute_mac(KEY, row)
        prev = row["mac"]
        rows.append(row)
    return rows


def test_sm3_gives_the_gbt_32905_test_vectors():
    assert chain.sm3_available()
    assert hashlib.new("sm3", b"abc").hexdigest() == chain.SM3_ABC
    # GB/T 32905-2016 A.2: "abcd" repeated 16 times.
    assert hashlib.new("sm3", b"abcd" * 16).hexdigest() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")


def test_the_mac_is_hmac_sm3():
    row = _rows(1)[0]
    assert row["mac"] == _hmac_sm3_by_hand(KEY, chain.canonical(chain.normalise(row)))


def test_an_intact_chain_walks_to_the_end():
    walked = chain.walk(_rows(5), {"k": KEY}, first_seq=1, first_prev_mac=chain.GENESIS_MAC)
    assert walked.broken is None
    assert walked.count == 5


def test_every_signed_field_is_covered():
    for name in chain.SIGNED_FIELDS:
        rows = _rows(3)
        rows[1][name] = 999 if name == "seq" else "changed"
        walked = chain.walk(rows, {"k": KEY}, first_seq=1, first_prev_mac=chain.GENESIS_MAC)
        assert walked.broken is not None, name
        assert walked.broken.row["mac"] == rows[1]["mac"]


def test_a_removed_row_is_named_at_its_successor():
    rows = _rows(4)
    del rows[1]
    broken = chain.walk(rows, {"k": KEY}, first_seq=1, first_prev_mac=chain.GENESIS_MAC).broken
    assert (broken.reason, broken.row["seq"], broken.expected) == (chain.MISSING, 3, 2)


def test_a_mac_made_with_another_key_or_an_unknown_key_id_fails():
    rows = _rows(2)
    assert chain.walk(rows, {"k": b"other"}).broken.reason == chain.EDITED
    assert chain.walk(rows, {"k2": KEY}).broken.reason == chain.UNKNOWN_KEY
