"""Preparing clauses for aligning: a prepared corpus kept as arrays and extended with a draft
aligns as preparing everything afresh would."""
from __future__ import annotations

import numpy as np

from analyser.align import match_documents
from analyser.prepare import extend, normalised_forms, prepare, prepared_from_parts, prepared_parts
from analyser.settings import Settings

from .align_helpers import FILLER_A, FILLER_B, make_document
from .test_align import linked


def _press_documents():
    a = make_document("a", [("Media", ["Officers refer all press queries to the communications team.", *FILLER_A])])
    b = make_document("b", [("Press", ["Officers will refer press queries to the communications team.", *FILLER_B])])
    c = make_document("c", [("Media relations", ["All press and broadcast queries go to the communications team.",
                                                 "Councillors declare hospitality within 28 days."])])
    return a, b, c


def test_extend_gives_a_draft_the_links_preparing_everything_would():
    a, b, c = _press_documents()
    weigh = frozenset({"a", "b"})
    whole = prepare((a, b, c), weigh=weigh)
    extended = extend(prepare((a, b), weigh=weigh), (c,))
    for peer in ("a", "b"):
        fresh = match_documents(whole, "c", peer, settings=Settings())
        added = match_documents(extended, "c", peer, settings=Settings())
        assert [(l.source, l.target, l.relation) for l in added] == [(l.source, l.target, l.relation) for l in fresh]
        assert np.allclose([l.score for l in added], [l.score for l in fresh], atol=1e-3)
    assert linked(match_documents(extended, "c", "a", settings=Settings()), "c:1.1", "a:1.1")


def test_extend_takes_the_draft_forms_worked_out_in_another_process():
    import pickle

    a, b, c = _press_documents()
    kept = prepare((a, b), weigh=frozenset({"a", "b"}))
    forms = pickle.loads(pickle.dumps(normalised_forms((c,))))  # as they come back from a process beside
    here, given = extend(kept, (c,)), extend(kept, (c,), forms=forms)
    assert given.texts == here.texts and given.vocabulary == here.vocabulary
    assert (given.vectors != here.vectors).nnz == 0 and (given.context != here.context).nnz == 0
    # the draft's own clauses, not the copies that came back
    own = {x.id: x for x in c.clauses}
    added = [x for x in given.clauses if x.doc == "c"]
    assert added and all(x is own[x.id] for x in added)
    assert [l.target for l in match_documents(given, "c", "a", settings=Settings())] == \
        [l.target for l in match_documents(here, "c", "a", settings=Settings())]


def test_prepared_corpus_kept_as_arrays_aligns_as_before(tmp_path):
    from analyser.cache import read_arrays, write_arrays

    docs = _press_documents()
    prepared = prepare(docs)
    write_arrays(tmp_path / "kept", prepared_parts(prepared))
    again = prepared_from_parts(read_arrays(tmp_path / "kept"), docs)
    assert again.clauses == prepared.clauses and again.titles == prepared.titles
    for x, y in (("a", "b"), ("c", "a")):
        assert match_documents(again, x, y, settings=Settings()) == match_documents(prepared, x, y, settings=Settings())
