"""Word's automatic numbering: the number a paragraph displays, computed from numbering.xml.

A paragraph numbered through `w:numPr` (its own, or its style's) holds no number in its text; Word
draws one from the list definition. This module keeps the counters Word keeps and formats them with
each level's `lvlText` ("%1.%2", "(%3)") and number format.
"""
from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# bullets drawn from symbol fonts use private-use code points; report them as a plain bullet
_BULLET_GLYPHS = {"\uf0b7", "\uf0a7", "\uf076", "\uf0d8", "\uf0fc", "\uf0a8", "\uf06e", "\uf0e0", "\u2022", "\u25aa",
                  "\u25cf", "\u25e6", "\u2013", "-", "o", "\u00b7", "\u25a0", "\u27a2"}


@dataclass(frozen=True, slots=True)
class Level:
    """Holds one level of a list definition: its start, format, pattern and restart rule."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False  # w:isLgl: show every level's counter as a decimal


@dataclass(slots=True)
class Numbering:
    """Holds a document's list definitions and the running counters, in document order."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    overrides: dict[str, dict[int, Level | int]] = field(default_factory=dict)  # numId → level → Level or start
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    style_links: dict[str, str] = field(default_factory=dict)  # abstractNumId → list style it defers to

    def resolve_style_links(self, style_nums: dict[str, str]) -> None:
        """Gives a definition that defers to a list style (w:numStyleLink) that style's levels."""
        for abstract_id, style_id in self.style_links.items():
            target = self.nums.get(style_nums.get(style_id, ""), "")
            if target and target != abstract_id and self.abstract.get(target):
                self.abstract[abstract_id] = self.abstract[target]
                # the lists share one sequence of numbers, as in Word
                for num_id, abstract in list(self.nums.items()):
                    if abstract == abstract_id:
                        self.nums[num_id] = target

    def levels(self, num_id: str) -> dict[int, Level]:
        """Returns the levels a numbering instance uses, overrides applied."""
        levels = dict(self.abstract.get(self.nums.get(num_id, ""), {}))
        for ilvl, override in self.overrides.get(num_id, {}).items():
            if isinstance(override, Level):
                levels[ilvl] = override
            elif ilvl in levels:
                levels[ilvl] = Level(override, levels[ilvl].fmt, levels[ilvl].text, levels[ilvl].restart, levels[ilvl].legal)
        return levels

    def next_number(self, num_id: str, ilvl: int) -> str | None:
        """Returns the number Word displays for the next paragraph of this list at this level."""
        if num_id in ("", "0") or num_id not in self.nums:
            return None
        levels = self.levels(num_id)
        if ilvl not in levels:
            return None
        # instances of one definition share their counters, unless an override restarts them
        key = f"num:{num_id}" if num_id in self.overrides else f"abs:{self.nums[num_id]}"
        counts = self.counters.setdefault(key, [None] * 9)
        level = levels[ilvl]
        counts[ilvl] = level.start if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            rule = levels[deeper].restart if deeper in levels else None
            if rule is None or (rule != 0 and ilvl <= rule - 1):
                counts[deeper] = None
        if level.fmt == "bullet":
            glyph = level.text.strip()
            return "•" if not glyph or glyph in _BULLET_GLYPHS or ord(glyph[0]) >= 0xE000 else glyph
        if level.fmt == "none":
            return None
        text = level.text
        for n in range(9):
            marker = f"%{n + 1}"
            if marker not in text:
                continue
            other = levels.get(n, Level())
            value = counts[n] if counts[n] is not None else other.start
            fmt = "decimal" if level.legal and n != ilvl else other.fmt
            text = text.replace(marker, format_number(value, fmt))
        return text.strip() or None


def format_number(value: int, fmt: str) -> str:
    """Returns a counter as Word writes it in a number format (decimal, lowerLetter, upperRoman…)."""
    if fmt in ("lowerLetter", "upperLetter"):
        letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else "0"
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    if value <= 0:
        return str(value)
    out = []
    for number, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def _val(element, name: str) -> str | None:
    child = element.find(W + name) if element is not None else None
    return child.get(W + "val") if child is not None else None


def _level(lvl) -> Level:
    start = _val(lvl, "start")
    restart = _val(lvl, "lvlRestart")
    legal = lvl.find(W + "isLgl")
    return Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") if _val(lvl, "lvlText") is not None else "",
        restart=int(restart) if restart and restart.isdigit() else None,
        legal=legal is not None and legal.get(W + "val", "true") not in ("0", "false", "off"),
    )


def read_numbering(root) -> Numbering:
    """Returns the list definitions of a numbering.xml root element (or an empty set when None)."""
    numbering = Numbering()
    if root is None:
        return numbering
    for abstract in root.iter(W + "abstractNum"):
        levels = {int(l.get(W + "ilvl", "0")): _level(l) for l in abstract.findall(W + "lvl")}
        abstract_id = abstract.get(W + "abstractNumId", "")
        numbering.abstract[abstract_id] = levels
        link = _val(abstract, "numStyleLink")
        if link and not levels:
            numbering.style_links[abstract_id] = link
    for num in root.iter(W + "num"):
        num_id = num.get(W + "numId", "")
        numbering.nums[num_id] = _val(num, "abstractNumId") or ""
        overrides: dict[int, Level | int] = {}
        for override in num.findall(W + "lvlOverride"):
            ilvl = int(override.get(W + "ilvl", "0"))
            lvl = override.find(W + "lvl")
            start = _val(override, "startOverride")
            if lvl is not None:
                overrides[ilvl] = _level(lvl)
            elif start is not None and start.lstrip("-").isdigit():
                overrides[ilvl] = int(start)
        if overrides:
            numbering.overrides[num_id] = overrides
    return numbering
