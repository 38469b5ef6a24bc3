"""Gaps: what peers provide and the target lacks, grouped the way a reviewer thinks, by section: a
peer section with no counterpart in the target is one missing section; the provisions a peer
section has beyond the target's section on the same subject are one point about that section
("your section on the media says much less than the peers'")."""
from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from .citing import Ranked, heading_text, join, join_peers, labels, shorten, support_text
from .divergence import ALIGNABLE
from .links import Links
from .model import Clause, Document, Finding, Link
from .settings import Settings
from .wording import load_vocabulary, obligation_tier, strongest_tier, tokens

WEIGHT = {"missing-section": 35, "missing-provision": 15}
# a peer section whose provisions lack a counterpart in the target at least this share is largely
# missing: one or two loosely linked clauses do not make the target's coverage of it
LARGELY_MISSING = (2, 3)
_HEADING_STOP = {"the", "and", "of", "to", "a", "an", "in", "on", "for", "with", "its", "their", "from", "by", "or",
                 "about", "upon", "at", "as", "between", "what", "when", "who", "may", "all", "any", "other"}


def target_counterparts(target: Document, own: tuple[Link, ...], links: Links, index: dict[str, Clause], *,
                        settings: Settings) -> dict[str, dict[str, float]]:
    """Returns, for each peer clause the target accounts for, the target clauses that answer it and
    how well: its own links (`own`, the target's links), else those of a peer clause equivalent to it
    (one hop among all the `links`, so that a link the aligner missed does not invent a gap). A link
    below the link threshold that the clause's equivalents in other peers contradict (none of them is
    linked to the same target clause, or firmly anywhere) is left out: it is a loose resemblance, not
    the provision."""
    direct: dict[str, dict[str, float]] = defaultdict(dict)
    for link in own:
        a, b = index.get(link.source), index.get(link.target)
        if not a or not b or a.doc == b.doc or target.id not in (a.doc, b.doc):
            continue
        mine, theirs = (a, b) if a.doc == target.id else (b, a)
        direct[theirs.id][mine.id] = max(link.score, direct[theirs.id].get(mine.id, 0.0))
    peer_equivalents = _peer_equivalents(target, direct, links, index, threshold=settings.equivalent_threshold)

    def contradicted(clause_id: str) -> bool:
        answers, others = direct[clause_id], peer_equivalents(clause_id)
        if max(answers.values()) >= settings.link_threshold or not others:
            return False
        return not any(answers.keys() & direct.get(o, {}).keys() or max(direct.get(o, {0: 0.0}).values())
                       >= settings.link_threshold for o in others)

    firm = {c: answers for c, answers in direct.items() if not contradicted(c)}
    result = dict(firm)
    for clause_id, answers in firm.items():
        for other in peer_equivalents(clause_id):
            # a clause with links of its own is either firm already or contradicted
            if other not in direct:
                result.setdefault(other, {}).update(answers)
    return result


def _peer_equivalents(target: Document, answered: Collection[str], links: Links, index: dict[str, Clause], *,
                      threshold: float) -> Callable[[str], list[str]]:
    """Returns how to find the clauses of other peers that a peer clause the target answers is
    equivalent to (a link at the threshold or above)."""
    # perf (issue 8): a national corpus's peer clauses each have hundreds of equivalents: the links
    # are picked out of the columns at once (links.py), and grouped by clause
    docs = {d: k for k, d in enumerate(dict.fromkeys(c.doc for c in index.values()))}
    doc = np.fromiter((docs[index[name].doc] if name in index else -1 for name in links.names),
                      dtype=np.int64, count=len(links.names))
    mine = docs.get(target.id, -1)
    one, two = links.source, links.target
    known = links.marked(answered)
    chosen = ((links.score >= threshold) & (known[one] | known[two]) & (doc[one] != doc[two])
              & (doc[one] >= 0) & (doc[two] >= 0) & (doc[one] != mine) & (doc[two] != mine))
    ends = np.concatenate((one[chosen], two[chosen]))
    others = np.concatenate((two[chosen], one[chosen]))
    order = np.argsort(ends, kind="stable")
    ends, others = ends[order], others[order]
    codes, starts = np.unique(ends, return_index=True)
    bounds = dict(zip(codes.tolist(), zip(starts.tolist(), [*starts[1:].tolist(), len(ends)])))

    def equivalents(clause_id: str) -> list[str]:
        lo, hi = bounds.get(links.position(clause_id), (0, 0))
        return [links.names[i] for i in others[lo:hi].tolist()]

    return equivalents


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


