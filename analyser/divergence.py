"""Divergence: a target clause and the peer clauses linked to it → typed differences that matter
(obligation strength, negation, time limits, parties, definitions' scope, list items, rewording),
and, against a baseline draft, provisions that moved or were renumbered.

Differences are found per sentence pair, on wording folded through the thesaurus, so a routine
change of role name (Chief Executive for Town Clerk) is no difference at all.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .links import Links
from .model import Clause, Document, Link
from .wording import (Token, best_sentence_pairs, changes, load_vocabulary, negated, obligation, parties,
                      qualifiers, similarity, time_limits, tokens)

ALIGNABLE = ("paragraph", "item", "definition", "row")
# below this similarity two sentences are too loosely matched to read a party or a negation into
_CLOSE = 0.6
_DEFINES = re.compile(
    r"^\s*(?:the\s+)?[\"“‘'*]?(?P<term>[A-Z][\w'’/-]*(?:\s+[\w'’/-]+){0,3}?)[\"”’'*]?\s+(?:means|includes|"
    r"shall mean|shall include|refers to|is defined as|has the meaning)\b(?!\s+that\b)")
# words no defined term contains: "Members enquiries may be made by any means" defines nothing
_NOT_TERMS = {"may", "be", "is", "are", "will", "shall", "can", "must", "should", "by", "the", "need", "a", "any"}


@dataclass(frozen=True, slots=True)
class Difference:
    """Holds one typed difference between a target clause and one peer clause, before peers merge."""

    clause: str
    peer: str
    detail: str
    mine: str
    theirs: str
    weight: int = 0  # how far it moved (obligation tiers, items dropped): a ranking hint


def defined_term(clause: Clause) -> str | None:
    """Returns the folded term a clause defines ("officer" for "Officer means …"), if it is a definition."""
    m = _DEFINES.match(clause.text)
    if not m or _NOT_TERMS & {w.lower() for w in m.group("term").split()}:
        return None
    term = " ".join(t.key for t in tokens(m.group("term")))
    return term or None


def links_of(document: Document, links: Sequence[Link]) -> tuple[Link, ...]:
    """Returns the links with one end (or both) in the document, in their order."""
    return Links.of(links).touching({c.id for c in document.clauses})


def partners(target: Document, links: tuple[Link, ...], index: dict[str, Clause]) -> dict[str, dict[str, tuple[str, float]]]:
    """Returns, for each target clause, its best-linked clause in each peer document (id, score); the
    target's own links (links_of) are enough."""
    best: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)
    for link in links:
        a, b = index.get(link.source), index.get(link.target)
        if not a or not b or (a.doc == target.id) == (b.doc == target.id):
            continue
        mine, theirs = (a, b) if a.doc == target.id else (b, a)
        current = best[mine.id].get(theirs.doc)
        if current is None or link.score > current[1]:
            best[mine.id][theirs.doc] = (theirs.id, link.score)
    return best


def definition_partners(target: Document, peers: tuple[Document, ...]) -> dict[str, dict[str, tuple[str, float]]]:
    """Returns, for each target definition, the peer definitions of the same term: the links may miss
    them, since "Officer means …" and "'Officer' includes …" share few words."""
    terms: dict[str, list[Clause]] = defaultdict(list)
    term_of: dict[str, str | None] = {}  # perf (issue 8): peers copy model wording, so each text is read once
    for peer in peers:
        for c in peer.clauses:
            if c.text not in term_of:
                term_of[c.text] = defined_term(c)
            term = term_of[c.text]
            if term:
                terms[term].append(c)
    found: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)
    for c in target.clauses:
        term = defined_term(c)
        for other in terms.get(term or "", ()):
            found[c.id].setdefault(other.doc, (other.id, 1.0))
    return found


def _sentences(clause: Clause) -> tuple[str, ...]:
    return clause.sentences or (clause.text,)


def _phrase_keys(phrase: str) -> set[str]:
    return {t.key for t in tokens(phrase)}


def compare_clauses(mine: Clause, theirs: Clause, *, definition: bool = False,
                    memo: dict | None = None) -> list[Difference]:
    """Returns the typed differences between a target clause and one peer clause; `memo` (a dict kept
    for one review) remembers them per pair of wordings."""
    # perf (issue 8): peers copy model wording, so a review against 1,000 peers meets 35,000 pairs of
    # clauses but fewer than 8,000 pairs of wordings, and what differs depends on the wordings alone
    key = (mine.text, _sentences(mine), theirs.text, _sentences(theirs), definition)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = _differences(*key)
        if memo is not None:
            memo[key] = found
    return [replace(d, clause=mine.id, peer=theirs.id) for d in found]


