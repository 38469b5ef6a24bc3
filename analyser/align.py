"""Align: clauses of many documents → links between equivalent clauses → families (networkx and
rapidfuzz stay inside this module).

For each pair of documents every clause pair is scored from three signals: a term-weighted
cosine over content lemmas (rare words count for more), a rapidfuzz similarity of the normalised
text, and context (the similarity of the clauses' section headings). A global one-to-one
assignment (Hungarian) picks the equivalent pairs; further strong overlaps become partial links
(a clause split across two in the other document, or merged from two).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix

from .model import Clause, Document, Family, Link
from .normalise import Normalised, normalise_texts
from .settings import Settings

ALIGNABLE = ("paragraph", "item", "definition", "row")


@dataclass(frozen=True, slots=True)
class Prepared:
    """Holds the clauses of a corpus in comparable form, with the corpus-wide term weights."""

    clauses: tuple[Clause, ...]
    forms: tuple[Normalised, ...]
    headings: tuple[Normalised, ...]
    idf: dict[str, float]
    vectors: csr_matrix
    heading_vectors: csr_matrix
    by_doc: dict[str, tuple[int, ...]]


def prepare(documents: tuple[Document, ...], *, nlp=None) -> Prepared:
    """Returns every alignable clause of the corpus normalised and vectorised."""
    clauses = tuple(c for d in documents for c in d.clauses if c.kind in ALIGNABLE and c.text.strip())
    forms = tuple(normalise_texts([c.text for c in clauses], nlp=nlp))
    heading_texts = [" ".join(c.path[:-1] if c.number else c.path) for c in clauses]
    headings = tuple(normalise_texts(heading_texts, nlp=nlp))
    df: Counter[str] = Counter()
    for f in forms:
        df.update(set(f.content))
    n = max(len(forms), 1)
    idf = {t: math.log((1 + n) / (1 + k)) + 1.0 for t, k in df.items()}
    vocab = {t: i for i, t in enumerate(sorted(idf))}
    vectors = _tfidf(forms, vocab, idf)
    heading_vectors = _tfidf(headings, vocab, idf)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(clauses):
        by_doc[c.doc].append(i)
    return Prepared(clauses, forms, headings, idf, vectors, heading_vectors, {k: tuple(v) for k, v in by_doc.items()})


def _tfidf(forms, vocab: dict[str, int], idf: dict[str, float]) -> csr_matrix:
    rows, cols, vals = [], [], []
    for r, f in enumerate(forms):
        counts = Counter(t for t in f.content if t in vocab)
        weights = {t: (1 + math.log(k)) * idf[t] for t, k in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for t, w in weights.items():
            rows.append(r)
            cols.append(vocab[t])
            vals.append(w / norm)
    return csr_matrix((vals, (rows, cols)), shape=(len(forms), max(len(vocab), 1)))


def score_matrix(prepared: Prepared, a: str, b: str) -> tuple[np.ndarray, tuple[int, ...], tuple[int, ...]]:
    """Returns the combined similarity of every clause of document a with every clause of b."""
    ia, ib = prepared.by_doc.get(a, ()), prepared.by_doc.get(b, ())
    if not ia or not ib:
        return np.zeros((len(ia), len(ib))), ia, ib
    va, vb = prepared.vectors[list(ia)], prepared.vectors[list(ib)]
    cosine = (va @ vb.T).toarray()
    texts_a = [prepared.forms[i].text for i in ia]
    texts_b = [prepared.forms[i].text for i in ib]
    fuzzy = process.cdist(texts_a, texts_b, scorer=fuzz.token_sort_ratio, workers=1) / 100.0
    ha, hb = prepared.heading_vectors[list(ia)], prepared.heading_vectors[list(ib)]
    context = (ha @ hb.T).toarray()
    combined = 0.62 * cosine + 0.30 * fuzzy + 0.08 * context
    return combined, ia, ib


def match_documents(prepared: Prepared, a: str, b: str, *, settings: Settings) -> tuple[Link, ...]:
    """Returns the links between two documents: a global one-to-one assignment of equivalents,
    then partial links where one clause also overlaps strongly with a second clause."""
    scores, ia, ib = score_matrix(prepared, a, b)
    if scores.size == 0:
        return ()
    rows, cols = linear_sum_assignment(-scores)
    links: list[Link] = []
    taken: set[tuple[int, int]] = set()
    for r, c in zip(rows, cols):
        s = float(scores[r, c])
        if s >= settings.link_threshold:
            relation = "equivalent" if s >= settings.equivalent_threshold else "partial"
            links.append(_link(prepared, ia[r], ib[c], s, relation))
            taken.add((r, c))
    # split / merged provisions: a second strong partner, kept only if well above the noise
    best_row = scores.max(axis=1)
    best_col = scores.max(axis=0)
    for r, c in zip(*np.nonzero(scores >= settings.partial_threshold)):
        if (r, c) in taken:
            continue
        s = float(scores[r, c])
        if s >= 0.85 * best_row[r] and s >= 0.85 * best_col[c]:
            links.append(_link(prepared, ia[r], ib[c], s, "partial"))
    return tuple(links)


def _link(prepared: Prepared, i: int, j: int, score: float, relation: str) -> Link:
    return Link(prepared.clauses[i].id, prepared.clauses[j].id, round(score, 4), relation)


def align(documents: tuple[Document, ...], *, settings: Settings, pairs: list[tuple[str, str]] | None = None,
          nlp=None) -> tuple[Link, ...]:
    """Returns the links between clauses of every pair of documents (or of the pairs given)."""
    prepared = prepare(documents, nlp=nlp)
    ids = [d.id for d in documents]
    if pairs is None:
        pairs = [(a, b) for k, a in enumerate(ids) for b in ids[k + 1:]]
    links: list[Link] = []
    for a, b in pairs:
        links.extend(match_documents(prepared, a, b, settings=settings))
    return tuple(sorted(links, key=lambda l: (l.source, l.target)))


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
