"""Benchmark: how long aligning the five seed protocols takes once they are loaded (goal: under 1 s).

Run from the repository root:  python benchmarks/bench_align.py [FOLDER]   (default ../shared/seeds,
else corpus/). Reading and segmenting the files is done first and not timed; the timed part is
alignment as the pipeline runs it: normalisation, scoring, assignment, families.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyser.align import align  # noqa: E402
from analyser.families import families  # noqa: E402
from analyser.ingest import load_document  # noqa: E402
from analyser.normalise import make_nlp  # noqa: E402
from analyser.pipeline import collect  # noqa: E402
from analyser.segment import segment  # noqa: E402
from analyser.settings import Settings  # noqa: E402


def main(argv: list[str]) -> int:
    default = ROOT.parent / "shared" / "seeds"
    folder = Path(argv[0]) if argv else (default if default.is_dir() else ROOT / "corpus")
    nlp = make_nlp()
    documents = tuple(segment(load_document(p), nlp=nlp) for p in collect([folder]))
    settings = Settings()
    align(documents, settings=settings, nlp=nlp)  # warm-up: lookup tables and thesaurus load once
    times = []
    for _ in range(5):
        start = time.perf_counter()
        links = align(documents, settings=settings, nlp=nlp)
        families(documents, links)
        times.append(time.perf_counter() - start)
    clauses = sum(len(d.clauses) for d in documents)
    print(f"{len(documents)} documents, {clauses} clauses, {len(links)} links")
    print(f"align + families: best {min(times):.3f} s, median {statistics.median(times):.3f} s (goal < 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