def _differences(mine_text: str, mine_sentences: tuple[str, ...], their_text: str, their_sentences: tuple[str, ...],
                 definition: bool) -> tuple[Difference, ...]:
    """Returns the typed differences between two wordings, not yet given their clauses' ids."""
    found: list[Difference] = []
    if definition:
        gone = {k: v for k, v in parties(tokens(their_text)).items() if k not in parties(tokens(mine_text))}
        if gone:
            found.append(Difference("", "", "scope-changed", mine_text, ", ".join(gone.values()), weight=len(gone)))
    for mt, tt, sim in best_sentence_pairs(mine_sentences, their_sentences):
        pair_changes = changes(mt, tt)
        if not pair_changes:
            continue
        found += _obligation(mt, tt, sim, pair_changes)
        found += _limits(mt, tt)
        if sim >= _CLOSE:
            found += _negation(pair_changes)
            if not definition:
                found += _parties(mine_text, mt, tt, pair_changes)
    # one difference of each kind per clause pair: the first sentence that shows it
    unique: dict[str, Difference] = {}
    for d in found:
        unique.setdefault(d.detail, d)
    return tuple(unique.values())


def _text(toks: tuple[Token, ...]) -> str:
    return " ".join(t.surface for t in toks)


def _obligation(mt, tt, sim, pair_changes) -> list[Difference]:
    # a modal counts only where the wording itself changed ("should seek" for "may wish to seek"),
    # not where one clause merely goes on to a further sentence with its own duty
    for ch in pair_changes:
        ours, our_words = obligation(ch.mine)
        their, their_words = obligation(ch.theirs)
        if ours is not None and their is not None and ours != their:
            detail = "obligation-weakened" if ours < their else "obligation-strengthened"
            return [Difference("", "", detail, ch.mine_text, ch.their_text, weight=abs(ours - their))]
    if sim < _CLOSE:
        return []
    qm, qt = qualifiers(mt), qualifiers(tt)
    softer = [q for q in qm["weakening"] if q not in qt["weakening"]] + \
             [q for q in qt["strengthening"] if q not in qm["strengthening"]]
    harder = [q for q in qt["weakening"] if q not in qm["weakening"]] + \
             [q for q in qm["strengthening"] if q not in qt["strengthening"]]
    if softer or harder:
        detail = "obligation-weakened" if softer else "obligation-strengthened"
        words = softer or harder
        keys = set().union(*(_phrase_keys(w) for w in words))
        change = next((ch for ch in pair_changes if keys & {t.key for t in (*ch.mine, *ch.theirs)}), None)
        # the qualifier must be the change ("will normally not" / "will not"), not one word of a
        # rewording that says something else ("will support" / "will always seek to assist")
        if change is None or len((_content(change.mine) ^ _content(change.theirs)) - keys) > 1:
            return []
        return [Difference("", "", detail, change.mine_text, change.their_text, weight=1)]
    return []


def _content(toks: tuple[Token, ...]) -> set[str]:
    """Returns the words that carry meaning (longer than four letters): "to", "the" and "they" do not."""
    return {t.key for t in toks if len(t.key) > 4}


def _negation(pair_changes) -> list[Difference]:
    # a reversal is a short change ("should copy" / "should not copy"); a negative inside a longer
    # added phrase ("although not a personal interest") qualifies the provision, it does not reverse it
    negations = set(load_vocabulary()["negations"])
    for ch in pair_changes:
        if negated(ch.mine) == negated(ch.theirs) or max(len(ch.mine), len(ch.theirs)) > 4:
            continue
        # the same words with and without "not" reverse it; a negative that brings further words with
        # it ("questioned" / "questioned; not behaving improperly") adds a provision instead
        ours = {t.key for t in ch.mine if t.key not in negations}
        their = {t.key for t in ch.theirs if t.key not in negations}
        if len(ours ^ their) <= 1:
            return [Difference("", "", "negation", ch.mine_text, ch.their_text)]
    return []


def _limits(mt, tt) -> list[Difference]:
    ours, their = time_limits(mt), time_limits(tt)
    differing = [u for u in ours if u in their and ours[u].split()[0].lower() != their[u].split()[0].lower()
                 and [t.key for t in tokens(ours[u])][0] != [t.key for t in tokens(their[u])][0]]
    if differing:
        unit = differing[0]
        return [Difference("", "", "number-changed", ours[unit], their[unit])]
    return []


