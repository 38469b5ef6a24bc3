"""What every reader's blocks go through: contents pages, page furniture, address blocks and
appended commentary removed; the document's own metadata (title, council, dates) picked out."""
from __future__ import annotations

import re
from dataclasses import replace

from ..model import Block, Metadata
from .metadata import extract_metadata

_PAGE_REF = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:-|–|of)\s*\d{1,4})?(?:\(\w\))?$", re.I)
_TRAILING_PAGE = re.compile(r"(?:\s*\.{3,}\s*|\s*\|\s*|\s+)(\d{1,3}(?:-\d{1,3})?)$")
_CONTENTS = re.compile(r"^(?:table of )?contents$|^index$", re.I)
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$")
_LEADING_NUMBER = re.compile(r"^(?:[-•·–]\s*)?(?:\(?\d+(?:\.\d+)*[.)]?|\(?[a-z]{1,4}[.)])\s+")
_PERSONAL = re.compile(r"\b(I|I'm|I've|you|your|we suggest|apologies)\b")


def _key(text: str) -> str:
    text = _LEADING_NUMBER.sub("", text.strip())
    text = _TRAILING_PAGE.sub("", text)
    return re.sub(r"[^a-z]", "", text.lower())


def drop_contents(blocks: list[Block]) -> list[Block]:
    """Returns the blocks without a contents page (its entries reappear later as headings)."""
    start = next((i for i, b in enumerate(blocks[:200]) if _CONTENTS.match(b.text.strip())), None)
    if start is None:
        return [b for b in blocks if not _is_leader_line(b.text)]
    first = next((b for b in blocks[start + 1:start + 20]
                  if len(_key(b.text)) > 2 and "page" not in b.text.lower() and not _PAGE_REF.match(b.text.strip())), None)
    end = None
    if first is not None:
        key = _key(first.text)
        seen_first = False
        for i in range(start + 1, len(blocks)):
            if _key(blocks[i].text) == key:
                if seen_first and not _trailing_page(blocks[i].text) and not _next_is_page_ref(blocks, i):
                    end = i
                    # a bare number line before the heading belongs to the body ("1." / "Introduction")
                    while end - 1 > start and _LEADING_NUMBER.sub("", blocks[end - 1].text.strip() + " ") == "":
                        end -= 1
                    break
                seen_first = True
    if end is None:  # no repeat found: drop only lines that look like entries
        end = start + 1
        while end < len(blocks) and (_trailing_page(blocks[end].text) or _PAGE_REF.match(blocks[end].text.strip())):
            end += 1
    return blocks[:start] + blocks[end:]


def _next_is_page_ref(blocks: list[Block], i: int) -> bool:
    return i + 1 < len(blocks) and bool(_PAGE_REF.match(blocks[i + 1].text.strip()))


def _trailing_page(text: str) -> bool:
    text = text.strip()
    return bool(re.search(r"(?:\.{3,}|\t| \| |\s{2,}|…+)\s*\d{1,3}$", text)) or (
        len(text) < 90 and bool(re.search(r"[A-Za-z]\s+\d{1,3}$", text)) and not text.endswith(".")
        and not re.search(r"\b(?:of|no\.?|section|part|article|para(?:graph)?|clause|act|regulations?)\s+\d+$", text, re.I))


def _is_leader_line(text: str) -> bool:
    return bool(re.search(r"\.{5,}\s*\d{1,3}$", text.strip()))


def _running_lines(blocks: list[Block]) -> set[str]:
    """Returns the keys of lines repeated on every page (a running header or footer): short, unnumbered,
    not list items, and met at least three times apart from one another."""
    seen: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        text = b.text.strip()
        if 3 <= len(text) <= 80 and b.kind != "heading" and not text.endswith((";", ",", ":")) \
                and not _LEADING_NUMBER.match(text + " "):
            seen.setdefault(_page_key(text), []).append(i)
    def beside_page_number(i: int) -> bool:
        return any(_PAGE_REF.match(b.text.strip()) for b in blocks[max(0, i - 2):i + 3] if b.text.strip())

    # a sub-heading used in several sections ("Reports") is not a running head: ask for a long line,
    # or one printed beside the page numbers
    return {key for key, at in seen.items() if len(at) >= 3 and min(b - a for a, b in zip(at, at[1:])) > 2
            and (len(key.split()) >= 4 or sum(beside_page_number(i) for i in at) >= 2)}


def _page_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def drop_furniture(blocks: list[Block]) -> list[Block]:
    """Returns the blocks without page numbers, running headers, image debris and address blocks."""
    kept: list[Block] = []
    running = _running_lines(blocks)
    for i, b in enumerate(blocks):
        text = b.text.strip()
        if b.kind == "image" or not text and not b.annotations:
            continue
        if running and _page_key(text) in running:
            continue
        # "5-58" alone, or after a stray number where a .docx or .pdf joined the two ("9.<tab>5-55")
        if re.match(r"^(?:\d+(?:\.\d+)*\.?\s+)?\d+\s*-\s*\d+(?:\(\w\))?$|^page\s+\d+(\s+of\s+\d+)?$", text, re.I):
            continue
        if re.fullmatch(r"\d{1,4}", text) and _only_furniture_follows(blocks, i):
            continue
        if _junk(text):
            continue
        kept.append(b)
    return _drop_address(kept)


