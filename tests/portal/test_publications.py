"""Public notices and the announcement archive: the published documents listed, newest first, the
formats of one document together; the download is public and gives the exact bytes under the
Chinese file name."""

from urllib.parse import quote

from django.urls import reverse

from icdc.documents.services import publish_document
from tests.portal.conftest import PDF_BYTES


def test_the_announcement_archive_lists_and_downloads_the_exact_bytes(client, published):
    text = client.get(reverse("portal:announcements")).content.decode()
    url = reverse("portal:document_download", args=[published.pk])
    assert published.title in text and "工信部公告〔2026〕1号" in text and url in text
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and quote(f"{published.title}.pdf") in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_notices_are_not_in_the_announcement_archive(client, published, media):
    """A notice's documents are shown on its own public page (decisions' ``public_notices``), never
    in the announcement archive."""
    publish_document(kind="notice", fmt="pdf", title="拟授予称号名单公示", content=PDF_BYTES + b"%notice",
                     subject="decisions.proposal:7", number="")
    text = client.get(reverse("portal:announcements")).content.decode()
    assert published.title in text and "拟授予称号名单公示" not in text


def test_the_index_counts_and_lists_the_latest(client, loaded, published):
    text = client.get(reverse("portal:index")).content.decode()
    assert "24 个城市，27 项称号" in text and "1 份公告" in text and "0 份公示" in text
    assert published.title in text


def test_empty_lists_say_so(client, db):
    assert "当前没有正在公示的名单。" in client.get(reverse("public_notices:notice_list")).content.decode()
    assert "暂无公告" in client.get(reverse("portal:announcements")).content.decode()


def test_an_unknown_document_is_404(client, published):
    assert client.get(reverse("portal:document_download", args=[published.pk + 1000])).status_code == 404
