"""Small real files of every attachment kind, built in memory (used by the tests and bench/upload.py).

The PDF is written by hand (a one-page document with a correct cross-reference table; its
optional padding is an unreferenced stream object, so a 200 MB PDF can be streamed without
being held); DOCX with python-docx (and by hand, the minimal package Word
opens); XLSX with openpyxl; PNG and JPEG with Pillow.
"""

from __future__ import annotations

import io
import zipfile

from tests.lib import hostile_files

MB = 1024 * 1024
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def pdf_chunks(padding: int = 0, chunk: int = MB):
    """A valid one-page PDF, piece by piece; ``padding`` bytes of an unreferenced stream object."""
    written = 0
    offsets = []

    def emit(data: bytes):
        nonlocal written
        written += len(data)
        return data

    yield emit(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    for number, body in enumerate([b"<< /Type /Catalog /Pages 2 0 R >>",
                                   b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"], 1):
        offsets.append(written)
        yield emit(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    if padding:
        offsets.append(written)
        yield emit(b"4 0 obj\n<< /Length %d >>\nstream\n" % padding)
        block = b"0" * chunk
        left = padding
        while left:
            yield emit(block[:min(left, chunk)])
            left -= min(left, chunk)
        yield emit(b"\nendstream\nendobj\n")
    xref, count = written, len(offsets) + 1
    yield emit(b"xref\n0 %d\n0000000000 65535 f \n" % count + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    yield emit(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref))


def pdf_size(padding: int = 0) -> int:
    return sum(len(c) for c in pdf_chunks(padding))


def pdf_bytes() -> bytes:
    return b"".join(pdf_chunks())


def ooxml_bytes(main_part: str, *, members: dict[str, bytes] | None = None, first: dict[str, bytes] | None = None
                ) -> bytes:
    """An OOXML package whose officeDocument relationship targets ``main_part``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (first or {}).items():
            archive.writestr(name, data)
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
                                        f'Type="{OFFICE_DOCUMENT}" Target="{main_part}"/></Relationships>')
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(text: str = "信息消费示范城市申报书") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minimal_docx_bytes(text: str = "信息消费示范城市申报书") -> bytes:
    """The smallest package Word opens, by hand."""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{WORD}"><w:body>'
                f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>")
    return ooxml_bytes("word/document.xml", members={"word/document.xml": document.encode()})


def xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["城市", "指标", "数值"])
    book.active.append(["青岛市", "D1.1", 1523.5])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def image_bytes(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buffer, format={"jpg": "JPEG", "png": "PNG"}[kind])
    return buffer.getvalue()


def zip_bomb_docx(inflated_mb: int = 40) -> bytes:
    """A .docx with a real main part and one member inflating ~1000:1 to ``inflated_mb``."""
    good = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    members = [hostile_files.Member(info.filename, good.read(info.filename)) for info in good.infolist()]
    members.append(hostile_files.repeated(b"", b"A", inflated_mb, b"", "word/media/image1.bin"))
    return hostile_files.zip_bytes(members)


BUILDERS = {"pdf": pdf_bytes, "docx": docx_bytes, "xlsx": xlsx_bytes,
            "jpg": lambda: image_bytes("jpg"), "png": lambda: image_bytes("png")}