def _parties(mine_text, mt, tt, pair_changes) -> list[Difference]:
    # only parties inside the changed words count: a party both sentences name is no difference
    changed_mine = {t.key for ch in pair_changes for t in ch.mine}
    changed_theirs = {t.key for ch in pair_changes for t in ch.theirs}
    ours, their = parties(mt), parties(tt)
    # a party whose words the draft runs into the next ("the publicand advise") is a typing slip, not an omission
    run_on = mine_text.lower()
    removed = {k: v for k, v in their.items() if k not in ours and _phrase_keys(v) & changed_theirs
               and not all(w in run_on for w in v.lower().split() if w != "the")}
    added = {k: v for k, v in ours.items() if k not in their and _phrase_keys(v) & changed_mine}
    if removed and added:
        return [Difference("", "", "party-substituted", ", ".join(added.values()), ", ".join(removed.values()))]
    if removed:
        return [Difference("", "", "party-removed", _text(mt), ", ".join(removed.values()))]
    if added:
        return [Difference("", "", "party-added", ", ".join(added.values()), _text(tt))]
    return []


def reworded(mine: Clause, theirs: Clause) -> Difference | None:
    """Returns a plain-rewording difference when two linked clauses read differently but no typed
    difference applies; None when they read (nearly) the same."""
    mt, tt = tokens(mine.text), tokens(theirs.text)
    sim = similarity(mt, tt)
    if sim >= 0.85 or sim < 0.3:
        return None
    pair_changes = sorted(changes(mt, tt), key=lambda ch: -(len(ch.mine) + len(ch.theirs)))
    # a change of a word or two ("to avoid" / "Avoid", "ICT use and security") is style, not substance
    if sum(len(_content(ch.mine) ^ _content(ch.theirs)) for ch in pair_changes) < 3:
        return None
    return Difference(mine.id, theirs.id, "reworded", pair_changes[0].mine_text, pair_changes[0].their_text)


def children(document: Document) -> dict[str, list[Clause]]:
    """Returns each clause's sub-items, in order."""
    kids: dict[str, list[Clause]] = defaultdict(list)
    for c in document.clauses:
        if c.parent and c.kind == "item":
            kids[c.parent].append(c)
    return kids


def list_differences(target: Document, peers: tuple[Document, ...], best: dict[str, dict[str, tuple[str, float]]],
                     covered: set[str]) -> tuple[list[Difference], set[str]]:
    """Returns items dropped from (or added to) a list whose lead-in the target shares with a peer,
    and the peer items those differences account for (so they are not reported again as gaps)."""
    mine_kids = children(target)
    theirs_kids: dict[str, list[Clause]] = {}
    for peer in peers:
        theirs_kids.update(children(peer))
    found: list[Difference] = []
    used: set[str] = set()
    for lead, by_doc in best.items():
        for peer_doc, (peer_lead, _) in by_doc.items():
            dropped = [c for c in theirs_kids.get(peer_lead, []) if c.id not in covered and c.id not in used]
            if dropped and mine_kids.get(lead):
                used.update(c.id for c in dropped)
                found.append(Difference(lead, peer_lead, "list-items-dropped", "",
                                        " | ".join(c.text for c in dropped), weight=len(dropped)))
    return found, used


def find_moves(target: Document, baseline: Document, links: tuple[Link, ...], index: dict[str, Clause],
               *, threshold: float, same_subject) -> list[Difference]:
    """Returns the provisions of a two-draft review that moved to a section on another subject, or
    kept their place but changed number; equivalent links only, so a rewrite is not read as a move.
    `same_subject(a, b)` says whether two clauses sit under headings on the same subject."""
    found = []
    for link in links:
        a, b = index.get(link.source), index.get(link.target)
        if not a or not b or link.score < threshold or {a.doc, b.doc} != {target.id, baseline.id}:
            continue
        mine, theirs = (a, b) if a.doc == target.id else (b, a)
        if not same_subject(mine, theirs):
            found.append(Difference(mine.id, theirs.id, "moved", mine.section, theirs.section))
        elif mine.number and theirs.number and mine.number != theirs.number:
            found.append(Difference(mine.id, theirs.id, "renumbered", mine.label, theirs.label))
    return found
