"""Every generated document gets an SM3 digest, from the one SM3 the project uses (the audit chain's)."""

from icdc.audit import chain
from icdc.documents.digest import document_digest


def test_document_digest_is_sm3_of_the_bytes():
    # GB/T 32905-2016 appendix A.1
    assert document_digest(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert document_digest(bytearray(b"abc")) == chain.SM3_ABC


def test_document_digest_uses_the_audit_chains_sm3(monkeypatch):
    calls = []
    monkeypatch.setattr("icdc.documents.digest.sm3_hexdigest", lambda data: calls.append(data) or "x")
    assert document_digest(b"pdf") == "x" and calls == [b"pdf"]
