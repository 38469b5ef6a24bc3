"""The sparse products a pair of documents is scored with (align.py), worked out for one document
against several others at once and handed to each pair as plain arrays.

perf (issue 8): a review matches the draft against every peer, and a corpus pairs each document
with a dozen others. Per pair, scipy spent longer setting up its small sparse products than
multiplying. Worked out for one document against a run of others together, then cut per pair, the
numbers are the same to the last bit: each entry sums the same terms in the same order.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import diags

from .prepare import Prepared

# other documents one set of products covers (about 5 MB an array for a draft of 150 clauses)
RUN = 32


@dataclass(frozen=True, slots=True)
class PairProducts:
    """Holds the products of one pair's clauses (rows: the first document's, columns: the other's;
    the second document's own sentences and joined neighbours as rows of theirs). None: not worked
    out here, the pair computes it itself."""

    cosine: np.ndarray
    shared: np.ndarray
    headings: np.ndarray
    sentences_a: np.ndarray | None = None
    sentences_b: np.ndarray | None = None
    joined_a: np.ndarray | None = None
    joined_b: np.ndarray | None = None


def sentence_rows(prepared: Prepared, own: tuple[int, ...]) -> list[int]:
    """Returns the rows of the sentence matrix that belong to these clauses (those of several sentences)."""
    # sentence_of ascends (prepare appends clause by clause), so a document's sentences are found by
    # bisection, not by scanning the corpus's every sentence
    lo, hi = np.searchsorted(prepared.sentence_of, [min(own), max(own) + 1])
    return (lo + np.flatnonzero(np.isin(prepared.sentence_of[lo:hi], own))).tolist()


def consecutive(rows: tuple[int, ...]) -> bool:
    """Returns whether the rows follow one another (a document's clauses do)."""
    return bool(rows) and rows[-1] - rows[0] == len(rows) - 1 and all(b - a == 1 for a, b in zip(rows, rows[1:]))


def products_against(prepared: Prepared, a: str, others: list[str]) -> dict[str, PairProducts]:
    """Returns, for each of the other documents, the products of a's clauses with its clauses."""
    ia = prepared.by_doc.get(a, ())
    others = [b for b in dict.fromkeys(others) if prepared.by_doc.get(b)]
    if not ia or not others:
        return {}
    vectors, presence, context = prepared.vectors, prepared.presence, prepared.context
    columns: dict[str, tuple[int, int]] = {}
    rows: list[int] = []
    for b in others:
        columns[b] = (len(rows), len(rows) + len(prepared.by_doc[b]))
        rows += prepared.by_doc[b]
    ours, theirs = vectors[list(ia)], vectors[rows].T
    weighted = presence[list(ia)] @ diags(prepared.weights[: presence.shape[1]])
    cosine = (ours @ theirs).toarray()
    shared = (weighted @ presence[rows].T).toarray()
    headings = (context[list(ia)] @ context[rows].T).toarray()
    mine = ours.T

    sentences_a = sentences_b = None
    sentence_at: dict[str, tuple[int, int]] = {}
    if prepared.sentences.shape[0]:
        own = sentence_rows(prepared, ia)
        sentences_a = (prepared.sentences[own] @ theirs).toarray() if own else None
        stacked: list[int] = []
        for b in others:
            got = sentence_rows(prepared, prepared.by_doc[b])
            if got:
                sentence_at[b] = (len(stacked), len(stacked) + len(got))
                stacked += got
        sentences_b = (prepared.sentences[stacked] @ mine).toarray() if stacked else None

    joined_a = joined_b = None
    joined_at: dict[str, tuple[int, int]] = {}
    if prepared.joined is not None:
        if len(ia) >= 2 and consecutive(ia):
            joined_a = (prepared.joined[ia[0]:ia[-1]] @ theirs).toarray()
        stacked = []
        for b in others:
            ib = prepared.by_doc[b]
            if len(ib) >= 2 and consecutive(ib):
                joined_at[b] = (len(stacked), len(stacked) + len(ib) - 1)
                stacked += range(ib[0], ib[-1])
        joined_b = (prepared.joined[stacked] @ mine).toarray() if stacked else None

    def cut(array: np.ndarray | None, span: tuple[int, int] | None, *, by_rows: bool = False) -> np.ndarray | None:
        # each pair gets arrays of its own, laid out as computing them alone would lay them out
        if array is None or span is None:
            return None
        lo, hi = span
        return np.ascontiguousarray(array[lo:hi] if by_rows else array[:, lo:hi])

    return {b: PairProducts(cut(cosine, columns[b]), cut(shared, columns[b]), cut(headings, columns[b]),
                            cut(sentences_a, columns[b]), cut(sentences_b, sentence_at.get(b), by_rows=True),
                            cut(joined_a, columns[b]), cut(joined_b, joined_at.get(b), by_rows=True))
            for b in others}

