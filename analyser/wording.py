"""Wording: the vocabulary findings reason with (modal strengths, qualifiers, negations, parties)
and a word-level diff that quotes the words two provisions do not share.

Council terminology is folded through the thesaurus before comparing, so "Town Clerk" and
"Chief Executive" are one token and a routine substitution never shows up as a difference.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .normalise import load_thesaurus
from .textdiff import SequenceMatcher

DATA_DIR = Path(__file__).resolve().parent / "data"
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-/]*")
_UNITS = {"day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute", "minutes"}


@dataclass(frozen=True, slots=True)
class Token:
    """Holds one word (or one thesaurus phrase) of a provision: its comparable key and its printed form."""

    key: str
    surface: str


@dataclass(frozen=True, slots=True)
class Change:
    """Holds one stretch where two wordings differ: the target's words and the peer's, keys and print."""

    mine: tuple[Token, ...]
    theirs: tuple[Token, ...]

    @property
    def mine_text(self) -> str:
        return " ".join(t.surface for t in self.mine)

    @property
    def their_text(self) -> str:
        return " ".join(t.surface for t in self.theirs)


@lru_cache(maxsize=4)
def load_vocabulary(path: str | None = None) -> dict:
    """Returns the modal strengths, qualifiers, negations and parties from the data file."""
    return json.loads(Path(path or DATA_DIR / "modals.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _party_keys() -> tuple[frozenset[str], tuple[tuple[tuple[str, ...], str], ...]]:
    """Returns the canonical thesaurus tokens that name a party (roles and bodies) and the extra
    party words of the data file with their canonical key, longest first."""
    data = json.loads((DATA_DIR / "thesaurus.json").read_text(encoding="utf-8"))
    vocab = load_vocabulary()
    ignored = {w.lower() for w in vocab.get("parties_ignored", [])}
    keys = set()
    for group in ("roles", "bodies"):
        for canonical in data.get(group, {}):
            token = canonical.replace(" ", "_").replace("-", "_").replace("'", "")
            if canonical.lower() not in ignored:
                keys.add(token)
    extra: dict[tuple[str, ...], str] = {}
    for canonical, variants in vocab.get("parties", {}).items():
        for variant in (canonical, *variants):
            # folded like the text it is matched against ("vice chairman" → vice + chair)
            extra[tuple(t.key for t in tokens(variant))] = canonical.replace(" ", "_")
    return frozenset(keys), tuple(sorted(extra.items(), key=lambda p: -len(p[0])))


def tokens(text: str) -> tuple[Token, ...]:
    """Returns the words of a text, each thesaurus phrase folded into one token with a canonical key."""
    # a review reads the same clause's words again for every peer and every finding that cites it,
    # so they are kept per text; a different thesaurus (a user's) starts the cache afresh
    thesaurus = load_thesaurus()
    if _TOKENS_FOR[0] is not thesaurus:
        _tokens.cache_clear()
        obligation_tier.cache_clear()
        _TOKENS_FOR[0] = thesaurus
    return _tokens(text)


_TOKENS_FOR: list = [None]


@lru_cache(maxsize=1 << 17)
def _tokens(text: str) -> tuple[Token, ...]:
    """Returns the words of a text folded by the thesaurus tokens() last saw."""
    pattern, canonical_of = _TOKENS_FOR[0]
    # the same character folding as normalise.fold_terms; every replacement keeps the length
    lowered = text.lower().replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    out: list[Token] = []
    pos = 0
    for m in pattern.finditer(lowered):
        out.extend(_plain(text[pos:m.start()]))
        key = canonical_of[m.group(0)].replace(" ", "_").replace("-", "_").replace("'", "")
        out.append(Token(key, text[m.start():m.end()]))
        pos = m.end()
    out.extend(_plain(text[pos:]))
    return tuple(out)


def _plain(text: str) -> list[Token]:
    result = []
    for m in _WORD.finditer(text):
        word = m.group(0).strip("'’-/")
        if word:
            result.append(Token(word.lower().replace("’", "'"), word))
    return result


def similarity(a: tuple[Token, ...], b: tuple[Token, ...]) -> float:
    """Returns how alike two wordings are, 0 to 1, on their folded words."""
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False).ratio()


def _bound(a: tuple[Token, ...], b: tuple[Token, ...], a_words: Counter, b_words: Counter) -> float:
    """Returns an upper bound of similarity(a, b): the share of words the two have in common
    (`a_words`, `b_words`: their keys counted)."""
    if not a or not b:
        return 0.0
    # the size of the two counts' intersection, without building it (perf, issue 8)
    return 2.0 * sum(min(n, b_words[w]) for w, n in a_words.items() if w in b_words) / (len(a) + len(b))


def changes(mine: tuple[Token, ...], theirs: tuple[Token, ...], *, context: int = 1) -> tuple[Change, ...]:
    """Returns the stretches where two wordings differ, each widened by `context` shared words so
    that a quotation reads ("should seek" / "may wish to seek")."""
    matcher = SequenceMatcher(None, [t.key for t in mine], [t.key for t in theirs], autojunk=False)
    result = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        after = min(context, len(mine) - i2, len(theirs) - j2)
        before = min(context, i1, j1) if (i2 - i1 == 0 or j2 - j1 == 0) or after == 0 else 0
        result.append(Change(mine[i1 - before:i2 + after], theirs[j1 - before:j2 + after]))
    return tuple(result)


def best_sentence_pairs(mine: tuple[str, ...], theirs: tuple[str, ...], *, floor: float = 0.45):
    """Returns (target sentence, peer sentence, similarity) for each target sentence whose closest
    peer sentence is at least `floor` alike."""
    theirs_tokens = [tokens(s) for s in theirs]
    theirs_words = [Counter(t.key for t in tt) for tt in theirs_tokens]  # counted once, not once per pair
    pairs = []
    for sentence in mine:
        mt = tokens(sentence)
        words = Counter(t.key for t in mt)
        best, k = -1.0, -1
        for j, tt in enumerate(theirs_tokens):
            # perf (issue 8): the shared words bound the likeness from above; a sentence that cannot
            # beat the best so far (or the floor) is not matched word by word
            if _bound(mt, tt, words, theirs_words[j]) < max(floor, best):
                continue
            score = similarity(mt, tt)
            if (score, j) > (best, k):
                best, k = score, j
        if k >= 0 and best >= floor:
            pairs.append((mt, theirs_tokens[k], best))
    return pairs


def _word_runs(keys: list[str], lengths, firsts) -> dict[tuple[str, ...], list[int]]:
    """Returns where each run of words of the given lengths starts, in order, of the runs that begin
    with one of `firsts` (the first words of the phrases to be looked up).

    perf (issue 8): the vocabularies' phrases are then looked up, rather than each phrase slid along
    the text (a review against 1,000 peers asks this of tens of thousands of wordings); only the runs
    that begin with a phrase's first word are made, as no other can be a phrase."""
    at: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        if key in firsts:
            for n in lengths:
                if i + n <= len(keys):
                    at[tuple(keys[i:i + n])].append(i)
    return at


