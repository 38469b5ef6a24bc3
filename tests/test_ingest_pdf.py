"""The PDF reader, on small PDFs written for the test: paragraphs rebuilt from printed lines,
running headers and footers dropped, hyphens rejoined, headings from font size, bad files refused."""
from __future__ import annotations

import pytest


from .builders import assert_refused_in_one_line
from analyser.ingest import load_document
from analyser.ingest.pdf import read_pdf

PAGE_HEIGHT = 842


def _width(text: str, size: float, bold: bool = False) -> float:
    from pdfminer.fontmetrics import FONT_METRICS

    widths = FONT_METRICS["Helvetica-Bold" if bold else "Helvetica"][1]
    return sum(widths.get(ch, 556) for ch in text) * size / 1000


def _wrap(text: str, width: float, size: float = 11, hang: float = 0) -> list[str]:
    """Returns the lines a word processor would set: as many words as fit on each (the first line
    `hang` wider), breaking a word that does not fit at a hyphen or a soft hyphen ("~") if it can."""
    lines, line = [], ""
    for word in text.split():
        room = width + (hang if not lines else 0)
        candidate = f"{line} {word}".strip()
        if line and _width(candidate.replace("~", ""), size) > room:
            breaks = [i for i, ch in enumerate(word) if ch in "-~"]
            split = next((i for i in reversed(breaks)
                          if _width(f"{line} {word[:i]}-".replace("~", ""), size) <= room), None)
            if split is not None:
                lines.append(f"{line} {word[:split]}-".replace("~", ""))
                candidate = word[split + 1:]
            else:
                lines.append(line.replace("~", ""))
                candidate = word
        line = candidate
    return lines + [line.replace("~", "")] if line else lines


def _ending_line_with(word: str, tail: str) -> str:
    """Returns a paragraph whose first printed line ends by breaking `word` at its hyphen."""
    filler = ("Members and officers of the council work together with care and respect in all that they do "
              "for the people of the town and its many visitors every day").split()
    for n in range(1, len(filler)):
        text = " ".join(filler[:n] + [word, tail])
        if _wrap(text, 450)[0].endswith(word.replace("~", "-").split("-")[0] + "-"):
            return text
    raise AssertionError(f"no filler breaks the first line at {word}")


