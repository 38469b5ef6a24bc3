"""Prepare: documents → their alignable clauses in comparable form: normalised (spaCy lemmas, the
thesaurus), weighted by how rare each word is (tf-idf over stemmed content words), with each clause's
headings, lead-in and sentences; and a prepared corpus taken apart into arrays and plain values for
the cache, and extended with a draft without preparing the corpus again (perf, issue 8).
align.py scores and links the clauses prepared here.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, diags, vstack

from .model import Clause, Document
from .normalise import Normalised, normalise_texts

ALIGNABLE = ("paragraph", "item", "definition", "row")


@dataclass(frozen=True, slots=True)
class Prepared:
    """Holds the alignable clauses of a corpus in comparable form, with the corpus-wide term weights."""

    clauses: tuple[Clause, ...]
    texts: tuple[str, ...]  # each clause's normalised text (for the order-aware ratio)
    vocabulary: dict[str, int]  # each term's column in the matrices below
    vectors: csr_matrix  # l2-normalised tf-idf of each clause's terms
    presence: csr_matrix  # 1 where a clause has a term
    weights: np.ndarray  # idf of every vocabulary term
    mass: np.ndarray  # summed idf of each clause's distinct terms
    context: csr_matrix  # l2-normalised tf-idf of each clause's headings and lead-in
    leads: tuple[str, ...]  # normalised text of each clause's lead-in ("" when none)
    by_doc: dict[str, tuple[int, ...]]
    sentences: csr_matrix  # l2-normalised tf-idf of each sentence of a multi-sentence clause
    sentence_of: np.ndarray  # the clause (prepared index) each of those sentences belongs to
    lead_of: tuple[int, ...] = ()  # each clause's lead-in (prepared index), -1 when it has none
    # perf (issue 8): each clause's vector summed with the next one's, l2-normalised, computed once
    # for the corpus rather than for each document pair (_merged_runs)
    joined: csr_matrix | None = None
    # each clause's headings, outermost first, as normalised terms (summaries.py: corresponding sections)
    titles: tuple[tuple[tuple[str, ...], ...], ...] = ()
    rarest: float = 1.0  # the weight of a term the weighed clauses never use


@dataclass(frozen=True, slots=True)
class _Forms:
    """Holds the alignable clauses of some documents normalised, before any weighting."""

    clauses: tuple[Clause, ...]
    forms: tuple[Normalised, ...]
    context: tuple[Normalised, ...]  # each clause's headings and lead-in
    leads: tuple[str, ...]
    sentences: tuple[Normalised, ...]  # the sentences of clauses that hold several
    sentence_of: tuple[int, ...]
    lead_of: tuple[int, ...]
    titles: tuple[tuple[tuple[str, ...], ...], ...]


def normalised_forms(documents: tuple[Document, ...], *, nlp=None, thesaurus: Path | None = None) -> _Forms:
    """Returns every alignable clause of the documents normalised, with its context, lead-in and sentences."""
    opens_list = {c.parent for d in documents for c in d.clauses if c.kind == "item"}
    clauses = tuple(c for d in documents for c in d.clauses
                    if (c.kind in ALIGNABLE or _numbered_lead_in(c, opens_list)) and c.text.strip())
    index = {c.id: c for d in documents for c in d.clauses}
    # a clause of several sentences is normalised a sentence at a time (the sentences are scored on
    # their own too) and its form joined from theirs: spaCy reads each word once
    pieces = [c.sentences if len(c.sentences) > 1 else (c.text,) for c in clauses]
    piece_forms = normalise_texts([t for p in pieces for t in p], nlp=nlp, thesaurus=thesaurus)
    forms_list, owners, sentence_forms, k = [], [], [], 0
    for i, p in enumerate(pieces):
        parts = piece_forms[k:k + len(p)]
        k += len(p)
        forms_list.append(Normalised(*(tuple(x for f in parts for x in getattr(f, field))
                                       for field in ("tokens", "content", "terms"))))
        if len(p) > 1:
            owners.extend([i] * len(p))
            sentence_forms.extend(parts)
    lead_clauses = [_lead_in(c, index) for c in clauses]
    context_texts = [" ".join((*_headings(c, index), lead.text if lead else "")) for c, lead in zip(clauses, lead_clauses)]
    context_forms = normalise_texts(context_texts, nlp=nlp, thesaurus=thesaurus)
    leads = normalise_texts([lead.text if lead else "" for lead in lead_clauses], nlp=nlp, thesaurus=thesaurus)
    paths = [tuple(p for p in c.path if p != c.number) for c in clauses]
    heading_texts = sorted({h for p in paths for h in p})
    heading_forms = dict(zip(heading_texts, normalise_texts(heading_texts, nlp=nlp, thesaurus=thesaurus)))
    return _Forms(clauses, tuple(forms_list), tuple(context_forms), tuple(f.text for f in leads), tuple(sentence_forms),
                  tuple(owners), _lead_indices(clauses, lead_clauses),
                  tuple(tuple(heading_forms[h].terms for h in p) for p in paths))


def prepare(documents: tuple[Document, ...], *, nlp=None, thesaurus: Path | None = None,
            weigh: frozenset[str] | None = None) -> Prepared:
    """Returns every alignable clause of the corpus normalised and vectorised, its words weighted by
    how rare they are among the clauses of every document (or of the documents in `weigh`)."""
    normalised = normalised_forms(documents, nlp=nlp, thesaurus=thesaurus)
    weighed = [f for c, f in zip(normalised.clauses, normalised.forms) if weigh is None or c.doc in weigh]
    df: Counter[str] = Counter()
    for f in weighed:
        df.update(set(f.terms))
    n = max(len(weighed), 1)
    idf = {t: math.log((1 + n) / (1 + k)) + 1.0 for t, k in df.items()}
    rarest = math.log(1 + n) + 1.0
    if weigh is not None:
        # weights from a corpus's own documents (not the draft reviewed against it) give its clauses
        # the same vectors whatever draft joins them, so its links can be kept (cache.py); words only
        # the others or only the headings use weigh as the rarest
        for f in (*normalised.forms, *normalised.context):
            for t in f.terms:
                idf.setdefault(t, rarest)
    vocabulary = {t: i for i, t in enumerate(sorted(idf))}
    weights = np.array([idf[t] for t in sorted(idf)]) if idf else np.zeros(1)
    return _vectorised(normalised, vocabulary, weights, rarest)


def extend(prepared: Prepared, documents: tuple[Document, ...], *, nlp=None, thesaurus: Path | None = None,
           forms: _Forms | None = None) -> Prepared:
    """Returns a prepared corpus with more documents' clauses added, weighed as the corpus weighs
    (a word the corpus never uses as its rarest): a draft added to a national corpus whose prepared
    form is kept, rather than the whole corpus prepared again (perf, issue 8). `forms`: the
    documents' normalised_forms when already worked out (in another process)."""
    if forms is None:
        normalised = normalised_forms(documents, nlp=nlp, thesaurus=thesaurus)
    else:  # the documents' own clauses, not the copies that came back from another process
        index = {c.id: c for d in documents for c in d.clauses}
        normalised = replace(forms, clauses=tuple(index[c.id] for c in forms.clauses))
    new = sorted({t for f in (*normalised.forms, *normalised.context) for t in f.terms} - prepared.vocabulary.keys())
    vocabulary = {**prepared.vocabulary, **{t: len(prepared.vocabulary) + k for k, t in enumerate(new)}}
    weights = np.concatenate([prepared.weights[: len(prepared.vocabulary)], np.full(len(new), prepared.rarest)])
    weights = weights if len(weights) else np.zeros(1)  # as prepare(): one weight even for no words
    added = _vectorised(normalised, vocabulary, weights, prepared.rarest)
    offset = len(prepared.clauses)

    def stacked(a: csr_matrix, b: csr_matrix) -> csr_matrix:
        width = max(len(vocabulary), 1)
        return vstack([csr_matrix((a.data, a.indices, a.indptr), shape=(a.shape[0], width)), b], format="csr")

    vectors = stacked(prepared.vectors, added.vectors)
    return Prepared(prepared.clauses + added.clauses, prepared.texts + added.texts, vocabulary, vectors,
                    stacked(prepared.presence, added.presence), weights, np.concatenate([prepared.mass, added.mass]),
                    stacked(prepared.context, added.context), prepared.leads + added.leads,
                    {**prepared.by_doc, **{d: tuple(i + offset for i in rows) for d, rows in added.by_doc.items()}},
                    stacked(prepared.sentences, added.sentences),
                    np.concatenate([prepared.sentence_of, added.sentence_of + offset]),
                    prepared.lead_of + tuple(i + offset if i >= 0 else -1 for i in added.lead_of),
                    joined_rows(vectors), prepared.titles + added.titles, prepared.rarest)


