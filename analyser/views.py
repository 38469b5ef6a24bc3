"""What the reports for people show, built once from the Analysis: findings by section with their
word-level diffs, the coverage matrix and the family browser. Templates only lay these out."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .families import section_title
from .links import Links
from .model import Analysis, Clause, Document, Finding
from .textdiff import Piece, word_diff

SEVERITY_NAMES = {1: "high", 2: "medium", 3: "low"}
KIND_ORDER = {"divergence": 0, "drafting": 1, "gap": 2}
HEAT_LEVELS = 5  # heat-0 … heat-4 in the stylesheet
# a whole-corpus matrix is every document's sections × every document: past this many documents
# it grows with the square of the corpus and no reader could scan it (perf, issue 8); a review
# against more peers shows this many columns (the peers sharing most with the draft), and the
# side-by-side browser lists only the protocols that make each provision
MATRIX_DOCUMENTS = 60
NO_SECTION = "Provisions with no place in this draft"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Holds one peer clause a finding rests on, and the word-level diff from it to the target clause."""

    peer: Clause
    peer_name: str
    pieces: tuple[Piece, ...] = ()  # empty when there is no target clause to compare


@dataclass(frozen=True, slots=True)
class FindingView:
    """Holds a finding with everything a reader needs beside it: the target clause, the peer wordings, where it belongs."""

    finding: Finding
    clause: Clause | None
    anchor: Clause | None  # the target clause a gap would follow
    comparisons: tuple[Comparison, ...]
    peer_docs: tuple[str, ...]
    severity: str


@dataclass(frozen=True, slots=True)
class SectionView:
    """Holds the findings on one section of the target, in document order."""

    slug: str
    title: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    """Holds one coverage cell: how many of a section's provisions another document also makes."""

    covered: int
    total: int
    level: int

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 0


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """Holds one section of a document and its coverage in every column (None under the document itself)."""

    title: str
    total: int
    cells: tuple[Cell | None, ...]


@dataclass(frozen=True, slots=True)
class MatrixBlock:
    """Holds the sections of one document as rows of the matrix."""

    reference: Document
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    """Holds the coverage matrix: sections of the target (or of every document) × the documents compared with them."""

    columns: tuple[Document, ...]
    blocks: tuple[MatrixBlock, ...]
    gaps: tuple[int, ...]  # per column, in a review: the provisions that document makes and the target lacks
    left_out: int = 0  # peers of a large review not shown as columns


@dataclass(frozen=True, slots=True)
class FamilyView:
    """Holds one provision as every document words it (a list per document, empty where absent)."""

    id: str
    label: str
    wordings: tuple[tuple[Document, tuple[Clause, ...]], ...]
    present: int
    headline: str  # the opening words of the target's (or first document's) wording, to recognise it by
    absent: int = 0  # protocols without it, when a large corpus lists only those that make it
    same: tuple[int, ...] = ()  # per wording of a large corpus: how many more protocols word it identically


def doc_name(document: Document) -> str:
    """Returns the name a reader knows a document by, the same the findings' messages use."""
    from .findings import display_name  # findings imports render, which imports this module

    return display_name(document)


def shorten(text: str, limit: int = 110) -> str:
    """Returns the text cut at a word boundary near `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def slug(text: str) -> str:
    """Returns an id-safe form of a heading for in-page links."""
    return "s-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x")


def section_of(clause: Clause) -> str:
    """Returns the top-level section a clause sits in (as families.coverage_matrix names it)."""
    return section_title(clause)


def partners(analysis: Analysis, *, touching: str | None = None) -> dict[str, set[str]]:
    """Returns, for every clause, the clauses of other documents it is linked to (only through the
    links with an end in document `touching`, when given)."""
    out: dict[str, set[str]] = defaultdict(set)
    if touching is None:
        for link in analysis.links:
            out[link.source].add(link.target)
            out[link.target].add(link.source)
        return out
    for link in Links.of(analysis.links).touching({c.id for c in analysis.document(touching).clauses}):
        out[link.source].add(link.target)
        out[link.target].add(link.source)
    return out


def gap_anchor(finding: Finding, analysis: Analysis, index: dict[str, Clause], linked: dict[str, set[str]]) -> Clause | None:
    """Returns the target clause a missing provision would follow: the target's match for the nearest earlier peer clause."""
    if analysis.target is None:
        return None
    for peer_id in finding.peers:
        peer = index.get(peer_id)
        if peer is None:
            continue
        clauses = analysis.document(peer.doc).clauses
        position = next((k for k, c in enumerate(clauses) if c.id == peer_id), 0)
        for earlier in reversed(clauses[:position]):
            mine = [index[o] for o in linked.get(earlier.id, ()) if o in index and index[o].doc == analysis.target]
            if mine:
                return max(mine, key=lambda c: c.order)
    return None


