"""Attachments kept as files: the kind by content, sizes while streaming, zip bombs, names, hashes;
nothing left behind by a refusal; the stored name never the user's."""

import hashlib
import io
import re
import stat
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import (
    ATTACHMENT_KINDS,
    DISPLAY_NAME_MAX_CHARS,
    attachments_total_check,
    discard_on_error,
    display_name_of,
    store_upload,
)
from tests.lib import attachment_files

CJK = re.compile(r"[\u4e00-\u9fff]")
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def store(name, content, **kwargs):
    kwargs.setdefault("kinds", ATTACHMENT_KINDS)
    kwargs.setdefault("folder", "applications/17")
    return store_upload(uploaded_file=SimpleUploadedFile(name, content), **kwargs)


def refused(name, content, **kwargs):
    with pytest.raises(Refusal) as caught:
        store(name, content, **kwargs)
    assert CJK.search(str(caught.value)), str(caught.value)
    return caught.value


@pytest.mark.parametrize(("name", "kind"), [("申报书.pdf", "pdf"), ("实施方案.docx", "docx"), ("统计表.xlsx", "xlsx"),
                                            ("现场照片.jpg", "jpg"), ("现场照片.JPEG", "jpg"), ("截图.png", "png")])
def test_each_accepted_kind_is_stored_with_its_size_and_hash(media, name, kind):
    content = attachment_files.BUILDERS[kind]()
    stored = store(name, content)
    assert (stored.kind, stored.display_name, stored.size) == (kind, name, len(content))
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert re.fullmatch(rf"applications/17/{timezone.localdate():%Y/%m/%d}/[0-9a-f]{{32}}\.{kind}", stored.name), stored.name
    [path] = stored_files(media)
    assert path == media / stored.name and path.read_bytes() == content
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # the service account's, not the world's


def test_a_minimal_hand_written_docx_is_accepted():
    assert store("申报书.docx", attachment_files.minimal_docx_bytes()).kind == "docx"


def test_an_office_file_is_judged_by_its_main_part_not_the_order_of_its_members():
    """filetype only looks at the first members; a large first member (a thumbnail) hides them."""
    content = attachment_files.ooxml_bytes(
        "word/document.xml", first={"docProps/thumbnail.jpeg": attachment_files.image_bytes("jpg") * 40},
        members={"word/document.xml": b'<w:document xmlns:w="urn:w"/>'})
    assert store("方案.docx", content).kind == "docx"


