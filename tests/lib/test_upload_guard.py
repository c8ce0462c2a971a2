"""The one upload guard: kind by content, size, archive limits, NUL bytes; refusals in Chinese."""

import io
import re
import zipfile

import pytest

from icdc.lib.refusals import Refusal
from icdc.lib.uploads import ArchiveLimits, archive_check, upload_check
from tests.lib import hostile_files

CJK = re.compile(r"[\u4e00-\u9fff]")


def _good_xlsx():
    return hostile_files.zip_bytes(hostile_files._parts(hostile_files._sheet(hostile_files._header_row())))


def _refusal(**kwargs):
    with pytest.raises(Refusal) as caught:
        upload_check(**kwargs)
    assert CJK.search(str(caught.value)), str(caught.value)
    return caught.value


def test_a_workbook_and_a_csv_pass():
    assert upload_check(name="a.xlsx", content=_good_xlsx(), kinds={"xlsx", "csv"}) == "xlsx"
    assert upload_check(name="a.CSV", content="城市代码\r\n".encode(), kinds={"xlsx", "csv"}) == "csv"


@pytest.mark.parametrize(("name", "content", "code"), [
    ("a.xlsx", b"MZ\x90\x00" + b"\x00" * 100, "kind_mismatch"),  # a program renamed
    ("a.xlsx", b"a,b\r\n1,2\r\n", "kind_mismatch"),  # a CSV renamed
    ("a.csv", b"%PDF-1.7\n" + b"x" * 100, "kind_mismatch"),  # a PDF renamed
    ("a.exe", b"a,b", "kind"),
    ("a", b"a,b", "kind"),
    ("a.csv", b"", "empty"),
    ("a.csv", b"a,b\x00c\r\n", "nul"),
    ("a\x00.csv", b"a,b", "name_nul"),
])
def test_the_kind_is_judged_by_content_and_name(name, content, code):
    assert _refusal(name=name, content=content, kinds={"xlsx", "csv"}).code == code


def test_a_plain_zip_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _refusal(name="a.xlsx", content=buffer.getvalue(), kinds={"xlsx"}).code == "kind_mismatch"


def test_a_workbook_is_judged_by_its_main_part_and_the_refusal_says_what_it_is():
    from tests.lib.attachment_files import docx_bytes

    refusal = _refusal(name="数据.xlsx", content=docx_bytes(), kinds={"xlsx"})
    assert refusal.code == "kind_mismatch" and "数据.xlsx" in str(refusal) and "Word 文档" in str(refusal)


def test_the_size_limit_comes_from_settings(settings):
    settings.ICDC_UPLOAD_MAX_BYTES = 10
    refusal = _refusal(name="a.csv", content=b"a" * 11, kinds={"csv"})
    assert refusal.code == "too_large" and "上限" in str(refusal)


def test_archive_limits_per_member_total_ratio_and_count():
    content = _good_xlsx()
    archive_check(content, ArchiveLimits.from_settings())
    for limits, message in [
        (ArchiveLimits(members=3, member_bytes=10**9, total_bytes=10**9, ratio=1000), "文件过多"),
        (ArchiveLimits(members=100, member_bytes=100, total_bytes=10**9, ratio=1000), "解压后过大"),
        (ArchiveLimits(members=100, member_bytes=10**9, total_bytes=500, ratio=1000), "解压后过大"),
    ]:
        with pytest.raises(Refusal, match=message):
            archive_check(content, limits)
    with pytest.raises(Refusal, match="压缩比异常"):
        archive_check(hostile_files.huge_ratio_member(), ArchiveLimits.from_settings(member_bytes=10**9,
                                                                                      total_bytes=10**9))


def test_an_encrypted_member_is_refused():
    content = bytearray(_good_xlsx())
    at = content.find(b"PK\x01\x02")  # the first central-directory entry: set "encrypted"
    content[at + 8] |= 1
    with pytest.raises(Refusal, match="加密"):
        archive_check(bytes(content), ArchiveLimits.from_settings())
