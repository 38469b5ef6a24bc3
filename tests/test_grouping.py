"""Families in large components: grouped strongest link first, at most one clause per document."""
from __future__ import annotations

from analyser.grouping import components, constrained_groups


def test_grouping_never_puts_two_clauses_of_one_document_together():
    edges = [("a:1", "b:1", 0.9), ("b:1", "c:1", 0.8), ("c:1", "a:2", 0.7), ("a:2", "b:2", 0.95)]
    groups = constrained_groups(edges)
    for g in groups:
        docs = [c.split(":")[0] for c in g]
        assert len(docs) == len(set(docs))
    assert ["a:1", "b:1", "c:1"] in groups and ["a:2", "b:2"] in groups


def test_grouping_allows_a_provision_split_across_consecutive_clauses():
    edges = [("a:1", "b:1", 0.9), ("a:1", "b:2", 0.8), ("a:1", "b:5", 0.7)]
    position = {"a:1": 0, "b:1": 0, "b:2": 1, "b:5": 4}
    groups = constrained_groups(edges, position, max_split=3)
    assert ["a:1", "b:1", "b:2"] in groups and ["b:5"] in groups


def test_grouping_components_hold_their_own_edges():
    parts = components([("a:1", "b:1", 0.9), ("c:1", "d:1", 0.5), ("b:1", "e:1", 0.4)])
    assert sorted(sorted(nodes) for nodes, _ in parts) == [["a:1", "b:1", "e:1"], ["c:1", "d:1"]]
    assert all(len(edges) == len(nodes) - 1 for nodes, edges in parts)
