"""render_pdf: a document never reaches outside the server; metadata; our static files only."""

import io
import socket
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from icdc.documents import pdf
from icdc.documents.pdf import DEFAULT_AUTHOR, DocumentError, html_to_pdf, render_pdf, static_only_fetcher

from .pdf_checks import pdftotext


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access while rendering a document: {args[:2]}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_an_outside_image_is_refused_without_a_network_call(no_network, settings, tmp_path):
    (tmp_path / "outside.html").write_text(
        '{% extends "documents/base.html" %}{% block body %}<h1>外部图片测试</h1>'
        '<img src="http://example.com/x.png"><img src="https://example.com/y.png">'
        '<link rel="stylesheet" href="//example.com/z.css">{% endblock %}', encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    fetcher = static_only_fetcher()
    data = html_to_pdf(render_pdf_html("outside.html"), fetcher=fetcher)
    assert data.startswith(b"%PDF-")
    assert sorted(fetcher.refused) == ["http://example.com/x.png", "https://example.com/y.png",
                                       "https://example.com/z.css"]
    assert "外部图片测试" in pdftotext(data)
    # and through render_pdf itself, with its own fetcher
    assert render_pdf(template_name="outside.html", context={}).startswith(b"%PDF-")


def render_pdf_html(template_name):
    from django.template.loader import render_to_string

    return render_to_string(template_name, {})


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/admin/",
    "ftp://example.com/a.css",
    "file:///etc/passwd",
    "https://icdc.invalid/etc/passwd",
])
def test_the_fetcher_refuses_anything_but_our_static_files(no_network, url):
    fetcher = static_only_fetcher()
    with pytest.raises(ValueError):
        fetcher(url)
    assert fetcher.refused == [url]


@pytest.mark.parametrize("path", ["../settings.py", "documents/../../../icdc/settings.py", "/etc/passwd",
                                  "%2e%2e/icdc/settings.py", "documents/nothing.css"])
def test_a_static_url_outside_the_static_files_stops_the_rendering(path):
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError):
        static_only_fetcher()(pdf.static_prefix() + path)


def test_our_stylesheet_and_data_urls_are_served(no_network):
    fetcher = static_only_fetcher()
    css = fetcher(pdf.static_prefix() + "documents/print.css")
    assert css.content_type == "text/css" and b"@page" in css.read()
    assert fetcher("data:text/plain;base64,5Lit5paH").read() == "中文".encode()
    assert fetcher.refused == []


def test_a_missing_stylesheet_of_ours_is_an_error_not_an_unstyled_document():
    html = '<link rel="stylesheet" href="/static/documents/missing.css"><p>正文</p>'
    with pytest.raises(DocumentError):
        html_to_pdf(html)


def test_metadata_names_the_title_author_and_date():
    import datetime as dt

    created = dt.datetime(2026, 12, 2, 1, 8, tzinfo=dt.UTC)
    data = html_to_pdf("<p>正文</p>", title="测试文书", created=created)
    info = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert info.title == "测试文书" and info.author == DEFAULT_AUTHOR == "工业和信息化部 信息消费示范城市管理平台"
    assert info.creation_date.astimezone(dt.UTC) == created
    assert "信息消费示范城市管理平台" in info.creator


def test_importing_the_documents_app_does_not_import_weasyprint():
    code = ("import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'icdc.settings'); django.setup(); "
            "import icdc.documents.pdf, icdc.documents.official, icdc.documents.form_print; "
            "print('weasyprint' in sys.modules)")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120, cwd=root)
    assert out.stdout.strip() == "False"
