"""Word-level differences between two wordings, shared by the HTML report and the Word redline."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path

try:  # difflib compiled: the same matches, five times quicker (perf, issue 8: a review against a
    # national corpus compares tens of thousands of wordings word by word)
    from cydifflib import SequenceMatcher
except ImportError:  # no wheel for this Python yet: the standard library's, slower
    from difflib import SequenceMatcher

# a word (with internal apostrophes or hyphens), or one punctuation mark, each with the space before it
# (a number keeps its points: "4.3" and "10,000" change as one)
TOKEN = re.compile(r"\s*(?:\d+(?:[.,:]\d+)*|\w+(?:['’\-]\w+)*|[^\w\s])")
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fourteen twenty thirty forty fifty "
    "hundred first second third fourth fifth half".split()
)


@dataclass(frozen=True, slots=True)
class Piece:
    """Holds a run of words that both wordings share (`equal`), or only the old (`delete`) or new (`insert`) has.

    `key` marks a changed run holding a modal verb or a number: the words a reviewer must not miss.
    """

    op: str
    text: str
    key: bool = False

    @property
    def lead(self) -> str:
        """Returns the whitespace before the words, which a mark should not underline or strike."""
        return self.text[: len(self.text) - len(self.text.lstrip())]

    @property
    def words(self) -> str:
        """Returns the words without the whitespace before them."""
        return self.text.lstrip()


@lru_cache(maxsize=4)
def key_words(data_dir: str) -> frozenset[str]:
    """Returns the single words worth emphasising when changed: every word of the modal phrases and negations."""
    data = json.loads((Path(data_dir) / "modals.json").read_text(encoding="utf-8"))
    words = {w for phrase in data.get("modals", {}) for w in phrase.lower().split() if w not in {"to", "a", "are", "is", "have", "has"}}
    words |= {w.lower() for w in data.get("negations", [])}
    return frozenset(words)


def tokens(text: str) -> list[str]:
    """Returns the text's words and punctuation marks, each with the whitespace before it."""
    return TOKEN.findall(text)


def is_key(token: str, keys: frozenset[str]) -> bool:
    """Returns whether a token is a modal verb, a negation or a number."""
    word = token.strip().lower()
    return word in keys or word in NUMBER_WORDS or (not word.isalpha() and any(ch.isdigit() for ch in word))


def word_diff(old: str, new: str, *, keys: frozenset[str] = frozenset()) -> tuple[Piece, ...]:
    """Returns the pieces that turn `old` into `new`, word by word, with changed modals and numbers marked."""
    a, b = tokens(old), tokens(new)
    # compared exactly, bar the spacing: a change of case is a change of wording, and equal runs are then the same on both sides
    matcher = SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b], autojunk=False)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _append(pieces, "equal", b[j1:j2], keys=None)
            continue
        if op in ("delete", "replace"):
            _append(pieces, "delete", a[i1:i2], keys=keys)
        if op in ("insert", "replace"):
            _append(pieces, "insert", b[j1:j2], keys=keys)
    return tuple(pieces)


def _append(pieces: list[Piece], op: str, run: list[str], *, keys: frozenset[str] | None) -> None:
    """Adds a run of tokens, split where emphasis starts or stops, merging with the previous piece when alike."""
    # a run's tokens alike in emphasis are joined first, rather than added to a piece one by one
    # (an unchanged run, never emphasised, at once)
    if keys is None:
        groups = [(False, run)] if run else []
    else:
        groups = groupby(run, key=lambda token: is_key(token, keys))
    for key, alike in groups:
        text = "".join(alike)
        if pieces and pieces[-1].op == op and pieces[-1].key == key:
            pieces[-1] = Piece(op, pieces[-1].text + text, key)
        else:
            pieces.append(Piece(op, text, key))


def similarity(pieces: tuple[Piece, ...]) -> float:
    """Returns the share of characters the two wordings have in common (1.0 = identical)."""
    same = sum(len(p.text) for p in pieces if p.op == "equal")
    total = same * 2 + sum(len(p.text) for p in pieces if p.op != "equal")
    return 1.0 if total == 0 else 2 * same / total


def xml_safe(text: str) -> str:
    """Returns text without the control characters XML 1.0 forbids (a stray one must not break a Word or GraphML file)."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)
