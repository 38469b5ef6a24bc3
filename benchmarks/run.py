"""Benchmark: whole-run time, peak memory and alignment quality on synthetic corpora made from the seeds.

    python -m benchmarks.run                       # seeds, 5, 50, 500, 1000 and 2000 documents
    python -m benchmarks.run --sizes 5,50 --check 0 --quality 0

Each run is the real command (`python -m analyser compare …`) in a fresh process, timed from process
start to reports written, with the peak resident memory of its whole process tree sampled from /proc.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from .generate import generate, gold_path

ROOT = Path(__file__).resolve().parent.parent
CPU_SECONDS: list[float] = []


def tree_rss(root: int) -> int:
    """Returns the resident memory, in bytes, of a process and all its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(p for p, parent in parents.items() if parent == pid)
    return total


def timed(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Runs a command; returns its wall time in seconds, peak tree memory in bytes and its output
    (and records the CPU seconds it used in CPU_SECONDS, since a shared machine stretches wall time)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **(env or {})})
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_SECONDS.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(args)}\n{output}")
    return elapsed, peak[0], output


def analyser(paths: list[Path], out: Path, cache: Path | None, *extra: str) -> list[str]:
    """Returns the command line of one analyser run."""
    cache_args = ["--cache", str(cache)] if cache else ["--no-cache"]
    # --force: the benchmark owns its work folder, and folders written by older versions have no marker
    return [sys.executable, "-m", "analyser", "compare", *map(str, paths), "--out", str(out), "--force", *cache_args, *extra]


def link_quality(alignment: dict, gold: dict[str, dict[str, list[str]]]) -> dict[str, float]:
    """Returns link precision, recall and F1 against the synthetic gold, over the document pairs the
    run linked, and family recall: the share of same-source clause pairs placed in one family."""
    sources = {f"{doc}:{number}": frozenset(ids) for doc, numbers in gold.items() for number, ids in numbers.items()}
    links = [(l["source"], l["target"]) for l in alignment["links"]]
    # the gold knows only which seed each clause came from, so only links between two documents made
    # from the same seed can be judged (Dudley and the Town Council share a model: such links may be right)
    seed_of = {doc: next(iter(next(iter(numbers.values()))), ":").split(":", 1)[0]
               for doc, numbers in gold.items() if numbers}
    judged = [(a, b) for a, b in links if a in sources and b in sources
              and seed_of.get(a.split(":", 1)[0]) == seed_of.get(b.split(":", 1)[0])]
    correct = sum(1 for a, b in judged if sources[a] & sources[b])
    by_doc: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for clause, ids in sources.items():
        for s in ids:
            by_doc[clause.split(":", 1)[0]][s].add(clause)
    compared = {tuple(sorted((a.split(":", 1)[0], b.split(":", 1)[0]))) for a, b in judged}
    expected = 0
    for x, y in compared:
        pairs = set()
        for s, members in by_doc[x].items():
            for a in members:
                for b in by_doc[y].get(s, ()):
                    pairs.add((a, b))
        expected += len(pairs)
    precision = correct / len(judged) if judged else 0.0
    recall = min(correct / expected, 1.0) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "family_recall": family_recall(alignment, sources)}


def family_recall(alignment: dict, sources: dict[str, frozenset[str]]) -> float:
    """Returns the share of pairs of clauses (in different documents) deriving from one seed clause
    that the run put in the same family."""
    family_of = {c: f["id"] for f in alignment["families"] for c in f["clauses"]}
    members: dict[str, list[str]] = defaultdict(list)
    for clause, ids in sources.items():
        for s in ids:
            members[s].append(clause)

    def pairs(clauses: list[str]) -> int:
        per_doc = Counter(c.split(":", 1)[0] for c in clauses)
        n = len(clauses)
        return n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in per_doc.values())

    total = together = 0
    for clauses in members.values():
        total += pairs(clauses)
        grouped: dict[str, list[str]] = defaultdict(list)
        for c in clauses:
            if c in family_of:
                grouped[family_of[c]].append(c)
        together += sum(pairs(g) for g in grouped.values())
    return together / total if total else 0.0


def corpus(workdir: Path, size: int, seeds: Path) -> tuple[Path, dict]:
    """Returns a synthetic corpus of `size` documents (made once, then reused) and its gold."""
    folder = workdir / f"corpus-{size}"
    if not gold_path(folder).exists():
        generate(seeds, folder, size)
    return folder, json.loads(gold_path(folder).read_text())