@pytest.mark.parametrize(("name", "content", "real"), [
    ("申报书.pdf", "这是一段文字，不是 PDF。\n".encode() * 10, "纯文本"),
    ("申报书.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "可执行程序"),
    ("申报书.pdf", attachment_files.image_bytes("png"), "PNG 图片"),
    ("方案.docx", attachment_files.ooxml_bytes("word/document.xml"), "ZIP 压缩包"),  # main part missing
    ("方案.docx", attachment_files.xlsx_bytes(), "Excel 工作簿"),
    ("统计表.xlsx", attachment_files.docx_bytes(), "Word 文档"),
    ("照片.png", attachment_files.pdf_bytes(), "PDF 文档"),
    ("照片.jpg", attachment_files.image_bytes("png"), "PNG 图片"),
])
def test_a_renamed_file_is_refused_naming_it_and_what_it_really_is(media, name, content, real):
    refusal = refused(name, content)
    assert refusal.code == "kind_mismatch"
    assert name in str(refusal) and real in str(refusal), str(refusal)
    assert stored_files(media) == []


def test_a_plain_zip_named_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "ZIP 压缩包" in str(refused("方案.docx", buffer.getvalue()))


@pytest.mark.parametrize("name", ["程序.exe", "无扩展名", "旧版.doc", "脚本.pdf.js"])
def test_a_name_outside_the_kinds_is_refused(media, name):
    assert refused(name, attachment_files.pdf_bytes()).code == "kind"
    assert stored_files(media) == []


def test_an_empty_file_is_refused():
    assert refused("空.pdf", b"").code == "empty"


def test_a_declared_size_over_the_limit_is_refused_before_reading():
    refusal = refused("大文件.pdf", attachment_files.pdf_bytes(), max_bytes=100)
    assert refusal.code == "too_large" and "大文件.pdf" in str(refusal) and "上限" in str(refusal)


def test_the_default_limit_comes_from_settings(settings):
    settings.ICDC_UPLOAD_MAX_ATTACHMENT_BYTES = 200
    assert refused("申报书.pdf", attachment_files.pdf_bytes()).code == "too_large"


def test_the_size_limit_holds_while_streaming_and_leaves_no_partial_file(media):
    """A file whose declared size lies: writing starts, stops at the limit, and the part is deleted."""
    content = b"".join(attachment_files.pdf_chunks(padding=MB))
    lying = UploadedFile(io.BytesIO(content), name="申报书.pdf", size=1000)
    with pytest.raises(Refusal, match="过大") as caught:
        store_upload(uploaded_file=lying, kinds=ATTACHMENT_KINDS, folder="applications/17", max_bytes=300_000)
    assert caught.value.code == "too_large"
    day = media / "applications" / "17" / f"{timezone.localdate():%Y/%m/%d}"
    assert day.is_dir()  # the write had begun
    assert stored_files(media) == []


@pytest.mark.parametrize(("inflated_mb", "reason"), [(40, "压缩炸弹"), (400, "解压后过大")])
def test_a_zip_bomb_docx_is_refused_and_removed(media, inflated_mb, reason):
    refusal = refused("方案.docx", attachment_files.zip_bomb_docx(inflated_mb))
    assert refusal.code == "archive" and reason in str(refusal), str(refusal)
    assert stored_files(media) == []


def test_a_docx_with_too_many_members_is_refused(media):
    members = {f"word/media/image{n}.png": b"x" for n in range(300)}
    content = attachment_files.ooxml_bytes("word/document.xml", members={"word/document.xml": b"<a/>", **members})
    assert "文件过多" in str(refused("方案.docx", content))
    assert stored_files(media) == []


def test_a_name_with_nul_is_refused_before_anything_is_written(media):
    refusal = refused("申报书\x00.exe.pdf", attachment_files.pdf_bytes())
    assert refusal.code == "name_nul" and "空字符" in str(refusal)
    assert not media.exists()


def test_a_csv_with_nul_is_refused_while_streaming(media):
    refusal = refused("数据.csv", b"a,b\r\n" * 5000 + b"c\x00d\r\n", kinds={"csv"})
    assert refusal.code == "nul" and stored_files(media) == []


@pytest.mark.parametrize(("name", "shown"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\Windows\\win.ini.pdf", "win.ini.pdf"),
    ("C:\\Users\\张三\\桌面\\申报书.pdf", "申报书.pdf"),
    ("报告\x07\x1b\r\n.pdf", "报告.pdf"),
    ("申报书\u202egpj.pdf", "申报书gpj.pdf"),  # a right-to-left override would show "申报书fdp.jpg"
    ('方案:第"1"版*?<>|.pdf', "方案_第_1_版_____.pdf"),
    ("  ..隐藏.pdf", "隐藏.pdf"),
    (".pdf", "附件.pdf"),
    ("青岛市   2023\u3000年.pdf", "青岛市 2023 年.pdf"),
])
def test_display_names_are_sanitised(name, shown):
    assert display_name_of(name) == shown


def test_a_very_long_name_is_cut_keeping_its_suffix():
    shown = display_name_of("信" * 300 + ".docx")
    assert len(shown) == DISPLAY_NAME_MAX_CHARS and shown.endswith("信.docx")


def test_the_stored_name_is_never_the_users(media):
    content = attachment_files.pdf_bytes()
    first = store("../../etc/passwd.pdf", content)
    second = store("../../etc/passwd.pdf", content)
    assert first.display_name == "passwd.pdf" and first.name != second.name
    assert all("passwd" not in str(p) and p.is_relative_to(media / "applications" / "17") for p in stored_files(media))


def test_the_folder_is_a_plain_relative_path():
    for folder in ["../x", "/abs", "a/../b", "a//b", ""]:
        with pytest.raises(ValueError):
            store("a.pdf", attachment_files.pdf_bytes(), folder=folder)


def test_the_total_of_an_application_is_checked_with_a_chinese_message(settings):
    settings.ICDC_UPLOAD_MAX_APPLICATION_BYTES = 10 * MB
    attachments_total_check(current_total=6 * MB, size=4 * MB)  # exactly at the limit: accepted
    with pytest.raises(Refusal) as caught:
        attachments_total_check(current_total=6 * MB, size=4 * MB + 1)
    assert caught.value.code == "total_too_large" and "总大小" in str(caught.value) and "10.0 MB" in str(caught.value)


def test_discard_on_error_deletes_the_file_when_the_recording_fails(media):
    stored = store("申报书.pdf", attachment_files.pdf_bytes())
    with pytest.raises(RuntimeError), discard_on_error(stored):
        raise RuntimeError("the transaction failed")
    assert stored_files(media) == []
    kept = store("申报书.pdf", attachment_files.pdf_bytes())
    with discard_on_error(kept):
        pass
    assert stored_files(media) == [media / kept.name]


def test_an_animated_png_is_a_png():
    from PIL import Image

    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="PNG", save_all=True, append_images=frames[1:])
    assert b"acTL" in buffer.getvalue()
    assert store("动图.png", buffer.getvalue()).kind == "png"


def test_the_hand_written_pdf_with_padding_is_a_valid_one_page_document():
    """The same generator makes bench/upload.py's 200 MB file."""
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(b"".join(attachment_files.pdf_chunks(padding=100_000))), strict=True)
    assert len(reader.pages) == 1
