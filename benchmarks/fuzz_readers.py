"""Fuzz the .docx and .pdf readers with mutated files (hypothesis), and report what breaks them.

    python benchmarks/fuzz_readers.py                      # 500 inputs per target
    python benchmarks/fuzz_readers.py --examples 5000 --seeds ../shared/fixtures --target pdf

Each input goes the way a user's file goes: written to disk, then load_document and segment.
Three outcomes are counted apart from a clean read or a clean IngestError:
  escaped    an exception other than IngestError left load_document/segment: a crash, to fix;
  contained  a parser library raised inside a reader and guard.read turned it into a generic
             IngestError: safe, but the reader could say something more useful;
  hang       the input ran past --seconds.
Every distinct failure (by exception type and the line that raised it) is saved under
benchmarks/out/fuzz/ with its traceback; a crash found becomes a regression test in
tests/test_hostile.py. Not part of the test run: it takes minutes by design.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings, strategies as st  # noqa: E402

from analyser.errors import IngestError  # noqa: E402
from analyser.ingest import guard, load_document  # noqa: E402
from analyser.normalise import make_nlp  # noqa: E402
from analyser.segment import segment  # noqa: E402
from tests.builders import DRAFT, PEER, docx_bytes, pdf_bytes, replace_parts  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "fuzz"
CONTAINED = "damaged or unreadable file: the reader failed on it"

# tokens worth swapping in a PDF: structure names, operators and numbers pdfminer interprets
PDF_TOKENS = [b"/MediaBox", b"/Contents", b"/Resources", b"/Font", b"/Kids", b"/Count", b"/Parent", b"/Length",
              b"/Filter", b"/FlateDecode", b"/Type", b"/Page", b"/Pages", b"/Root", b"/Size", b"obj", b"endobj",
              b"stream", b"endstream", b"R", b"[", b"]", b"<<", b">>", b"(", b")", b"Tf", b"Td", b"TJ", b"Tj", b"'",
              b"BT", b"ET", b"0", b"-1", b"99999999999", b"1e308", b"null", b"true", b"xref", b"trailer", b"startxref"]
DOCX_PARTS = ["word/document.xml", "word/styles.xml", "word/numbering.xml", "word/settings.xml",
              "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "docProps/core.xml"]
XML_TOKENS = [b"<w:p>", b"</w:p>", b"<w:r>", b"</w:r>", b"<w:t>", b"</w:t>", b"<w:tbl>", b"</w:tbl>", b"<w:tr>",
              b"<w:tc>", b'<w:numPr><w:ilvl w:val="9"/><w:numId w:val="999"/></w:numPr>', b'w:val="-1"',
              b'w:val="99999999"', b'<w:pStyle w:val="Nope"/>', b"<w:br/>", b"<w:ins>", b"<w:del>",
              b'r:id="rId999"', b"&amp;", b"\xef\xbf\xbf", b"\x00"]


def seed_files(folder: Path | None) -> dict[str, list[bytes]]:
    """Returns the files mutations start from: built here, plus any .docx/.pdf in --seeds."""
    import docx

    document = docx.Document()
    document.add_heading("Protocol on Member and Officer Relations", 0)
    for text in PEER.splitlines():
        if text.strip():
            document.add_paragraph(text, style="List Number" if text[:1].isdigit() else None)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Adopted", "1 April 2024"
    buffer = io.BytesIO()
    document.save(buffer)
    seeds = {"docx": [docx_bytes(DRAFT.splitlines()), buffer.getvalue()],
             "pdf": [pdf_bytes([DRAFT.splitlines()[:6], DRAFT.splitlines()[6:]]),
                     pdf_bytes([PEER.splitlines()[i:i + 4] for i in range(0, 12, 4)])]}
    if folder is not None:
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in (".docx", ".pdf") and path.stat().st_size < 2_000_000:
                seeds[path.suffix.lower()[1:]].append(path.read_bytes())
    return seeds


@st.composite
def mutated_bytes(draw, base: bytes, tokens: list[bytes], max_edits: int = 6) -> bytes:
    """Returns base with a few edits: bytes flipped, cut, repeated, or a structural token swapped in."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, max_edits))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "token", "token", "insert"]))
        if kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        elif kind == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 200))] * draw(st.integers(1, 20))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            found = [i for i in range(len(tokens)) if tokens[i] in data]
            if found:
                old = tokens[draw(st.sampled_from(found))]
                where = data.find(old, at)
                where = where if where >= 0 else data.find(old)
                data[where:where + len(old)] = draw(st.sampled_from(tokens))
    return bytes(data)


ODD_VALUES = ["", "-1", "0", "99999999", "9" * 40, "Nope", "%1.%2.%3.%4.%5.%6.%7.%8.%9.%10", "none", "\u202e",
              "rId999", "decimal", "bullet", "lowerRoman", "upperLetter", "start", "true", "1e308"]


