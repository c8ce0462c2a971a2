"""HMAC-SM3 chain over audit records: pure functions, no database, no Django.

Each record's ``mac`` is HMAC-SM3(key[key_id], canonical(signed fields)), and the signed
fields include ``seq`` and ``prev_mac`` (the previous record's mac). Editing a row breaks
its own mac; deleting one leaves a gap in ``seq`` and a ``prev_mac`` that points nowhere.
Only the holder of the key (kept outside the database) can produce a valid mac.

The same functions verify rows read from the database and rows read from an archive file.
"""

import datetime as dt
import hashlib
import hmac
import json
import math
from typing import NamedTuple

ALGORITHM = "HMAC-SM3"
GENESIS_MAC = "0" * 64
#: GB/T 32905-2016 appendix A.1: SM3("abc").
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"

#: Fields covered by the MAC, in order. Anything else on the row is not evidence.
SIGNED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_username", "actor_role", "ip_address", "action",
    "object_type", "object_id", "object_repr", "before", "after", "result", "detail",
    "algorithm", "key_id", "prev_mac",
)

#: Why a chain does not verify (codes; the Django layer turns them into sentences).
EDITED = "edited"
MISSING = "missing"
BROKEN_LINK = "broken_link"
UNKNOWN_KEY = "unknown_key"
UNKNOWN_ALGORITHM = "unknown_algorithm"


def sm3_available():
    """Start-up check: OpenSSL provides SM3 and it gives GB/T 32905's test vector."""
    try:
        return hashlib.new("sm3", b"abc").hexdigest() == SM3_ABC
    except ValueError:
        return False


