"""The Word outputs: review.docx (the draft with each finding as a margin comment) and redline.docx
(tracked changes from the baseline, or from the draft's own rejected revisions, to the draft).

python-docx stays inside this module; it has comments but no tracked changes, so w:ins and w:del
are written as XML elements the way Word itself writes them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .model import Analysis, Clause
from .settings import Settings
from .textdiff import word_diff, xml_safe
from .views import FindingView, doc_name

AUTHOR = "analyser"
INITIALS = "AN"
QUOTE_LIMIT = 400


def review_document(analysis: Analysis, finding_views: tuple[FindingView, ...], *, settings: Settings):
    """Returns a Word document of the target's clauses in order, each finding a comment on the paragraph it concerns."""
    target = analysis.document(analysis.target)
    document = docx.Document()
    document.core_properties.title = xml_safe(f"Review of {target.title}")[:250]
    document.core_properties.author = AUTHOR
    document.add_heading(xml_safe(f"Review of {target.title}"), level=0)
    peers = ", ".join(doc_name(analysis.document(p)) for p in analysis.peers)
    document.add_paragraph(xml_safe(f"Compared with {peers}. {len(analysis.findings)} findings appear as comments "
                                     "on the paragraphs they concern; gaps sit on the paragraph they would follow."))
    on_clause: dict[str, list[FindingView]] = {}
    unplaced: list[FindingView] = []
    for view in finding_views:
        if view.anchor is not None and view.anchor.doc == target.id:
            on_clause.setdefault(view.anchor.id, []).append(view)
        else:
            unplaced.append(view)
    depth = _heading_depths(target.clauses)
    for clause in target.clauses:
        paragraph = _clause_paragraph(document, clause, depth.get(clause.id))
        for view in on_clause.get(clause.id, ()):
            _comment(document, paragraph, view, gap_here=view.clause is None)
    if unplaced:
        document.add_heading("Provisions with no place in this draft", level=1)
        for view in unplaced:
            paragraph = document.add_paragraph(xml_safe(view.finding.message))
            _comment(document, paragraph, view, gap_here=False)
    return document


def _heading_depths(clauses: tuple[Clause, ...]) -> dict[str, int]:
    """Returns a Word heading level (1–3) for each heading clause: one more than its enclosing headings."""
    kinds = {c.id: c for c in clauses}
    depths: dict[str, int] = {}
    for clause in clauses:
        if clause.kind != "heading":
            continue
        level, parent = 1, clause.parent
        while parent in kinds:
            if kinds[parent].kind == "heading":
                level += 1
            parent = kinds[parent].parent
        depths[clause.id] = min(level, 3)
    return depths


def _clause_paragraph(document, clause: Clause, heading_level: int | None):
    """Adds one clause as a Word heading or paragraph, its number first; returns the paragraph."""
    number = xml_safe(clause.number or "")
    text = xml_safe(clause.text)
    if heading_level is not None:
        # a comment needs a run to anchor on, even under a heading with no words
        return document.add_heading(f"{number} {text}".strip() or " ", level=heading_level)
    paragraph = document.add_paragraph()
    if number:
        paragraph.add_run(number + "\t").bold = True
    paragraph.add_run(text or " ")
    return paragraph


def _comment(document, paragraph, view: FindingView, *, gap_here: bool) -> None:
    """Attaches a finding to a paragraph as a Word comment: what it is, the message, then the peer wording."""
    f = view.finding
    head = f"{f.id} · {f.kind} · {f.detail} · {view.severity}"
    if gap_here:
        head += " · missing after this paragraph"
    comment = document.add_comment(paragraph.runs, text=xml_safe(head), author=AUTHOR, initials=INITIALS)
    comment.add_paragraph(xml_safe(f.message))
    for comparison in view.comparisons[:4]:
        peer = comparison.peer
        quote = peer.text if len(peer.text) <= QUOTE_LIMIT else peer.text[:QUOTE_LIMIT - 1] + "…"
        comment.add_paragraph(xml_safe(f"{comparison.peer_name} {peer.label}: “{quote}”"))


@dataclass(frozen=True, slots=True)
class Change:
    """Holds one paragraph of the redline: its old wording, its new wording (either may be absent) and its style."""

    old: str | None
    new: str | None
    heading: bool


def wants_redline(analysis: Analysis) -> bool:
    """Returns whether a redline can be made: a baseline was given, or the draft carries tracked revisions."""
    if analysis.target is None:
        return False
    if analysis.baseline is not None:
        return True
    return any(c.original is not None for c in analysis.document(analysis.target).clauses)