def finding_views(analysis: Analysis, *, keys: frozenset[str], linked: dict[str, set[str]] | None = None
                  ) -> tuple[FindingView, ...]:
    """Returns every finding with its target clause, anchor and the diff against each peer clause it rests on."""
    index = analysis.clause_index()
    linked = partners(analysis, touching=analysis.target) if linked is None else linked
    names = {d.id: doc_name(d) for d in analysis.documents}
    # perf (issue 8): many peers share a model protocol's wording, so each distinct pair of texts is diffed once
    diffs: dict[tuple[str, str], tuple[Piece, ...]] = {}
    views = []
    for f in analysis.findings:
        clause = index.get(f.clause) if f.clause else None
        comparisons = []
        for peer_id in f.peers:
            peer = index.get(peer_id)
            if peer is None:
                continue
            pieces: tuple[Piece, ...] = ()
            if clause is not None:
                pair = (peer.text, clause.text)
                if pair not in diffs:
                    diffs[pair] = word_diff(*pair, keys=keys)
                pieces = diffs[pair]
            comparisons.append(Comparison(peer, names[peer.doc], pieces))
        anchor = clause if clause is not None else gap_anchor(f, analysis, index, linked)
        peer_docs = tuple(dict.fromkeys(index[p].doc for p in f.peers if p in index))
        views.append(FindingView(f, clause, anchor, tuple(comparisons), peer_docs, SEVERITY_NAMES.get(f.severity, "medium")))
    return tuple(views)


def sections(views: tuple[FindingView, ...]) -> tuple[SectionView, ...]:
    """Returns the findings grouped by the target section they concern, sections and findings in document order."""
    ordered = sorted(views, key=lambda v: (v.anchor is None, v.anchor.order if v.anchor else 0,
                                           v.clause is None, v.finding.severity, v.finding.id))
    groups: dict[str, list[FindingView]] = {}
    for view in ordered:
        title = section_of(view.anchor) if view.anchor is not None else NO_SECTION
        groups.setdefault(title, []).append(view)
    used: set[str] = set()
    out = []
    for title, members in groups.items():
        key = slug(title)
        while key in used:
            key += "-2"
        used.add(key)
        out.append(SectionView(key, title, tuple(members)))
    return tuple(out)


def summary(analysis: Analysis) -> tuple[tuple[Finding, ...], int]:
    """Returns the executive summary (the findings a committee reads first) and how many other high-severity findings follow."""
    from .findings import executive_summary  # findings imports render, which imports this module

    chosen = executive_summary(analysis.findings)
    return chosen, sum(1 for f in analysis.findings if f.severity == 1 and f not in chosen)


