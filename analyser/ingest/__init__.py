"""Ingest: a file on disk → a Document holding clean blocks (one reader per format)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from ..errors import IngestError
from ..model import Block, Document
from . import guard
from .cleanup import tidy
from .html import read_html
from .pdf import read_pdf
from .text import read_text
from .word import read_word

READERS = {
    ".txt": ("text", read_text),
    ".md": ("markdown", read_text),
    ".text": ("text", read_text),
    ".docx": ("docx", read_word),
    ".pdf": ("pdf", read_pdf),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
}

MAX_BYTES = 50 * 1024 * 1024


def document_id(path: Path) -> str:
    """Returns the document id for a file: its stem, made lower-case letters, digits, '_' and '-'."""
    stem = path.stem
    if re.fullmatch(r"[a-z0-9_-]+", stem):
        return stem
    return re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-") or "document"


def supported(path: Path) -> bool:
    """Returns whether a file has a suffix we can read."""
    return path.suffix.lower() in READERS


def has_revisions(document: Document) -> bool:
    """Returns whether a document carries tracked changes (some block reads differently before them)."""
    return document.revised


def _as_original(block: Block) -> Block:
    if block.original is None:
        return block
    return replace(block, text=block.original, original=None, kind="paragraph" if block.kind == "note" else block.kind)


def load_document(path: str | Path, *, doc_id: str | None = None, original: bool = False) -> Document:
    """Returns the document in a file, with clean blocks and its metadata (not yet segmented);
    with `original`, the document as it stood before its tracked changes (changes rejected)."""
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise IngestError(source, f"unsupported file type '{suffix or '(none)'}': use .docx, .pdf, .txt, .md or .html")
    guard.check_path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise IngestError(source, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it or raise the limit")
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(source, f"cannot be read ({e.strerror or e})") from e
    if not data:
        raise IngestError(source, "the file is empty")
    fmt, reader = READERS[suffix]
    guard.check_input(data, fmt, source)
    blocks: tuple[Block, ...] = guard.checked_blocks(guard.read(reader, data, source), source)
    if original:
        blocks = tuple(_as_original(b) for b in blocks)
    clean, metadata, commentary, furniture = tidy(blocks, fallback_title=path.stem)
    if original:
        metadata = replace(metadata, title=f"{metadata.title} (before tracked changes)")
    if not any(b.text for b in clean):
        raise IngestError(source, "no text found in the file")
    return Document(
        id=doc_id or document_id(path),
        source=source,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        metadata=metadata,
        blocks=clean,
        annotations=commentary,
        furniture=furniture,
        revised=any(b.original is not None for b in clean),
    )
