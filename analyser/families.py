"""Families: links → graph → groups of clauses making the same provision, coverage, GraphML."""
from __future__ import annotations

import math
import re
from collections import Counter

import networkx as nx

from .model import Document, Family, Link


def build_graph(documents: tuple[Document, ...], links: tuple[Link, ...]) -> nx.Graph:
    """Returns the alignment graph: clauses as nodes, links as weighted edges with their relation."""
    graph = nx.Graph()
    for d in documents:
        for c in d.clauses:
            graph.add_node(c.id, doc=c.doc, number=c.number or "", label=c.label, kind=c.kind, text=c.text[:500])
    for link in links:
        graph.add_edge(link.source, link.target, weight=link.score, relation=link.relation)
    return graph


def families(documents: tuple[Document, ...], links: tuple[Link, ...]) -> tuple[Family, ...]:
    """Returns groups of clauses that make the same provision, at most one per document where the
    links allow, each with a short label from its most distinctive words."""
    graph = nx.Graph()
    graph.add_weighted_edges_from((l.source, l.target, l.score) for l in links)
    order = {c.id: (i, c) for i, c in enumerate(c for d in documents for c in d.clauses)}
    groups: list[list[str]] = []
    for component in nx.connected_components(graph):
        groups.extend(_split_component(graph, component))
    groups.sort(key=lambda g: min(order[c][0] for c in g))
    result = []
    for k, group in enumerate(groups, start=1):
        members = sorted(group, key=lambda c: order[c][0])
        result.append(Family(f"F{k:03d}", _label([order[c][1].text for c in members]), tuple(members)))
    return tuple(result)


def _split_component(graph: nx.Graph, component: set[str]) -> list[list[str]]:
    """Splits a component holding two clauses of one document by dropping its weakest edges."""
    sub = graph.subgraph(component).copy()
    while True:
        docs = Counter(n.split(":", 1)[0] for n in sub.nodes)
        if all(k == 1 for k in docs.values()) or sub.number_of_edges() == 0:
            break
        weakest = min(sub.edges(data="weight"), key=lambda e: e[2])
        sub.remove_edge(weakest[0], weakest[1])
        parts = list(nx.connected_components(sub))
        if len(parts) > 1:
            return [g for p in parts for g in _split_component(sub, p)]
    return [sorted(sub.nodes)]


_LABEL_STOP = set("""a an the and or of to in on at by for with from as is are be been will shall may must should would
can that this these those their they them it its any all such other not no which who whom whose where when what
there than then also each every into under within without upon about over only so if but whilst while
""".split())


def _label(texts: list[str]) -> str:
    """A short label: the words the family's clauses share, in the order the first clause uses them."""
    words = [[w for w in re.findall(r"[a-z][a-z'-]+", t.lower()) if w not in _LABEL_STOP] for t in texts]
    if not words or not words[0]:
        return texts[0][:60] if texts else ""
    common = Counter(w for ws in words for w in set(ws))
    shared = [w for w in dict.fromkeys(words[0]) if common[w] >= max(2, math.ceil(len(texts) / 2))]
    chosen = (shared or list(dict.fromkeys(words[0])))[:6]
    return " ".join(chosen)
