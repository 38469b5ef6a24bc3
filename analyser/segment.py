"""Segment: a document's blocks → a tree of clauses, cut where the document's own numbering cuts.

Every character of the blocks ends up in exactly one place: a clause's text, a clause's printed
marker, an annotation, or the document's furniture (stray numbers, line-end hyphens).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .model import Clause, Document
from .numbering import TERMINAL, Marker, is_roman, parse_marker
from .units import Unit, units_of

__all__ = ["segment", "parse_marker", "Marker"]

_DEFINITION = re.compile(r"^(?:[“\"‘']([\w][\w /’'-]{0,40}?)[”\"’']|([A-Z][\w /’'-]{0,40}?))\s+"
                         r"(?:includes?|means|refers? to|shall mean|shall include|has the meaning)\b")
# a lead-in or heading that opens a list of defined terms
_DEFINITIONS_LEAD = re.compile(r"\b(?:meanings?|definitions?|interpretation|defined|following terms|in this "
                               r"(?:protocol|article|part|section|code|document|constitution|schedule|guidance))\b", re.I)
_DEFINITIONS_HEADING = re.compile(r"^(?:definitions?|interpretation|meanings?|glossary|terms used|defined terms)"
                                  r"(?: and (?:definitions?|interpretation))?$", re.I)
# "This means that…" explains; it defines nothing
_NOT_A_TERM = re.compile(r"^(?:it|this|that|these|those|he|she|they|we|which|what|there|here|such|each|every|"
                         r"which|so|all|any)\b", re.I)
# a verb a heading does not have: "Councillors have three main areas…" is a provision, not a title
_FINITE = re.compile(r"\b(?:is|are|was|were|will|shall|must|may|should|can|could|would|has|have|means|includes?|does)\b")
_LEAD_IN_END = re.compile(r":\s*[-–]?$")
_LIST_GOES_ON = re.compile(r"(?:[;,]|[;,]\s*(?:and|or|and/or)|:\s*[-–]?)$")
_UNMARKED = "bullet?"  # the style of list items whose bullets the extractor lost


@dataclass(slots=True)
class Node:
    """Holds a clause while the tree is built: its rank (smaller holds larger) and its lists' styles."""

    id: str
    rank: int
    number: str | None
    label: str
    kind: str
    text: str = ""
    style: str = ""
    is_item: bool = False
    item_styles: list[str] = field(default_factory=list)
    last_token: dict[str, str] = field(default_factory=dict)
    paragraphs: int = 0
    bullets: int = 0
    rows: int = 0
    closes: bool = False  # an item that ends its list


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _reads_as_sentence(text: str) -> bool:
    """Whether a short line is a sentence that lost its full stop ("Councillors have three main areas")."""
    return not text.isupper() and not _title_case(text) and bool(_FINITE.search(text))


def _looks_like_heading(unit: Unit) -> bool:
    if unit.block.kind in ("heading", "title"):
        # a numbered line in a heading style may still be a provision that was set in bold
        return not (unit.marker.scheme == "decimal" and _reads_as_sentence(unit.text))
    if unit.block.kind != "paragraph" or unit.marker.scheme in ("item", "bullet"):
        return False
    text = re.sub(r"\[[^\]]*\]", "", unit.text).strip()
    if not text or text.endswith(TERMINAL) or len(text) > 100 or len(text.split()) > 12:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "“\"'‘"):
        return False
    if _reads_as_sentence(text):
        return False  # a sentence that lost its full stop, not a title
    return True


def _is_header_row(unit: Unit, following: Unit | None) -> bool:
    """Whether a row is the column titles of a table ("Members | Officers"): short capitalised cells
    with no full stop, and more rows after it."""
    if following is None or following.block.kind != "row":
        return False
    cells = [c.strip() for c in unit.text.split(" | ")]
    return all(c and len(c.split()) <= 4 and c[0].isupper() and not c.endswith(TERMINAL) for c in cells)


def _has_content_below(units: list[Unit], i: int) -> bool:
    """Whether something follows a numbered line that could sit under it (so it may be a heading)."""
    if i + 1 >= len(units):
        return False
    following = units[i + 1].marker
    return following.scheme not in ("decimal", "keyword", "section") or following.rank > units[i].marker.rank


