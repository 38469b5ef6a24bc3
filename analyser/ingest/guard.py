"""Checks made before and around the readers, so a hostile file is refused with a reason, not obeyed.

Each check is cheap next to the parse it protects: a .docx is unpacked once as a stream with caps
on every size and its XML scanned for depth, entity declarations and element counts; a PDF's
objects, pages and compressed streams are counted from its bytes; text is measured line by line.
A time cap (SIGALRM, so only on the main thread of a POSIX process) stops what slips past them.
"""
from __future__ import annotations

import io
import re
import signal
import stat
import threading
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import AnalyserError, IngestError
from ..model import Block

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Holds the caps that keep one input file from exhausting memory or time."""

    zip_members: int = 2_000
    zip_member_bytes: int = 100 * MB  # uncompressed, declared or actual
    zip_total_bytes: int = 250 * MB
    xml_depth: int = 200  # Word's own nesting (tables in tables, text boxes) stays well under 100
    xml_elements: int = 5_000_000  # per part
    pdf_objects: int = 200_000
    pdf_pages: int = 2_000
    pdf_stream_bytes: int = 500 * MB  # all decompressed Flate streams together
    line_chars: int = 100_000  # one paragraph; a protocol's longest is a few thousand
    run_chars: int = 1_000  # characters without a space: tokenisers slow down quadratically on such runs
    seconds: float = 60.0  # reading and segmenting one file


LIMITS = Limits()

# characters that must not reach a terminal or a one-line message: controls and bidi overrides
_ODD_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# control characters that have no business in extracted text (tab and newline stay)
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Returns text safe to print on one line: control and bidi characters shown as escapes."""
    return _ODD_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", text)


def check_path(path: Path) -> None:
    """Raises IngestError unless the path names a regular file whose name prints safely."""
    if _ODD_CHARS.search(path.name):
        raise IngestError(printable(str(path)), "the file name holds control or text-direction characters: "
                                                "rename the file and try again")
    try:
        mode = path.stat().st_mode
    except OSError as e:
        raise IngestError(str(path), f"cannot be read ({e.strerror or e})") from e
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise IngestError(str(path), f"not a regular file ({kind}): name a protocol file")


def check_input(data: bytes, fmt: str, source: str, *, limits: Limits | None = None) -> None:
    """Raises IngestError when a file's bytes break a limit for its format, before any reader sees them."""
    check = {"docx": check_zip, "pdf": check_pdf, "text": check_text, "markdown": check_text}.get(fmt)
    if check is not None:
        check(data, source, limits=limits or LIMITS)


def check_zip(data: bytes, source: str, *, limits: Limits | None = None) -> None:
    """Raises IngestError for a zip bomb: too many parts, or parts too large as declared or as unpacked."""
    limits = limits or LIMITS
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except Exception:  # not a zip at all: the reader says so in its own words
        return
    if len(members) > limits.zip_members:
        raise IngestError(source, f"the .docx package holds {len(members):,} parts, over the limit of "
                                  f"{limits.zip_members:,}: it may be built to exhaust memory")
    declared = 0
    for member in members:
        declared += member.file_size
        if member.file_size > limits.zip_member_bytes or declared > limits.zip_total_bytes:
            raise IngestError(source, _bomb(member.filename, "declared", member.file_size, declared, limits))
    unpacked = 0
    for member in members:
        if member.is_dir():
            continue
        xml = [] if _is_xml(member.filename) else None
        size = 0
        try:
            with package.open(member) as stream:
                # read past the declared size on purpose: a lying header must not widen the cap
                while chunk := stream.read(MB):
                    size += len(chunk)
                    unpacked += len(chunk)
                    if size > limits.zip_member_bytes or unpacked > limits.zip_total_bytes:
                        raise IngestError(source, _bomb(member.filename, "unpacked", size, unpacked, limits))
                    if xml is not None:
                        xml.append(chunk)
        except IngestError:
            raise
        except Exception as e:  # CRC mismatch, encrypted part, unknown compression, truncated stream
            raise IngestError(source, f"corrupt .docx package: part {printable(member.filename)} cannot be "
                                      f"unpacked ({type(e).__name__}: {printable(str(e))[:120]})") from e
        if xml is not None:
            _check_xml(member.filename, b"".join(xml), source, limits)


def _bomb(name: str, how: str, size: int, total: int, limits: Limits) -> str:
    return (f"the .docx package is too large when unpacked (part {printable(name)}: {size / MB:,.0f} MB {how}, "
            f"{total / MB:,.0f} MB in all; limits {limits.zip_member_bytes // MB} MB a part, "
            f"{limits.zip_total_bytes // MB} MB in all): it may be a zip bomb")


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _check_xml(name: str, xml: bytes, source: str, limits: Limits) -> None:
    """Raises IngestError for an XML part that declares a DTD, nests too deeply or holds too many elements."""
    from lxml import etree  # lxml comes with python-docx

    name = printable(name)
    # Office XML never declares a DTD: one here exists only to expand entities (a "billion laughs")
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise IngestError(source, f"the .docx part {name} declares a DTD or entities, which Word never writes: "
                                  "refused as a possible entity-expansion attack")
    deep = IngestError(source, f"the .docx part {name} nests XML more than {limits.xml_depth} levels deep: "
                               "refused as hostile")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        # parsed whole, in C: python-docx parses the same part next, so the peak memory is no higher
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as e:
        if "depth" in str(e).lower():  # libxml2 stops at 256 levels on its own
            raise deep from e
        return  # malformed XML is the reader's to judge: it may never parse this part
    if root.getroottree().docinfo.doctype or root.getroottree().docinfo.internalDTD is not None:
        raise IngestError(source, f"the .docx part {name} declares a DTD, which Word never writes: refused as a "
                                  "possible entity-expansion attack")
    if root.xpath("boolean(" + "/*" * (limits.xml_depth + 1) + ")"):
        raise deep
    if root.xpath("count(//*)") > limits.xml_elements:
        raise IngestError(source, f"the .docx part {name} holds more than {limits.xml_elements:,} XML elements: "
                                  "refused as hostile")