@st.composite
def mutated_tree(draw, xml: bytes) -> bytes:
    """Returns well-formed XML with elements dropped, copied, moved or given odd attribute values and text:
    the reader's own logic sees it, not only the XML parser."""
    import copy

    from lxml import etree

    root = etree.fromstring(xml)
    for _ in range(draw(st.integers(1, 5))):
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        element = elements[draw(st.integers(0, len(elements) - 1))]
        kind = draw(st.sampled_from(["drop", "copy", "move", "attribute", "attribute", "text"]))
        parent = element.getparent()
        if kind == "drop" and parent is not None:
            parent.remove(element)
        elif kind == "copy" and parent is not None:
            for _ in range(draw(st.integers(1, 3))):
                parent.insert(parent.index(element), copy.deepcopy(element))
        elif kind == "move" and parent is not None:
            host = elements[draw(st.integers(0, len(elements) - 1))]
            if element not in host.iterancestors() and host is not element:
                host.append(element)
        elif kind == "attribute" and element.attrib:
            name = draw(st.sampled_from(sorted(element.attrib)))
            element.set(name, draw(st.one_of(st.sampled_from(ODD_VALUES), st.text(
                alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=8))))
        elif kind == "text":
            element.text = draw(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@st.composite
def docx_inputs(draw, seeds: list[bytes]) -> bytes:
    base = draw(st.sampled_from(seeds))
    how = draw(st.sampled_from(["package", "bytes", "tree", "tree", "tree"]))
    if how == "package":
        return draw(mutated_bytes(base, [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"], max_edits=3))
    package = zipfile.ZipFile(io.BytesIO(base))
    names = [n for n in DOCX_PARTS if n in package.namelist()]
    name = draw(st.sampled_from(names))
    part = package.read(name)
    mutated = draw(mutated_bytes(part, XML_TOKENS)) if how == "bytes" else draw(mutated_tree(part))
    return replace_parts(base, {name: mutated})


@st.composite
def pdf_inputs(draw, seeds: list[bytes]) -> bytes:
    return draw(mutated_bytes(draw(st.sampled_from(seeds)), PDF_TOKENS))


class Tally:
    """Holds what the fuzzing found, one entry per distinct failure."""

    def __init__(self, target: str):
        self.target = target
        self.counts = {"read": 0, "refused": 0, "contained": 0, "escaped": 0, "hang": 0}
        self.distinct: dict[str, tuple[str, bytes, str]] = {}

    def record(self, outcome: str, data: bytes, error: BaseException | None = None) -> None:
        self.counts[outcome] += 1
        if error is None:
            return
        frames = traceback.extract_tb(error.__traceback__)
        where = f"{frames[-1].filename.rsplit('site-packages/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
        key = f"{outcome} {type(error).__name__} at {where}"
        if key not in self.distinct:
            text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
            self.distinct[key] = (outcome, data, text)


def try_one(data: bytes, suffix: str, tally: Tally, nlp, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            with guard.time_limit(str(path), seconds):
                segment(load_document(path), nlp=nlp)
            tally.record("read", data)
        except IngestError as e:
            if "reading took longer than" in e.reason:
                tally.record("hang", data, e)
            elif e.reason.startswith(CONTAINED) and e.__cause__ is not None:
                tally.record("contained", data, e.__cause__)
            else:
                tally.record("refused", data)
        except Exception as e:  # noqa: BLE001 - this is what we are looking for
            tally.record("escaped", data, e)


def fuzz(target: str, strategy, suffix: str, *, examples: int, seconds: float, nlp, rng_seed: int) -> Tally:
    tally = Tally(target)

    @seed(rng_seed)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(data: bytes) -> None:
        try_one(data, suffix, tally, nlp, seconds)

    run()
    return tally


def save(tally: Tally, suffix: str) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    saved = []
    for key, (outcome, data, text) in sorted(tally.distinct.items()):
        name = f"{tally.target}-{outcome}-{hashlib.sha256(data).hexdigest()[:10]}"
        (OUT / f"{name}{suffix}").write_bytes(data)
        (OUT / f"{name}.txt").write_text(key + "\n\n" + text, encoding="utf-8")
        saved.append(OUT / f"{name}{suffix}")
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=["docx", "pdf", "all"], default="all")
    parser.add_argument("--examples", type=int, default=500, help="inputs per target")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per input (a hang past it is reported)")
    parser.add_argument("--seeds", type=Path, help="a folder of real .docx/.pdf files to mutate as well")
    parser.add_argument("--seed", type=int, default=0, help="random seed, for a repeatable run")
    args = parser.parse_args(argv)
    import logging

    logging.getLogger().addHandler(logging.NullHandler())  # pdfminer warns about every damaged file
    seeds = seed_files(args.seeds)
    nlp = make_nlp()
    targets = {"docx": (docx_inputs(seeds["docx"]), ".docx"), "pdf": (pdf_inputs(seeds["pdf"]), ".pdf")}
    escaped = 0
    for name, (strategy, suffix) in targets.items():
        if args.target not in (name, "all"):
            continue
        started = time.monotonic()
        tally = fuzz(name, strategy, suffix, examples=args.examples, seconds=args.seconds, nlp=nlp, rng_seed=args.seed)
        elapsed = time.monotonic() - started
        counts = ", ".join(f"{k} {v}" for k, v in tally.counts.items())
        print(f"{name}: {sum(tally.counts.values())} inputs in {elapsed:.1f} s ({len(seeds[name])} seeds): {counts}")
        for key in sorted(tally.distinct):
            print(f"  {key}")
        for path in save(tally, suffix):
            print(f"  saved {path.relative_to(ROOT)}")
        escaped += tally.counts["escaped"] + tally.counts["hang"]
    return 1 if escaped else 0


if __name__ == "__main__":
    sys.exit(main())