class _Tree:
    """Builds the clause drafts one unit at a time, keeping the stack of open clauses and headings."""

    def __init__(self, doc: str, numbered_sections: bool) -> None:
        self.doc = doc
        self.numbered_sections = numbered_sections
        self.stack: list[Node] = []
        self.headings: list[tuple[int, str]] = []  # (rank, heading text)
        self.used: set[str] = set()
        self.drafts: list[dict] = []
        self.counter = {"p": 0, "h": 0, "s": 0}
        self.last: Node | None = None
        self.after_row = False  # whether the last unit was a table row

    # -- helpers ----------------------------------------------------------------------------
    def make_id(self, wanted: str) -> str:
        base = f"{self.doc}:{wanted}"
        if base not in self.used:
            self.used.add(base)
            return base
        n = 2
        while f"{base}~{n}" in self.used:
            n += 1
        self.used.add(f"{base}~{n}")
        return f"{base}~{n}"

    def pop_to(self, rank: int) -> None:
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()

    def pop_items(self) -> None:
        while self.stack and (self.stack[-1].is_item or self.stack[-1].kind == "definition" and self.stack[-1].number is None):
            self.stack.pop()

    def numbered(self) -> Node | None:
        return next((n for n in reversed(self.stack) if n.number and not n.is_item), None)

    def owner(self) -> Node:
        base = next((n for n in reversed(self.stack) if not n.is_item), None)
        if base is None:
            self.counter["s"] += 1
            base = Node(self.make_id(f"s{self.counter['s']}"), 9, None, "", "virtual")
            self.stack.append(base)
        return base

    def set_heading(self, rank: int, text: str) -> None:
        while self.headings and self.headings[-1][0] >= rank:
            self.headings.pop()
        self.headings.append((rank, text))

    def emit(self, node: Node, unit: Unit, text: str) -> None:
        parent = next((n.id for n in reversed(self.stack) if n is not node and n.kind != "virtual"), None)
        heading_path = tuple(h for _, h in self.headings)
        node.text = text
        self.last = node
        self.after_row = unit.block.kind == "row"
        self.drafts.append(dict(
            id=node.id, doc=self.doc, number=node.number, label=node.label, kind=node.kind, text=text,
            parent=parent, path=heading_path + ((node.number,) if node.number else ()),
            section=heading_path[0] if heading_path else "", original=unit.block.original,
            annotations=unit.annotations, marker=" ".join(unit.printed),
        ))

    def in_list(self, text: str) -> bool:
        """Whether `text` goes on a list: after a lead-in ending ':', an item ending ';', or an item that lost
        its bullet when this line, too, is one short sentence."""
        last = self.last
        if last is None or last.kind == "heading":
            return False
        if _LEAD_IN_END.search(last.text) or (last.is_item and _LIST_GOES_ON.search(last.text)):
            return True
        return last.style == _UNMARKED and not last.closes and _short_sentence(last.text) and _short_sentence(text)

    def in_definitions(self) -> bool:
        if any(_DEFINITIONS_HEADING.match(h.strip()) for _, h in self.headings):
            return True
        return any(n.kind == "definition" or (n.kind == "paragraph" and _DEFINITIONS_LEAD.search(n.text))
                   for n in self.stack[-3:])

    # -- one unit ---------------------------------------------------------------------------
    def add(self, unit: Unit, heading_allowed: bool, following: Unit | None = None) -> None:
        marker = unit.marker
        text = unit.text.strip()
        if marker.scheme in ("decimal", "keyword", "section"):
            self.add_numbered(unit, text, heading_allowed)
        elif marker.scheme == "item":
            self.add_item(unit, text)
        elif marker.scheme == "bullet" and following is not None and self.lost_letter(following.marker):
            self.add_bullet(unit, text, self.last.style)
        elif marker.scheme == "bullet":
            self.add_bullet(unit, text, self.bullet_style(f"bullet{marker.style}{unit.block.level or 0}"))
        elif unit.block.kind == "row":
            self.add_row(unit, text, header=_is_header_row(unit, following) and not self.after_row)
        elif self.definition(text):
            self.add_definition(unit, text, self.definition(text))
        elif unit.block.kind == "paragraph" and self.in_list(text) and not text.isupper():
            self.add_bullet(unit, text, self.unmarked_style())
        elif _looks_like_heading(unit):
            self.add_heading(unit, text, following)
        else:
            self.add_paragraph(unit, text)

    def add_numbered(self, unit: Unit, text: str, heading_allowed: bool) -> None:
        marker = unit.marker
        rank = marker.rank
        heading = (marker.scheme == "section" or heading_allowed) and _looks_like_heading(unit) and not text.endswith(":")
        self.pop_items()
        while self.stack and self.stack[-1].kind == "paragraph" and self.stack[-1].number is None:
            self.stack.pop()  # a numbered provision is never the item of an unnumbered lead-in
        self.pop_to(rank)
        kind = "heading" if heading else "definition" if self.numbered_definition(text) else "paragraph"
        node = Node(self.make_id(marker.token), rank, marker.token, marker.token, kind)
        self.stack.append(node)
        if heading:
            self.set_heading(rank, text)
        self.emit(node, unit, text)

    def numbered_definition(self, text: str) -> bool:
        """Whether a numbered paragraph defines a term ("1.2.4 Officer means…") under a definitions heading."""
        m = _DEFINITION.match(text)
        return bool(m and any(_DEFINITIONS_HEADING.match(h.strip()) for _, h in self.headings)
                    and (m.group(1) or not _NOT_A_TERM.match(m.group(2))))

    def item_label(self, base: Node, number: str, anchor: Node | None) -> str:
        # an item under a sub-heading or a defined term is cited through it ("4.1 Reports (a)")
        if (base.kind in ("heading", "definition") and base.number is None and anchor is not None
                and number.startswith(anchor.number or "")):
            return f"{base.label} {number[len(anchor.number or ''):]}"
        return number

    def add_item(self, unit: Unit, text: str) -> None:
        base = self.owner()
        level = _item_level(base, unit.marker, after_lead_in=self.last is not None and self.last.is_item
                            and bool(_LEAD_IN_END.search(self.last.text)), after_unmarked=self.after_unmarked(base))
        rank = base.rank + 1 + level
        self.pop_to(rank)
        parent_items = [n for n in self.stack if n.is_item and n.rank > base.rank and n.number]
        anchor = self.numbered()
        prefix = parent_items[-1].number if parent_items else (anchor.number if anchor else "")
        number = f"{prefix}({unit.marker.token})"
        node = Node(self.make_id(number), rank, number, self.item_label(base, number, anchor), "item", is_item=True,
                    style=base.item_styles[level])
        self.stack.append(node)
        self.emit(node, unit, text)

    def lost_letter(self, following: Marker | None) -> bool:
        """Whether a bullet stands between two lettered items of one list ("(c)", "- Such…", "(e)"): a
        letter lost in drafting, so the line sits beside them rather than under "(c)"."""
        last = self.last
        return (last is not None and last.is_item and last.number is not None and following is not None
                and following.scheme == "item" and not _LEAD_IN_END.search(last.text)
                and _style_of(following) == last.style)

    def bullet_style(self, style: str) -> str:
        """Returns the style a bullet files under: one level down after a bullet ending ':' ("to define
        roles so as:" / "- to clarify…,"), for as long as that sub-list runs on with ',', 'and', 'or'."""
        last = self.last
        if last is None or not last.is_item:
            return style
        if last.style == style and _LEAD_IN_END.search(last.text):
            return style + ">"
        if last.style == style + ">" and re.search(r"(?:,|\band|\bor)$", last.text):
            return style + ">"
        return style

    def after_unmarked(self, base: Node) -> bool:
        """Whether the last clause is an item of `base` whose marker was lost."""
        return (self.last is not None and self.last.is_item and _UNMARKED in base.item_styles
                and not _LEAD_IN_END.search(self.last.text))

    def unmarked_style(self) -> str:
        base = next((n for n in reversed(self.stack) if not n.is_item), None)
        last = self.last
        if (last is not None and last.is_item and base is not None and base.item_styles and last.rank > base.rank
                and not _LEAD_IN_END.search(last.text)):
            return base.item_styles[last.rank - base.rank - 1]  # a lost bullet in a list of bullets
        return _UNMARKED

    def add_bullet(self, unit: Unit, text: str, style: str) -> None:
        base = self.owner()
        level = _item_level(base, replace(unit.marker, style=style), after_unmarked=self.after_unmarked(base))
        rank = base.rank + 1 + level
        self.pop_to(rank)
        base.bullets += 1
        cite = f"{base.label}, bullet {base.bullets}" if base.label else f"bullet {base.bullets}"
        anchor = base.number or base.id.split(":", 1)[1]
        node = Node(self.make_id(f"{anchor}-b{base.bullets}"), rank, None, cite, "item", is_item=True,
                    style=base.item_styles[level])
        # "…;" then "Leadership… confidence.": the full stop ends a list that was running on semicolons
        node.closes = bool(self.last is not None and self.last.is_item and _LIST_GOES_ON.search(self.last.text)
                           and text.endswith("."))
        self.stack.append(node)
        self.emit(node, unit, text)

    def add_row(self, unit: Unit, text: str, header: bool) -> None:
        self.pop_to(999)
        while self.stack and self.stack[-1].is_item:
            self.stack.pop()  # a table after a list belongs to the provision, not to its last item
        base = next((n for n in reversed(self.stack) if not n.is_item and n.kind != "row"), None)
        if base is None:
            self.counter["p"] += 1
            anchor, cite = f"t{self.counter['p']}", "table"
        else:
            anchor, cite = base.number or base.id.split(":", 1)[1], base.label
        if header:  # the table's column titles: a heading of the table, not a provision
            node = Node(self.make_id(f"{anchor}-header"), 999, None, f"{cite}, table header".lstrip(", "), "heading")
        else:
            rows = (base.rows if base else 0) + 1
            if base is not None:
                base.rows = rows
            node = Node(self.make_id(f"{anchor}-r{rows}"), 999, None, f"{cite}, row {rows}".lstrip(", "), "row")
        self.emit(node, unit, text)

    def add_heading(self, unit: Unit, text: str, following: Unit | None = None) -> None:
        self.pop_items()
        if unit.block.kind == "title":  # the document's name: a clause, but no section of it
            self.counter["h"] += 1
            self.emit(Node(self.make_id(f"h{self.counter['h']}"), 0, None, text[:40], "heading"), unit, text)
            return
        top = self.numbered()
        inside_numbered = self.numbered_sections and top is not None and top.rank >= 20
        if inside_numbered and following is not None and following.marker.scheme in ("decimal", "keyword", "section") \
                and following.marker.rank <= top.rank:
            inside_numbered = False  # the next provision is 6.3's sibling: this heads a new section
        if unit.block.kind in ("heading", "title") and unit.block.level is not None:
            rank = 1 + unit.block.level if not inside_numbered else top.rank + 1
        elif inside_numbered and not text.isupper():
            rank = top.rank + 1  # a sub-heading inside a numbered paragraph ("Reports" under 4.1)
        else:
            rank = 10 if self.numbered_sections else 5  # beside numbered sections, or above flat paragraphs
        self.pop_to(rank)
        self.set_heading(rank, text)
        self.counter["h"] += 1
        label = f"{top.label} {text[:40]}" if inside_numbered and rank > top.rank else text[:40]
        node = Node(self.make_id(f"h{self.counter['h']}"), rank, None, label, "heading")
        self.stack.append(node)
        self.emit(node, unit, text)

    def definition(self, text: str) -> str:
        """Returns the term a line defines ("“Officer” includes…"), or "" when it defines none."""
        m = _DEFINITION.match(text)
        if m and (m.group(1) or (self.in_definitions() and not _NOT_A_TERM.match(m.group(2)))):
            return (m.group(1) or m.group(2)).strip()
        return ""

    def add_paragraph(self, unit: Unit, text: str) -> None:
        self.pop_items()
        while self.stack and self.stack[-1].kind == "paragraph" and self.stack[-1].number is None:
            self.stack.pop()  # the lead-in before us has had its list
        base = next((n for n in reversed(self.stack) if not n.is_item), None)
        if base is not None and base.kind == "virtual":
            self.stack.pop()
            base = next((n for n in reversed(self.stack) if not n.is_item), None)
        if base is not None:
            base.paragraphs += 1
            first_under_heading = base.kind == "heading" and base.paragraphs == 1
            count = base.paragraphs + (0 if base.kind == "heading" else 1)
            label = base.label if first_under_heading and base.number else f"{base.label} ¶{count}"
            anchor = base.number or base.id.split(":", 1)[1]
            node = Node(self.make_id(f"{anchor}-p{count}"), base.rank + 1, None, label, "paragraph")
        else:
            self.counter["p"] += 1
            node = Node(self.make_id(f"p{self.counter['p']}"), 99, None, f"¶{self.counter['p']}", "paragraph")
        if _LEAD_IN_END.search(text):
            self.stack.append(node)  # a lead-in is the parent of the items, terms or rows it introduces
        self.emit(node, unit, text)

    def add_definition(self, unit: Unit, text: str, term: str) -> None:
        self.pop_items()
        lead = self.stack[-1] if self.stack else None
        anchor = (lead.number or lead.id.split(":", 1)[1]) if lead else "d"
        slug = re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")
        label = f"{lead.label} “{term}”".strip() if lead else f"“{term}”"
        node = Node(self.make_id(f"{anchor}-{slug}"), (lead.rank if lead else 9) + 1, None, label, "definition")
        self.stack.append(node)  # items that follow belong to the term ("Policy Framework" means: (a) …)
        self.emit(node, unit, text)