_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_PDF_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm")
_PDF_COUNT = re.compile(rb"/N\s+(\d+)")
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def check_pdf(data: bytes, source: str, *, limits: Limits | None = None) -> None:
    """Raises IngestError for a PDF with too many objects or pages, or streams that unpack too large."""
    limits = limits or LIMITS
    if not data.lstrip()[:1024].startswith(b"%PDF"):
        return  # not a PDF: the reader says so in its own words
    objects = sum(1 for _ in _PDF_OBJECT.finditer(data))
    for m in _PDF_OBJECT_STREAM.finditer(data):
        count = _PDF_COUNT.search(data, max(0, m.start() - 400), m.end() + 400)
        objects += int(count.group(1)) if count else 0
        if objects > limits.pdf_objects:
            break
    if objects > limits.pdf_objects:
        raise IngestError(source, f"the PDF holds about {objects:,} objects, over the limit of "
                                  f"{limits.pdf_objects:,}: split it or check where it came from")
    pages = sum(1 for _ in _PDF_PAGE.finditer(data))
    if pages > limits.pdf_pages:
        raise IngestError(source, f"the PDF has {pages:,} pages, over the limit of {limits.pdf_pages:,}: "
                                  "split it into the protocol itself")
    unpacked = 0
    for m in _PDF_STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        unpacked += _inflated_size(data[m.end():end], limits.pdf_stream_bytes - unpacked + 1)
        if unpacked > limits.pdf_stream_bytes:
            raise IngestError(source, f"the PDF's compressed streams unpack to more than "
                                      f"{limits.pdf_stream_bytes // MB} MB: it may be a decompression bomb")


def _inflated_size(body: bytes, budget: int) -> int:
    """Returns how large a Flate stream unpacks, counting no further than budget (0 if not Flate)."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        while body and size < budget:
            piece = inflater.decompress(body, min(MB, budget - size))
            if not piece:
                break
            size += len(piece)
            body = inflater.unconsumed_tail
    except zlib.error:
        pass  # another filter, or damage: the reader decides
    return size


def check_text(data: bytes, source: str, *, limits: Limits | None = None) -> None:
    """Raises IngestError for text whose lines or unbroken runs are too long to be protocol prose."""
    limits = limits or LIMITS
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    check_lines(text, source, limits=limits)


def check_lines(text: str, source: str, *, limits: Limits | None = None) -> None:
    """Raises IngestError for a line or an unbroken run of characters beyond the limits."""
    limits = limits or LIMITS
    start = 0
    for m in re.finditer(r"[\n\r\f\v\x1c-\x1e\x85\u2028\u2029]|$", text):
        if m.start() - start > limits.line_chars:
            line = text.count("\n", 0, start) + 1
            raise IngestError(source, f"line {line} is {m.start() - start:,} characters long, over the limit of "
                                      f"{limits.line_chars:,}: this does not look like protocol text")
        start = m.end()
    # anchored at the start of a run, so each run is scanned once (unanchored, the search is quadratic)
    run = re.search(r"(?<!\S)\S{%d}" % (limits.run_chars + 1), text)
    if run:
        line = text.count("\n", 0, run.start()) + 1
        raise IngestError(source, f"line {line} holds more than {limits.run_chars:,} characters without a space: "
                                  "this does not look like protocol text")


def read(reader: Callable[[bytes, str], tuple[Block, ...]], data: bytes, source: str) -> tuple[Block, ...]:
    """Returns the reader's blocks; a parser library's crash on a damaged file becomes an IngestError."""
    try:
        return reader(data, source)
    except AnalyserError:
        raise
    except RecursionError as e:
        raise IngestError(source, "the file is nested too deeply to read: it may be damaged or built to crash "
                                  "readers") from e
    except MemoryError as e:
        raise IngestError(source, "reading the file ran out of memory: it may be damaged or built to exhaust "
                                  "memory") from e
    except Exception as e:  # pdfminer, python-docx and lxml raise many unrelated types on damaged input
        raise IngestError(source, f"damaged or unreadable file: the reader failed on it ({type(e).__name__}: "
                                  f"{printable(str(e))[:100]})") from e


def checked_blocks(blocks: tuple[Block, ...], source: str, *, limits: Limits | None = None) -> tuple[Block, ...]:
    """Returns a reader's blocks without control characters; raises IngestError for overlong text."""
    limits = limits or LIMITS
    out = []
    for block in blocks:
        check_lines(block.text, source, limits=limits)
        if _CONTROL_IN_TEXT.search(block.text):
            block = _replace_text(block, _CONTROL_IN_TEXT.sub("", block.text))
        out.append(block)
    return tuple(out)


def _replace_text(block: Block, text: str) -> Block:
    from dataclasses import replace

    return replace(block, text=text)


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so a library's `except Exception` cannot swallow it."""


@contextmanager
def time_limit(source: str, seconds: float | None = None) -> Iterator[None]:
    """Raises IngestError if the body runs longer than the limit (main thread only; elsewhere unlimited)."""
    seconds = LIMITS.seconds if seconds is None else seconds
    if (seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def alarm(signum, frame):
        raise _OutOfTime()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OutOfTime:
        raise IngestError(source, f"reading took longer than {seconds:g} s, the limit for one file: "
                                  "it may be built to hang readers") from None
    finally:
        signal.signal(signal.SIGALRM, previous)