def heading_keys(text: str) -> frozenset[str]:
    """Returns the words a heading turns on, folded and without plural s ("Roles of Members" → role, member)."""
    return frozenset(_singular(t.key) for t in tokens(text) if t.key not in _HEADING_STOP and not t.key.isdigit())


@lru_cache(maxsize=1 << 14)
def _singular(word: str) -> str:
    # perf (issue 8): kept per word, as the same headings' words come from every peer
    return re.sub(r"(?<=[a-z]{3}[^s])s$", "", word)


def same_heading(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two headings' words name the same subject ("Media relations" ~ "Relations with the media"):
    most of their words shared, one of them more than a word every protocol uses ("members", "officers":
    "Cabinet members and officers" is not "Members of other committees and officers")."""
    generic = _generic_words()
    telling = (a & b) - generic or not (a - generic) or not (b - generic)  # "Officers" has nothing else
    return bool(a and b) and len(a & b) * 2 >= len(a | b) and bool(telling)


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    # the parties every protocol names throughout (modals.json "parties_ignored")
    return frozenset(_singular(w.lower()) for w in load_vocabulary().get("parties_ignored", []))


@dataclass(frozen=True, slots=True)
class _Unit:
    """Holds the clauses of one peer section that the target lacks, and where the target deals with
    the section's subject (`anchor`, the target's heading), if anywhere."""

    doc: str
    heading: Clause | None
    missing: tuple[Clause, ...]
    anchor: Clause | None
    largely: bool
    whole: bool  # the target does not deal with the section's subject at all


def _substantive(clause: Clause) -> bool:
    return clause.kind in ALIGNABLE and _words_in(clause.text) >= 3


@lru_cache(maxsize=1 << 16)
def _words_in(text: str) -> int:
    # perf (issue 8): kept per text, as peers copy model wording
    return len(re.findall(r"[A-Za-z]{2,}", text))


def _keys(clause: Clause | None) -> frozenset[str]:
    return heading_keys(clause.text) if clause is not None else frozenset()


@dataclass(frozen=True, slots=True)
class _TargetSections:
    """Holds what the target's headings and provisions are about, to find where it answers a peer section."""

    headings: tuple[tuple[Clause, frozenset[str]], ...]
    words: tuple[frozenset[str], ...]

    def by_heading(self, keys: frozenset[str], votes: dict[str, float]) -> Clause | None:
        """Returns the target heading on the same subject: the closest wording, then the one the
        section's provisions are most linked into."""
        found = [(len(keys & k) / len(keys | k), votes.get(h.id, 0.0), h.order, h) for h, k in self.headings
                 if same_heading(keys, k)]
        return max(found, key=lambda f: (f[0], f[1], -f[2]))[3] if found else None

    def mentions(self, keys: frozenset[str]) -> bool:
        """Whether a provision names every word of a heading ("opposition members") without a heading on it."""
        return len(keys) >= 2 and any(keys <= words for words in self.words)


def _units(peer: Document, index: dict[str, Clause], covered: set[str], answers: dict[str, dict[str, float]],
           target: _TargetSections) -> list[_Unit]:
    """Returns, for each section of a peer, the provisions the target lacks and where the target deals with its subject."""
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
        if not missing:
            continue
        votes: dict[str, float] = defaultdict(float)
        for c in clauses:
            for answer, score in answers.get(c.id, {}).items():
                h = section_of(index[answer], index)
                if h is not None:
                    votes[h.id] += score
        keys = _keys(headings[key])
        # the target's section on the same subject; a few loosely linked clauses alone do not make a
        # target section its counterpart
        anchor = target.by_heading(keys, votes)
        largely = len(missing) * LARGELY_MISSING[1] >= len(clauses) * LARGELY_MISSING[0]
        whole = largely and anchor is None and not target.mentions(keys)
        units.append(_Unit(peer.id, headings[key], missing, anchor, largely, whole))
    return units


