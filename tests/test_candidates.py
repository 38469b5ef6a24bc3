"""Blocking: candidate retrieval must keep the links exhaustive scoring finds, and cut the work."""
from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from analyser import Settings, compare
from analyser.candidates import candidate_mask, document_pairs, fine_scores, nearest_documents
from analyser.model import Clause, Document

from .conftest import CORPUS


def _document(doc_id: str, texts: list[str]) -> Document:
    clauses = tuple(Clause(f"{doc_id}:{k}", doc_id, str(k), str(k), "paragraph", t, order=k)
                    for k, t in enumerate(texts, start=1))
    return Document(doc_id, f"{doc_id}.txt", "text", "0" * 64, clauses=clauses)


def test_candidates_blocking_keeps_links_exhaustive_scoring_finds_on_seeds():
    exhaustive = compare([CORPUS], settings=Settings(blocking=False))
    # five documents are normally scored in full; make them block as a large corpus would
    blocked = compare([CORPUS], settings=Settings(exhaustive_documents=1))
    wanted = {(l.source, l.target) for l in exhaustive.links}
    kept = wanted & {(l.source, l.target) for l in blocked.links}
    assert len(kept) >= 0.995 * len(wanted)


def test_candidates_small_corpus_is_scored_in_full():
    exhaustive = compare([CORPUS / "dudley.txt", CORPUS / "town-council.txt"], settings=Settings(blocking=False))
    default = compare([CORPUS / "dudley.txt", CORPUS / "town-council.txt"], settings=Settings())
    assert default.links == exhaustive.links


def test_candidates_mask_keeps_each_clauses_nearest_both_ways():
    rng = np.random.default_rng(1)
    cosine = rng.uniform(0.13, 0.29, size=(20, 30))
    mask = candidate_mask(cosine, settings=Settings(candidates_per_clause=3))
    for r in range(20):
        assert mask[r, np.argsort(-cosine[r])[:3]].all()
    for c in range(30):
        assert mask[np.argsort(-cosine[:, c])[:3], c].all()
    assert mask.sum() <= 3 * (20 + 30)


def test_candidates_mask_drops_pairs_sharing_no_weighted_terms_and_keeps_strong_ones():
    cosine = np.array([[0.0, 0.05, 0.9, 0.6], [0.01, 0.02, 0.03, 0.95]])
    mask = candidate_mask(cosine, settings=Settings(candidates_per_clause=1))
    assert not mask[0, 0] and not mask[0, 1] and not mask[1, 0]
    assert mask[0, 2] and mask[0, 3] and mask[1, 3]


def test_candidates_mask_is_full_without_blocking():
    assert candidate_mask(np.zeros((3, 4)), settings=Settings(blocking=False)).all()


def test_candidates_fine_scores_match_dense_scoring_on_the_mask():
    a = ["members must respect officers", "officers advise members", "the clerk keeps records"]
    b = ["officers must respect members", "records are kept by the clerk"]
    dense = process.cdist(a, b, scorer=fuzz.token_sort_ratio) / 100.0
    mask = np.array([[True, False], [False, False], [False, True]])
    sparse = fine_scores(a, b, mask, scorer=fuzz.token_sort_ratio, settings=Settings(workers=1))
    assert np.allclose(sparse[mask], dense[mask])
    # the rest get one estimate: the mean over a sample of them (here all of them)
    assert np.allclose(sparse[~mask], dense[~mask].mean())


def test_candidates_small_corpus_compares_all_document_pairs():
    docs = [_document(f"d{k}", [f"text {k}"]) for k in range(5)]
    assert len(document_pairs(docs, settings=Settings())) == 10


def test_candidates_large_corpus_pairs_each_document_with_its_relatives():
    families = [["members must respect the impartiality of officers", "officers advise all members equally"],
                ["planning applications are decided by the committee", "site visits are arranged by officers"],
                ["the clerk keeps the minutes of meetings", "minutes are approved at the next meeting"]]
    docs = [_document(f"d{k:02d}", [t + f" {k}" for t in families[k % 3]] + [f"local note {k}"]) for k in range(30)]
    settings = Settings(exhaustive_documents=5, peers_per_document=3, diverse_peers=1)
    pairs = document_pairs(docs, settings=settings)
    assert len(pairs) <= 30 * 4
    for k in range(30):
        relatives = {b if a == f"d{k:02d}" else a for a, b in pairs if f"d{k:02d}" in (a, b)}
        assert sum(int(r[1:]) % 3 == k % 3 for r in relatives) >= 3
    assert document_pairs(docs, settings=Settings(exhaustive_documents=5, blocking=False)) == [
        (a.id, b.id) for i, a in enumerate(docs) for b in docs[i + 1:]]


def test_candidates_nearest_documents_ranks_peers_by_wording():
    target = _document("draft", ["members must respect the impartiality of officers", "the clerk keeps the minutes"])
    close = _document("close", ["members must respect the impartiality of officers", "the clerk keeps minutes"])
    far = _document("far", ["planning applications go to committee", "site visits are arranged"])
    middle = _document("middle", ["members must respect officers", "planning applications go to committee"])
    assert nearest_documents([target, far, close, middle], "draft", 2) == ["close", "middle"]


def test_candidates_review_against_nearest_peers_leaves_the_rest_out():
    analysis = compare([CORPUS], settings=Settings(target="thanet-draft", nearest_peers=2))
    assert len(analysis.peers) == 2
    assert {"dudley", "town-council"} & set(analysis.peers)
