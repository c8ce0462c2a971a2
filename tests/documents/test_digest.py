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


def test_the_same_content_and_time_give_the_same_bytes_so_a_digest_can_be_checked_again():
    import datetime as dt

    from icdc.documents.form_print import render_form_pdf
    from icdc.documents.official import render_official_pdf

    from .samples import form, one_page_letter

    created = dt.datetime(2026, 12, 2, 1, 8, tzinfo=dt.UTC)
    first = render_official_pdf(one_page_letter(), created=created)
    assert document_digest(first) == document_digest(render_official_pdf(one_page_letter(), created=created))
    assert render_form_pdf(form(rows=3), created=created) == render_form_pdf(form(rows=3), created=created)
