"""Segment: a document's blocks → a tree of clauses, cut where the document's own numbering cuts."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .model import Block, Clause, Document

BULLET = r"[-•·–▪■◦●○*]|o(?=\s)"
_BULLET = re.compile(rf"^(?:{BULLET})\s*")
_DECIMAL = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(\.?)(?=\s|$|\()")
_KEYWORD = re.compile(r"^(Part|Chapter|Schedule|Article|Section|Paragraph|Para|Clause|Rule|§)\s*(\d{1,3}[A-Za-z]?(?:\.\d{1,3})*)\.?(?=\s|$|\(|:)", re.I)
_PAREN = re.compile(r"^\(([a-z]{1,2}|[ivxlc]{1,6}|\d{1,2}|[A-Z])\)(?=\s|$|\()")
_CLOSE = re.compile(r"^([a-z]{1,2}|[ivxlc]{1,6}|\d{1,2}|[A-Z])([.)])(?=\s|$)")
_ROMAN = re.compile(r"^(?=[ivxlc]+$)(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_DEFINITION = re.compile(r"^(?:[“\"‘']([\w][\w /’'-]{0,40}?)[”\"’']|([A-Z][\w /’'-]{0,40}?))\s+(?:includes?|means|refers? to|shall mean|has the meaning)\b")
_KEYWORD_RANK = {"part": 4, "schedule": 4, "chapter": 6, "article": 8, "section": 8}
_TERMINAL = (".", ";", ":", ",", "?", "!", "—", "–", "-")


@dataclass(frozen=True, slots=True)
class Marker:
    """Holds the numbering a line starts with: its scheme, printed token and what follows it."""

    scheme: str  # decimal | keyword | item | bullet | none
    token: str
    rest: str
    style: str = ""  # for items: "(a)", "a)", "a.", "(i)", "i." …; for bullets the bullet char
    depth: int = 0  # decimal depth ("4.1" → 2)


def parse_marker(text: str, docx_number: str | None = None) -> Marker:
    """Returns the numbering at the start of a line (or the number Word displays for it)."""
    if docx_number:
        inner = parse_marker(docx_number.strip() + " x")
        if inner.scheme != "none":
            return replace(inner, rest=text.strip())
        if docx_number.strip() in "-•·–▪■◦●○*o":
            return Marker("bullet", docx_number.strip(), text.strip(), style=docx_number.strip())
    text = text.strip()
    m = _KEYWORD.match(text)
    if m:
        word = m.group(1)
        return Marker("keyword", f"{word} {m.group(2)}" if word != "§" else f"§ {m.group(2)}", text[m.end():].strip(" :.–-"),
                      style=word.lower().rstrip("."), depth=m.group(2).count(".") + 1)
    m = _DECIMAL.match(text)
    if m and not re.match(r"^\d{1,3}\s+(?:per ?cent|%|days?|weeks?|months?|years?|hours?|working)\b", text, re.I):
        token = m.group(1)
        parts = token.split(".")
        while len(parts) > 1 and parts[-1] == "0":  # "1.0 Definitions" is section 1
            parts.pop()
        rest = text[m.end():].strip()
        bare_integer = "." not in token and not m.group(2)
        if bare_integer and rest and not (rest[:1].isupper() or rest.startswith("(")):
            return Marker("none", "", text)  # "20 working days…", "3 of the members…"
        return Marker("decimal", token, rest, depth=len(parts))
    m = _PAREN.match(text)
    if m:
        return Marker("item", m.group(1), text[m.end():].strip(), style=_item_style(m.group(1), "()"))
    m = _CLOSE.match(text)
    if m and not (m.group(1) in ("A", "I") and m.group(2) == "." and len(text) > 3 and text[3:4].islower()):
        token = m.group(1)
        if not (token.isupper() and m.group(2) == ")" and len(token) > 1):
            return Marker("item", token, text[m.end():].strip(), style=_item_style(token, m.group(2)))
    m = _BULLET.match(text)
    if m and len(text) > m.end():
        inner = parse_marker(text[m.end():])
        if inner.scheme in ("decimal", "keyword", "item"):
            return inner
        return Marker("bullet", m.group(0).strip(), text[m.end():].strip(), style=m.group(0).strip())
    return Marker("none", "", text)


def _item_style(token: str, punct: str) -> str:
    if token.isdigit():
        kind = "1"
    elif token.isupper():
        kind = "A"
    else:
        kind = "a"
    return f"{kind}{punct}"


def _is_roman(token: str) -> bool:
    return bool(token) and bool(_ROMAN.match(token.lower()))


# ---------------------------------------------------------------------------------------------
# Step 1: lines → units (bare numbers joined to their text, wrapped lines rejoined)


@dataclass(slots=True)
class Unit:
    marker: Marker
    block: Block
    text: str

    @property
    def annotations(self) -> tuple[str, ...]:
        return self.block.annotations


def _units(blocks: tuple[Block, ...]) -> list[Unit]:
    units: list[Unit] = []
    pending: Unit | None = None  # a number printed alone on its line, waiting for its text
    for block in blocks:
        if block.kind in ("note", "image") and not block.text:
            if units:
                units[-1].block = replace(units[-1].block, annotations=units[-1].block.annotations + block.annotations)
            continue
        marker = parse_marker(block.text, block.number)
        if pending is not None:
            if marker.scheme == "none" and block.kind != "row":
                block = replace(block, annotations=pending.block.annotations + block.annotations,
                                kind=pending.block.kind if pending.block.kind == "heading" else block.kind)
                units.append(Unit(replace(pending.marker, rest=marker.rest), block, marker.rest))
                pending = None
                continue
            pending = None  # a stray number (e.g. "14." before "14.2"): furniture
        if marker.scheme in ("decimal", "keyword", "item") and not marker.rest and block.kind != "row":
            pending = Unit(marker, block, "")
            continue
        previous = units[-1] if units else None
        if (previous is not None and marker.scheme == "none" and block.kind == "paragraph"
                and previous.block.kind == "paragraph" and _continues(previous.text, marker.rest)):
            previous.text = f"{previous.text.rstrip('-') if previous.text.endswith('-') and not previous.text.endswith(' -') else previous.text + ' '}{marker.rest}".strip()
            previous.block = replace(previous.block, annotations=previous.block.annotations + block.annotations)
            continue
        units.append(Unit(marker, block, marker.rest))
    return units


def _continues(previous: str, text: str) -> bool:
    """Whether a line goes on from the previous one (a paragraph wrapped by the extractor)."""
    if not previous or not text or previous.endswith((".", ";", ":", "?", "!")):
        return False
    return text[0].islower() or previous.endswith("-")


# ---------------------------------------------------------------------------------------------
# Step 2: units → clause tree


@dataclass(slots=True)
class Node:
    id: str
    rank: int
    number: str | None
    label: str
    kind: str
    is_item: bool = False
    item_styles: list[str] = field(default_factory=list)
    last_token: dict[str, str] = field(default_factory=dict)
    paragraphs: int = 0
    bullets: int = 0


def _looks_like_heading(unit: Unit) -> bool:
    if unit.block.kind in ("heading", "title"):
        return True
    if unit.block.kind != "paragraph" or unit.marker.scheme in ("item", "bullet"):
        return False
    text = re.sub(r"\[[^\]]*\]", "", unit.text).strip()
    if not text or text.endswith(_TERMINAL) or len(text) > 100 or len(text.split()) > 12:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "“\"'‘"):
        return False
    return True


def segment(document: Document, *, nlp=None) -> Document:
    """Returns the document with its clauses: one per numbered paragraph, item, definition,
    body paragraph, table row and heading, each knowing its parent, number path and headings."""
    from .normalise import split_sentences

    units = _units(document.blocks)
    doc = document.id
    numbered_sections = sum(1 for u in units if u.marker.scheme in ("decimal", "keyword") and u.marker.depth >= 2) >= 3
    stack: list[Node] = []
    headings: list[tuple[int, str]] = []  # (rank, heading text)
    used: set[str] = set()
    drafts: list[dict] = []
    counter = {"p": 0, "h": 0}

    def make_id(wanted: str) -> str:
        base = f"{doc}:{wanted}"
        if base not in used:
            used.add(base)
            return base
        n = 2
        while f"{base}~{n}" in used:
            n += 1
        used.add(f"{base}~{n}")
        return f"{base}~{n}"

    def pop_to(rank: int) -> None:
        while stack and stack[-1].rank >= rank:
            stack.pop()

    def numbered() -> Node | None:
        return next((n for n in reversed(stack) if n.number and not n.is_item), None)

    def pop_items() -> None:
        while stack and stack[-1].is_item:
            stack.pop()

    def owner() -> Node | None:
        for node in reversed(stack):
            if not node.is_item:
                return node
        return None

    def emit(node: Node, unit: Unit, text: str, kind: str) -> None:
        parent = next((n.id for n in reversed(stack) if n is not node), None)
        heading_path = tuple(h for _, h in headings)
        drafts.append(dict(
            id=node.id, doc=doc, number=node.number, label=node.label, kind=kind, text=text,
            parent=parent, path=heading_path + ((node.number,) if node.number else ()),
            section=heading_path[0] if heading_path else "", original=unit.block.original,
            annotations=unit.annotations,
        ))

    for unit in units:
        marker = unit.marker
        text = unit.text.strip()
        if marker.scheme in ("decimal", "keyword"):
            rank = _KEYWORD_RANK.get(marker.style, 0) if marker.scheme == "keyword" else 0
            rank = rank or marker.depth * 10
            number = marker.token
            heading = _looks_like_heading(unit) and not unit.text.endswith(":")
            pop_items()
            pop_to(rank)
            node = Node(make_id(number), rank, number, number, "heading" if heading else "paragraph")
            stack.append(node)
            if heading:
                while headings and headings[-1][0] >= rank:
                    headings.pop()
                headings.append((rank, text))
            emit(node, unit, text, node.kind)
            continue
        if marker.scheme == "item":
            base = owner()
            if base is None:
                base = Node(make_id(f"s{len(drafts)}"), 9, None, "", "virtual")
                stack.append(base)
            level = _item_level(base, marker)
            rank = base.rank + 1 + level
            pop_to(rank)
            parent_items = [n for n in stack if n.is_item and n.rank > base.rank and n.number]
            anchor_node = numbered()
            prefix = parent_items[-1].number if parent_items else (anchor_node.number if anchor_node else "")
            number = f"{prefix}({marker.token})" if prefix else f"({marker.token})"
            node = Node(make_id(number), rank, number, number, "item", is_item=True)
            stack.append(node)
            emit(node, unit, text, "item")
            continue
        if marker.scheme == "bullet":
            base = owner()
            if base is None:
                base = Node(make_id(f"s{len(drafts)}"), 9, None, "", "virtual")
                stack.append(base)
            style = f"bullet{marker.style}{unit.block.level or 0}"
            level = _item_level(base, replace(marker, style=style))
            rank = base.rank + 1 + level
            pop_to(rank)
            base.bullets += 1
            cite = f"{base.label}, bullet {base.bullets}" if base.label else f"bullet {base.bullets}"
            anchor = base.number or base.id.split(":", 1)[1]
            node = Node(make_id(f"{anchor}-b{base.bullets}"), rank, None, cite, "item", is_item=True)
            stack.append(node)
            emit(node, unit, text, "item")
            continue
        if unit.block.kind == "row":
            base = owner()
            counter["p"] += 1
            node = Node(make_id(f"r{counter['p']}"), 999, None, f"{base.label + ', ' if base and base.label else ''}row", "row")
            pop_to(999)
            emit(node, unit, text, "row")
            continue
        if _looks_like_heading(unit):
            pop_items()
            top = numbered()
            inside_numbered = numbered_sections and top is not None and top.rank >= 20
            if unit.block.kind in ("heading", "title") and unit.block.level is not None:
                rank = 1 + unit.block.level if not inside_numbered else top.rank + 1
            elif inside_numbered and not text.isupper():
                rank = top.rank + 1  # a sub-heading inside a numbered paragraph ("Reports" under 4.1)
            else:
                rank = 10 if numbered_sections else 5  # beside numbered sections, or above flat paragraphs
            pop_to(rank)
            while headings and headings[-1][0] >= rank:
                headings.pop()
            headings.append((rank, text))
            counter["h"] += 1
            node = Node(make_id(f"h{counter['h']}"), rank, None, text[:40], "heading")
            stack.append(node)
            emit(node, unit, text, "heading")
            continue
        # an unnumbered body paragraph, or a defined term in an interpretation clause
        definition = _DEFINITION.match(text)
        lead_in = stack[-1] if stack else None
        if definition and lead_in is not None and (lead_in.kind == "paragraph" or lead_in.kind == "heading"):
            anchor = lead_in.number or lead_in.id.split(":", 1)[1]
            term = (definition.group(1) or definition.group(2)).strip()
            node = Node(make_id(f"{anchor}-{re.sub(r'[^a-z0-9]+', '-', term.lower()).strip('-')}"),
                        lead_in.rank + 1, None, f"{lead_in.label} “{term}”".strip(), "definition")
            emit(node, unit, text, "definition")
            continue
        while stack and stack[-1].is_item:
            stack.pop()
        base = owner()
        if base is not None and base.kind == "virtual":
            stack.pop()
            base = owner()
        if base is not None:
            base.paragraphs += 1
            first_under_heading = base.kind == "heading" and base.paragraphs == 1
            count = base.paragraphs + (0 if base.kind == "heading" else 1)
            label = base.label if first_under_heading and base.number else f"{base.label} ¶{count}"
            anchor = base.number or base.id.split(":", 1)[1]
            node = Node(make_id(f"{anchor}-p{count}"), base.rank + 1, None, label, "paragraph")
        else:
            counter["p"] += 1
            node = Node(make_id(f"p{counter['p']}"), 99, None, f"¶{counter['p']}", "paragraph")
        emit(node, unit, text, "paragraph")

    sentences = split_sentences([d["text"] for d in drafts], nlp=nlp)
    clauses = tuple(Clause(**d, sentences=s, order=i) for i, (d, s) in enumerate(zip(drafts, sentences)))
    return replace(document, clauses=clauses)


def _item_level(base: Node, marker: Marker) -> int:
    """Returns how deep an item sits under its paragraph, from the order its style first appeared.

    "(i)" after "(h)" is the letter i; "(i)" elsewhere is roman, and so are "v" after "iv" and so on.
    """
    style = marker.style
    token = marker.token
    if style and style[0] == "a" and _is_roman(token):
        roman_style = "i" + style[1:]
        last_alpha = base.last_token.get(style)
        last_roman = base.last_token.get(roman_style)
        is_letter_next = last_alpha is not None and len(last_alpha) == 1 and ord(token[0]) == ord(last_alpha) + 1 and len(token) == 1
        if (token == "i" and not is_letter_next) or (last_roman is not None and not is_letter_next) or (len(token) > 1 and not is_letter_next):
            style = roman_style
    base.last_token[style] = token
    if style not in base.item_styles:
        base.item_styles.append(style)
    return base.item_styles.index(style)
