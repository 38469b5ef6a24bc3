"""Families: links → graph → groups of clauses making the same provision, and coverage
(networkx stays inside this module; render.py writes the graph as alignment.graphml).

A family holds at most one clause per document, unless that document splits the provision across a
few consecutive clauses (each partially linked to the one clause that holds it whole elsewhere).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx

from .grouping import LARGE_COMPONENT, components, constrained_groups
from .model import Analysis, Clause, Document, Family, Link

# a document may split one provision across at most this many consecutive clauses
MAX_SPLIT = 3


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """Holds one row of the coverage matrix: a section group or a family, and its cell per document
    (the clause ids or section titles that document has; empty where it has none)."""

    id: str
    label: str
    kind: str  # section | family
    cells: tuple[tuple[str, ...], ...]
    section: str = ""  # for a family: the id of its section row


@dataclass(frozen=True, slots=True)
class Coverage:
    """Holds the coverage matrix: section groups, each followed by its families, × documents."""

    documents: tuple[str, ...]
    rows: tuple[CoverageRow, ...]


def build_graph(documents: tuple[Document, ...], links: tuple[Link, ...]) -> nx.Graph:
    """Returns the alignment graph: clauses as nodes, links as weighted edges with their relation."""
    graph = nx.Graph()
    for d in documents:
        for c in d.clauses:
            graph.add_node(c.id, doc=c.doc, number=c.number or "", label=c.label, kind=c.kind,
                           section=c.section, text=c.text[:500])
    for link in links:
        graph.add_edge(link.source, link.target, weight=link.score, relation=link.relation)
    return graph


def families(documents: tuple[Document, ...], links: tuple[Link, ...]) -> tuple[Family, ...]:
    """Returns groups of clauses that make the same provision (at most one clause per document unless
    it splits the provision), in document order, each with a short label."""
    rank = _ranks(documents)
    position = _positions(documents)
    edges = _weighted(links, rank)
    groups: list[list[str]] = []
    # perf hook (issue 8): components by union-find; a large one is grouped strongest link first,
    # as splitting by the weakest edge is quadratic in its edges (grouping.py)
    parts = sorted(components(edges), key=lambda part: min(rank[n] for n in part[0]))
    for component, component_edges in parts:
        if len(component_edges) > LARGE_COMPONENT:
            groups.extend(g for g in constrained_groups(component_edges, position, MAX_SPLIT) if len(g) > 1)
            continue
        graph = nx.Graph()
        graph.add_weighted_edges_from(component_edges)
        groups.extend(_split_component(graph, component, position, rank))
    return _numbered(groups, rank, documents)


def place(documents: tuple[Document, ...], corpus_families: tuple[Family, ...], links: tuple[Link, ...]
          ) -> tuple[Family, ...]:
    """Returns a corpus's families with the clauses of a draft reviewed against it placed in them: the
    draft's links (`links`) strongest first, each joining a draft clause to its partner's family under
    the one-clause-per-document rule, or a partner in no family to a new one. The corpus's own grouping
    stays as it was, so a review against a large corpus regroups only the draft (perf, issue 8: grouping
    a national corpus's million links anew took longer than the rest of the review)."""
    rank = _ranks(documents)
    edges = _weighted(links, rank)
    ends = {x for a, b, _ in edges for x in (a, b)}
    # only the families a link reaches can change; the rest keep their clauses, in order, and label
    # (perf, issue 8: regrouping a national corpus's ten thousand families took a second)
    reached: list[Family] = []
    untouched: list[Family] = []
    for family in corpus_families:
        (untouched if ends.isdisjoint(family.clauses) else reached).append(family)
    involved = {x.split(":", 1)[0] for x in ends} | {f.clauses[0].split(":", 1)[0] for f in reached}
    groups = constrained_groups(edges, _positions(tuple(d for d in documents if d.id in involved)), MAX_SPLIT,
                                formed=[f.clauses for f in reached])
    placed = [tuple(sorted(g, key=rank.__getitem__)) for g in groups if len(g) > 1]
    # in today's document order (the kept corpus may have been read in another)
    kept = [tuple(sorted(f.clauses, key=rank.__getitem__)) for f in untouched]
    return _named(sorted([*kept, *placed], key=lambda m: rank[m[0]]), documents,
                  {f.clauses: f.label for f in corpus_families})


def _ranks(documents: tuple[Document, ...]) -> dict[str, int]:
    """Each clause's place among the clauses of all the documents, in document order."""
    return {c.id: i for i, c in enumerate(c for d in documents for c in d.clauses)}


def _weighted(links: tuple[Link, ...], rank: dict[str, int]) -> list[tuple[str, str, float]]:
    """The links as weighted edges: equivalents hold a family together before partials do."""
    return [(l.source, l.target, l.score + (1.0 if l.relation == "equivalent" else 0.0))
            for l in links if l.source in rank and l.target in rank]


def _numbered(groups: list[list[str]], rank: dict[str, int], documents: tuple[Document, ...],
              labels: dict[tuple[str, ...], str] | None = None) -> tuple[Family, ...]:
    """Returns the groups as families in document order, numbered and labelled (a label already
    worked out for the same clauses is kept)."""
    groups = sorted(groups, key=lambda g: min(rank[c] for c in g))
    return _named([tuple(sorted(group, key=rank.__getitem__)) for group in groups], documents, labels)


def _named(members: list[tuple[str, ...]], documents: tuple[Document, ...],
           labels: dict[tuple[str, ...], str] | None = None) -> tuple[Family, ...]:
    """Returns the groups (each in document order, the groups ordered by their first clause) as
    families, numbered and labelled (a label already worked out for the same clauses is kept)."""
    fresh = [m for m in members if not (labels or {}).get(m)]
    text = {c.id: c.text for d in documents for c in d.clauses} if fresh else {}
    return tuple(Family(f"F{k:03d}", (labels or {}).get(m) or family_label([text[c] for c in m]), m)
                 for k, m in enumerate(members, start=1))


def _positions(documents: tuple[Document, ...]) -> dict[str, int]:
    """Each non-heading clause's place among its document's non-heading clauses."""
    position = {}
    for d in documents:
        k = 0
        for c in d.clauses:
            if c.kind != "heading":
                position[c.id] = k
                k += 1
    return position


def _allowed(nodes: set[str], position: dict[str, int]) -> bool:
    """True when each document's clauses in the group are one short run of consecutive clauses."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for n in nodes:
        by_doc[n.split(":", 1)[0]].append(position.get(n, 0))
    for places in by_doc.values():
        if len(places) > 1 and (len(places) > MAX_SPLIT or max(places) - min(places) != len(places) - 1):
            return False
    return True


def _split_component(graph: nx.Graph, component: set[str], position: dict[str, int],
                     rank: dict[str, int]) -> list[list[str]]:
    """Splits a component until every part is allowed, dropping its weakest edges first.

    Every choice is made in clause order (never in set or hash order), so that equal weights are
    broken the same way on every run."""
    if len(component) < 2:
        return []
    nodes = sorted(component, key=rank.__getitem__)
    if _allowed(component, position):
        return [nodes]
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_weighted_edges_from(_ordered_edges(graph.subgraph(nodes).edges(data="weight"), rank))
    for u, v, _ in sorted(sub.edges(data="weight"), key=lambda e: (e[2], *_ordered_pair(e[0], e[1], rank))):
        sub.remove_edge(u, v)
        if not nx.has_path(sub, u, v):
            parts: list[list[str]] = []
            for part in _components(sub, rank):
                parts.extend(_split_component(sub, part, position, rank))
            return parts
    return []


def _ordered_pair(u: str, v: str, rank: dict[str, int]) -> tuple[int, int]:
    return (rank[u], rank[v]) if rank[u] <= rank[v] else (rank[v], rank[u])


def _ordered_edges(edges, rank: dict[str, int]) -> list[tuple[str, str, float]]:
    """The edges with each pair in clause order, sorted by clause order."""
    pairs = [(u, v, w) if rank[u] <= rank[v] else (v, u, w) for u, v, w in edges]
    return sorted(pairs, key=lambda e: (rank[e[0]], rank[e[1]]))


def _components(graph: nx.Graph, rank: dict[str, int]) -> list[set[str]]:
    """The graph's connected parts, ordered by their first clause."""
    return sorted((set(c) for c in nx.connected_components(graph)), key=lambda c: min(rank[n] for n in c))


_LABEL_STOP = set("""a an the and or of to in on at by for with from as is are be been will shall may must should would
can that this these those their they them it its any all such other not no which who whom whose where when what
there than then also each every into under within without upon about over only so if but whilst while
""".split())


_LABEL_WORD = re.compile(r"[a-z][a-z'-]+")


def family_label(texts: list[str]) -> str:
    """Returns a short label: the words most of the clauses share, in the order the first uses them."""
    first = [w for w in _LABEL_WORD.findall(texts[0].lower()) if w not in _LABEL_STOP] if texts else []
    if not first:
        return texts[0][:60] if texts else ""
    # how many of the clauses use each of the first's words (perf, issue 8: a national corpus's
    # family holds hundreds of clauses, and only the first's words can make the label)
    candidates = set(first)
    common = Counter(w for t in texts for w in candidates.intersection(_LABEL_WORD.findall(t.lower())))
    shared = [w for w in dict.fromkeys(first) if common[w] >= max(2, math.ceil(len(texts) / 2))]
    chosen = (shared or list(dict.fromkeys(first)))[:6]
    return " ".join(chosen)


def section_title(clause: Clause) -> str:
    """Returns the top-level section a clause sits in (the report's coverage uses the same titles)."""
    return clause.section or (clause.path[0] if clause.path else "") or "Preamble"


def coverage_matrix(analysis: Analysis) -> Coverage:
    """Returns which document has which provision: section groups (sections of different documents
    that share families) and under each its families, against the documents."""
    docs = tuple(d.id for d in analysis.documents)
    index = analysis.clause_index()
    section_of = {cid: (c.doc, section_title(c)) for cid, c in index.items()}
    # sections of two documents belong together when they share a family
    graph = nx.Graph()
    for d in analysis.documents:
        for c in d.clauses:
            graph.add_node(section_of[c.id])
    for fam in analysis.families:
        nodes = [section_of[c] for c in fam.clauses if c in section_of]
        for a, b in zip(nodes, nodes[1:]):
            if a != b:
                graph.add_edge(a, b, weight=graph.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    first_seen = {}
    for k, cid in enumerate(index):
        first_seen.setdefault(section_of[cid], k)
    groups = sorted((sorted(g, key=first_seen.get) for g in nx.connected_components(graph)),
                    key=lambda g: first_seen[g[0]])
    group_of = {node: k for k, g in enumerate(groups) for node in g}
    families_in: dict[int, list[Family]] = defaultdict(list)
    for fam in analysis.families:
        if fam.clauses and fam.clauses[0] in section_of:
            families_in[group_of[section_of[fam.clauses[0]]]].append(fam)
    rows: list[CoverageRow] = []
    for k, group in enumerate(groups, start=1):
        sid = f"S{k:03d}"
        titles = Counter(title for _, title in group)
        cells = tuple(tuple(title for doc, title in group if doc == d) for d in docs)
        rows.append(CoverageRow(sid, titles.most_common(1)[0][0], "section", cells))
        for fam in families_in[k - 1]:
            fam_cells = tuple(tuple(c for c in fam.clauses if index[c].doc == d) for d in docs)
            rows.append(CoverageRow(fam.id, fam.label, "family", fam_cells, section=sid))
    return Coverage(docs, tuple(rows))