def whole_corpus(workdir: Path, size: int, seeds: Path, cache: Path, *, cold: bool = True) -> dict:
    """Returns the figures for comparing a whole synthetic corpus: cold (nothing cached), with its
    documents cached (parsing skipped, alignment computed), and with the corpus cached (its links
    kept from the run before, so nothing is aligned)."""
    folder, gold = corpus(workdir, size, seeds)
    out = workdir / f"out-{size}"
    figures: dict[str, object] = {"documents": size}
    if cold:
        fresh = workdir / f"cache-cold-{size}"
        shutil.rmtree(fresh, ignore_errors=True)
        seconds, peak, _ = timed(analyser([folder], out, fresh))
        figures.update(cold_s=seconds, cold_cpu_s=CPU_SECONDS[-1], cold_peak_mb=peak / 2**20)
        shutil.rmtree(fresh, ignore_errors=True)
    timed(analyser([folder], out, cache))  # makes sure every document is in the shared cache
    forget_corpora(cache)
    seconds, peak, output = timed(analyser([folder], out, cache))
    figures.update(documents_cached_s=seconds, documents_cached_cpu_s=CPU_SECONDS[-1], peak_mb=peak / 2**20)
    seconds, peak, _ = timed(analyser([folder], out, cache))
    figures.update(corpus_cached_s=seconds, corpus_cached_cpu_s=CPU_SECONDS[-1], corpus_cached_peak_mb=peak / 2**20)
    alignment = json.loads((out / "alignment.json").read_text())
    figures.update(clauses=len(alignment["clauses"]), links=len(alignment["links"]), load=os.getloadavg()[0],
                   **link_quality(alignment, gold), summary=output.splitlines()[0])
    return figures


def forget_corpora(cache: Path) -> None:
    """Empties what the cache keeps of corpora (documents stay), so the next run aligns again."""
    with sqlite3.connect(cache / "documents.sqlite") as db:
        db.execute("DELETE FROM corpora")


def blocking_check(workdir: Path, size: int, seeds: Path, sample: int) -> dict:
    """Returns how many of the links that exhaustive scoring finds blocked scoring keeps, on a
    sample of document pairs of a synthetic corpus, and how many land in one family of the blocked
    whole-corpus run (which compares only retrieved document pairs)."""
    sys.path.insert(0, str(ROOT))
    from analyser.align import align
    from analyser.families import families
    from analyser.candidates import document_pairs
    from analyser.distribute import read_documents
    from analyser.model import Document
    from analyser.pipeline import collect
    from analyser.settings import Settings

    folder, _ = corpus(workdir, size, seeds)
    settings = Settings(use_cache=True, cache=workdir / "cache")
    documents = tuple(d for d in read_documents(collect([folder]), settings=settings) if isinstance(d, Document))
    ids = [d.id for d in documents]
    rng = random.Random(200)
    all_pairs = [(a, b) for k, a in enumerate(ids) for b in ids[k + 1:]]
    sampled = sorted(rng.sample(all_pairs, min(sample, len(all_pairs))))
    start = time.perf_counter()
    exhaustive = {(l.source, l.target) for l in align(documents, settings=Settings(blocking=False), pairs=sampled)}
    exhaustive_s = time.perf_counter() - start
    start = time.perf_counter()
    blocked = {(l.source, l.target) for l in align(documents, settings=Settings(), pairs=sampled)}
    blocked_s = time.perf_counter() - start
    retrieved = document_pairs(documents, settings=Settings())
    whole = align(documents, settings=Settings(), pairs=retrieved)
    family_of = {c: f.id for f in families(documents, whole) for c in f.clauses}
    linked = {(l.source, l.target) for l in whole}
    together = sum(1 for a, b in exhaustive if (a, b) in linked or (a in family_of and family_of.get(a) == family_of.get(b)))
    return {"documents": size, "sampled_pairs": len(sampled), "exhaustive_links": len(exhaustive),
            "kept_by_clause_blocking": len(exhaustive & blocked) / max(len(exhaustive), 1),
            "exhaustive_s": exhaustive_s, "blocked_s": blocked_s, "retrieved_pairs": len(retrieved),
            "all_pairs": len(all_pairs),
            "linked_or_same_family_in_whole_run": together / max(len(exhaustive), 1)}


