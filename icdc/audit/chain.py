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


def normalise(fields: dict) -> dict:
    """The signed fields in their canonical types (time as UTC ISO-8601 with microseconds)."""
    out = {name: fields[name] for name in SIGNED_FIELDS}
    when = out["occurred_at"]
    if isinstance(when, dt.datetime):
        out["occurred_at"] = when.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return out


def canonical(fields):
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_mac(key: bytes, fields: dict) -> str:
    return hmac.new(key, canonical(normalise(fields)), "sm3").hexdigest()


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

    ``rows`` are dicts holding the signed fields and ``mac``. ``first_seq`` and
    ``first_prev_mac`` say where the first row must attach (None: don't check, e.g. an
    archive segment). The row's own mac is checked before its linkage, so an edited row
    is named as edited rather than as the successor's broken link.
    """
    count, prev = 0, None
    for row in rows:
        if row["algorithm"] != ALGORITHM:
            return Walk(count, prev, Break(row, UNKNOWN_ALGORITHM, ALGORITHM))
        key = keyring.get(row["key_id"])
        if key is None:
            return Walk(count, prev, Break(row, UNKNOWN_KEY))
        if not hmac.compare_digest(compute_mac(key, row), row["mac"] or ""):
            return Walk(count, prev, Break(row, EDITED))
        want_seq, want_prev = (first_seq, first_prev_mac) if prev is None else (prev["seq"] + 1, prev["mac"])
        if want_seq is not None and row["seq"] != want_seq:
            return Walk(count, prev, Break(row, MISSING, want_seq))
        if want_prev is not None and row["prev_mac"] != want_prev:
            return Walk(count, prev, Break(row, BROKEN_LINK, want_prev))
        prev = row
        count += 1
    return Walk(count, prev, None)
