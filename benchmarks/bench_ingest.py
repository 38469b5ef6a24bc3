"""Ingest speed: PDF pages per second and .docx paragraphs per second on a folder of files.

    python benchmarks/bench_ingest.py [FOLDER]      (default: tests/data/fixtures, the seeds as .docx and .pdf)

Times the readers (file bytes → blocks) and the whole load (readers + cleanup + metadata), best of
a few rounds so that a busy machine does not decide the figure.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyser.ingest import load_document  # noqa: E402
from analyser.ingest.pdf import read_pdf  # noqa: E402
from analyser.ingest.word import read_word  # noqa: E402


def _best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _pdf_pages(data: bytes) -> int:
    import pdfplumber

    import io
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _docx_paragraphs(data: bytes) -> int:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").count(b"</w:p>")


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "tests" / "data" / "fixtures"
    pdfs, docxs = sorted(folder.glob("*.pdf")), sorted(folder.glob("*.docx"))
    if not pdfs and not docxs:
        print(f"no .pdf or .docx files in {folder}", file=sys.stderr)
        return 1
    print(f"{'file':<28} {'units':>7} {'reader s':>9} {'load s':>8} {'units/s':>9}")
    totals = {"pdf": [0, 0.0, 0.0], "docx": [0, 0.0, 0.0]}
    for path in pdfs + docxs:
        data = path.read_bytes()
        if path.suffix == ".pdf":
            units, reader, rounds = _pdf_pages(data), read_pdf, 2
        else:
            units, reader, rounds = _docx_paragraphs(data), read_word, 5
        read_s = _best(lambda: reader(data, str(path)), rounds)
        load_s = _best(lambda: load_document(path), rounds)
        total = totals[path.suffix[1:]]
        total[0] += units
        total[1] += read_s
        total[2] += load_s
        print(f"{path.name:<28} {units:>7} {read_s:>9.3f} {load_s:>8.3f} {units / load_s:>9.1f}")
    for fmt, unit in (("pdf", "pages"), ("docx", "paragraphs")):
        count, read_s, load_s = totals[fmt]
        if count:
            print(f"{fmt}: {count} {unit}; reader {count / read_s:.1f} {unit}/s, full load {count / load_s:.1f} {unit}/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
