"""Normalise: clause text → comparable form (spaCy stays inside this module).

Lower-cased lemmas, council terminology folded to one canonical term per role or body
(Town Clerk and Chief Executive compare as the same), number words as digits, stop words kept
apart from content words so that scoring can weigh the words that carry the provision.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError

DATA_DIR = Path(__file__).resolve().parent / "data"

STOP_WORDS = frozenset("""
a an the and or but if of to in on at by for with from as is are be been being was were it its this that
these those there their they them he she his her him hers theirs which who whom whose what when where why how
any all each every some such no not nor so than too very can will shall may must should would could also
into onto upon about above below under over between within without through during before after again
further then once here both either neither other others own same only just do does did done has have had
i we you our your us me my mine yours ours itself themselves himself herself
""".split())


@dataclass(frozen=True, slots=True)
class Normalised:
    """Holds the comparable form of one text: every token, the content lemmas, and their stems."""

    tokens: tuple[str, ...]
    content: tuple[str, ...]
    terms: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


# Suffixes the lookup lemmatizer leaves alone but that separate words of one family
# ("neutral"/"neutrality", "political"/"politically", "manage"/"management"); longest first,
# applied once, only to words long enough that the remaining stem still says something.
_SUFFIXES = (("ically", "ical"), ("ality", "al"), ("ively", "ive"), ("ation", ""), ("ative", ""),
             ("ment", ""), ("ness", ""), ("ally", "al"), ("ity", ""), ("ly", ""))


def stem(word: str) -> str:
    """Returns a light stem of a lemma: derivational suffixes and a final 'e' removed."""
    if "_" in word or not word.isalpha() or len(word) < 6:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= 4:
            word = word[: len(word) - len(suffix)] + replacement
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


@lru_cache(maxsize=1)
def make_nlp():
    """Returns a blank English spaCy pipeline with the sentencizer and lookup lemmatizer (offline)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except Exception:  # spacy-lookups-data missing: sentences still work, lemmas fall back to text
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=4)
def load_thesaurus(path: str | Path | None = None) -> tuple[re.Pattern, dict[str, str]]:
    """Returns one pattern matching every variant in the thesaurus data file (longest first) and
    the map from variant to canonical term."""
    source = Path(path) if path else DATA_DIR / "thesaurus.json"
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        groups = {g: entries for g, entries in data.items() if not g.startswith("_")}
        pairs = [(canonical, variants) for entries in groups.values() for canonical, variants in entries.items()]
        if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for _, v in pairs):
            raise ValueError("each term must map to a list of words")
    except (OSError, ValueError, AttributeError) as e:
        raise ConfigError(f"{source}: not a usable thesaurus ({e}); see README, 'Extending the thesaurus'") from e
    canonical_of: dict[str, str] = {}
    for canonical, variants in pairs:
        token = canonical.lower().replace(" ", "_").replace("-", "_").replace("'", "")
        for variant in (canonical, *variants):
            canonical_of.setdefault(variant.lower(), token)
    variants = sorted(canonical_of, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(v) for v in variants) + r")(?![\w-])")
    return pattern, canonical_of


def fold_terms(text: str, thesaurus: tuple[re.Pattern, dict[str, str]] | None = None) -> str:
    """Returns lower-cased text with council terminology replaced by canonical terms."""
    pattern, canonical_of = thesaurus or load_thesaurus()
    text = text.lower().replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    return pattern.sub(lambda m: f" {canonical_of[m.group(0)]} ", text)


# a full stop after these is an abbreviation, not a sentence end: "para. 4", "s. 151", "Cllr. Smith", "e.g. the"
_NEVER_ENDS = re.compile(r"(?:^|[\s(\[])(?:e\.g|i\.e|viz|cf|para|paras|art|arts|reg|regs|sch|s|ss|no|nos|cl|p|pp|"
                         r"ch|vol|sec|cllr|mr|mrs|ms|dr|prof|st|ref|fig|approx|incl)\.$", re.I)


def split_sentences(texts: list[str], *, nlp=None) -> list[tuple[str, ...]]:
    """Returns the sentences of each text, split by spaCy's sentencizer and mended where legal
    abbreviations ("para. 4", "s. 151", "e.g.") or a lower-case start show the split was wrong."""
    nlp = nlp or make_nlp()
    result = []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=256)):
        spans: list[list[int]] = []
        for sent in doc.sents:
            piece = sent.text.strip()
            if not piece:
                continue
            if spans and (_NEVER_ENDS.search(text[spans[-1][0]:spans[-1][1]].rstrip())
                          or piece[0].islower() or piece[0] in ",;)"):
                spans[-1][1] = sent.end_char
            else:
                spans.append([sent.start_char, sent.end_char])
        result.append(tuple(text[a:b].strip() for a, b in spans))
    return result


def normalise_texts(texts: list[str], *, nlp=None, thesaurus: str | Path | None = None) -> list[Normalised]:
    """Returns the comparable form of each text: folded terms, lemmas, content words apart."""
    nlp = nlp or make_nlp()
    folding = load_thesaurus(str(thesaurus) if thesaurus else None)
    unique = list(dict.fromkeys(texts))  # headings and lead-ins repeat: normalise each once
    folded = [fold_terms(t, folding) for t in unique]
    forms: dict[str, Normalised] = {}
    disabled = [p for p in ("sentencizer",) if p in nlp.pipe_names]
    for text, doc in zip(unique, nlp.pipe(folded, batch_size=256, disable=disabled)):
        tokens = []
        for tok in doc:
            if tok.is_space or tok.is_punct and "_" not in tok.text:
                continue
            lemma = tok.text if "_" in tok.text else (tok.lemma_ or tok.text).lower()
            if lemma.strip():
                tokens.append(lemma)
        content = tuple(t for t in tokens if t not in STOP_WORDS and (len(t) > 1 or t.isdigit()))
        forms[text] = Normalised(tuple(tokens), content, tuple(stem(t) for t in content))
    return [forms[t] for t in texts]