_MATRICES = ("vectors", "presence", "context", "sentences")


def prepared_parts(prepared: Prepared) -> dict:
    """Returns a prepared corpus as arrays and plain values (for the cache: never pickle), its
    clauses by id; prepared_from_parts rebuilds it."""
    parts = {"clauses": [c.id for c in prepared.clauses], "texts": list(prepared.texts), "leads": list(prepared.leads),
             "vocabulary": list(prepared.vocabulary), "weights": prepared.weights, "mass": prepared.mass,
             "sentence_of": prepared.sentence_of, "lead_of": np.array(prepared.lead_of, dtype=np.int64),
             "titles": prepared.titles, "rarest": prepared.rarest}
    for name in _MATRICES:
        matrix = getattr(prepared, name)
        parts.update({f"{name}.data": matrix.data, f"{name}.indices": matrix.indices, f"{name}.indptr": matrix.indptr,
                      f"{name}.shape": list(matrix.shape)})
    return parts


def prepared_from_parts(parts: dict, documents: tuple[Document, ...]) -> Prepared:
    """Returns the prepared corpus that prepared_parts took apart, its clauses found in the documents."""
    index = {c.id: c for d in documents for c in d.clauses}
    clauses = tuple(index[i] for i in parts["clauses"])
    matrices = {name: csr_matrix((parts[f"{name}.data"], parts[f"{name}.indices"], parts[f"{name}.indptr"]),
                                 shape=tuple(parts[f"{name}.shape"])) for name in _MATRICES}
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(clauses):
        by_doc[c.doc].append(i)
    return Prepared(clauses, tuple(parts["texts"]), {t: i for i, t in enumerate(parts["vocabulary"])},
                    matrices["vectors"], matrices["presence"], parts["weights"], parts["mass"], matrices["context"],
                    tuple(parts["leads"]), {k: tuple(v) for k, v in by_doc.items()}, matrices["sentences"],
                    # each clause with the next: left to extend(), which works them out with the draft's
                    parts["sentence_of"], tuple(parts["lead_of"].tolist()), None,
                    tuple(tuple(tuple(t) for t in heading) for heading in parts["titles"]), float(parts["rarest"]))


