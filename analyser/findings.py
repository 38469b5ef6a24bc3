"""Findings: the alignment and a target document → gaps, divergences and drafting problems,
each worded from templates/messages.j2 the way a reviewer writes in the margin."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .model import Clause, Document, Finding, Link
from .render import message_renderer
from .settings import Settings

_PLACEHOLDER = re.compile(r"\b(?:Part|Article|Section|paragraph|para|standing order|appendix|schedule|clause)\s*\?|\[\s*[\d.]+\s*\?\s*\]|\bX{2,}\b|\[\s*(?:TBC|TBA|insert[^\]]*)\s*\]", re.I)
_EDITORIAL = re.compile(r"\[[^\]]*(?:\?|\bnote\b|\bcheck\b|\bto be\b)[^\]]*\]", re.I)
_NUMBER = re.compile(r"\b(\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fourteen|fifteen|twenty|thirty)\b(?:\s+(working|calendar|clear))?\s+(days?|weeks?|months?|years?|hours?)\b", re.I)
_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
                 "nine": "9", "ten": "10", "twelve": "12", "fourteen": "14", "fifteen": "15", "twenty": "20", "thirty": "30"}


@lru_cache(maxsize=2)
def load_modals(path: str | None = None) -> dict:
    """Returns the obligation strengths, negations and qualifiers from the modal-verb data file."""
    return json.loads(Path(path or Path(__file__).resolve().parent / "data" / "modals.json").read_text(encoding="utf-8"))


def obligation(text: str) -> tuple[int | None, str]:
    """Returns the strongest obligation a clause expresses and the words that express it."""
    modals = load_modals()["modals"]
    lowered = " " + re.sub(r"\s+", " ", text.lower()) + " "
    best: tuple[int | None, str] = (None, "")
    for phrase in sorted(modals, key=len, reverse=True):
        if re.search(rf"\b{re.escape(phrase)}\b", lowered):
            strength = modals[phrase]
            if best[0] is None or strength > best[0]:
                best = (strength, phrase)
            lowered = re.sub(rf"\b{re.escape(phrase)}\b", " ", lowered)
    return best


def _numbers(text: str) -> set[str]:
    found = set()
    for m in _NUMBER.finditer(text):
        value = _WORD_NUMBERS.get(m.group(1).lower(), m.group(1))
        unit = m.group(3).lower().rstrip("s")
        found.add(f"{value} {(m.group(2) or '').lower() + ' ' if m.group(2) else ''}{unit}s".replace("  ", " "))
    return found


def review(target: Document, peers: tuple[Document, ...], links: tuple[Link, ...], *, settings: Settings) -> tuple[Finding, ...]:
    """Returns the findings on the target against its peers, most serious first, numbered by kind."""
    index = {c.id: c for d in (target, *peers) for c in d.clauses}
    render = message_renderer(settings)
    partners: dict[str, dict[str, list[tuple[Link, str]]]] = defaultdict(lambda: defaultdict(list))
    for link in links:
        for mine, other in ((link.source, link.target), (link.target, link.source)):
            if mine in index and other in index and index[mine].doc == target.id and index[other].doc != target.id:
                partners[other][index[mine].id].append((link, other))
    found: list[Finding] = []
    found += find_gaps(target, peers, links, index, render)
    found += find_divergences(target, links, index, render)
    found += find_drafting_problems(target, render, settings)
    found.sort(key=lambda f: (f.severity, {"gap": 0, "divergence": 1, "drafting": 2}[f.kind], f.clause or "", f.peers))
    numbered, counts = [], defaultdict(int)
    for f in found:
        prefix = f.kind[0].upper()
        counts[prefix] += 1
        numbered.append(replace(f, id=f"{prefix}{counts[prefix]:03d}"))
    return tuple(numbered)


def _peer_name(doc: Document) -> str:
    return doc.metadata.council or doc.title or doc.id


def find_gaps(target: Document, peers: tuple[Document, ...], links: tuple[Link, ...], index: dict[str, Clause],
              render) -> list[Finding]:
    """Returns provisions (and whole sections) that peers make and the target lacks."""
    linked_to_target: set[str] = set()
    for link in links:
        a, b = index.get(link.source), index.get(link.target)
        if a and b and (a.doc == target.id) != (b.doc == target.id):
            linked_to_target.add(b.id if a.doc == target.id else a.id)
    # peer clauses linked to each other: a provision that several peers share
    peer_links: dict[str, set[str]] = defaultdict(set)
    for link in links:
        a, b = index.get(link.source), index.get(link.target)
        if a and b and a.doc != target.id and b.doc != target.id and a.doc != b.doc:
            peer_links[a.id].add(b.id)
            peer_links[b.id].add(a.id)
    findings: list[Finding] = []
    seen: set[str] = set()
    docs = {d.id: d for d in peers}
    for peer in peers:
        missing = [c for c in peer.clauses if c.kind in ("paragraph", "item", "definition") and c.id not in linked_to_target
                   and len(c.text.split()) >= 6 and c.id not in seen]
        for clause in missing:
            group = [clause.id] + sorted(o for o in peer_links[clause.id] if o not in linked_to_target and o not in seen)
            group_docs = {index[g].doc for g in group}
            seen.update(group)
            support = len(group_docs)
            if support < 2 and len(peers) > 1:
                continue
            cited = [f"{_peer_name(docs[index[g].doc])} ({index[g].label})" for g in group if index[g].doc in docs]
            message = render("gap", cited=cited, quote=_shorten(clause.text), support=support, peers=len(peers))
            findings.append(Finding(
                id="", kind="gap", detail="missing-provision", clause=None, peers=tuple(group), message=message,
                severity=1 if support >= max(2, (len(peers) + 1) // 2) else 2,
                support=f"{support} of {len(peers)} peers", section=clause.section, suggestion=clause.text,
            ))
    return findings


def find_divergences(target: Document, links: tuple[Link, ...], index: dict[str, Clause], render) -> list[Finding]:
    """Returns differences that matter between target clauses and the peer clauses they match."""
    findings: list[Finding] = []
    for link in links:
        a, b = index.get(link.source), index.get(link.target)
        if not a or not b or (a.doc == target.id) == (b.doc == target.id):
            continue
        mine, theirs = (a, b) if a.doc == target.id else (b, a)
        mine_strength, mine_words = obligation(mine.text)
        their_strength, their_words = obligation(theirs.text)
        if mine_strength is not None and their_strength is not None and abs(mine_strength - their_strength) >= 2:
            weaker = mine_strength < their_strength
            findings.append(Finding(
                id="", kind="divergence", detail="obligation-weakened" if weaker else "obligation-strengthened",
                clause=mine.id, peers=(theirs.id,), severity=1 if weaker else 2, section=mine.section,
                message=render("obligation", mine=mine, theirs=theirs, mine_words=mine_words, their_words=their_words,
                               weaker=weaker, peer=theirs.doc),
                quotes=((mine_words, their_words),),
            ))
        ours, others = _numbers(mine.text), _numbers(theirs.text)
        if ours and others and ours != others:
            findings.append(Finding(
                id="", kind="divergence", detail="number-changed", clause=mine.id, peers=(theirs.id,), severity=1,
                section=mine.section,
                message=render("number", mine=mine, theirs=theirs, ours=sorted(ours), others=sorted(others), peer=theirs.doc),
                quotes=((", ".join(sorted(ours)), ", ".join(sorted(others))),),
            ))
    return findings


def find_drafting_problems(target: Document, render, settings: Settings) -> list[Finding]:
    """Returns problems inside the target itself: placeholders, editorial notes, duplicate numbers."""
    findings: list[Finding] = []
    seen_numbers: dict[tuple, Clause] = {}
    for clause in target.clauses:
        for m in _PLACEHOLDER.finditer(clause.text):
            findings.append(Finding(
                id="", kind="drafting", detail="placeholder", clause=clause.id, peers=(), severity=1,
                section=clause.section, message=render("placeholder", clause=clause, words=m.group(0)),
            ))
        for m in _EDITORIAL.finditer(clause.text):
            findings.append(Finding(
                id="", kind="drafting", detail="editorial-note", clause=clause.id, peers=(), severity=2,
                section=clause.section, message=render("editorial", clause=clause, words=m.group(0)),
            ))
        if clause.number:
            key = (clause.path[:-1], clause.number)
            if key in seen_numbers:
                findings.append(Finding(
                    id="", kind="drafting", detail="duplicate-number", clause=clause.id, peers=(), severity=2,
                    section=clause.section, message=render("duplicate", clause=clause, first=seen_numbers[key]),
                ))
            else:
                seen_numbers[key] = clause
    return findings


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"
