"""How a reviewer names documents and cites their clauses in a finding ("Dudley MBC 128, 129 and
Town Council 13.2"), shared by the gap, divergence and drafting findings."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .model import Clause, Document, Finding


@dataclass(frozen=True, slots=True)
class Ranked:
    """Holds a finding with its ranking score (higher first within a severity)."""

    finding: Finding
    score: float


def display_name(document: Document) -> str:
    """Returns how a reviewer names a document: its council ("Dudley MBC"), else its file name."""
    name = re.sub(r"\s+", " ", document.metadata.council or "").strip()
    if not name or name.lower() in ("the council", "council", "the authority"):
        name = document.id.replace("-", " ").replace("_", " ").title()
    if name.isupper():
        name = " ".join(w if len(w) <= 3 else w.title() for w in name.split())
    return name


def heading_text(text: str) -> str:
    """Returns a heading as a sentence would quote it ("ACCESS TO PREMISES" → "Access to premises")."""
    text = re.sub(r"\s+", " ", text).strip()
    return text[:1] + text[1:].lower() if text.isupper() else text


def cite(clause_ids: list[str], index: dict[str, Clause], names: dict[str, str], *, limit: int = 4) -> str:
    """Returns peers' clauses as a reviewer cites them: "Dudley MBC 128, 129 and Town Council 13.2"."""
    by_doc: dict[str, list[str]] = defaultdict(list)
    wanted = set(clause_ids)
    for cid in clause_ids:
        c = index[cid]
        if c.kind == "item" and c.parent in wanted:
            continue  # "107" stands for its bullets
        if c.label not in by_doc[c.doc]:
            by_doc[c.doc].append(c.label)
    parts = []
    for doc, labels in by_doc.items():
        shown = ", ".join(labels[:limit]) + f" (and {len(labels) - limit} more)" if len(labels) > limit else join(labels)
        parts.append(f"{names.get(doc, doc)} {shown}".strip())
    return join_peers(parts)


def labels(clauses, limit: int = 4, *, index: dict[str, Clause] | None = None) -> list[str]:
    """Returns the labels a citation shows for these clauses: a list's lead stands for its items, and
    several items of a list whose lead is not cited show as "130 (4 of its items)" when `index` is given."""
    ids = {c.id for c in clauses}
    items: dict[str, int] = defaultdict(int)
    for c in clauses:
        if c.kind == "item" and c.parent not in ids:
            items[c.parent] += 1
    shown: list[str] = []
    for c in clauses:
        if c.kind == "item" and c.parent in ids:
            continue
        if index is not None and c.kind == "item" and items[c.parent] > 1 and c.parent in index:
            label = f"{index[c.parent].label} ({items[c.parent]} of its items)"
        else:
            label = c.label
        if label not in shown:
            shown.append(label)
    return shown[:limit] + ([f"{len(shown) - limit} more"] if len(shown) > limit else [])


def join(parts: list[str]) -> str:
    """Returns parts joined as prose: "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""


# a margin note names this many peers and counts the rest: against a national corpus a gap that
# 900 peers fill would otherwise cite all 900 (the finding's `peers` still lists every clause)
CITED_PEERS = 6


def join_peers(parts: list[str]) -> str:
    """Returns each peer's part joined as prose, the first CITED_PEERS named and the rest counted:
    "A 1.2, B 3, … and 994 other peers". Where a part lists several clauses itself, the parts are
    set apart ("Dudley MBC 11 and 18, and Town Council 1.2"; with more peers, by semicolons), so
    that no reader takes a peer's last paragraph for another peer."""
    if len(parts) > CITED_PEERS:
        parts = [*parts[:CITED_PEERS], f"{len(parts) - CITED_PEERS} other peers"]
    if len(parts) < 2 or not any(" and " in p or ", " in p for p in parts[:-1]):
        return join(parts)
    if len(parts) == 2:
        return f"{parts[0]}, and {parts[1]}"
    return "; ".join(parts[:-1]) + "; and " + parts[-1]


def shorten(text: str, limit: int = 160) -> str:
    """Returns text cut at a word boundary to about `limit` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def support_text(docs: set[str], n_peers: int) -> str:
    """Returns how many peers show a point: "2 of 4 peers"."""
    return f"{len(docs)} of {n_peers} peer{'s' if n_peers != 1 else ''}"
