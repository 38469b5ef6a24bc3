"""Candidates: which documents and which clause pairs are worth fine scoring (blocking).

Fine scoring every clause of every document against every other grows with the square of the
corpus. Two cheap sparse TF-IDF retrievals cut the work first, as text-reuse systems do:
- `document_pairs`: in a large corpus each document is compared with its nearest documents (by the
  cosine of their summed clause vectors), plus a few chosen for being unlike those (so a council's
  near-duplicate siblings do not crowd out the other model it borrowed from); a small corpus is
  compared all-pairs, as before.
- `candidate_mask`: within a pair of documents, only clause pairs that are among each other's
  nearest by term-weighted cosine, or share enough weighted terms, are fine scored.
`fine_scores` runs rapidfuzz's batch scorers over just those pairs (with workers).
"""
from __future__ import annotations

import math
import os
import re
from collections import Counter
from typing import Callable, Sequence

import numpy as np
from rapidfuzz import process
from scipy.sparse import csr_matrix

from .model import Document
from .settings import Settings

_WORD = re.compile(r"[a-z][a-z'-]+|\d+")

# below this cosine two clauses share no weighted term worth scoring; at or above it they are
# always candidates, whatever their rank
COSINE_FLOOR = 0.12
ALWAYS_CANDIDATE = 0.30
# non-candidate pairs scored to estimate the score all the others get
FILL_SAMPLE = 64
# rows of the document similarity matrix computed at once (bounds memory at ~chunk × N floats)
DOCUMENT_CHUNK = 512
# dimensions documents are projected to before every document is compared with every other
PROJECTION = 256


def workers(settings: Settings) -> int:
    """Returns how many processes or threads the run may use (the setting, or every core)."""
    return settings.workers if settings.workers > 0 else max(os.cpu_count() or 1, 1)


def candidate_mask(cosine: np.ndarray, *, settings: Settings, documents: int | None = None) -> np.ndarray:
    """Returns which clause pairs of two documents to fine score, given their cosine matrix: each
    clause's `candidates_per_clause` nearest in the other document (both ways), and any pair with a
    cosine of ALWAYS_CANDIDATE or more; never a pair sharing less than COSINE_FLOOR. A corpus of at
    most `exhaustive_documents` documents is scored in full (it is quick, and exactly as before)."""
    rows, cols = cosine.shape
    small = documents is not None and documents <= settings.exhaustive_documents
    if not settings.blocking or small or rows == 0 or cols == 0:
        return np.ones((rows, cols), dtype=bool)
    k = settings.candidates_per_clause
    mask = cosine >= ALWAYS_CANDIDATE
    if cols > k:
        top = np.argpartition(-cosine, k - 1, axis=1)[:, :k]
        mask[np.repeat(np.arange(rows), k), top.ravel()] = True
    else:
        mask[:] = True
    if rows > k:
        top = np.argpartition(-cosine, k - 1, axis=0)[:k, :]
        mask[top.ravel(), np.tile(np.arange(cols), k)] = True
    else:
        mask[:] = True
    return mask & (cosine >= COSINE_FLOOR)


def fine_scores(texts_a: list[str], texts_b: list[str], mask: np.ndarray, *, scorer: Callable,
                settings: Settings) -> np.ndarray:
    """Returns the scorer's similarity (0–1) for the masked clause pairs; every other pair gets the
    mean score of a small fixed sample of them (so averages over the matrix stay as they were).
    Dense batch scoring when most pairs are wanted, pairwise batch scoring of just those otherwise."""
    out = np.zeros(mask.shape, dtype=np.float64)
    if mask.size == 0:
        return out
    threads = workers(settings)
    if mask.mean() > 0.5:
        out[:] = process.cdist(texts_a, texts_b, scorer=scorer, workers=threads) / 100.0
        if not mask.all():
            out[~mask] = out[~mask].mean()
        return out
    r, c = np.nonzero(mask)
    if len(r):
        out[r, c] = process.cpdist([texts_a[i] for i in r], [texts_b[j] for j in c], scorer=scorer,
                                   workers=threads) / 100.0
    rest_r, rest_c = np.nonzero(~mask)
    if len(rest_r):
        rng = np.random.default_rng(len(rest_r))  # fixed by the matrix: the same input gives the same scores
        pick = rng.choice(len(rest_r), size=min(FILL_SAMPLE, len(rest_r)), replace=False)
        sample = process.cpdist([texts_a[i] for i in rest_r[pick]], [texts_b[j] for j in rest_c[pick]],
                                scorer=scorer, workers=1) / 100.0
        out[rest_r, rest_c] = float(sample.mean())
    return out


