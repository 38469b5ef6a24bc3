"""PDF files through pdfplumber: lines joined into paragraphs, running headers and footers dropped."""
from __future__ import annotations

import io
import re
from collections import Counter

from ..errors import IngestError
from ..model import Block

MAX_PAGES = 2000


def read_pdf(data: bytes, source: str) -> tuple[Block, ...]:
    """Returns the blocks of a PDF's text layer, without lines repeated at the top or bottom of pages."""
    import pdfplumber  # pdfplumber stays inside this module

    if not data.startswith(b"%PDF"):
        raise IngestError(source, "not a PDF file (no %PDF header)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:
        name = type(e).__name__
        if "Password" in name or "encrypt" in str(e).lower():
            raise IngestError(source, "the PDF is encrypted: save an unprotected copy and try again") from e
        raise IngestError(source, f"corrupt or unreadable PDF ({name})") from e
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise IngestError(source, f"the PDF has {len(pdf.pages)} pages, more than the limit of {MAX_PAGES}")
        pages = [(page.extract_text() or "").split("\n") for page in pdf.pages]
    if not any(line.strip() for lines in pages for line in lines):
        raise IngestError(source, "the PDF has no text layer (a scan?): run OCR on it first")
    repeated = _running_lines(pages)
    blocks: list[Block] = []
    for number, lines in enumerate(pages, start=1):
        for line in lines:
            line = line.strip()
            if not line or _norm(line) in repeated or re.match(r"^page \d+( of \d+)?$", line, re.I):
                continue
            blocks.append(Block(text=line, page=number))
    return tuple(blocks)


def _norm(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines that open or close many pages: running headers, footers and page numbers."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = [l for l in lines if l.strip()]
        for line in set(edge[:2] + edge[-2:]):
            counts[_norm(line)] += 1
    return {line for line, n in counts.items() if n >= max(3, len(pages) // 2)}
