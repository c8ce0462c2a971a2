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


def test_notices_and_announcements_are_kept_apart_and_formats_grouped(client, published, media):
    pdf = publish_document(kind="notice", fmt="pdf", title="拟授予称号名单公示", content=PDF_BYTES + b"%notice",
                           subject="decisions.publicnotice:7", number="")
    docx = publish_document(kind="notice", fmt="docx", title="拟授予称号名单公示", content=b"PK-not-really",
                            subject="decisions.publicnotice:7", number="")
    text = client.get(reverse("portal:notices")).content.decode()
    assert text.count('data-subject="decisions.publicnotice:7"') == 1  # one entry, two files
    assert reverse("portal:document_download", args=[pdf.pk]) in text
    assert reverse("portal:document_download", args=[docx.pk]) in text
    assert text.index("下载 PDF") < text.index("下载 Word (.docx)")
    assert published.title not in text  # the announcement is in the archive, not among notices
    assert "拟授予称号名单公示" not in client.get(reverse("portal:announcements")).content.decode()


def test_the_index_counts_and_lists_the_latest(client, loaded, published):
    text = client.get(reverse("portal:index")).content.decode()
    assert "24 个城市，27 项称号" in text and "1 份公告" in text and "0 份公示" in text
    assert published.title in text


def test_empty_lists_say_so(client, db):
    assert "暂无公示" in client.get(reverse("portal:notices")).content.decode()
    assert "暂无公告" in client.get(reverse("portal:announcements")).content.decode()


def test_an_unknown_document_is_404(client, published):
    assert client.get(reverse("portal:document_download", args=[published.pk + 1000])).status_code == 404
