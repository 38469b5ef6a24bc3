"""Drafting: problems inside one document, whatever its peers say: placeholder references, notes
and comments left in, garbled or duplicate numbering, cross-references to paragraphs that do not
exist, and a review date that has passed."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .model import Clause, Document

_PLACEHOLDER = re.compile(
    r"\b(?:Part|Article|Section|Chapter|paragraph|para|standing order|appendix|annex|schedule|clause|rule)\s*\?"
    r"|\[\s*[\d.]+\s*\?\s*\]|\bX{2,}\b|\[\s*(?:TBC|TBA|TBD|insert[^\]]*|\.{2,}|…)\s*\]", re.I)
# a bracketed aside that is a question or a drafter's note, not a defined term or a citation
_EDITORIAL = re.compile(r"\[[^\]]*(?:\?|\bnote\b|\bcheck\b|\bto be (?:included|confirmed|added|agreed|decided)\b|"
                        r"\bquery\b|\bconfirm\b|\bdelete\b)[^\]]*\]", re.I)
_COMMENT = re.compile(r"^\s*Comment\s*\[[^\]]*\]\s*:\s*(?P<text>.+)", re.I)
# "paragraph 7.2.5", "Sections 8.2.1 and 8.2.2", "see 4.3 above": a reference to this document's own
# numbering; "section 100A of the Act" points elsewhere and is left alone
_REFERENCE = re.compile(
    r"\b(?:paragraphs?|paras?\.?|sections?|clauses?|provisions of|see|in|at)\s+"
    r"(?P<first>\d+(?:\.\d+)+|\d+(?=\s+(?:above|below)))(?P<more>(?:\s*(?:,|and|or|to|-|–)\s*\d+(?:\.\d+)+)*)"
    r"(?!\s*(?:of|to the|\w*\s+Act)\b)", re.I)
_MONTHS = {m: i for i, m in enumerate(("january february march april may june july august september october "
                                        "november december").split(), start=1)}
_DATE = re.compile(r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+)?(?P<month>[A-Za-z]+)\s+(?P<year>(?:19|20)\d\d)"
                   r"|(?P<d2>\d{1,2})[/.](?P<m2>\d{1,2})[/.](?P<y2>(?:19|20)?\d\d)|(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d)"
                   r"|\b(?P<y4>(?:19|20)\d\d)\b")


@dataclass(frozen=True, slots=True)
class Problem:
    """Holds one drafting problem: the clause it sits in (None for the document as a whole), a
    machine tag, the words at fault and, where there is one, what the drafter probably meant."""

    clause: Clause | None
    detail: str
    words: str
    expected: str = ""


def find_problems(document: Document, *, today: date) -> list[Problem]:
    """Returns every drafting problem in the document, in document order."""
    found: list[Problem] = []
    for clause in document.clauses:
        found += [Problem(clause, "placeholder", m.group(0).strip()) for m in _PLACEHOLDER.finditer(clause.text)]
        placeholders = {m.span() for m in _PLACEHOLDER.finditer(clause.text)}
        for m in _EDITORIAL.finditer(clause.text):
            if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in placeholders):
                found.append(Problem(clause, "editorial-note", m.group(0)))
        for note in clause.annotations:
            m = _COMMENT.match(note)
            text = m.group("text").strip() if m else ""
            # a balloon split across lines reaches us twice, once cut short: keep the full one
            if text and not any(p.detail == "comment-left" and p.words.startswith(text) for p in found):
                found = [p for p in found if not (p.detail == "comment-left" and text.startswith(p.words))]
                found.append(Problem(clause, "comment-left", text))
    found += numbering_problems(document)
    found += broken_references(document)
    overdue = review_overdue(document, today=today)
    if overdue:
        found.append(overdue)
    return found


def _parts(number: str) -> list[str] | None:
    return number.split(".") if re.fullmatch(r"\d+(?:\.\d+)*", number or "") else None


def _is_residue(actual: str, expected: str) -> bool:
    """Whether a printed number part reads as the expected one with a deleted number left beside it
    (tracked-change residue: "8.1.24" where 8.1.4 is due, the old 2 kept in)."""
    if len(actual) <= len(expected) or actual == expected:
        return False
    it = iter(actual)
    return all(ch in it for ch in expected)


def numbering_problems(document: Document) -> list[Problem]:
    """Returns numbers used twice and numbers garbled by tracked-change residue, read against the
    sequence of their siblings."""
    found: list[Problem] = []
    seen: dict[str, Clause] = {}
    last: dict[tuple[str, ...], int] = {}  # parent number → the (corrected) last child number
    for clause in document.clauses:
        parts = _parts(clause.number or "")
        if not parts:
            continue
        if clause.number in seen and clause.kind != "heading" and seen[clause.number].kind != "heading":
            found.append(Problem(clause, "duplicate-number", clause.number, seen[clause.number].label))
        seen.setdefault(clause.number, clause)
        parent = tuple(parts[:-1])
        expected = last.get(parent, 0) + 1
        value = parts[-1]
        if value != str(expected) and value != "0" and _is_residue(value, str(expected)):
            found.append(Problem(clause, "garbled-number", clause.number, ".".join((*parent, str(expected)))))
            last[parent] = expected
        elif value.isdigit():
            last[parent] = int(value)
    return found


def _known_numbers(document: Document) -> set[str]:
    known = set()
    for c in document.clauses:
        if c.number and _parts(c.number):
            known.add(c.number)
            known.add(re.sub(r"\.0$", "", c.number))
            parts = c.number.split(".")
            for k in range(1, len(parts)):
                known.add(".".join(parts[:k]))
    return known


def broken_references(document: Document) -> list[Problem]:
    """Returns cross-references to paragraphs this document does not have."""
    known = _known_numbers(document)
    if not any("." in n for n in known):
        return []
    top = max((int(n.split(".")[0]) for n in known if n.split(".")[0].isdigit()), default=0)
    found = []
    for clause in document.clauses:
        for m in _REFERENCE.finditer(clause.text):
            numbers = [m.group("first")] + re.findall(r"\d+(?:\.\d+)+", m.group("more") or "")
            for number in numbers:
                if number == clause.number or int(number.split(".")[0]) > top:
                    continue
                if number not in known and re.sub(r"\.0$", "", number) not in known:
                    found.append(Problem(clause, "broken-reference", number))
    return found


def parse_date(text: str) -> date | None:
    """Returns the date a document prints ("March 2018", "1 April 2024", "01/04/2024"); a month or
    a year alone means its last day, the latest moment the text allows."""
    m = _DATE.search(text or "")
    if not m:
        return None
    try:
        if m.group("year"):
            name = m.group("month").lower()
            month = next((v for k, v in _MONTHS.items() if len(name) >= 3 and k.startswith(name[:3])), None)
            if month is None:
                return date(int(m.group("year")), 12, 31)
            day = int(m.group("day")) if m.group("day") else _last_day(int(m.group("year")), month)
            return date(int(m.group("year")), month, day)
        if m.group("y2"):
            year = int(m.group("y2"))
            return date(year + 2000 if year < 100 else year, int(m.group("m2")), int(m.group("d2")))
        if m.group("y3"):
            return date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
        return date(int(m.group("y4")), 12, 31)
    except ValueError:
        return None


def _last_day(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date.resolution).day


def review_overdue(document: Document, *, today: date) -> Problem | None:
    """Returns a problem when the document's own next review date has passed."""
    due = parse_date(document.metadata.next_review)
    if due is not None and due < today:
        return Problem(None, "review-overdue", document.metadata.next_review.strip(), today.isoformat())
    return None
