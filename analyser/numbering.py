"""Numbering: what a line's printed marker is ("8.1", "(a)", "ii.", "Article 4", "IV.", "•") and how
deep it sits, whatever scheme the council uses."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

BULLETS = "-•·–▪■◦●○*o\uf0b7\uf0a7\uf076\uf0d8\u2023\u2043"
_BULLET = re.compile(r"^(?:(?:[-•·–▪■◦●○*\uf0b7\uf0a7\uf076\uf0d8\u2023\u2043]|o(?=\s))\s*)+")
# "1.2.1", "12.", "3.2(b)(ii)"; a number glued to a bracket is still a number
_DECIMAL = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(\.?)((?:\((?:[a-z]{1,2}|[ivxlc]{1,6}|\d{1,2})\))*)(?=\s|$)")
_KEYWORD = re.compile(r"^(Part|Chapter|Schedule|Article|Section|Paragraph|Para|Clause|Rule|Appendix|Annex|§)\.?\s*"
                      r"(\d{1,3}[A-Za-z]?(?:\.\d{1,3})*)\.?(?=\s|$|\(|:)", re.I)
_PAREN = re.compile(r"^\(([a-z]{1,2}|[ivxlc]{1,6}|\d{1,2}|[A-Z])\)(?=\s|$|\()")
_CLOSE = re.compile(r"^([a-z]{1,2}|[ivxlc]{1,6}|\d{1,2}|[A-Z])([.)])(?=\s|$)")
# "IV. WHEN THINGS GO WRONG", "B. Specific points": a roman or capital-letter section title
_SECTION = re.compile(r"^([IVXLC]{1,7}|[A-Z])([.):])\s+(?=\S)")
_ROMAN = re.compile(r"^(?=[ivxlc]+$)(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_NOT_A_NUMBER = re.compile(r"^\d{1,3}\s+(?:per ?cent|%|days?|weeks?|months?|years?|hours?|working|members?|councillors?)\b", re.I)
# ranks of keyword schemes, so that a Part holds its Articles and an Article its "3.1"s
KEYWORD_RANK = {"part": 4, "schedule": 4, "appendix": 4, "annex": 4, "chapter": 6, "article": 8, "section": 8}
SECTION_RANK = 5
TERMINAL = (".", ";", ":", ",", "?", "!", "—", "–", "-")


@dataclass(frozen=True, slots=True)
class Marker:
    """Holds the numbering a line starts with: its scheme, its token, what follows and the marker as printed."""

    scheme: str  # decimal | keyword | section | item | bullet | none
    token: str
    rest: str
    style: str = ""  # items: "a)", "(a)", "a.", "(i)", "i." …; bullets: the bullet character
    depth: int = 0  # decimal depth ("4.1" → 2)
    printed: str = ""  # the characters the marker took up ("- 1.2.1", "(a)", "Para 12")

    @property
    def rank(self) -> int:
        """Returns how high the marker sits (smaller holds larger): Part 4, IV. 5, Article 8, "4." 10, "4.1" 20."""
        if self.scheme == "keyword":
            return KEYWORD_RANK.get(self.style) or self.depth * 10
        if self.scheme == "section":
            return SECTION_RANK
        if self.scheme == "decimal":
            return self.depth * 10 + self.token.count("(")
        return 0


def parse_marker(text: str, docx_number: str | None = None) -> Marker:
    """Returns the numbering at the start of a line (or the number Word displays for it)."""
    if docx_number:
        shown = docx_number.strip()
        inner = parse_marker(shown + " x")
        if inner.scheme != "none":
            return replace(inner, rest=text.strip(), printed=shown)
        if shown and shown in BULLETS:
            return Marker("bullet", shown, text.strip(), style=shown, printed=shown)
        if shown:  # a number we cannot read ("Step 1:") is still printed before the text
            marker = parse_marker(text)
            return replace(marker, printed=f"{shown} {marker.printed}".strip())
    stripped = text.strip()
    marker = _parse(stripped)
    if marker.scheme == "none":
        return marker
    return replace(marker, printed=stripped[:len(stripped) - len(marker.rest)].strip() if marker.rest else stripped)


def _parse(text: str) -> Marker:
    m = _KEYWORD.match(text)
    if m:
        word = m.group(1)
        token = f"§ {m.group(2)}" if word == "§" else f"{word[:1].upper()}{word[1:].lower()} {m.group(2)}"
        rest = text[m.end():].lstrip(" :.–-\t")
        return Marker("keyword", token, rest, style=word.lower().rstrip("."), depth=m.group(2).count(".") + 1)
    m = _DECIMAL.match(text)
    if m and not _NOT_A_NUMBER.match(text):
        number = m.group(1)
        parts = number.split(".")
        while len(parts) > 1 and parts[-1] == "0":  # "1.0 Definitions" is section 1
            parts.pop()
        rest = text[m.end():].strip()
        bare_integer = "." not in number and not m.group(2) and not m.group(3)
        if bare_integer and rest and not (rest[:1].isupper() or rest.startswith("(")):
            return Marker("none", "", text)  # "20 working days…", "3 of the members…"
        return Marker("decimal", number + m.group(3), rest, depth=len(parts))
    m = _PAREN.match(text)
    if m:
        return Marker("item", m.group(1), text[m.end():].strip(), style=item_style(m.group(1), "()"))
    m = _SECTION.match(text)
    if m and (len(m.group(1)) == 1 or is_roman(m.group(1))) and _section_title(text[m.end():]):
        if not (m.group(1) in ("A", "I") and text[m.end():m.end() + 1].islower()):
            return Marker("section", m.group(1), text[m.end():].strip(), style=f"{m.group(1)}{m.group(2)}")
    m = _CLOSE.match(text)
    if m and not (m.group(1) in ("A", "I") and m.group(2) == "." and len(text) > 3 and text[3:4].islower()):
        token = m.group(1)
        if not (token.isupper() and m.group(2) == ")" and len(token) > 1):
            return Marker("item", token, text[m.end():].strip(), style=item_style(token, m.group(2)))
    m = _BULLET.match(text)
    if m and len(text) > m.end():
        inner = _parse(text[m.end():])
        if inner.scheme in ("decimal", "keyword", "item"):
            return inner
        glyph = m.group(0).strip()[:1]  # "- ·": the first glyph sets the list, the rest is residue
        return Marker("bullet", glyph, text[m.end():].strip(), style=glyph)
    return Marker("none", "", text)


def _section_title(text: str) -> bool:
    """Whether the words after "IV." read as a section title (short, no full stop) rather than a provision."""
    text = text.strip()
    return bool(text) and len(text.split()) <= 10 and not text.endswith(TERMINAL) and text[:1].isupper()


def item_style(token: str, punct: str) -> str:
    """Returns the style of an item marker: its kind ("a", "A", "1") then its punctuation ("a()", "a)", "1.")."""
    if token.isdigit():
        kind = "1"
    elif token.isupper():
        kind = "A"
    else:
        kind = "a"
    return f"{kind}{punct}"


def is_roman(token: str) -> bool:
    """Returns whether a token is a roman numeral (either case)."""
    return bool(token) and bool(_ROMAN.match(token.lower()))
