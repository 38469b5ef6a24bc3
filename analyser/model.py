"""The data passed between the stages: small frozen dataclasses, referring to each other by id."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Block:
    """Holds one paragraph-like piece of a source file, as the reader found it (ingest → segment).

    `number` is the number Word displays for an automatically numbered paragraph (absent from
    `text`); `level` is a heading level (1 = top) or a list level; `original` is the text with
    tracked changes rejected, when it differs; `annotations` are comments or balloons anchored here.
    """

    text: str
    kind: str = "paragraph"  # paragraph | heading | row | title
    level: int | None = None
    number: str | None = None
    style: str = ""
    original: str | None = None
    annotations: tuple[str, ...] = ()
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    """Holds what a document says about itself: title, council and its dates, as printed."""

    title: str = ""
    council: str = ""
    adopted: str = ""
    reviewed: str = ""
    next_review: str = ""
    version: str = ""


@dataclass(frozen=True, slots=True)
class Clause:
    """Holds one provision: a numbered paragraph, sub-item, definition, body paragraph, row or heading.

    `number` is the printed number path ("8.1(e)(ii)") or None; `label` is how a reviewer cites it
    ("2.5 ¶2" for the second unnumbered paragraph under 2.5); `path` is the heading path ending with
    the number; `parent` is the id of the enclosing clause (a lead-in, a numbered paragraph, a heading).
    """

    id: str
    doc: str
    number: str | None
    label: str
    kind: str
    text: str
    parent: str | None = None
    path: tuple[str, ...] = ()
    section: str = ""
    sentences: tuple[str, ...] = ()
    original: str | None = None
    annotations: tuple[str, ...] = ()
    order: int = 0
    marker: str = ""  # the numbering as printed before the text ("- 1.2.1", "a)"), for the record


@dataclass(frozen=True, slots=True)
class Document:
    """Holds one protocol: where it came from, its blocks, its clauses and any notes found in it.

    `blocks` are dropped once the document is segmented and read (read_documents, the cache):
    `revised` keeps the one thing asked of them later, whether some block reads differently before
    its tracked changes.
    """

    id: str
    source: str
    format: str
    sha256: str
    metadata: Metadata = field(default_factory=Metadata)
    blocks: tuple[Block, ...] = ()
    clauses: tuple[Clause, ...] = ()
    annotations: tuple[str, ...] = ()
    furniture: tuple[str, ...] = ()  # what was set aside as not provision text: contents, page numbers, stray numbers
    revised: bool = False

    @property
    def title(self) -> str:
        return self.metadata.title or self.id


@dataclass(frozen=True, slots=True)
class Link:
    """Holds one asserted correspondence between clauses of two documents."""

    source: str
    target: str
    score: float
    relation: str  # equivalent | partial


@dataclass(frozen=True, slots=True)
class Family:
    """Holds a group of clauses, across documents, that make the same provision."""

    id: str
    label: str
    clauses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """Holds one point a reviewer would raise about the target document."""

    id: str
    kind: str  # gap | divergence | drafting
    detail: str
    clause: str | None
    peers: tuple[str, ...]
    message: str
    severity: int = 2  # 1 high, 2 medium, 3 low
    support: str = ""
    section: str = ""
    suggestion: str = ""
    quotes: tuple[tuple[str, str], ...] = ()  # (target words, peer words)


@dataclass(frozen=True, slots=True)
class Failure:
    """Holds an input file that could not be read, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """Holds everything one run produced: the single input to every renderer."""

    documents: tuple[Document, ...]
    links: Sequence[Link]  # in order; a large corpus's are held as columns (links.Links)
    families: tuple[Family, ...]
    findings: tuple[Finding, ...] = ()
    target: str | None = None
    baseline: str | None = None
    failures: tuple[Failure, ...] = ()
    _index: dict[str, Clause] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def peers(self) -> tuple[str, ...]:
        if self.target is None:
            return ()
        if self.baseline is not None:
            return (self.baseline,)
        return tuple(d.id for d in self.documents if d.id != self.target)

    def clause_index(self) -> dict[str, Clause]:
        """Returns every clause by its id (worked out once: each report asks, and a national corpus
        has 150,000 clauses); not to be changed."""
        if self._index is None:
            object.__setattr__(self, "_index", {c.id: c for d in self.documents for c in d.clauses})
        return self._index

    def document(self, doc_id: str) -> Document:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)
