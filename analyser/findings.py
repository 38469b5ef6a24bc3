"""Findings: the alignment and a target document → gaps, divergences and drafting problems, each
worded from templates/messages.j2 the way a reviewer writes in the margin, ranked so that a
standards committee reads the few that matter first (see executive_summary)."""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from .divergence import (ALIGNABLE, Difference, compare_clauses, definition_partners, find_moves, list_differences,
                         partners, reworded)
from .drafting import Problem, find_problems
from .model import Clause, Document, Finding, Link
from .render import message_renderer
from .settings import Settings
from .wording import obligation, tokens

PREFIX = {"gap": "G", "divergence": "D", "drafting": "P"}
# how much each kind of point matters to a committee, before peer support is counted
WEIGHT = {
    "scope-changed": 55, "missing-section": 35, "placeholder": 45, "broken-reference": 28, "obligation-weakened": 25,
    "number-changed": 25, "negation": 22, "missing-provision": 15, "list-items-dropped": 15, "party-removed": 15,
    "party-substituted": 12, "review-overdue": 12, "garbled-number": 10, "duplicate-number": 10, "editorial-note": 8,
    "comment-left": 8, "moved": 8, "obligation-strengthened": 6, "party-added": 4, "renumbered": 2, "reworded": 0,
}
_DRAFTING_SEVERITY = {"placeholder": 1, "broken-reference": 1}
# the summary leaves these out: the committee reads them in the details
_DETAIL_ONLY = {"reworded", "renumbered"}


@dataclass(frozen=True, slots=True)
class Ranked:
    """Holds a finding with its ranking score (higher first within a severity)."""

    finding: Finding
    score: float


def review(target: Document, peers: tuple[Document, ...], links: tuple[Link, ...], *,
           settings: Settings) -> tuple[Finding, ...]:
    """Returns the findings on the target against its peers (or its baseline), most serious first,
    numbered by kind (G gaps, D divergences, P drafting problems)."""
    index = {c.id: c for d in (target, *peers) for c in d.clauses}
    render = message_renderer(settings)
    names = {d.id: display_name(d) for d in (target, *peers)}
    best = partners(target, links, index)
    definitions = definition_partners(target, peers)
    covered = covered_clauses(target, links, index, settings=settings) | {
        pid for by_doc in definitions.values() for pid, _ in by_doc.values()}

    differences: list[Difference] = []
    counterparts: dict[str, int] = {}
    for clause in target.clauses:
        if clause.kind not in ALIGNABLE:
            continue
        typed: list[Difference] = []
        linked = {**best.get(clause.id, {}), **definitions.get(clause.id, {})}
        counterparts[clause.id] = len(linked)
        for doc, (pid, _) in linked.items():
            is_definition = definitions.get(clause.id, {}).get(doc, ("",))[0] == pid
            typed += compare_clauses(clause, index[pid], definition=is_definition)
        differences += typed
        if not typed and best.get(clause.id):
            closest = max(best[clause.id].values(), key=lambda p: p[1])[0]
            plain = reworded(clause, index[closest])
            if plain:
                differences.append(plain)
    items, accounted = list_differences(target, peers, best, covered)
    differences += items

    ranked = [*divergence_findings(differences, index, names, len(peers), render, counterparts=counterparts),
              *gap_findings(target, peers, index, links, covered | accounted, names, render),
              *drafting_findings(target, render, today=_today(settings))]
    if settings.baseline is not None and len(peers) == 1:
        def same_subject(a: Clause, b: Clause) -> bool:
            ha, hb = section_of(a, index), section_of(b, index)
            ka = heading_keys(ha.text) if ha else frozenset()
            kb = heading_keys(hb.text) if hb else frozenset()
            return not ka or not kb or _has_section([ka], [], kb)

        moves = find_moves(target, peers[0], links, index, threshold=settings.equivalent_threshold,
                           same_subject=same_subject)
        ranked += move_findings(moves, index, names, render)
    return number(ranked)


