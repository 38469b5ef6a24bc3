"""A pair's sparse products worked out with other pairs' (products.py) are, to the last bit, the
ones the pair would work out alone, so the links do not change."""
from __future__ import annotations

import numpy as np
from scipy.sparse import diags

from analyser.align import match_documents, match_many
from analyser.prepare import prepare
from analyser.products import products_against, sentence_rows
from analyser.settings import Settings


def test_products_against_several_documents_equal_each_pair_alone(corpus_run):
    analysis, _ = corpus_run
    prepared = prepare(analysis.documents)
    draft, *peers = ["thanet-draft", *(d.id for d in analysis.documents if d.id != "thanet-draft")]
    together = products_against(prepared, draft, peers)
    ia = prepared.by_doc[draft]
    for peer in peers:
        ib = prepared.by_doc[peer]
        got = together[peer]
        vectors, presence = prepared.vectors[list(ia)], prepared.presence[list(ia)]
        weighted = presence @ diags(prepared.weights[: prepared.presence.shape[1]])
        assert np.array_equal(got.cosine, (vectors @ prepared.vectors[list(ib)].T).toarray())
        assert np.array_equal(got.shared, (weighted @ prepared.presence[list(ib)].T).toarray())
        assert np.array_equal(got.headings, (prepared.context[list(ia)] @ prepared.context[list(ib)].T).toarray())
        mine, theirs = sentence_rows(prepared, ia), sentence_rows(prepared, ib)
        assert np.array_equal(got.sentences_a, (prepared.sentences[mine] @ prepared.vectors[list(ib)].T).toarray())
        assert np.array_equal(got.sentences_b, (prepared.sentences[theirs] @ vectors.T).toarray())
        assert np.array_equal(got.joined_a, (prepared.joined[ia[0]:ia[-1]] @ prepared.vectors[list(ib)].T).toarray())
        assert np.array_equal(got.joined_b, (prepared.joined[ib[0]:ib[-1]] @ vectors.T).toarray())


def test_products_leave_every_link_as_matching_pair_by_pair_makes_it(corpus_run):
    analysis, _ = corpus_run
    prepared = prepare(analysis.documents)
    ids = [d.id for d in analysis.documents]
    pairs = [(a, b) for k, a in enumerate(ids) for b in ids[k + 1:]]
    settings = Settings()
    assert match_many(prepared, pairs, settings=settings) == [
        link for a, b in pairs for link in match_documents(prepared, a, b, settings=settings)]
    assert products_against(prepared, ids[0], ["no-such-document"]) == {}
