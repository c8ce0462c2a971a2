import io

import pytest
from django.core.management import call_command


@pytest.fixture
def divisions(db):
    call_command("load_divisions", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def loaded(divisions):
    """The real record of titles (data/titles/awards-known.csv): 27 titles, 2016 legacy included."""
    call_command("load_titles", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def published(media, db):
    """A published announcement: a small real PDF (its bytes are what the verification page checks)."""
    from icdc.documents.services import publish_document

    content = PDF_BYTES
    return publish_document(kind="announcement", fmt="pdf", title="工业和信息化部关于2026年信息消费示范城市的公告",
                            content=content, subject="decisions.announcement:1", number="工信部公告〔2026〕1号",
                            filename="公告.pdf")


PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")