def segment(document: Document, *, nlp=None) -> Document:
    """Returns the document with its clauses: one per numbered paragraph, item, definition,
    body paragraph, table row and heading, each knowing its parent, number path and headings."""
    from .normalise import split_sentences

    units, furniture, notes = units_of(document.blocks)
    numbered_sections = sum(1 for u in units if u.marker.scheme in ("decimal", "keyword") and u.marker.depth >= 2) >= 3
    tree = _Tree(document.id, numbered_sections)
    for i, unit in enumerate(units):
        tree.add(unit, heading_allowed=_has_content_below(units, i), following=units[i + 1] if i + 1 < len(units) else None)
    drafts = tree.drafts
    sentences = split_sentences([d["text"] for d in drafts], nlp=nlp)
    clauses = tuple(Clause(**d, sentences=s, order=i) for i, (d, s) in enumerate(zip(drafts, sentences)))
    return replace(document, clauses=clauses, furniture=document.furniture + tuple(furniture),
                   annotations=document.annotations + notes)


def _style_of(marker: Marker) -> str:
    """Returns an item's style as _item_level files it, without recording it."""
    if marker.style and marker.style[0] == "a" and is_roman(marker.token) and marker.token != "i" and len(marker.token) > 1:
        return "i" + marker.style[1:]
    return marker.style