def _numbered(clause: Clause) -> str:
    return f"{clause.number} {clause.text}" if clause.number else clause.text


def redline_changes(analysis: Analysis) -> tuple[Change, ...]:
    """Returns the redline's paragraphs: the baseline merged into the target's order, or each clause against its original."""
    target = analysis.document(analysis.target)
    if analysis.baseline is None:
        return tuple(Change(c.original if c.original is not None else c.text, c.text or None, c.kind == "heading")
                     for c in target.clauses)
    baseline = analysis.document(analysis.baseline)
    old_ids = {c.id: c for c in baseline.clauses}
    candidates: dict[str, list[tuple[float, str]]] = {}
    for link in analysis.links:
        for mine, other in ((link.source, link.target), (link.target, link.source)):
            if mine.startswith(f"{target.id}:") and other in old_ids:
                candidates.setdefault(mine, []).append((link.score, other))
    matched: dict[str, str] = {}  # target clause → the baseline clause it replaces
    used: set[str] = set()
    for clause in target.clauses:
        for _, other in sorted(candidates.get(clause.id, ()), reverse=True):
            if other not in used:
                matched[clause.id] = other
                used.add(other)
                break
    changes: list[Change] = []
    pending = [c for c in baseline.clauses if c.id not in used]  # unmatched baseline clauses, in order
    for clause in target.clauses:
        old = old_ids.get(matched.get(clause.id, ""))
        if old is not None:
            while pending and pending[0].order < old.order:
                gone = pending.pop(0)
                changes.append(Change(_numbered(gone), None, gone.kind == "heading"))
            changes.append(Change(_numbered(old), _numbered(clause), clause.kind == "heading"))
        else:
            changes.append(Change(None, _numbered(clause), clause.kind == "heading"))
    changes.extend(Change(_numbered(c), None, c.kind == "heading") for c in pending)
    return tuple(changes)


class _Revisions:
    """Writes tracked insertions and deletions with unique ids, one author and one date."""

    def __init__(self, date: str):
        self.date = date
        self.next_id = 1

    def mark(self, tag: str):
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), AUTHOR)
        element.set(qn("w:date"), self.date)
        self.next_id += 1
        return element

    def run(self, paragraph, text: str, op: str) -> None:
        """Appends text to a paragraph as plain, inserted or deleted."""
        run = OxmlElement("w:r")
        t = OxmlElement("w:delText" if op == "delete" else "w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = xml_safe(text)
        run.append(t)
        if op == "equal":
            paragraph._p.append(run)
            return
        wrapper = self.mark("w:del" if op == "delete" else "w:ins")
        wrapper.append(run)
        paragraph._p.append(wrapper)

    def paragraph_mark(self, paragraph, op: str) -> None:
        """Marks a whole paragraph as inserted or deleted, so accepting or rejecting removes the empty line too."""
        rpr = OxmlElement("w:rPr")
        rpr.append(self.mark("w:del" if op == "delete" else "w:ins"))
        paragraph._p.get_or_add_pPr().append(rpr)


def redline_document(analysis: Analysis, *, settings: Settings):
    """Returns a Word document whose tracked changes turn the baseline (or the original wording) into the target."""
    target = analysis.document(analysis.target)
    source = doc_name(analysis.document(analysis.baseline)) if analysis.baseline else "the draft's original wording"
    stamp = f"{settings.today}T00:00:00Z" if settings.today else datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = docx.Document()
    document.core_properties.title = xml_safe(f"Redline of {target.title}")[:250]
    document.core_properties.author = AUTHOR
    document.add_heading(xml_safe(f"Redline: {source} → {doc_name(target)}"), level=0)
    document.add_paragraph("Tracked changes, word by word: accept them all to get the draft, reject them all to get "
                           f"{xml_safe(source)}.")
    revisions = _Revisions(stamp)
    for change in redline_changes(analysis):
        paragraph = document.add_paragraph(style="Heading 2" if change.heading else None)
        if change.old is None:
            revisions.run(paragraph, change.new or "", "insert")
            revisions.paragraph_mark(paragraph, "insert")
        elif change.new is None:
            revisions.run(paragraph, change.old, "delete")
            revisions.paragraph_mark(paragraph, "delete")
        else:
            for piece in word_diff(change.old, change.new):
                revisions.run(paragraph, piece.text, piece.op)
    return document