def quality_check(workdir: Path, size: int, seeds: Path) -> dict:
    """Returns link P/R/F1 on the synthetic gold for exhaustive and for blocked scoring (blocking
    forced on, since a corpus this small is scored in full by default)."""
    sys.path.insert(0, str(ROOT))
    from analyser.pipeline import compare
    from analyser.settings import Settings

    folder, gold = corpus(workdir, size, seeds)
    result: dict[str, object] = {"documents": size}
    for name, settings in (("exhaustive", Settings(blocking=False)), ("blocked", Settings(exhaustive_documents=1))):
        start = time.perf_counter()
        analysis = compare([folder], settings=replace(settings, cache=workdir / "cache"))
        seconds = time.perf_counter() - start
        alignment = {"links": [{"source": l.source, "target": l.target} for l in analysis.links],
                     "families": [{"id": f.id, "clauses": list(f.clauses)} for f in analysis.families]}
        q = link_quality(alignment, gold)
        result[name] = {**{k: round(v, 4) for k, v in q.items()}, "seconds": round(seconds, 2)}
    result["f1_difference"] = round(abs(result["exhaustive"]["f1"] - result["blocked"]["f1"]), 4)  # type: ignore[index]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,50,500,1000,2000", help="corpus sizes, comma-separated")
    parser.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "analyser-bench")
    parser.add_argument("--seeds", type=Path, default=ROOT / "corpus")
    parser.add_argument("--cold", default="5,50,1000", help="sizes also run with nothing cached, comma-separated")
    parser.add_argument("--review", type=int, default=1000, help="review one document against this many peers (0: skip)")
    parser.add_argument("--check", type=int, default=200, help="corpus size for the blocking check (0: skip)")
    parser.add_argument("--quality", type=int, default=20, help="corpus size for exhaustive vs blocked F1 (0: skip)")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    cache = args.workdir / "cache"
    results: dict[str, object] = {"cores": os.cpu_count()}

    # the seeds end to end: one command, process start to reports written, cold and cached
    fresh = args.workdir / "cache-seeds"
    for name in ("seeds_cold", "seeds_cached"):
        seconds, peak, _ = timed(analyser([args.seeds], args.workdir / "out-seeds", fresh, "--target", "thanet-draft"))
        results[name] = {"seconds": round(seconds, 2), "cpu_s": round(CPU_SECONDS[-1], 2), "peak_mb": round(peak / 2**20)}
        print(name, results[name], flush=True)

    sizes = [int(s) for s in args.sizes.split(",") if s]
    for size in sizes:
        figures = whole_corpus(args.workdir, size, args.seeds, cache, cold=str(size) in args.cold.split(","))
        results[f"corpus_{size}"] = {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}
        print(f"corpus_{size}", results[f"corpus_{size}"], flush=True)
    if 1000 in sizes and 2000 in sizes:
        ratio = results["corpus_2000"]["documents_cached_s"] / results["corpus_1000"]["documents_cached_s"]  # type: ignore[index]
        results["ratio_2000_to_1000"] = round(ratio, 2)
        print("time(2000) / time(1000) =", results["ratio_2000_to_1000"], flush=True)

    if args.review:
        folder, _ = corpus(args.workdir, args.review + 1, args.seeds)
        timed(analyser([folder], args.workdir / "out-review", cache, "--target", "syn00000"))  # fills the cache
        forget_corpora(cache)
        seconds, peak, output = timed(analyser([folder], args.workdir / "out-review", cache, "--target", "syn00000"))
        results["review"] = {"peers": args.review, "documents_cached_s": round(seconds, 2), "cpu_s": round(CPU_SECONDS[-1], 2),
                             "peak_mb": round(peak / 2**20),
                             "summary": output.splitlines()[0]}
        seconds, peak, output = timed(analyser([folder], args.workdir / "out-review", cache, "--target", "syn00000"))
        results["review"].update(corpus_cached_s=round(seconds, 2), corpus_cached_cpu_s=round(CPU_SECONDS[-1], 2),
                                 corpus_cached_peak_mb=round(peak / 2**20))
        print("review", results["review"], flush=True)
        seconds, peak, output = timed(analyser([folder], args.workdir / "out-review-nearest", cache, "--target", "syn00000",
                                               "--nearest", "50"))
        results["review_nearest_50"] = {"peers": 50, "read": args.review + 1, "cached_s": round(seconds, 2),
                                        "cpu_s": round(CPU_SECONDS[-1], 2), "peak_mb": round(peak / 2**20),
                                        "summary": output.splitlines()[0]}
        print("review_nearest_50", results["review_nearest_50"], flush=True)

    if args.quality:
        results["quality"] = quality_check(args.workdir, args.quality, args.seeds)
        print("quality", results["quality"], flush=True)
    if args.check:
        results["blocking_check"] = blocking_check(args.workdir, args.check, args.seeds, sample=300)
        print("blocking_check", results["blocking_check"], flush=True)

    (args.workdir / "results.json").write_text(json.dumps(results, indent=1, sort_keys=True))
    print(f"results: {args.workdir / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
