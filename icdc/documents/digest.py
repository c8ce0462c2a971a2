"""The SM3 digest (GB/T 32905) recorded for every generated document.

One SM3 in the project: the audit chain's (OpenSSL through hashlib, checked against the
standard's test vector at start-up by ``icdc.audit.chain.sm3_available``).
"""

from icdc.audit.chain import sm3_hexdigest


def document_digest(data: bytes) -> str:
    """SM3 of a generated document's bytes, 64 lowercase hex digits."""
    return sm3_hexdigest(bytes(data))
