"""Small input files built at test time: protocols, Word packages and PDFs, good and hostile."""
from __future__ import annotations

import io
import zipfile
import zlib

DRAFT = """Protocol on Member and Officer Relations

1. Introduction
1.1 This protocol guides the relationship between councillors and officers of the council.
1.2 Members must treat officers with courtesy and respect at all times.

2. Officers
2.1 Officers must give impartial advice to all members.
2.2 Officers may wish to seek the advice of the Monitoring Officer where a concern arises.
"""

PEER = """Member and Officer Protocol

1. Introduction
1.1 This protocol guides the relationship between councillors and officers of the council.
1.2 Members must treat officers with courtesy and respect at all times.

2. Officers
2.1 Officers must give impartial advice to all members.
2.2 Officers should seek the advice of the Monitoring Officer where a concern arises.
2.3 Members have a right of access to council premises for the purposes of their duties.
2.4 Officers must respond to correspondence from members within ten working days.
"""


def docx_bytes(paragraphs: list[str]) -> bytes:
    """Returns a real .docx made with python-docx holding the paragraphs."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_parts(package: bytes, parts: dict[str, bytes]) -> bytes:
    """Returns the zip package with some parts' content replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename not in parts:
                out.writestr(info, source.read(info.filename))
        for name, data in parts.items():
            out.writestr(name, data)
    return buffer.getvalue()


def pdf_bytes(pages: list[list[str]], *, extra_objects: list[bytes] = ()) -> bytes:
    """Returns a minimal valid PDF with one text line per entry on each page (Helvetica)."""
    objects: list[bytes] = []
    kids = []
    font_id = 3
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # the page tree, filled in below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for lines in pages:
        content = b"BT /F1 11 Tf 72 760 Td 14 TL " + b" ".join(
            b"(" + line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '"
            for line in lines) + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        content_id = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content_id, font_id))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    objects.extend(extra_objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def flate_stream(size: int) -> bytes:
    """Returns a PDF stream object body whose Flate data unpacks to `size` zero bytes."""
    packed = zlib.compress(b"\0" * size, 9)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"


def assert_refused_in_one_line(path, reason: str) -> None:
    """Asserts that reading `path` raises an IngestError of one line naming the file and the reason."""
    import pytest

    from analyser.errors import IngestError
    from analyser.ingest import load_document

    with pytest.raises(IngestError) as error:
        load_document(path)
    message = str(error.value)
    assert path.name in message and reason in message and "\n" not in message
