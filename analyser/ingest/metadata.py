"""What a protocol says about itself: its title, its council, its version and the dates it was
adopted, last reviewed and is next to be reviewed (from a control table or labelled lines)."""
from __future__ import annotations

import re
from collections import Counter

from ..model import Block, Metadata

# the label a document prints before each value; the first that matches a line's start wins
_LABELS = (
    ("next_review", r"(?:next|due for|date of next)\s+review(?:\s+date)?(?:\s+due)?|review\s+(?:date|due)|to be reviewed(?:\s+by)?"),
    ("reviewed", r"(?:last\s+|date\s+)?reviewed(?:\s+(?:by|on))?|(?:date of\s+|last\s+)review"),
    ("adopted", r"(?:date\s+)?(?:first\s+)?(?:adopted|approved|ratified)(?:\s*(?:&|and)\s*(?:ratified|adopted))?(?:\s+(?:by|on|at))?"
                r"|date of (?:issue|adoption|approval)|approval date|issued(?:\s+on)?"),
    ("version", r"version(?:\s+(?:no\.?|number))?|control document|document version"),
)
_LABEL = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _LABELS), re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
                   rf"|\b{_MONTH},?\s+\d{{4}}\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b(?:19|20)\d{{2}}\b", re.I)
_VERSION = re.compile(r"\bv?\d+(?:\.\d+)*\b", re.I)
_NUMBERED = re.compile(r"^(?:[-•·–]\s*)?(?:\d+(?:\.\d+)*\.?|\(?[a-z]{1,4}[.)])\s+\w")
_COUNCIL = re.compile(r"((?:[A-Z][\w'’&-]*\s+){1,5}(?:Council|COUNCIL)|[A-Z][\w'’-]+\s+(?:MBC|BC|DC|CC))\b")
# words that make up "the Town Council" or "Full Council" without naming one
_GENERIC = {"the", "this", "that", "full", "a", "an", "each", "every", "any", "our", "its", "their", "of", "and", "town",
            "parish", "district", "county", "city", "borough", "metropolitan", "community", "local", "unitary", "whole",
            "executive", "cabinet", "standards", "by", "to", "at", "for", "in", "on", "with", "council", "mbc", "bc", "dc",
            "cc", "member", "members", "officer", "officers", "protocol", "relations", "between", "and/or", "or"}
_LEADING = {"the", "this", "that", "full", "a", "an", "each", "every", "any", "our", "of", "and", "by", "whole", "its"}
_FRONT_SKIP = re.compile(r"^(?:appendix|annex|annexe|schedule|part|attachment)\s+[\w.]+$|^(?:table of )?contents$|^draft$", re.I)


def read_labels(text: str) -> dict[str, str]:
    """Returns the labelled values a line opens with ("Adopted: May 2023 Reviewed: May 2025")."""
    text = text.replace(" | ", ": ")
    matches = [m for m in _LABEL.finditer(text) if m.start() == 0 or text[m.start() - 1] in " \t:|"]
    if not matches or matches[0].start() != 0:
        return {}
    values: dict[str, str] = {}
    for m, after in zip(matches, matches[1:] + [None]):
        raw = text[m.end():after.start() if after else len(text)].strip(" :-–—|\t.")
        name = m.lastgroup
        value = _value(name, raw)
        if value and name not in values:
            values[name] = value
    return values


def _value(name: str, raw: str) -> str:
    if name == "version":
        m = _VERSION.search(raw)
        return m.group(0) if m and len(raw) < 40 else ""
    m = _DATE.search(raw)
    if m:
        return m.group(0)
    return raw if 0 < len(raw) <= 40 and not raw.endswith(".") else ""


def extract_metadata(blocks: list[Block], fallback_title: str) -> tuple[list[Block], Metadata]:
    """Returns the blocks less a leading control table and labelled date lines, and the metadata."""
    values: dict[str, str] = {}
    kept: list[Block] = []
    first_numbered = next((i for i, b in enumerate(blocks) if b.number or _NUMBERED.match(b.text.strip())), len(blocks))
    for i, b in enumerate(blocks):
        text = b.text.strip()
        found = read_labels(text) if len(text) < 120 else {}
        for name, value in found.items():
            values.setdefault(name, value)
        cells = text.split(" | ")
        if i < first_numbered and b.kind == "row" and len(cells) == 2 and len(cells[0].split()) <= 4:
            continue  # a control-document table is metadata, not protocol text
        if found and i < first_numbered + 3:
            continue
        kept.append(b)
    council = _council(blocks[:40])
    return kept, Metadata(
        title=(_title(kept, council) or fallback_title)[:160],
        council=council,
        adopted=values.get("adopted", ""),
        reviewed=values.get("reviewed", ""),
        next_review=values.get("next_review", ""),
        version=values.get("version", ""),
    )


def _is_body(block: Block) -> bool:
    text = block.text.strip()
    return bool(block.number) or bool(_NUMBERED.match(text)) or len(text) > 100 or text.endswith((".", ";", ":"))


def _title(blocks: list[Block], council: str) -> str:
    """Returns the title: the first run of short lines before the body starts, less the council's
    name alone, 'Appendix 1', a contents heading, and a section heading that opens the body."""
    front = []
    for b in blocks[:15]:
        if _is_body(b):
            break
        front.append(b)
    following = blocks[len(front)] if len(front) < len(blocks) else None
    start = next((i for i, b in enumerate(front) if b.kind == "title"), 0)
    group: list[str] = []
    for i, b in enumerate(front[start:], start=start):
        text = re.sub(r"\s+", " ", b.text).strip()
        skip = (b.kind == "row" or len(text) < 2 or _FRONT_SKIP.match(text) or read_labels(text)
                or _same_name(text, council) or _DATE.fullmatch(text))
        # a short heading just before the body opens the body ("Introduction", "Preamble")
        opens_body = bool(group) and i + 1 == len(front) and len(text.split()) <= 3 and following is not None
        if skip or opens_body:
            if group:
                break
            continue
        group.append(text)
        if len(group) == 3:
            break
    return " ".join(group)


def _same_name(text: str, council: str) -> bool:
    return bool(council) and re.sub(r"\W", "", text.lower()) == re.sub(r"\W", "", council.lower())


def _council(blocks: list[Block]) -> str:
    """Returns the council a document names most often near its start ('' when it names none)."""
    names: Counter[str] = Counter()
    first: dict[str, int] = {}
    for i, b in enumerate(blocks):
        for m in _COUNCIL.finditer(b.text):
            words = m.group(1).split()
            while words and (not words[0][:1].isupper() or words[0].lower() in _LEADING):
                words = words[1:]
            if not words or all(re.sub(r"['’]s$", "", w.lower()) in _GENERIC for w in words):
                continue
            name = " ".join(words)
            if name.isupper():
                name = " ".join(w if w in ("MBC", "BC", "DC", "CC") else w.capitalize() for w in words)
            names[name] += 1
            first.setdefault(name, i)
    if not names:
        return ""
    return max(names, key=lambda n: (names[n], -first[n]))