def document_vectors(documents: Sequence[Document]) -> csr_matrix:
    """Returns one L2-normalised TF-IDF vector of words per document, over its clauses' text (a
    cheap retrieval form: plain lower-cased words, no lemmas)."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, document in enumerate(documents):
        counts = Counter(w for c in document.clauses for w in _WORD.findall(c.text.lower()))
        for word, count in counts.items():
            rows.append(r)
            cols.append(vocab.setdefault(word, len(vocab)))
            vals.append(1.0 + math.log(count))
    matrix = csr_matrix((vals, (rows, cols)), shape=(len(documents), max(len(vocab), 1)))
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = np.log((1 + len(documents)) / (1 + df)) + 1.0
    matrix = csr_matrix(matrix.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(matrix.multiply(1.0 / norms[:, None]))


def document_pairs(documents: Sequence[Document], *, settings: Settings) -> list[tuple[str, str]]:
    """Returns the pairs of documents to align: all pairs in a small corpus; in a large one each
    document with its `peers_per_document` nearest and `diverse_peers` more that are unlike those."""
    ids = [d.id for d in documents]
    n = len(ids)
    if not settings.blocking or n <= settings.exhaustive_documents:
        return [(a, b) for k, a in enumerate(ids) for b in ids[k + 1:]]
    docs = _projected(document_vectors(documents))
    near, far = min(settings.peers_per_document, n - 1), settings.diverse_peers
    chosen: set[tuple[int, int]] = set()
    for start in range(0, n, DOCUMENT_CHUNK):
        block = docs[start:start + DOCUMENT_CHUNK] @ docs.T
        for offset, sims in enumerate(block):
            i = start + offset
            sims[i] = -1.0
            for j in _peers(sims, docs, near, far):
                chosen.add((min(i, j), max(i, j)))
    return [(ids[i], ids[j]) for i, j in sorted(chosen)]


def nearest_documents(documents: Sequence[Document], target: str, count: int) -> list[str]:
    """Returns the ids of the `count` documents most like the target (by their word vectors), nearest first."""
    others = [d for d in documents if d.id != target]
    if len(others) <= count:
        return [d.id for d in others]
    ordered = [next(d for d in documents if d.id == target), *others]
    vectors = document_vectors(ordered)
    sims = (vectors[1:] @ vectors[0].T).toarray().ravel()
    best = np.argsort(-sims, kind="stable")[:count]
    return [others[k].id for k in best]


def _projected(vectors: csr_matrix) -> np.ndarray:
    """Returns the document vectors randomly projected to PROJECTION dimensions and re-normalised:
    cosines are kept closely (Johnson–Lindenstrauss) while comparing every document with every
    other costs N² × PROJECTION rather than N² × shared words."""
    if vectors.shape[1] <= PROJECTION:
        dense = vectors.toarray()
    else:
        rng = np.random.default_rng(8)  # fixed: the same corpus always gives the same pairs
        dense = vectors @ (rng.standard_normal((vectors.shape[1], PROJECTION), dtype=np.float32) / math.sqrt(PROJECTION))
    norms = np.linalg.norm(dense, axis=1)
    norms[norms == 0] = 1.0
    return dense / norms[:, None]


def _peers(sims: np.ndarray, docs: np.ndarray, near: int, far: int) -> list[int]:
    """Returns the nearest documents, then a few more chosen greedily for being close to this one
    but unlike the peers already chosen (maximal marginal relevance)."""
    pool = min(len(sims) - 1, near + 8 * far)
    ranked = np.argpartition(-sims, pool - 1)[:pool] if pool < len(sims) else np.arange(len(sims))
    ranked = ranked[np.argsort(-sims[ranked], kind="stable")]
    picked = [int(j) for j in ranked[:near] if sims[j] > 0]
    rest = [int(j) for j in ranked[near:] if sims[j] > 0]
    if far and rest and picked:
        resemblance = (docs[rest] @ docs[picked].T).max(axis=1)
        for _ in range(min(far, len(rest))):
            gain = sims[rest] - resemblance
            best = int(np.argmax(gain))
            picked.append(rest[best])
            added = docs[rest] @ docs[rest[best]]
            resemblance = np.maximum(resemblance, added)
            resemblance[best] = np.inf  # never pick it twice
    return picked