def obligation(toks: tuple[Token, ...]) -> tuple[int | None, str]:
    """Returns the strongest obligation tier the words express (None when they express none) and
    the printed words that express it; longer phrases win ("may wish to" is not "may")."""
    modals, phrases, lengths, firsts = _modal_phrases()
    at = _word_runs([t.key for t in toks], lengths, firsts)
    used: set[int] = set()
    best: tuple[int | None, str] = (None, "")
    for phrase, words in phrases:
        for i in at.get(words, ()):
            span = range(i, i + len(words))
            if not used.intersection(span):
                used.update(span)
                if best[0] is None or modals[phrase] > best[0]:
                    best = (modals[phrase], " ".join(t.surface for t in toks[i:i + len(words)]))
    return best


@lru_cache(maxsize=1)
def _modal_phrases() -> tuple[dict[str, int], tuple[tuple[str, tuple[str, ...]], ...], frozenset[int], frozenset[str]]:
    """Returns the modal vocabulary, its phrases as words (longest first), their lengths and first words."""
    modals = load_vocabulary()["modals"]
    phrases = tuple((p, tuple(p.split())) for p in sorted(modals, key=lambda p: -len(p.split())))
    return (modals, phrases, frozenset(len(words) for _, words in phrases),
            frozenset(words[0] for _, words in phrases if words))


@lru_cache(maxsize=1)
def _qualifier_phrases() -> tuple[dict[str, tuple[tuple[str, tuple[str, ...]], ...]], frozenset[int], frozenset[str]]:
    """Returns each kind of qualifier's phrases with their words, and the phrases' lengths and first words."""
    data = load_vocabulary()["qualifiers"]
    kinds = {kind: tuple((q, tuple(q.split())) for q in phrases) for kind, phrases in data.items()}
    every = [words for phrases in kinds.values() for _, words in phrases]
    return kinds, frozenset(len(words) for words in every), frozenset(words[0] for words in every if words)


@lru_cache(maxsize=1 << 16)
def obligation_tier(text: str) -> int:
    """Returns the strongest obligation tier a text expresses, 0 for none (kept per text; cleared
    with the words when the thesaurus changes)."""
    return obligation(tokens(text))[0] or 0


def strongest_tier() -> int:
    """Returns the strongest tier obligation_tier can give: no text expresses more."""
    return max([0, *_modal_phrases()[0].values()])


def qualifiers(toks: tuple[Token, ...]) -> dict[str, list[str]]:
    """Returns the weakening and strengthening qualifiers the words contain."""
    kinds, lengths, firsts = _qualifier_phrases()
    at = _word_runs([t.key for t in toks], lengths, firsts)
    return {kind: [q for q, words in phrases if words in at] for kind, phrases in kinds.items()}


def negated(toks: tuple[Token, ...]) -> bool:
    """Returns whether the words contain a negation."""
    negations = set(load_vocabulary()["negations"])
    return any(t.key in negations or t.key.endswith("n't") for t in toks)


def parties(toks: tuple[Token, ...]) -> dict[str, str]:
    """Returns the parties the words name: canonical key → the printed words."""
    role_keys, extra = _party_keys()
    found: dict[str, str] = {}
    for t in toks:
        if t.key in role_keys:
            found.setdefault(t.key, t.surface)
    at = _word_runs([t.key for t in toks], {len(words) for words, _ in extra},
                    {words[0] for words, _ in extra if words})
    for words, canonical in extra:
        if words in at:
            i = at[words][0]
            found.setdefault(canonical, re.sub(r"^the\s+", "", " ".join(t.surface for t in toks[i:i + len(words)]), flags=re.I))
    return found


def time_limits(toks: tuple[Token, ...]) -> dict[str, str]:
    """Returns the numbers-with-units the words give ("10 working days"), unit → printed words."""
    limits: dict[str, str] = {}
    keys = [t.key for t in toks]
    for i, key in enumerate(keys):
        if not key.isdigit():
            continue
        j = i + 1
        while j < len(keys) and j <= i + 2 and keys[j] not in _UNITS:
            j += 1
        if j < len(keys) and keys[j] in _UNITS:
            unit = " ".join(keys[i + 1:j + 1]).rstrip("s")
            limits[unit] = " ".join(t.surface for t in toks[i:j + 1])
    return limits
