"""The document checks never pass by not running: a missing tool skips locally, fails under CI."""

import pytest

from . import pdf_checks


def test_a_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setattr(pdf_checks.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        pdf_checks.require("pdftotext", "poppler-utils")


def test_a_missing_tool_skips_on_a_developer_machine(monkeypatch):
    monkeypatch.setattr(pdf_checks.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        pdf_checks.require("pdftotext", "poppler-utils")
