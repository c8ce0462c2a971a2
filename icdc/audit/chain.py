"""HMAC-SM3 chain over audit records: pure functions, no database."""

import hashlib
import hmac
import json

ALGORITHM = "HMAC-SM3"
GENESIS_MAC = "0" * 64
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"

#: Fields covered by the MAC, in order. Anything else on the row is not evidence.
SIGNED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_username", "actor_role", "ip_address", "action",
    "object_type", "object_id", "object_repr", "before", "after", "result", "detail",
    "algorithm", "key_id", "prev_mac",
)


def sm3_available():
    """Start-up check: OpenSSL provides SM3 and it gives GB/T 32905's test vector."""
    try:
        return hashlib.new("sm3", b"abc").hexdigest() == SM3_ABC
    except ValueError:
        return False


def canonical(fields):
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_mac(key: bytes, fields: dict) -> str:
    payload = canonical({name: fields[name] for name in SIGNED_FIELDS})
    return hmac.new(key, payload, "sm3").hexdigest()
