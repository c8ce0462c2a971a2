"""Hostile uploads, built in memory in about a second each: used by the tests and by
``bench/hostile_uploads.py``.

Zip bombs are written by hand: a deflate block of 1 MB of repeated text, made after a full
flush, is byte-for-byte the same each time, so a member that inflates to 1 GB is that block
written 1,024 times (about 1 MB) and needs no gigabyte of compression work to build.
"""

from __future__ import annotations

import random
import struct
import zlib

MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = ["城市代码", "城市名称", "年份", "指标代码", "数值", "单位", "数据来源", "来源说明"]


class Member:
    """One ZIP member: raw deflate data with the inflated size and CRC."""

    def __init__(self, name, data=b"", *, raw=None, size=None, crc=None):
        self.name = name.encode()
        if raw is None:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = compressor.compress(data) + compressor.flush()
            size, crc = len(data), zlib.crc32(data)
        self.raw, self.size, self.crc = raw, size, crc


def repeated(prefix: bytes, unit: bytes, times_mb: int, suffix: bytes, name: str) -> Member:
    """A member inflating to prefix + (1 MB of ``unit``) × ``times_mb`` + suffix."""
    chunk = unit * (MB // len(unit))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times_mb):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    return Member(name, raw=head + block * times_mb + tail, size=len(prefix) + len(chunk) * times_mb + len(suffix),
                  crc=crc)


def zip_bytes(members) -> bytes:
    out, directory = bytearray(), bytearray()
    for m in members:
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, m.crc, len(m.raw), m.size, len(m.name), 0)
        out += m.name + m.raw
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, m.crc, len(m.raw), m.size,
                                 len(m.name), 0, 0, 0, 0, 0, offset) + m.name
    count = len(members)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, min(count, 0xFFFF), min(count, 0xFFFF), len(directory),
                      len(out), 0)
    return bytes(out + directory + end)


def _parts(sheet: Member, strings: Member | None = None, extra=()) -> list[Member]:
    types = (b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Default Extension="xml" ContentType="application/xml"/></Types>')
    string_rel = (f'<Relationship Id="rId2" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                  if strings else "")
    return [
        Member("[Content_Types].xml", types),
        Member("_rels/.rels", (f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
                               f'Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode()),
        Member("xl/workbook.xml", (f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_REL}"><sheets>'
                                   f'<sheet name="统计数据" sheetId="1" r:id="rId1"/></sheets></workbook>').encode()),
        Member("xl/_rels/workbook.xml.rels", (f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
                                              f'Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                                              f"{string_rel}</Relationships>").encode()),
        sheet,
        *([strings] if strings else []),
        *extra,
    ]


def _sheet(rows_xml: bytes) -> Member:
    return Member("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + rows_xml
                  + b"</sheetData></worksheet>")


def _header_row() -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADER)
    return f'<row r="1">{cells}</row>'.encode()


def one_row_of_ten_million_cells() -> bytes:
    """417 kB in the issue: one <row> holding 10 million cells (140 MB of XML)."""
    sheet = repeated(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode(), b"<c><v>1</v></c>", 140,
                     b"</row></sheetData></worksheet>", "xl/worksheets/sheet1.xml")
    return zip_bytes(_parts(sheet))


def wide_row_within_archive_limits() -> bytes:
    """One row of 100,000 different numbers: passes the archive checks, meets the column cap."""
    rng = random.Random(7)
    cells = b"".join(b"<c><v>%d</v></c>" % rng.randrange(10**9) for _ in range(100_000))
    return zip_bytes(_parts(_sheet(_header_row() + b'<row r="2">' + cells + b"</row>")))


def every_column_filled() -> bytes:
    """8,000 rows × 32 different numbers: within the row and column caps, past the cell cap."""
    rng = random.Random(8)
    rows = b"".join(b'<row r="%d">' % (r + 2) + b"".join(b"<c><v>%d</v></c>" % rng.randrange(10**9) for _ in range(32))
                    + b"</row>" for r in range(8000))
    return zip_bytes(_parts(_sheet(_header_row() + rows)))


def padded_with_elements() -> bytes:
    """A good header, then 1.2 million elements the reader does not know, each different."""
    padding = b"".join(b'<x a="%d"/>' % n for n in range(1_200_000))
    return zip_bytes(_parts(_sheet(_header_row() + b"<row r=\"2\">" + padding + b"</row>")))


def one_gigabyte_shared_string() -> bytes:
    """About 1 MB: a shared string table whose one string inflates to 1 GB."""
    strings = repeated(f'<sst xmlns="{MAIN}"><si><t>'.encode(), b"a", 1024, b"</t></si></sst>", "xl/sharedStrings.xml")
    return zip_bytes(_parts(_sheet(b'<row r="1"><c t="s"><v>0</v></c></row>'), strings))


def many_shared_strings() -> bytes:
    """10 million one-letter shared strings (160 MB of XML in about 0.5 MB)."""
    strings = repeated(f'<sst xmlns="{MAIN}">'.encode(), b"<si><t>a</t></si>", 160, b"</sst>", "xl/sharedStrings.xml")
    return zip_bytes(_parts(_sheet(b'<row r="1"><c t="s"><v>0</v></c></row>'), strings))


def many_distinct_shared_strings() -> bytes:
    """200,000 different strings: within the archive limits, past the statistics' string cap."""
    body = b"".join(b"<si><t>%d</t></si>" % n for n in range(200_000))
    strings = Member("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">'.encode() + body + b"</sst>")
    return zip_bytes(_parts(_sheet(b'<row r="1"><c t="s"><v>0</v></c></row>'), strings))


def huge_ratio_member() -> bytes:
    """A good sheet plus a 30 MB "image" of zeros (ratio ~1000)."""
    image = repeated(b"", b"\x00", 30, b"", "xl/media/image1.png")
    return zip_bytes(_parts(_sheet(_header_row()), extra=[image]))


def too_many_members() -> bytes:
    """A good sheet plus 20,000 empty members."""
    return zip_bytes(_parts(_sheet(_header_row()), extra=[Member(f"xl/x/{n}.xml") for n in range(20_000)]))


def with_dtd() -> bytes:
    """A billion-laughs entity declaration in the worksheet."""
    dtd = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    sheet = Member("xl/worksheets/sheet1.xml", dtd + f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
                   f'<c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'.encode())
    return zip_bytes(_parts(sheet))


def malformed_xml() -> bytes:
    return zip_bytes(_parts(Member("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData><row>'
                                                               f"<c><v>1</v></row".encode())))


HOSTILE = {
    "one-row-ten-million-cells.xlsx": one_row_of_ten_million_cells,
    "wide-row.xlsx": wide_row_within_archive_limits,
    "every-column-filled.xlsx": every_column_filled,
    "padded-with-elements.xlsx": padded_with_elements,
    "shared-string-1gb.xlsx": one_gigabyte_shared_string,
    "many-shared-strings.xlsx": many_shared_strings,
    "many-distinct-strings.xlsx": many_distinct_shared_strings,
    "huge-ratio-member.xlsx": huge_ratio_member,
    "too-many-members.xlsx": too_many_members,
    "dtd.xlsx": with_dtd,
    "malformed.xlsx": malformed_xml,
}


def good_statistics_rows(count: int):
    """``count`` rows of the layout (the cities and indicator may not exist: reading is timed)."""
    return [["370200", "青岛市", 2023, f"D{n % 9}.{n % 7}", 1523.5 + n, "亿元", "国家统计局", f"说明{n}"]
            for n in range(count)]