def gap_findings(target: Document, peers: tuple[Document, ...], index: dict[str, Clause], links: Links,
                 covered: set[str], answers: dict[str, dict[str, float]], names: dict[str, str], render, *,
                 settings: Settings) -> list[Ranked]:
    """Returns one finding per peer section the target lacks (the same section in several peers
    merged, with its support: "2 of 4 peers") and one per target section that says less than the
    peers' sections on its subject."""
    sections = _TargetSections(
        headings=tuple((c, heading_keys(c.text)) for c in target.clauses
                       if c.kind == "heading" and (c.parent is None or index[c.parent].kind == "heading")),
        words=tuple(frozenset(_singular(t.key) for t in tokens(c.text)) for c in target.clauses if c.kind != "heading"))
    units = [u for p in peers for u in _units(p, index, covered, answers, sections)]
    # perf (issue 8): gathering and merging read only the links between provisions the target lacks,
    # picked out of the corpus's million links once, by id
    missing = {c.id for u in units for c in u.missing}
    among = links.among(missing)
    units = _gather_equivalents(units, among, threshold=settings.equivalent_threshold)
    anchored: dict[str, list[_Unit]] = defaultdict(list)
    for u in units:
        if u.anchor is not None:
            anchored[u.anchor.id].append(u)
    result = [_thin_section_finding(index[a], group, index, names, len(peers), render) for a, group in anchored.items()]
    loose = [u for u in units if u.anchor is None]
    result += [_gap_finding(group, index, names, len(peers), render) for group in _merge_across_peers(loose, among)]
    return result


def _gather_equivalents(units: list[_Unit], links: Links, *, threshold: float) -> list[_Unit]:
    """Returns the units with each provision of a wholly missing peer section that another peer makes
    inside a section the target does have (an equivalent link) taken out of that peer's section, so
    the two join one finding and the missing section counts both peers' support."""
    # perf (issue 8): only a link between a wholly missing section and one the target has can pull a
    # provision; such links are picked out of the columns at once (links.py)
    whole = links.marked({c.id for u in units if u.whole for c in u.missing})
    anchored = links.marked({c.id for u in units if u.anchor is not None for c in u.missing})
    home = _owners(units, links)
    peer = _peers_of(units)[home]
    source, target = links.source, links.target
    firm = (links.score >= threshold) & (peer[source] != peer[target])
    pulled: dict[int, set[str]] = defaultdict(set)
    for i in (*target[firm & whole[source] & anchored[target]].tolist(),
              *source[firm & whole[target] & anchored[source]].tolist()):
        pulled[int(home[i])].add(links.names[i])
    result = []
    for k, u in enumerate(units):
        taken = tuple(c for c in u.missing if c.id in pulled[k])
        kept = tuple(c for c in u.missing if c.id not in pulled[k])
        if kept:
            result.append(replace(u, missing=kept))
        if taken:
            result.append(replace(u, missing=taken, anchor=None, largely=False, whole=False))
    return result


def _owners(units: list[_Unit], links: Links) -> np.ndarray:
    """Returns, for each clause the links name, the unit whose missing provision it is (-1: none)."""
    at = {c.id: k for k, u in enumerate(units) for c in u.missing}
    return np.fromiter((at.get(name, -1) for name in links.names), dtype=np.int64, count=len(links.names))


def _peers_of(units: list[_Unit]) -> np.ndarray:
    """Returns a number for each unit's peer, and -1 after the last (for a clause in no unit)."""
    peers = {doc: k for k, doc in enumerate(dict.fromkeys(u.doc for u in units))}
    return np.array([peers[u.doc] for u in units] + [-1], dtype=np.int64)