def coverage_matrix(analysis: Analysis, *, linked: dict[str, set[str]] | None = None) -> Matrix | None:
    """Returns sections × documents as shares of provisions linked: the target's sections in a review, every document's otherwise."""
    if len(analysis.documents) < 2 or (not analysis.target and len(analysis.documents) > MATRIX_DOCUMENTS):
        return None
    index = analysis.clause_index()
    linked = partners(analysis, touching=analysis.target) if linked is None else linked
    left_out = 0
    if analysis.target:
        references = (analysis.document(analysis.target),)
        columns = tuple(d for d in analysis.documents if d.id != analysis.target)
    else:
        references = columns = analysis.documents
    # the documents each clause of the rows is linked into, found once rather than once per column
    linked_docs = {c.id: {index[o].doc for o in linked.get(c.id, ()) if o in index} for d in references for c in d.clauses}
    if analysis.target and len(columns) > MATRIX_DOCUMENTS:
        shown = _closest_peers(references[0], columns, linked_docs)
        columns, left_out = tuple(d for d in columns if d.id in shown), len(columns) - len(shown)
    blocks = []
    for reference in references:
        by_section: dict[str, list[Clause]] = {}
        for clause in reference.clauses:
            if clause.kind != "heading":
                by_section.setdefault(section_of(clause), []).append(clause)
        rows = []
        for title, clauses in by_section.items():
            cells: list[Cell | None] = []
            for column in columns:
                if column.id == reference.id:
                    cells.append(None)
                    continue
                covered = sum(1 for c in clauses if column.id in linked_docs.get(c.id, ()))
                cells.append(Cell(covered, len(clauses), min(HEAT_LEVELS - 1, round(covered / len(clauses) * (HEAT_LEVELS - 1)))))
            rows.append(MatrixRow(title, len(clauses), tuple(cells)))
        blocks.append(MatrixBlock(reference, tuple(rows)))
    gap_docs = [{index[p].doc for p in f.peers if p in index} for f in analysis.findings if f.kind == "gap"]
    gaps = tuple(sum(1 for docs in gap_docs if column.id in docs) for column in columns)
    return Matrix(columns, tuple(blocks), gaps, left_out)


def _distinct(wordings):
    """Returns each distinct wording once, under the first protocol that uses it, and how many more use it too."""
    groups: dict[tuple[str, ...], list] = {}
    for document, clauses in wordings:
        groups.setdefault(tuple(c.text for c in clauses), []).append((document, clauses))
    return tuple(g[0] for g in groups.values()), tuple(len(g) - 1 for g in groups.values())


def _closest_peers(target: Document, peers: tuple[Document, ...], linked_docs: dict[str, set[str]]) -> set[str]:
    """Returns the MATRIX_DOCUMENTS peers that make the most of the target's provisions (ties in corpus order)."""
    shared: Counter[str] = Counter(doc for c in target.clauses for doc in linked_docs.get(c.id, ()))
    ranked = sorted(range(len(peers)), key=lambda k: (-shared[peers[k].id], k))
    return {peers[k].id for k in ranked[:MATRIX_DOCUMENTS]}


def family_views(analysis: Analysis, *, minimum: int = 2) -> tuple[FamilyView, ...]:
    """Returns the families that span at least `minimum` documents, in the order of the target (or first) document."""
    index = analysis.clause_index()
    reference = analysis.target or (analysis.documents[0].id if analysis.documents else None)
    doc_rank = {d.id: k for k, d in enumerate(analysis.documents)}
    docs = {d.id: d for d in analysis.documents}
    # past MATRIX_DOCUMENTS protocols a row for every one that lacks the provision would bury the few that make it
    compact = len(analysis.documents) > MATRIX_DOCUMENTS
    views = []
    for family in analysis.families:
        members = [index[c] for c in family.clauses if c in index]
        per_doc: dict[str, list[Clause]] = defaultdict(list)
        for clause in members:
            per_doc[clause.doc].append(clause)
        if len(per_doc) < minimum:
            continue
        # compact: only the protocols that make the provision, in corpus order
        present = sorted(per_doc, key=doc_rank.__getitem__) if compact else list(docs)
        wordings = tuple((docs[d], tuple(sorted(per_doc.get(d, ()), key=lambda c: c.order))) for d in present)
        first = (per_doc.get(reference) or next(cs for _, cs in wordings if cs))[0]
        same: tuple[int, ...] = ()
        if compact:
            wordings, same = _distinct(wordings)
        views.append(FamilyView(family.id, family.label, wordings, len(per_doc), shorten(first.text),
                                len(analysis.documents) - len(per_doc) if compact else 0, same))

    def position(view: FamilyView) -> tuple:
        firsts = [(doc_rank[d.id] if d.id != reference else -1, cs[0].order) for d, cs in view.wordings if cs]
        return min(firsts)

    return tuple(sorted(views, key=position))