def move_findings(moves: list[Difference], index: dict[str, Clause], names: dict[str, str], render) -> list[Ranked]:
    """Returns one finding per run of provisions that moved (or were renumbered) together: from one
    baseline section to one section of the draft."""
    groups: dict[tuple[str, str, str], list[Difference]] = defaultdict(list)
    for d in moves:
        mine, theirs = section_of(index[d.clause], index), section_of(index[d.peer], index)
        groups[(d.detail, mine.id if mine else "", theirs.id if theirs else "")].append(d)
    result = []
    for (detail, mine_heading, their_heading), group in groups.items():
        first = index[group[0].clause]
        labels = _labels([index[d.clause] for d in group])
        message = render(detail, mine=replace(first, label=_join(labels)), cited=cite([d.peer for d in group], index, names),
                         mine_words=heading_text(index[mine_heading].text) if mine_heading else first.section,
                         their_words=heading_text(index[their_heading].text) if their_heading else group[0].theirs,
                         count=1, support="1 of 1 peer")
        finding = Finding(id="", kind="divergence", detail=detail, clause=first.id, peers=tuple(d.peer for d in group),
                          message=message, severity=_DIVERGENCE_SEVERITY[detail], support="1 of 1 peer",
                          section=first.section, quotes=tuple((index[d.clause].label, index[d.peer].label) for d in group))
        result.append(Ranked(finding, WEIGHT[detail] + len(group)))
    return result


def _today(settings: Settings) -> date:
    return date.fromisoformat(settings.today) if settings.today else date.today()


def number(ranked: list[Ranked]) -> tuple[Finding, ...]:
    """Returns the findings in rank order (severity, then score), the executive summary's first,
    each given its id."""
    ranked = sorted(ranked, key=lambda r: (r.finding.severity, -r.score, r.finding.clause or "", r.finding.peers))
    summary = set(map(id, executive_summary(tuple(r.finding for r in ranked))))
    ranked = [r for r in ranked if id(r.finding) in summary] + [r for r in ranked if id(r.finding) not in summary]
    counts: dict[str, int] = defaultdict(int)
    result = []
    for r in ranked:
        prefix = PREFIX[r.finding.kind]
        counts[prefix] += 1
        result.append(replace(r.finding, id=f"{prefix}{counts[prefix]:03d}"))
    return tuple(result)


def executive_summary(findings: tuple[Finding, ...], *, limit: int = 12, per_detail: int = 5,
                      per_drafting: int = 2) -> tuple[Finding, ...]:
    """Returns the findings a committee should read first, in rank order: the most serious, at most
    `per_detail` of one kind of point (`per_drafting` for a drafting problem) so that a run of
    placeholders or missing sections does not crowd out a narrowed definition, and never plain
    rewording. Findings must already be in rank order, as review returns them."""
    chosen: list[Finding] = []
    per: dict[str, int] = defaultdict(int)
    for f in findings:
        cap = per_drafting if f.kind == "drafting" else per_detail
        if f.detail in _DETAIL_ONLY or f.severity > 2 or per[f.detail] >= cap:
            continue
        per[f.detail] += 1
        chosen.append(f)
        if len(chosen) == limit:
            break
    return tuple(chosen)


# ---------------------------------------------------------------- naming and citing

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
        shown = ", ".join(labels[:limit]) + (f" (and {len(labels) - limit} more)" if len(labels) > limit else "")
        parts.append(f"{names.get(doc, doc)} {shown}".strip())
    return _join(parts)


def _labels(clauses, limit: int = 4) -> list[str]:
    ids = {c.id for c in clauses}
    labels = list(dict.fromkeys(c.label for c in clauses if not (c.kind == "item" and c.parent in ids)))
    return labels[:limit] + ([f"{len(labels) - limit} more"] if len(labels) > limit else [])


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""