def _vectorised(normalised: _Forms, vocabulary: dict[str, int], weights: np.ndarray, rarest: float) -> Prepared:
    """Returns normalised clauses as tf-idf vectors over the vocabulary, weighted as given."""
    forms = normalised.forms
    vectors = _tfidf(forms, vocabulary, weights)
    presence = _presence(forms, vocabulary)
    mass = np.asarray(presence @ weights[: presence.shape[1]]).ravel()
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(normalised.clauses):
        by_doc[c.doc].append(i)
    # the sentences of clauses that hold several: a council that merges provisions often merges
    # them a sentence each, so a sentence can stand for a provision the other document keeps apart
    return Prepared(normalised.clauses, tuple(f.text for f in forms), vocabulary, vectors, presence, weights, mass,
                    _tfidf(normalised.context, vocabulary, weights), normalised.leads,
                    {k: tuple(v) for k, v in by_doc.items()}, _tfidf(normalised.sentences, vocabulary, weights),
                    np.array(normalised.sentence_of, dtype=int), normalised.lead_of, joined_rows(vectors),
                    normalised.titles, rarest)


def _numbered_lead_in(clause: Clause, opens_list: set[str | None]) -> bool:
    """Whether a clause is a numbered heading that opens a list of items ("16.2 Procedure for members
    complaining about an officer" then (a), (b) …): it cites like a provision and introduces its list
    as a lead-in would, so it is aligned as one (it stays a heading for the rest of the tool)."""
    return clause.kind == "heading" and bool(clause.number) and clause.id in opens_list


def joined_rows(vectors: csr_matrix) -> csr_matrix:
    """Returns each row summed with the next row, l2-normalised (one row fewer)."""
    joined = vectors[:-1] + vectors[1:]
    norms = np.sqrt(np.asarray(joined.multiply(joined).sum(axis=1)).ravel())
    return diags(1 / np.maximum(norms, 1e-9)) @ joined


def _lead_indices(clauses: tuple[Clause, ...], leads: list[Clause | None]) -> tuple[int, ...]:
    place = {c.id: i for i, c in enumerate(clauses)}
    return tuple(place.get(lead.id, -1) if lead is not None else -1 for lead in leads)


def _headings(clause: Clause, index: dict[str, Clause]) -> list[str]:
    """The headings above a clause: its path's headings, and headings among its ancestors."""
    texts = [p for p in clause.path if p != clause.number and p != clause.text]
    parent = index.get(clause.parent) if clause.parent else None
    while parent is not None:
        if parent.kind == "heading" and parent.text not in texts:
            texts.append(parent.text)
        parent = index.get(parent.parent) if parent.parent else None
    return texts


def _lead_in(clause: Clause, index: dict[str, Clause]) -> Clause | None:
    """The clause's lead-in ("Members can expect from officers:"), when its parent is one."""
    parent = index.get(clause.parent) if clause.parent else None
    if parent is not None and parent.kind in ALIGNABLE and clause.kind in ("item", "definition"):
        return parent
    return None


def _tfidf(forms, vocab: dict[str, int], weights: np.ndarray) -> csr_matrix:
    """Returns each form's l2-normalised tf-idf vector (log-scaled term counts, `weights` the idf of
    each vocabulary term), one row per form."""
    # built as arrays rather than term by term: a national corpus has millions of terms (perf, issue 8)
    ids = [[vocab[t] for t in f.terms if t in vocab] for f in forms]
    rows = np.repeat(np.arange(len(forms)), [len(x) for x in ids])
    cols = np.fromiter((i for x in ids for i in x), dtype=np.int64, count=len(rows))
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(forms), max(len(vocab), 1)))
    matrix.sum_duplicates()
    matrix.data = (1 + np.log(matrix.data)) * weights[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
    return matrix


def _presence(forms, vocab: dict[str, int]) -> csr_matrix:
    rows, cols = [], []
    for r, f in enumerate(forms):
        for t in set(f.terms):
            rows.append(r)
            cols.append(vocab[t])
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(forms), max(len(vocab), 1)))
