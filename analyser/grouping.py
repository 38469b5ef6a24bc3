"""Grouping: links → families in large components, in O(E log E) (issue 8).

Linking strongest first, a union is refused when it would put two clauses of one document in the
same family: the result keeps at most one clause per document, as the exact splitting in align.py
does for small components, but without rescanning every edge after each removal.
"""
from __future__ import annotations

from typing import Iterable

# components with up to this many links keep the exact weakest-link-first splitting (families.py);
# past it that splitting, quadratic in links, would take minutes on a national corpus
LARGE_COMPONENT = 2000


def components(edges: Iterable[tuple[str, str, float]]) -> list[tuple[set[str], list[tuple[str, str, float]]]]:
    """Returns the connected components of the link graph, each with its edges, in first-seen order."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges = list(edges)
    for a, b, _ in edges:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra
    nodes: dict[str, set[str]] = {}
    for x in parent:
        nodes.setdefault(root(x), set()).add(x)
    grouped: dict[str, list[tuple[str, str, float]]] = {r: [] for r in nodes}
    for edge in edges:
        grouped[root(edge[0])].append(edge)
    return [(nodes[r], grouped[r]) for r in nodes]


def constrained_groups(edges: Iterable[tuple[str, str, float]], position: dict[str, int] | None = None,
                       max_split: int = 1, formed: Iterable[Iterable[str]] = ()) -> list[list[str]]:
    """Returns groups of clause ids joined strongest link first, never two of one document, unless
    (given each clause's position in its document) they are a run of at most `max_split` consecutive
    clauses; `formed` are groups already made (a corpus's families) that the edges may extend."""
    parent: dict[str, str] = {}
    places: dict[str, dict[str, list[int]]] = {}  # group root → document → positions of its clauses there

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def allowed(a: dict[str, list[int]], b: dict[str, list[int]]) -> bool:
        for doc in a.keys() & b.keys():
            merged = sorted(a[doc] + b[doc])
            if position is None or len(merged) > max_split or merged[-1] - merged[0] != len(merged) - 1:
                return False
        return True

    def add(x: str) -> None:
        if x not in parent:
            parent[x] = x
            places[x] = {x.split(":", 1)[0]: [position.get(x, 0) if position else 0]}

    for group in formed:  # each already one group (disjoint): its clauses' places gathered at once
        first = group[0]
        joined: dict[str, list[int]] = {}
        for x in group:
            parent[x] = first
            joined.setdefault(x.split(":", 1)[0], []).append(position.get(x, 0) if position else 0)
        places[first] = joined
    ordered = sorted(edges, key=lambda e: (-e[2], e[0], e[1]))
    for a, b, _ in ordered:
        add(a)
        add(b)
    for a, b, _ in ordered:
        ra, rb = root(a), root(b)
        if ra == rb or not allowed(places[ra], places[rb]):
            continue
        if len(places[ra]) < len(places[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        for doc, at in places.pop(rb).items():
            places[ra].setdefault(doc, []).extend(at)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(root(x), []).append(x)
    return [sorted(g) for g in groups.values()]