def shorten(text: str, limit: int = 160) -> str:
    """Returns text cut at a word boundary to about `limit` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _support(docs: set[str], n_peers: int) -> str:
    return f"{len(docs)} of {n_peers} peer{'s' if n_peers != 1 else ''}"


# ---------------------------------------------------------------- divergences

_DIVERGENCE_SEVERITY = {
    "scope-changed": 1, "obligation-weakened": 2, "number-changed": 2, "negation": 2, "list-items-dropped": 2,
    "party-removed": 3, "party-substituted": 3, "moved": 2, "obligation-strengthened": 3, "party-added": 3,
    "renumbered": 3, "reworded": 3,
}
# raised one step when most peers (or the baseline) show the same difference
_RAISED_BY_SUPPORT = {"obligation-weakened", "number-changed", "negation", "list-items-dropped", "party-removed",
                      "party-substituted"}


def divergence_findings(differences: list[Difference], index: dict[str, Clause], names: dict[str, str],
                        n_peers: int, render, *, counterparts: dict[str, int] | None = None,
                        kind: str = "divergence") -> list[Ranked]:
    """Returns one finding per target clause and kind of difference, merging the peers that show it;
    a difference most of the clause's counterparts do not share ranks low (the draft is with the
    majority), except a narrowed definition, which reaches every provision that uses the term."""
    grouped: dict[tuple[str, str], list[Difference]] = defaultdict(list)
    for d in differences:
        grouped[(d.clause, d.detail)].append(d)
    result = []
    for (clause_id, detail), group in grouped.items():
        mine = index[clause_id]
        peers = list(dict.fromkeys(d.peer for d in group))
        docs = {index[p].doc for p in peers}
        first = group[0]
        severity = _DIVERGENCE_SEVERITY.get(detail, 2)
        if detail in _RAISED_BY_SUPPORT and (len(docs) * 2 >= max(n_peers, 2) or (detail.startswith("obligation") and first.weight >= 2)):
            severity = max(1, severity - 1)
        agreeing = (counterparts or {}).get(clause_id, len(docs)) - len(docs)
        if detail != "scope-changed" and agreeing > len(docs):
            severity = 3
        message = render(detail.replace("-", "_"), mine=mine, cited=cite(peers, index, names),
                         mine_words=shorten(first.mine, 200), their_words=shorten(first.theirs, 200),
                         count=len(docs), support=_support(docs, n_peers))
        suggestion = index[peers[0]].text if detail not in ("moved", "renumbered", "reworded") else ""
        finding = Finding(id="", kind=kind, detail=detail, clause=clause_id, peers=tuple(peers), message=message,
                          severity=severity, support=_support(docs, n_peers), section=mine.section,
                          suggestion=suggestion, quotes=tuple((d.mine, d.theirs) for d in group))
        score = WEIGHT.get(detail, 5) + 40 * len(docs) / max(n_peers, 1) + 3 * min(first.weight, 5)
        result.append(Ranked(finding, score))
    return result


# ---------------------------------------------------------------- gaps

def covered_clauses(target: Document, links: tuple[Link, ...], index: dict[str, Clause], *,
                    settings: Settings) -> set[str]:
    """Returns the peer clauses the target accounts for: linked to a target clause, or equivalent to
    a peer clause that is (one hop, so that a link the aligner missed does not invent a gap)."""
    direct: set[str] = set()
    peer_equivalents: dict[str, set[str]] = defaultdict(set)
    for link in links:
        a, b = index.get(link.source), index.get(link.target)
        if not a or not b or a.doc == b.doc:
            continue
        if a.doc == target.id or b.doc == target.id:
            direct.add(b.id if a.doc == target.id else a.id)
        elif link.score >= settings.equivalent_threshold:
            peer_equivalents[a.id].add(b.id)
            peer_equivalents[b.id].add(a.id)
    return direct | {o for c in direct for o in peer_equivalents[c]}


def section_of(clause: Clause, index: dict[str, Clause]) -> Clause | None:
    """Returns the heading a clause sits under (the nearest heading among its ancestors)."""
    seen = set()
    parent = clause.parent
    while parent and parent in index and parent not in seen:
        seen.add(parent)
        if index[parent].kind == "heading":
            return index[parent]
        parent = index[parent].parent
    return None


@dataclass(frozen=True, slots=True)
class _Unit:
    """Holds the clauses of one peer section that the target lacks."""

    doc: str
    heading: Clause | None
    missing: tuple[Clause, ...]
    whole: bool


def _substantive(clause: Clause) -> bool:
    return clause.kind in ALIGNABLE and len(re.findall(r"[A-Za-z]{2,}", clause.text)) >= 3


def _units(peer: Document, index: dict[str, Clause], covered: set[str]) -> list[_Unit]:
    sections: dict[str, list[Clause]] = defaultdict(list)
    headings: dict[str, Clause | None] = {}
    for c in peer.clauses:
        if _substantive(c):
            h = section_of(c, index)
            key = h.id if h else f"{peer.id}:§{c.section}"
            sections[key].append(c)
            headings[key] = h
    units = []
    for key, clauses in sections.items():
        missing = tuple(c for c in clauses if c.id not in covered)
        if missing:
            units.append(_Unit(peer.id, headings[key], missing, whole=len(missing) >= 0.75 * len(clauses)))
    return units


_HEADING_STOP = {"the", "and", "of", "to", "a", "an", "in", "on", "for", "with", "its", "their", "from", "by"}


def heading_keys(text: str) -> frozenset[str]:
    """Returns the words a heading turns on, folded and without plural s ("Roles of Members" → role, member)."""
    return frozenset(_singular(t.key) for t in tokens(text) if t.key not in _HEADING_STOP and not t.key.isdigit())


def _singular(word: str) -> str:
    return re.sub(r"(?<=[a-z]{3}[^s])s$", "", word)


def _heading_keys(unit: _Unit) -> frozenset[str]:
    return heading_keys(unit.heading.text) if unit.heading is not None else frozenset()


def _has_section(target_headings: list[frozenset[str]], target_words: list[frozenset[str]], keys: frozenset[str]) -> bool:
    """Whether the target deals with a peer section's subject, under a heading on it or in a provision
    naming all of its heading's words ("opposition members"): then some of its provisions, not the
    section, are missing."""
    if not keys:
        return False
    if any(h and (keys <= h or len(keys & h) * 2 >= len(keys | h)) for h in target_headings):
        return True
    return len(keys) >= 2 and any(keys <= words for words in target_words)


def gap_findings(target: Document, peers: tuple[Document, ...], index: dict[str, Clause], links: tuple[Link, ...],
                 covered: set[str], names: dict[str, str], render) -> list[Ranked]:
    """Returns one finding per peer section the target lacks in whole or part, the same section in
    several peers merged into one finding with its support ("2 of 4 peers")."""
    units = [u for p in peers for u in _units(p, index, covered)]
    owner = {c.id: k for k, u in enumerate(units) for c in u.missing}
    parent = list(range(len(units)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    # the same provision missing from two peers: their clauses are linked to each other. Each unit
    # joins only its best partner in each other peer, and only a mutual choice, so that a chain of
    # loose links cannot sweep half a protocol into one finding
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for link in links:
        a, b = owner.get(link.source), owner.get(link.target)
        if a is not None and b is not None and units[a].doc != units[b].doc:
            shared[(a, b)] += 1
            shared[(b, a)] += 1
    best: dict[tuple[int, str], tuple[int, int]] = {}
    for (a, b), count in shared.items():
        key = (a, units[b].doc)
        if count > best.get(key, (0, -1))[0]:
            best[key] = (count, b)
    for (a, doc), (count, b) in best.items():
        if best.get((b, units[a].doc), (0, -1))[1] == a and count * 3 >= min(len(units[a].missing), len(units[b].missing)):
            union(a, b)
    # the same section missing from two peers: their headings say the same thing
    for i, u in enumerate(units):
        for j in range(i + 1, len(units)):
            v = units[j]
            ku, kv = _heading_keys(u), _heading_keys(v)
            if u.doc != v.doc and ku and ku == kv and (u.whole or v.whole):
                union(i, j)
    groups: dict[int, list[_Unit]] = defaultdict(list)
    for k, u in enumerate(units):
        groups[find(k)].append(u)

    target_headings = [heading_keys(c.text) for c in target.clauses if c.kind == "heading"]
    target_words = [frozenset(_singular(t.key) for t in tokens(c.text)) for c in target.clauses if c.kind != "heading"]
    return [_gap_finding(group, index, names, len(peers), render, target_headings, target_words)
            for group in groups.values()]


def _gap_finding(group: list[_Unit], index: dict[str, Clause], names: dict[str, str], n_peers: int,
                 render, target_headings: list[frozenset[str]], target_words: list[frozenset[str]]) -> Ranked:
    docs = {u.doc for u in group}
    clauses = [c for u in group for c in u.missing]
    whole = [u for u in group if u.whole and u.heading is not None and not _has_section(target_headings, target_words, _heading_keys(u))]
    section = len(whole) * 2 >= len(group) and bool(whole)
    detail = "missing-section" if section else "missing-provision"
    strongest = max((obligation(tokens(c.text))[0] or 0 for c in clauses), default=0)
    if section:
        severity = 1 if len(docs) >= 2 or n_peers == 1 else 2
    elif len(docs) >= max(2, math.ceil(n_peers / 2)) or n_peers == 1:
        severity = 1 if strongest >= 2 and len(docs) >= 3 else 2
    elif len(docs) >= 2:
        severity = 2 if strongest >= 2 else 3
    else:
        severity = 3
    lead = max(group, key=lambda u: (u.whole, len(u.missing)))
    headings = [heading_text(u.heading.text) for u in group if u.heading is not None]
    topic = headings[0] if headings else ""
    sections = [{"name": names.get(u.doc, u.doc), "heading": heading_text(u.heading.text) if u.heading else "",
                 "labels": _labels(u.missing)} for u in group]
    quote = next((c.text for c in lead.missing if len(c.text.split()) >= 6), lead.missing[0].text)
    message = render("missing_section" if section else "missing_provision", cited=cite([c.id for c in clauses], index, names),
                     sections=sections, topic=topic, quote=shorten(quote), count=len(docs),
                     support=_support(docs, n_peers))
    suggestion = "\n".join(f"{c.label} {c.text}" for c in lead.missing)
    finding = Finding(id="", kind="gap", detail=detail, clause=None, peers=tuple(c.id for c in clauses),
                      message=message, severity=severity, support=_support(docs, n_peers),
                      section=topic, suggestion=suggestion)
    # the same heading in several protocols marks a standard section, firmer evidence than linked wording
    agreed = len({_heading_keys(u) for u in group if u.heading is not None}) == 1 and len(docs) > 1
    score = WEIGHT[detail] + 40 * len(docs) / max(n_peers, 1) + min(len(lead.missing), 5) + strongest + 6 * agreed
    return Ranked(finding, score)


# ---------------------------------------------------------------- drafting problems

def drafting_findings(target: Document, render, *, today: date) -> list[Ranked]:
    """Returns the target's own drafting problems as findings, one per clause and problem."""
    merged: dict[tuple[str | None, str], list[Problem]] = defaultdict(list)
    for p in find_problems(target, today=today):
        merged[(p.clause.id if p.clause else None, p.detail)].append(p)
    result = []
    for group in merged.values():
        p = group[0]
        words = "\", \"".join(dict.fromkeys(q.words for q in group))  # one finding per clause and problem
        message = render(p.detail.replace("-", "_"), clause=p.clause, words=shorten(words, 200),
                         expected=p.expected, document=display_name(target))
        finding = Finding(id="", kind="drafting", detail=p.detail, clause=p.clause.id if p.clause else None,
                          peers=(), message=message, severity=_DRAFTING_SEVERITY.get(p.detail, 2),
                          section=p.clause.section if p.clause else "",
                          quotes=tuple((q.words, q.expected) for q in group))
        result.append(Ranked(finding, WEIGHT.get(p.detail, 5)))
    return result