def _only_furniture_follows(blocks: list[Block], i: int) -> bool:
    rest = [b.text.strip() for b in blocks[i + 1:i + 4] if b.text.strip()]
    return not rest or all(_PAGE_REF.match(t) or re.match(r"^\d+\s*-\s*\d+", t) for t in rest)


def _junk(text: str) -> bool:
    """Image debris such as «"o‘"&/’: short, and mostly symbols."""
    if len(text) > 30 or not text:
        return False
    symbols = sum(1 for ch in text if not ch.isalnum() and not ch.isspace())
    return symbols / len(text) > 0.3 and not re.match(r"^[-•·–*]+$", text) and not _LEADING_NUMBER.match(text + " ")


def _drop_address(blocks: list[Block]) -> list[Block]:
    """Drops a postal address block: short lines ending with a postcode."""
    for i, b in enumerate(blocks):
        if _POSTCODE.match(b.text.strip()):
            j = i
            while j > 0 and i - j < 6 and len(blocks[j - 1].text.split()) <= 4 and not re.search(r"[.:;]$", blocks[j - 1].text.strip()) \
                    and not _LEADING_NUMBER.match(blocks[j - 1].text.strip() + " "):
                j -= 1
            return _drop_address(blocks[:j] + blocks[i + 1:])
    return blocks


def split_commentary(blocks: list[Block]) -> tuple[list[Block], tuple[str, ...]]:
    """Returns the protocol's blocks and any reviewer's notes appended after its last provision.

    Notes are recognised by an unnumbered lead-in ending in a colon, after which the text speaks
    in the first or second person ("I suggested", "are you sure") and no numbered provision follows.
    """
    for i, b in enumerate(blocks):
        text = b.text.strip()
        if not text.endswith(":") or _LEADING_NUMBER.match(text + " ") or len(text.split()) > 8:
            continue
        rest = blocks[i + 1:]
        if not rest or any(re.match(r"^(?:[-•·–]\s*)?\d+(?:\.\d+)+\s", r.text.strip()) for r in rest):
            continue
        personal = sum(1 for r in rest if _PERSONAL.search(r.text))
        if personal >= 2 and personal >= len(rest) // 4:
            notes = tuple(n for r in rest for n in (r.text.strip(), *r.annotations) if n)
            return blocks[:i], (text, *b.annotations) + notes
    return blocks, ()


def tidy(blocks: tuple[Block, ...], fallback_title: str
         ) -> tuple[tuple[Block, ...], Metadata, tuple[str, ...], tuple[str, ...]]:
    """Returns clean blocks, metadata, appended commentary and the furniture set aside (contents
    entries, page numbers, image debris, address and control-table lines), whatever the format."""
    work = [replace(b, text=b.text.strip()) for b in blocks]
    furniture: list[str] = []
    work = _set_aside(work, drop_contents(work), furniture)
    work = _set_aside(work, drop_furniture(work), furniture)
    work, commentary = split_commentary(work)
    bullets = [re.match(r"[-•·–]\s*", note) for note in commentary]
    furniture += [m.group(0).strip() for m in bullets if m]  # the notes' own bullets, not their words
    commentary = tuple(note[m.end():] if m else note for note, m in zip(commentary, bullets))
    before = work
    work, metadata = extract_metadata(work, fallback_title)
    work = _set_aside(before, work, furniture)
    return tuple(work), metadata, commentary, tuple(furniture)


def _set_aside(before: list[Block], after: list[Block], furniture: list[str]) -> list[Block]:
    """Returns `after` with the balloons of dropped blocks moved to the block kept before them,
    adding the dropped text to `furniture` (so that nothing read is silently lost)."""
    kept = {id(b) for b in after}
    moved: dict[int, tuple[str, ...]] = {}
    anchor: int | None = None  # id of the last kept block
    waiting: tuple[str, ...] = ()
    for b in before:
        if id(b) in kept:
            anchor = id(b)
            if waiting:
                moved[anchor] = waiting + moved.get(anchor, ())
                waiting = ()
            continue
        if b.text.strip():
            furniture.append(b.text.strip())
        if b.annotations:
            if anchor is None:
                waiting += b.annotations
            else:
                moved[anchor] = moved.get(anchor, ()) + b.annotations
    if waiting:  # nothing kept after them either: keep the balloons as a block of their own
        return list(after) + [Block(text="", kind="note", annotations=waiting)]
    if not moved:
        return list(after)
    return [replace(b, annotations=b.annotations + moved[id(b)]) if id(b) in moved else b for b in after]