def _short_sentence(text: str) -> bool:
    return len(text.split()) <= 40 and not re.search(r"[.;:?!]\s+[A-Z]", text)


def _item_level(base: Node, marker: Marker, after_unmarked: bool = False, after_lead_in: bool = False) -> int:
    """Returns how deep an item sits under its paragraph, from the order its style first appeared.

    "(i)" after "(h)" is the letter i, unless "(h)" ends with a colon; "(i)" elsewhere is roman, and so
    are "v" after "iv" and so on.
    A bulleted line among lines whose bullets were lost sits beside them, not under them.
    """
    style = marker.style
    token = marker.token
    if style and style[0] == "a" and is_roman(token):
        roman_style = "i" + style[1:]
        last_alpha = base.last_token.get(style)
        last_roman = base.last_token.get(roman_style)
        is_letter_next = (last_alpha is not None and len(last_alpha) == 1 and ord(token[0]) == ord(last_alpha) + 1
                          and len(token) == 1 and not (after_lead_in and token == "i" and last_roman is None))
        if (token == "i" and not is_letter_next) or (last_roman is not None and not is_letter_next) or (len(token) > 1 and not is_letter_next):
            style = roman_style
    if after_unmarked and style not in base.item_styles:
        style = _UNMARKED  # a marked line among lines that lost theirs sits beside them
    base.last_token[style] = token
    if style not in base.item_styles:
        base.item_styles.append(style)
    return base.item_styles.index(style)