def _merge_across_peers(units: list[_Unit], links: Links) -> list[list[_Unit]]:
    """Returns the units grouped where several peers lack the same thing: their missing clauses are
    linked to each other, or their headings agree."""
    parent = list(range(len(units)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    # each unit joins only its best partner in each other peer, and only a mutual choice, so that a
    # chain of loose links cannot sweep half a protocol into one finding
    best: dict[tuple[int, str], tuple[int, int]] = {}
    for (a, b), count in _linked_units(units, links):
        key = (a, units[b].doc)
        if count > best.get(key, (0, -1))[0]:
            best[key] = (count, b)
    for (a, doc), (count, b) in best.items():
        if best.get((b, units[a].doc), (0, -1))[1] == a and count * 3 >= min(len(units[a].missing), len(units[b].missing)):
            union(a, b)
    # perf (issue 8): units compared only within a group of equal heading words, each unit's words
    # found once (against every other unit, a review of 1,000 peers spent minutes here)
    by_heading: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        keys = _keys(u.heading)
        if keys:
            by_heading[keys].append(i)
    for same in by_heading.values():
        _join_on_heading(same, units, union)
    groups: dict[int, list[_Unit]] = defaultdict(list)
    for k, u in enumerate(units):
        groups[find(k)].append(u)
    return list(groups.values())


def _linked_units(units: list[_Unit], links: Links) -> list[tuple[tuple[int, int], int]]:
    """Returns each ordered pair of units of different peers whose missing clauses are linked, with
    the number of links between them, in the order the links first join them."""
    # perf (issue 8): half a million links can join the units: counted on their columns at once
    owner = _owners(units, links)
    a, b = owner[links.source], owner[links.target]
    peer = _peers_of(units)
    joined = (a >= 0) & (b >= 0) & (peer[a] != peer[b])
    a, b = a[joined], b[joined]
    n = len(units)
    pairs = np.empty(2 * len(a), dtype=np.int64)
    pairs[0::2], pairs[1::2] = a * n + b, b * n + a  # each link joins both ways
    keys, first, counts = np.unique(pairs, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return [(divmod(key, n), count) for key, count in zip(keys[order].tolist(), counts[order].tolist())]


def _join_on_heading(same: list[int], units: list[_Unit], union) -> None:
    """Joins the units under the same heading words where one of two in different peers is wholly missing.

    perf (issue 8): a heading every protocol has comes in hundreds of units, too many to join pair by
    pair. Each unit joins the first wholly missing unit of another peer, and a wholly missing unit
    also the first unit of another peer: the same groups as every such pair, a join or two per unit."""
    wholes = [i for i in same if units[i].whole]
    for i in same:
        for candidates in (wholes, same) if units[i].whole else (wholes,):
            partner = next((j for j in candidates if units[j].doc != units[i].doc), None)
            if partner is not None:
                union(i, partner)


def _strongest(clauses) -> int:
    # every gap finding citing a peer clause asks again, so the tier is kept per text; perf (issue 8):
    # a finding against 1,000 peers cites thousands of clauses, so the search stops at the strongest tier
    ceiling = strongest_tier()
    tiers = []
    for c in clauses:
        tiers.append(obligation_tier(c.text))
        if tiers[-1] >= ceiling:
            break
    return max(tiers, default=0)


def _quote(unit: _Unit) -> str:
    return shorten(next((c.text for c in unit.missing if len(c.text.split()) >= 6), unit.missing[0].text))


def _sections(group: list[_Unit], names: dict[str, str], index: dict[str, Clause]) -> list[dict]:
    """Returns each peer's part of a gap: its name, the heading its clauses sit under and their labels."""
    by_doc: dict[str, list[_Unit]] = defaultdict(list)
    for u in group:
        by_doc[u.doc].append(u)
    result = []
    for doc, units in by_doc.items():
        shown = list(dict.fromkeys(heading_text(u.heading.text) for u in units if u.heading is not None))
        result.append({"name": names.get(doc, doc), "heading": "; ".join(shown),
                       "labels": labels([c for u in units for c in u.missing], 3, index=index)})
    return result


def _cite_sections(sections: list[dict], topic: str) -> str:
    """Returns the peers' parts as a reviewer cites them: "Dudley MBC 128 and 129 under “Access to
    premises”", the heading left out where it names the finding's own subject."""
    keys = heading_keys(topic)
    return join_peers([f"{s['name']} {join(s['labels'])}"
                 + (f" under “{s['heading']}”" if s["heading"] and not same_heading(heading_keys(s["heading"]), keys) else "")
                 for s in sections])


def _thin_section_finding(anchor: Clause, group: list[_Unit], index: dict[str, Clause], names: dict[str, str],
                          n_peers: int, render) -> Ranked:
    """The target has a section on the subject, and the peers' sections on it hold provisions it lacks."""
    group = sorted(group, key=lambda u: (-u.largely, -len(u.missing), u.doc))
    docs = {u.doc for u in group}
    clauses = [c for u in group for c in u.missing]
    largely = any(u.largely for u in group)
    if n_peers == 1:
        severity = 1 if largely else 2
    elif len(docs) >= 2 and len(docs) * 2 >= n_peers and (largely or len(docs) >= 3):
        severity = 1
    else:
        severity = 2 if len(docs) >= 2 or largely else 3
    support = support_text(docs, n_peers)
    topic = heading_text(anchor.text)
    sections = _sections(group, names, index)
    message = render("missing_from_section", mine=anchor, topic=topic, sections=sections,
                     cited=_cite_sections(sections, topic), quote=_quote(group[0]), count=len(docs), support=support)
    finding = Finding(id="", kind="gap", detail="missing-provision", clause=None, peers=tuple(c.id for c in clauses),
                      message=message, severity=severity, support=support, section=topic,
                      suggestion="\n".join(f"{c.label} {c.text}" for c in group[0].missing))
    # a peer that lacks most of its section weighs more than one that lacks a clause or two of it
    thin = {u.doc for u in group if u.largely}
    score = (WEIGHT["missing-provision"] + 20 * (len(docs) + len(thin)) / max(n_peers, 1) + min(len(clauses), 8)
             + _strongest(clauses))
    return Ranked(finding, score)


def _gap_finding(group: list[_Unit], index: dict[str, Clause], names: dict[str, str], n_peers: int,
                 render) -> Ranked:
    """Peers have a section, or provisions, on a subject the target does not deal with."""
    docs = {u.doc for u in group}
    clauses = [c for u in group for c in u.missing]
    whole = [u for u in group if u.whole and u.heading is not None]
    section = bool(whole) and len(whole) * 2 >= len(group)
    detail = "missing-section" if section else "missing-provision"
    strongest = _strongest(clauses)
    if section:
        severity = 1 if len(docs) >= 2 or n_peers == 1 else 2
    elif len(docs) >= max(2, math.ceil(n_peers / 2)) or n_peers == 1:
        severity = 1 if strongest >= 2 and len(docs) >= 3 else 2
    elif len(docs) >= 2:
        severity = 2 if strongest >= 2 else 3
    else:
        severity = 3
    lead = max(group, key=lambda u: (u.whole, len(u.missing)))
    topic = heading_text(lead.heading.text) if lead.heading is not None else next(
        (heading_text(u.heading.text) for u in group if u.heading is not None), "")
    support = support_text(docs, n_peers)
    sections = _sections(sorted(group, key=lambda u: u is not lead), names, index)
    message = render("missing_section" if section else "missing_provision", cited=_cite_sections(sections, topic),
                     sections=sections, topic=topic, quote=_quote(lead), count=len(docs), support=support)
    finding = Finding(id="", kind="gap", detail=detail, clause=None, peers=tuple(c.id for c in clauses),
                      message=message, severity=severity, support=support, section=topic,
                      suggestion="\n".join(f"{c.label} {c.text}" for c in lead.missing))
    # the same heading in several protocols marks a standard section, firmer evidence than linked wording
    agreed = len({_keys(u.heading) for u in group if u.heading is not None}) == 1 and len(docs) > 1
    score = WEIGHT[detail] + 40 * len(docs) / max(n_peers, 1) + min(len(lead.missing), 5) + strongest + 6 * agreed
    return Ranked(finding, score)
