"""Units: a document's blocks → one unit per provision line, each with the numbering it was printed
with; bare numbers joined to their text, lines the extractor broke rejoined, stray numbers set aside."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .model import Block
from .numbering import Marker, is_roman, parse_marker

# a line that stops mid-phrase goes on in the next line, whatever that line starts with
# ("…members of the Cabinet, the" / "Overview and Scrutiny…"); "; and" ends a list item instead
_OPEN_END = re.compile(r"(?:\s(?:the|a|an|of|on|for|to|between|with|in|by|from|their|its|this|that|these|those|any|"
                       r"such|his|her|our|your|including|under|within|without|than)|(?<![;,:])\s(?:and|or|all))$", re.I)
_DETERMINER_END = re.compile(r"\s(?:the|a|an|their|its|his|her|our|your)$", re.I)
# a hyphen at a line's end that belongs to the word ("non-" / "elected"), not to the line break
_PREFIX_HYPHEN = re.compile(r"\b(?:non|co|self|ex|vice|semi|multi|cross|anti|pre|post|well|day-to|part|full|"
                            r"short|long|sub|inter|over|under|one|two|three|four|five|so)-$", re.I)
# Word's own list styles: the bullet is in the style, not the text
_LIST_STYLE = re.compile(r"^List (?:Bullet|Number|Continue|Paragraph)(?: (\d))?$", re.I)


@dataclass(slots=True)
class Unit:
    """Holds one provision line: its marker, the block it came from, its text and its printed markers."""

    marker: Marker
    block: Block
    text: str
    printed: list[str]  # the markers its lines were printed with, kept so nothing printed is lost

    @property
    def annotations(self) -> tuple[str, ...]:
        return self.block.annotations


def _with_notes(block: Block, notes: tuple[str, ...], before: bool = False) -> Block:
    if not notes:
        return block
    return replace(block, annotations=notes + block.annotations if before else block.annotations + notes)


def units_of(blocks: tuple[Block, ...]) -> tuple[list[Unit], list[str], tuple[str, ...]]:
    """Returns the units (one per provision line, wrapped lines rejoined), the furniture set aside
    (stray numbers, line-end hyphens) and any balloons that no text came with."""
    units: list[Unit] = []
    furniture: list[str] = []
    waiting: tuple[str, ...] = ()  # balloons met before any text
    pending: Unit | None = None  # a number printed alone on its line, waiting for its text
    for i, block in enumerate(blocks):
        if not block.text.strip():
            if pending is not None:
                pending.block = _with_notes(pending.block, block.annotations)
            elif units:
                units[-1].block = _with_notes(units[-1].block, block.annotations)
            else:
                waiting += block.annotations
            continue
        block, lone = _lone_marker_row(_with_notes(block, waiting, before=True))
        waiting = ()
        marker = parse_marker(block.text, block.number)
        list_style = _LIST_STYLE.match(block.style)
        if marker.scheme == "none" and list_style:  # Word's own bullets: in the style, not the text
            marker = Marker("bullet", "•", marker.rest, style="•")
            block = replace(block, level=int(list_style.group(1) or 1) - 1)
        printed = [p for p in (lone, marker.printed) if p]
        if pending is not None and _page_number_within(pending, units, marker):
            furniture.extend(pending.printed)  # "…necessary for the" / "12" / "proper discharge…"
            block = _with_notes(block, pending.block.annotations, before=True)
            pending = None
        if pending is not None:
            if marker.scheme == "none" and block.kind != "row":
                block = replace(_with_notes(block, pending.block.annotations, before=True),
                                kind=pending.block.kind if pending.block.kind == "heading" else block.kind)
                units.append(Unit(replace(pending.marker, rest=marker.rest), block, marker.rest, pending.printed + printed))
                pending = None
                continue
            furniture.extend(pending.printed)  # a stray number (e.g. "14." before "14.2")
            block = _with_notes(block, pending.block.annotations, before=True)
            pending = None
        if marker.scheme in ("decimal", "keyword", "section", "item") and not marker.rest and block.kind != "row":
            pending = Unit(marker, block, "", printed)
            continue
        previous = units[-1] if units else None
        if previous is not None and _continues(previous, block, marker, _next_marker(blocks, i)):
            rest = marker.rest
            broken_word = previous.text.endswith("-") and not previous.text.endswith(" -") and rest[:1].islower()
            if broken_word and _PREFIX_HYPHEN.search(previous.text):
                previous.text += rest  # "non-" / "elected"
            elif broken_word:
                furniture.append("-")  # "dis-" / "charge": a hyphen the line break put there
                previous.text = previous.text[:-1] + rest
            else:
                previous.text = f"{previous.text} {rest}"
            previous.printed += printed
            previous.block = _with_notes(previous.block, block.annotations)
            continue
        units.append(Unit(marker, block, marker.rest, printed))
    if pending is not None:
        furniture.extend(pending.printed)
        if units:
            units[-1].block = _with_notes(units[-1].block, pending.block.annotations)
        else:
            waiting += pending.block.annotations
    return units, furniture, waiting


def _page_number_within(pending: Unit, units: list[Unit], marker: Marker) -> bool:
    """Whether a bare number alone on its line falls inside a sentence: a page number."""
    return (pending.marker.scheme == "decimal" and pending.printed == [pending.marker.token] and "." not in pending.marker.token
            and marker.scheme == "none" and marker.rest[:1].islower() and bool(units)
            and not units[-1].text.endswith((".", ":", ";", "?", "!")))


def _lone_marker_row(block: Block) -> tuple[Block, str]:
    """Returns a "row" that is really a list marker and its text split by a tab ("I | Members' code…",
    "\uf0b7 | text") as a paragraph, with the marker cell set apart."""
    if block.kind != "row":
        return block, ""
    cells = block.text.split(" | ")
    first = cells[0].strip()
    if len(cells) != 2 or not first or len(first) > 2 or not cells[1].strip():
        return block, ""
    if len(first) == 1 and not first.isalnum():  # a bullet glyph in its own column
        return replace(block, kind="paragraph", text=f"{first} {cells[1].strip()}"), ""
    if first.isalpha() and (len(first) == 1 or is_roman(first)):
        return replace(block, kind="paragraph", text=cells[1].strip()), first
    return block, ""


def _next_marker(blocks: tuple[Block, ...], i: int) -> Marker | None:
    following = next((b for b in blocks[i + 1:] if b.text.strip()), None)
    return parse_marker(following.text, following.number) if following is not None else None


def _continues(previous: Unit, block: Block, marker: Marker, following: Marker | None) -> bool:
    """Whether a line goes on from the previous one (a paragraph or title wrapped by the extractor)."""
    if block.kind not in ("paragraph", "heading") or previous.block.kind != block.kind or block.number:
        return False
    if marker.scheme not in ("none", "bullet"):
        return False
    before, text = previous.text, marker.rest
    if not before or not text or before.endswith((".", ";", ":", "?", "!")):
        return False
    if marker.scheme == "bullet":  # "…without exception, the" / "- Chief Executive…": the bullet is residue
        return bool(_DETERMINER_END.search(before))
    if text[0].islower() or (before.endswith("-") and not before.endswith(" -")) or _OPEN_END.search(before):
        return True
    if before.count("(") > before.count(")") and ")" in text:  # "(including" / "Chairmen) have…"
        return True
    # an item broken mid-sentence, its list going on after the broken-off line
    return (previous.marker.scheme in ("item", "bullet") and following is not None
            and following.scheme == previous.marker.scheme and text.endswith((";", ",", ".")))
