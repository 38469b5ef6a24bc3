"""A small analysis written by hand for the report tests: hostile text, one divergence, one gap, one drafting point."""
from __future__ import annotations

from analyser.model import Analysis, Clause, Document, Family, Finding, Link, Metadata

HOSTILE = "<script>alert(1)</script> **now** | [x](http://example.invalid)"


def _clause(doc: str, key: str, text: str, *, kind: str = "paragraph", order: int, number: str | None = None,
            section: str = "Access to information", original: str | None = None) -> Clause:
    return Clause(id=f"{doc}:{key}", doc=doc, number=number, label=number or key, kind=kind, text=text,
                  parent=None if kind == "heading" else f"{doc}:h1", path=(section,), section=section, order=order,
                  original=original)


def small_analysis(*, baseline: bool = False, revisions: bool = False) -> Analysis:
    """Returns a two-document review of 'draft' against 'peer' (or against 'peer' as its baseline)."""
    draft = Document("draft", "draft.txt", "text", "0" * 64, Metadata(title="Draft protocol", council="Draftshire Council",
                                                                      adopted="1 May 2024"), clauses=(
        _clause("draft", "h1", "Access to information", kind="heading", order=0),
        _clause("draft", "1", f"Members should give notice within 5 days {HOSTILE}.", number="1", order=1,
                original=f"Members must give notice within 5 days {HOSTILE}." if revisions else None),
        _clause("draft", "2", "Officers will keep records of Part ? meetings.", number="2", order=2),
        _clause("draft", "3", "Members will wear\x0b badges.", number="3", order=3),
    ))
    peer = Document("peer", "peer.txt", "text", "1" * 64, Metadata(title="Peer protocol", council="Peerton Council",
                                                                    reviewed="June 2023"), clauses=(
        _clause("peer", "h1", "Access to information", kind="heading", order=0),
        _clause("peer", "1", f"Members must give notice within 10 days {HOSTILE}.", number="1", order=1),
        _clause("peer", "2", "Officers will keep records of Part 4 meetings.", number="2", order=2),
        _clause("peer", "3", "Members may visit council premises after giving notice.", number="3", order=3),
    ))
    links = (Link("draft:h1", "peer:h1", 1.0, "equivalent"), Link("draft:1", "peer:1", 0.8, "equivalent"),
             Link("draft:2", "peer:2", 0.9, "equivalent"))
    families = (Family("F001", "members give notice", ("draft:1", "peer:1")),
                Family("F002", "officers keep records", ("draft:2", "peer:2")))
    findings = (
        Finding("D001", "divergence", "obligation-weakened", "draft:1", ("peer:1",),
                f'1 says "should" where Peerton 1 says "must" {HOSTILE}', severity=1, section="Access to information"),
        Finding("G001", "gap", "missing-provision", None, ("peer:3",), "Peerton 3 lets members visit premises.",
                severity=2, support="1 of 1 peers", section="Access to information"),
        Finding("D002", "drafting", "placeholder", "draft:2", (), '2 still has a placeholder, "Part ?".', severity=3),
    )
    return Analysis((draft, peer), links, families, findings, target="draft", baseline="peer" if baseline else None)
