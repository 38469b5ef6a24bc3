"""Alignment output does not depend on Python's string hashing (PYTHONHASHSEED)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# the same provision stated twice in each document, so that links tie and families must be split
# at equal weights: the case where set or hash order once decided the result
REPEATED = "Officers must treat every councillor with courtesy and respect at all times."
OTHER = [
    "Members may ask the chief executive for advice about council business.",
    "Officers give impartial advice to every political group on request.",
    "Complaints about an officer are made to the head of paid service.",
]


def _protocol(title: str, order: list[str]) -> str:
    lines = [title.upper(), ""]
    for s, section in enumerate(("CONDUCT", "ADVICE"), start=1):
        lines += [f"{s}. {section}", ""]
        for p, text in enumerate(order[(s - 1) * 2:(s - 1) * 2 + 2] + [REPEATED], start=1):
            lines += [f"{s}.{p} {text}", ""]
    return "\n".join(lines)


def _run(corpus: Path, out: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "analyser", "compare", str(corpus), "--out", str(out)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return (out / "alignment.json").read_bytes()


def test_alignment_json_is_the_same_under_any_hash_seed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "alpha.txt").write_text(_protocol("Alpha protocol", OTHER + [OTHER[0]]), encoding="utf-8")
    (corpus / "beta.txt").write_text(_protocol("Beta protocol", [OTHER[2], OTHER[1], OTHER[0], OTHER[2]]),
                                     encoding="utf-8")
    first = _run(corpus, tmp_path / "one", "1")
    second = _run(corpus, tmp_path / "two", "2")
    assert first == second


# families cut from links of equal weight, in a graph large enough that networkx iterates the
# component's nodes in set order: the cut must still be made in clause order
FAMILIES_SCRIPT = """
from analyser.families import families
from analyser.model import Link
from tests.align_helpers import make_document
texts = [f"Provision number {k} of the protocol." for k in range(6)]
docs = tuple(make_document(d, [("One", texts[:3]), ("Two", texts[3:])]) for d in ("a", "b", "c"))
links = [Link("a:1.1", "b:1.1", 0.9, "partial"), Link("a:1.1", "b:2.1", 0.9, "partial"),
         Link("c:1.1", "b:1.1", 0.9, "partial"), Link("c:1.1", "b:2.1", 0.9, "partial")]
links += [Link(f"a:{s}.{p}", f"c:{s}.{p}", 0.8, "partial") for s in (1, 2) for p in (2, 3)]
links += [Link(f"a:{s}.{p}", f"b:{s}.{p}", 0.8, "partial") for s in (1, 2) for p in (2, 3)]
print([f.clauses for f in families(docs, tuple(links))])
"""


def test_families_cut_ties_the_same_under_any_hash_seed():
    outputs = set()
    for seed in ("1", "2", "3", "4", "5", "6"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", FAMILIES_SCRIPT], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