def sm3_hexdigest(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


#: Integers every JSON reader holds exactly (IEEE-754 double, JavaScript's Number.MAX_SAFE_INTEGER + 1).
SAFE_INTEGER = 2**53


class NotFinite(ValueError):
    """NaN or ±Infinity: not JSON, and no supported database stores it in a JSON column."""


def canonical_number(value):
    """A number in the one form every supported database gives back unchanged.

    PostgreSQL's jsonb keeps numbers as ``numeric``: it drops the sign of -0.0 and writes
    an integral float such as 1e16 back as the integer 10000000000000000, while SQLite
    keeps the JSON text. Signing the value in the form jsonb returns keeps honest records
    verifiable on both (and across a backup restored from one into the other):

    - -0.0 → 0, and an integral float within ±2**53 → int (1.0 → 1, 1e15 → 1000000000000000);
    - an integer or integral float beyond ±2**53 → its decimal text (``"1180591620717411303424"``,
      ``"1e+22"``): outside that range JSON readers disagree (JavaScript rounds it), and
      the text says exactly what the program held;
    - other floats stay floats: Python writes the shortest decimal that reads back as the
      same float, jsonb keeps that decimal exactly, so 0.1 and 1e-30 come back unchanged;
    - NaN and ±Infinity are refused (``NotFinite``).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotFinite(repr(value))
        if not value.is_integer():
            return value
        if abs(value) > SAFE_INTEGER:
            return repr(value)
        value = int(value)  # also turns -0.0 into 0
    return value if abs(value) <= SAFE_INTEGER else str(value)


def canonical_json(value):
    """``value`` (JSON data: dicts, lists, strings, numbers, booleans, None) with every
    number in canonical form (``canonical_number``)."""
    if isinstance(value, dict):
        return {key: canonical_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical_json(item) for item in value]
    return canonical_number(value)


def normalise(fields: dict) -> dict:
    """The signed fields in their canonical types (time as UTC ISO-8601 with microseconds)."""
    out = {name: fields[name] for name in SIGNED_FIELDS}
    when = out["occurred_at"]
    if isinstance(when, dt.datetime):
        out["occurred_at"] = when.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return out


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def canonical_json_text(value) -> str:
    """The canonical JSON text of one value (what ``canonical`` writes for it)."""
    return _ENCODER.encode(value)


def canonical_text_or_none(value):
    """What a record stores beside a JSON column (``before_text``, ``after_text``): the value's
    canonical JSON text, which is byte for byte its part of ``canonical``; None for None."""
    return None if value is None else _ENCODER.encode(value)


def canonical(fields):
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_mac(key: bytes, fields: dict) -> str:
    return hmac.new(key, canonical(normalise(fields)), "sm3").hexdigest()


#: The signed fields that sort last in the canonical JSON. Only they are unknown until the
#: writer holds the chain-head lock (``seq``, ``prev_mac``), so everything before them can
#: be hashed without the lock (``Presigned``).
_TAIL = ("prev_mac", "result", "seq")
assert tuple(sorted(SIGNED_FIELDS)[-3:]) == _TAIL, "Presigned relies on this key order"


class Presigned:
    """HMAC-SM3 of a record, all but the chain position hashed in advance.

    ``canonical()`` writes keys sorted, so the bytes are ``{<every other field>`` followed by
    ``,"prev_mac":…,"result":…,"seq":…}``. The HMAC state after the first part is kept, and
    ``finish(seq, prev_mac)`` only hashes the short tail: the writer does that while holding
    the chain-head lock, however large the record's before/after values are. The result is
    byte for byte ``compute_mac`` (tests/audit/test_chain.py checks it).
    """

    def __init__(self, key: bytes, fields: dict):
        body = {name: value for name, value in normalise({**fields, "seq": 0, "prev_mac": ""}).items()
                if name not in _TAIL}
        head = canonical(body)[:-1]  # without the closing brace
        self._state = hmac.new(key, head + (b"," if body else b""), "sm3")
        self._result = json.dumps(fields["result"], ensure_ascii=False, default=str).encode()

    def finish(self, seq: int, prev_mac: str) -> str:
        state = self._state.copy()
        state.update(b'"prev_mac":' + json.dumps(prev_mac, ensure_ascii=False).encode() + b',"result":' + self._result
                     + b',"seq":' + str(int(seq)).encode() + b"}")
        return state.hexdigest()


#: Key of a row's ready-made canonical bytes (see ``walk``).
SIGNED_BYTES = "_signed_bytes"
#: Key set (true) on a row whose stored canonical JSON text (``before_text``, ``after_text``)
#: does not hold what its JSON column holds: the row was edited (see ``walk``).
TEXT_MISMATCH = "_text_mismatch"


class Break(NamedTuple):
    """The first row at which the chain fails, why, and what was expected there."""

    row: dict
    reason: str
    expected: object = None


class Walk(NamedTuple):
    count: int
    last: dict | None
    broken: Break | None


def walk(rows, keyring, *, first_seq=None, first_prev_mac=None) -> Walk:
    """Check rows given in ``seq`` order; stop at the first bad one.

    ``rows`` are dicts holding the signed fields and ``mac``; a row may instead carry its
    canonical bytes ready-made under ``SIGNED_BYTES`` (the database readers build them) and
    then needs only seq, key_id, algorithm, prev_mac and mac. A row marked ``TEXT_MISMATCH``
    (its columns disagree with the signed text stored beside them) is edited. ``first_seq`` and
    ``first_prev_mac`` say where the first row must attach (None: don't check, e.g. an
    archive segment). The row's own mac is checked before its linkage, so an edited row
    is named as edited rather than as the successor's broken link.
    """
    count, prev = 0, None
    # One keyed HMAC state per key id, copied for each row: the key's ipad/opad blocks
    # are hashed once, not once a record.
    keyed = {kid: hmac.new(key, digestmod="sm3") for kid, key in keyring.items()}
    for row in rows:
        if row["algorithm"] != ALGORITHM:
            return Walk(count, prev, Break(row, UNKNOWN_ALGORITHM, ALGORITHM))
        state = keyed.get(row["key_id"])
        if state is None:
            return Walk(count, prev, Break(row, UNKNOWN_KEY))
        state = state.copy()
        state.update(row.get(SIGNED_BYTES) or canonical(normalise(row)))
        if not hmac.compare_digest(state.hexdigest(), row["mac"] or "") or row.get(TEXT_MISMATCH):
            return Walk(count, prev, Break(row, EDITED))
        want_seq, want_prev = (first_seq, first_prev_mac) if prev is None else (prev["seq"] + 1, prev["mac"])
        if want_seq is not None and row["seq"] != want_seq:
            return Walk(count, prev, Break(row, MISSING, want_seq))
        if want_prev is not None and row["prev_mac"] != want_prev:
            return Walk(count, prev, Break(row, BROKEN_LINK, want_prev))
        prev = row
        count += 1
    return Walk(count, prev, None)
