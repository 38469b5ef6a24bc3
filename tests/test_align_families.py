"""Families, coverage and the alignment graph built from links on small documents."""
from __future__ import annotations

from collections import Counter

from analyser.align import align
from analyser.families import build_graph, coverage_matrix, families, place
from analyser.model import Analysis, Link
from analyser.settings import Settings

from .align_helpers import FILLER_A, FILLER_B, make_document
from .test_align import SPLIT_PIECES, SPLIT_WHOLE


def corpus():
    a = make_document("a", [("Conduct", [SPLIT_WHOLE, *FILLER_A]), ("Press", ["Officers refer all press queries to the communications team."])])
    b = make_document("b", [("Behaviour", [*SPLIT_PIECES, *FILLER_B]), ("Media", ["Officers will refer press queries to the communications team."])])
    c = make_document("c", [("Media relations", ["All press queries are referred by officers to the communications team."])])
    docs = (a, b, c)
    links = align(docs, settings=Settings())
    return Analysis(docs, links, families(docs, links))


def test_families_hold_one_clause_per_document_unless_split():
    analysis = corpus()
    for fam in analysis.families:
        per_doc = Counter(cid.split(":")[0] for cid in fam.clauses)
        assert all(n == 1 for d, n in per_doc.items() if d != "b"), fam
    split = next(f for f in analysis.families if "a:1.1" in f.clauses)
    assert {"b:1.1", "b:1.2"} <= set(split.clauses)


def test_families_join_a_provision_across_three_documents_with_a_label():
    analysis = corpus()
    press = next(f for f in analysis.families if "c:1.1" in f.clauses)
    assert set(press.clauses) == {"a:2.1", "b:2.1", "c:1.1"}
    assert "press" in press.label and len(press.label.split()) <= 6


def test_families_split_a_chain_that_would_put_two_distant_clauses_together():
    a = make_document("a", [("S", ["one", "two", "three", "four", "five"])])
    b = make_document("b", [("S", ["uno"])])
    links = (Link("a:1.1", "b:1.1", 0.9, "equivalent"), Link("a:1.5", "b:1.1", 0.4, "partial"))
    (fam,) = families((a, b), links)
    assert set(fam.clauses) == {"a:1.1", "b:1.1"}


def test_coverage_matrix_rows_sections_then_their_families():
    analysis = corpus()
    coverage = coverage_matrix(analysis)
    assert coverage.documents == ("a", "b", "c")
    media = next(r for r in coverage.rows if r.kind == "section" and "Media" in r.cells[1])
    assert media.cells == (("Press",), ("Media",), ("Media relations",))
    press = next(r for r in coverage.rows if r.kind == "family" and ("c:1.1",) in r.cells)
    assert press.section == media.id
    gaps = [r for r in coverage.rows if r.kind == "family" and not r.cells[2]]
    assert gaps  # the conduct family has nothing in c


def test_build_graph_carries_clauses_and_weighted_links():
    analysis = corpus()
    graph = build_graph(analysis.documents, analysis.links)
    assert graph.number_of_edges() == len(analysis.links)
    assert graph.number_of_nodes() == sum(len(d.clauses) for d in analysis.documents)
    edge = graph.edges["a:2.1", "b:2.1"]
    assert edge["relation"] in ("equivalent", "partial") and 0 < edge["weight"] <= 1
    assert graph.nodes["c:1.1"]["doc"] == "c"


def test_place_puts_a_draft_clause_in_its_partners_family_and_keeps_the_corpus_grouping():
    analysis = corpus()
    d = make_document("d", [("Media", ["Press queries go to the communications team.", "Members use the library.",
                                       "Officers wear badges."])])
    docs = (*analysis.documents, d)
    links = (Link("b:2.1", "d:1.1", 0.8, "equivalent"), Link("d:1.3", "c:1.1", 0.3, "partial"))
    placed = place(docs, analysis.families, links)
    press = next(f for f in placed if "c:1.1" in f.clauses)
    assert set(press.clauses) == {"a:2.1", "b:2.1", "c:1.1", "d:1.1"}  # the stronger link wins the family
    assert not any("d:1.3" in f.clauses for f in placed)  # one clause of d per family, unless a run of them
    others = [set(f.clauses) for f in placed if "c:1.1" not in f.clauses]
    assert others == [set(f.clauses) for f in analysis.families if "c:1.1" not in f.clauses]


def test_place_regroups_only_what_the_draft_reaches_as_regrouping_everything_would():
    """Families no draft link reaches are kept as they are; the result is what grouping the draft's
    links into every one of the corpus's families gives, numbered in document order."""
    from analyser.families import MAX_SPLIT, _numbered, _positions, _ranks, _weighted
    from analyser.grouping import constrained_groups
    from analyser.model import Family

    a, b, c = (make_document(x, [("S", [f"{x} provision {k}" for k in "pqrs"])]) for x in "abc")
    d = make_document("d", [("S", ["draft one", "draft two", "draft three"])])
    corpus_families = (Family("F001", "first", ("a:1.1", "b:1.1", "c:1.1")), Family("F002", "second", ("a:1.2", "b:1.2")),
                       Family("F003", "third", ("a:1.3", "c:1.3")), Family("F004", "fourth", ("b:1.4", "c:1.4")))
    links = (Link("b:1.1", "d:1.1", 0.9, "equivalent"), Link("d:1.2", "a:1.2", 0.5, "partial"),
             Link("d:1.3", "c:1.1", 0.4, "partial"), Link("d:1.3", "a:1.4", 0.35, "partial"))
    for docs in ((d, a, b, c), (a, b, c, d), (c, d, b, a)):
        rank = _ranks(docs)
        everything = constrained_groups(_weighted(links, rank), _positions(docs), MAX_SPLIT,
                                        formed=[f.clauses for f in corpus_families])
        expected = _numbered([g for g in everything if len(g) > 1], rank, docs,
                             {f.clauses: f.label for f in corpus_families})
        assert place(docs, corpus_families, links) == expected
    assert {("c:1.3", "a:1.3"), ("c:1.4", "b:1.4")} <= {f.clauses for f in expected}  # untouched, in today's order


def test_place_makes_a_new_family_with_a_partner_in_none():
    a = make_document("a", [("S", ["one", "two"])])
    d = make_document("d", [("S", ["uno"])])
    placed = place((a, d), (), (Link("a:1.2", "d:1.1", 0.9, "equivalent"),))
    assert [f.clauses for f in placed] == [("a:1.2", "d:1.1")]