class Page:
    """Collects the lines of one test page, top down, as (x, top, size, bold, text)."""

    def __init__(self, header: str | None = None, footer: str | None = None):
        self.lines: list[tuple[float, float, float, bool, str]] = []
        self.top = 80.0
        if header:
            self.lines.append((72, 36, 9, False, header))
        if footer:
            self.lines.append((260, 800, 9, False, footer))

    def line(self, text: str, x: float = 72, size: float = 11, bold: bool = False, pitch: float | None = None) -> None:
        self.lines.append((x, self.top, size, bold, text))
        self.top += pitch if pitch is not None else size * 1.3

    def paragraph(self, text: str, x: float = 72, hang: float = 0, width: float = 450, after: float = 8) -> None:
        for i, line in enumerate(_wrap(text, width - hang, hang=hang)):
            self.line(line, x + (hang if i else 0))
        self.top += after


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[Page], encrypted: bool = False, drawing_only: bool = False) -> bytes:
    """Returns a PDF of Helvetica text lines (or, with `drawing_only`, of a filled box and no text)."""
    objects: list[bytes] = []
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for i, page in enumerate(pages):
        if drawing_only:
            stream = b"0.5 g 72 500 300 200 re f"
        else:
            parts = []
            for x, top, size, bold, text in page.lines:
                y = PAGE_HEIGHT - top - size * 0.8
                encoded = _escape(text).encode("cp1252").decode("latin-1")
                parts.append(f"BT /{'F2' if bold else 'F1'} {size} Tf {x:.2f} {y:.2f} Td ({encoded}) Tj ET")
            stream = "\n".join(parts).encode("latin-1")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 {PAGE_HEIGHT}] "
                       f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {6 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if encrypted:  # a user password is set: the owner and user keys below match no empty password
        key = "AB" * 32
        trailer += f" /Encrypt << /Filter /Standard /V 1 /R 2 /O <{key}> /U <{key}> /P -4 >> /ID [<{'01' * 16}> <{'01' * 16}>]"
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


LONG = ("Members and officers work together in the interests of the council and its residents, with "
        "mutual respect, courtesy and trust, and each respects the other's role and responsibilities at all times.")
OVER_PAGE = ("Officers give impartial advice to every member whatever their party, and they carry out the "
             "decisions of the council and its committees faithfully, even where they advised against them, "
             "and they report to members on how those decisions have been carried out.")


HYPHEN = _ending_line_with("non-elected", "members serve on committees.")
SOFT = _ending_line_with("responsi~bility", "is the same for every member.")


@pytest.fixture()
def protocol_pdf(tmp_path):
    header, pages = "Anytown Town Council Member/Officer Protocol", []
    first = Page(header, "Page 1 of 3")
    first.line("Member/Officer Protocol", size=24, pitch=40)
    first.line("1. Introduction", size=14, bold=True, pitch=24)
    first.paragraph("1.1 " + LONG, hang=28)
    first.paragraph("1.2 Members must not press officers to act unlawfully. Members must respect the responsibilities "
                    "of officers, who answer to the council as a whole.", hang=28)
    first.line("• openly;", x=100, pitch=14)
    first.line("• honestly; and", x=100, pitch=14)
    first.line("• promptly.", x=100, pitch=22)
    first.paragraph(HYPHEN)  # a printed hyphen at a line end stays
    first.paragraph(SOFT)  # a word broken by hyphenation is mended
    first.paragraph("This responsibility is shared by every member.")
    lines = _wrap(OVER_PAGE, 450)
    first.top = 760
    first.line(lines[0])
    first.line(lines[1])
    pages.append(first)
    second = Page(header, "Page 2 of 3")
    second.top = 62
    for line in lines[2:]:
        second.line(line)
    second.top += 8
    second.line("2. Roles", size=14, bold=True, pitch=24)
    second.paragraph("2.1 Members set policy; officers carry it out.", hang=28)
    pages.append(second)
    third = Page(header, "Page 3 of 3")
    third.paragraph("2.2 The Monitoring Officer interprets this protocol.", hang=28)
    pages.append(third)
    path = tmp_path / "protocol.pdf"
    path.write_bytes(make_pdf(pages))
    return path


def test_pdf_rebuilds_paragraphs_and_drops_furniture(protocol_pdf):
    blocks = read_pdf(protocol_pdf.read_bytes(), str(protocol_pdf))
    texts = [b.text for b in blocks]
    assert texts == [
        "Member/Officer Protocol",
        "1. Introduction",
        "1.1 " + LONG,
        "1.2 Members must not press officers to act unlawfully. Members must respect the responsibilities "
        "of officers, who answer to the council as a whole.",
        "• openly;", "• honestly; and", "• promptly.",
        HYPHEN, SOFT.replace("~", ""),
        "This responsibility is shared by every member.",
        OVER_PAGE,
        "2. Roles",
        "2.1 Members set policy; officers carry it out.",
        "2.2 The Monitoring Officer interprets this protocol.",
    ]


def test_pdf_headings_from_font_size(protocol_pdf):
    blocks = read_pdf(protocol_pdf.read_bytes(), str(protocol_pdf))
    kinds = {b.text: (b.kind, b.level) for b in blocks}
    assert kinds["Member/Officer Protocol"] == ("title", 0)
    assert kinds["1. Introduction"] == ("heading", 1)
    assert kinds["2. Roles"] == ("heading", 1)
    assert kinds["2.1 Members set policy; officers carry it out."] == ("paragraph", None)


def test_pdf_document_segments_into_numbered_clauses(protocol_pdf):
    from analyser.segment import segment

    document = segment(load_document(protocol_pdf))
    numbers = [c.number for c in document.clauses if c.number]
    assert numbers == ["1", "1.1", "1.2", "2", "2.1", "2.2"]
    assert document.metadata.title == "Member/Officer Protocol"


@pytest.mark.parametrize("name, data, reason", [
    ("encrypted.pdf", make_pdf([Page()], encrypted=True), "encrypted"),
    ("scan.pdf", make_pdf([Page()], drawing_only=True), "no text layer"),
    ("fake.pdf", b"Member/Officer Protocol\n", "not a PDF"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "corrupt or unreadable"),
])
def test_pdf_bad_files_fail_with_one_line(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    assert_refused_in_one_line(path, reason)


def _leader(entry: str, page: str, width: float = 450) -> str:
    dots = 1
    while _width(f"{entry}{'.' * (dots + 1)}{page}", 11) <= width:
        dots += 1
    return f"{entry}{'.' * dots}{page}"


def test_pdf_without_paragraph_spacing_splits_on_leaders_and_items(tmp_path):
    page = Page()
    lead_in = ("If a member is contacted by the media on an issue that concerns the council, "
               "its services or its officers, they should:")
    lines = ["Contents", _leader("Introduction", "3"), _leader("Roles of members", "4"), *_wrap(lead_in, 450),
             "a. say in what capacity they are speaking;", "b. avoid commenting on officers."]
    for text in lines:
        page.line(text, x=100 if text[:2] in ("a.", "b.") else 72, pitch=14)
    path = tmp_path / "tight.pdf"
    path.write_bytes(make_pdf([page]))
    texts = [b.text for b in read_pdf(path.read_bytes(), str(path))]
    assert texts == ["Contents", lines[1], lines[2], lead_in, lines[-2], lines[-1]]


def test_pdf_footnotes_become_annotations(tmp_path):
    page = Page()
    page.paragraph("3.1 Members may use council resources for council business only.1", hang=28)
    page.paragraph("3.2 Officers advise members on the rules.", hang=28)
    page.top = 760
    page.line("1 See the Members' Code of Conduct, paragraph 7, and the", size=8, pitch=10)
    page.line("guidance issued with it.", size=8, pitch=10)
    path = tmp_path / "notes.pdf"
    path.write_bytes(make_pdf([page]))
    blocks = read_pdf(path.read_bytes(), str(path))
    assert [b.text for b in blocks][-1] == "3.2 Officers advise members on the rules."
    assert blocks[-1].annotations == ("Footnote 1 See the Members' Code of Conduct, paragraph 7, and the guidance issued with it.",)
