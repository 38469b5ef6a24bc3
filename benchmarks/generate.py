"""Synthetic corpora made from the seed protocols, with the gold the generator knows.

Each synthetic protocol is one seed rewritten the ways councils rewrite each other's protocols:
renumbered (hierarchical or flat), sections reordered and deleted, paragraphs deleted, role names
swapped for another council's (from the thesaurus), modal verbs and time limits changed, clauses
split at a sentence boundary or merged with the next. Every numbered provision written carries the
seed clause ids it derives from, so a link between two synthetic clauses is right when they share one.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from analyser.ingest import load_document
from analyser.normalise import DATA_DIR, make_nlp
from analyser.segment import segment

ALIGNABLE = ("paragraph", "item", "definition", "row")
MODAL_SWAPS = {"must": ("should", "shall", "will"), "should": ("must", "may", "will"), "shall": ("must", "will", "should"),
               "will": ("shall", "should", "may"), "may": ("can", "should", "may wish to")}
_MODAL = re.compile(r"\b(must|should|shall|will|may)\b")
_DAYS = re.compile(r"\b(\d{1,3}|two|three|five|seven|ten|fourteen|twenty[- ]one|twenty[- ]eight)(\s+(?:working\s+|clear\s+)?(?:days?|weeks?|months?))\b", re.I)


@dataclass
class Unit:
    """Holds one provision to write: its text, the seed clause ids it derives from and its sub-items."""

    text: str
    sources: tuple[str, ...]
    items: list["Unit"]


@dataclass
class Section:
    """Holds one section of a seed: its heading and its provisions."""

    title: str
    units: list[Unit]


def seed_sections(path: Path, *, nlp=None) -> list[Section]:
    """Returns a seed protocol as sections of provisions, read through the analyser itself."""
    document = segment(load_document(path), nlp=nlp or make_nlp())
    sections: list[Section] = [Section("Introduction", [])]
    units: dict[str, Unit] = {}
    for clause in document.clauses:
        if clause.kind == "heading":
            if clause.parent is None:
                sections.append(Section(clause.text.strip()[:80] or "Section", []))
            continue
        if clause.kind not in ALIGNABLE or not clause.text.strip():
            continue
        unit = Unit(clause.text.strip(), (clause.id,), [])
        units[clause.id] = unit
        parent = units.get(clause.parent or "")
        if clause.kind == "item" and parent is not None:
            parent.items.append(unit)
        else:
            sections[-1].units.append(unit)
    return [s for s in sections if s.units]


def role_variants() -> list[list[str]]:
    """Returns, for each role or body in the thesaurus, every name councils use for it."""
    data = json.loads((DATA_DIR / "thesaurus.json").read_text(encoding="utf-8"))
    groups = []
    for key, entries in data.items():
        if key.startswith("_"):
            continue
        for canonical, variants in entries.items():
            names = [canonical, *variants]
            # only names that read as a title; plurals and abbreviations would make odd prose
            groups.append([n for n in names if len(n) > 4 and not n.endswith("s") and not n.startswith("the ")])
    return [g for g in groups if len(g) > 1]


class Rewriter:
    """Holds one synthetic council's drafting choices and applies them to provisions."""

    def __init__(self, rng: random.Random, roles: list[list[str]]):
        self.rng = rng
        self.swaps: list[tuple[re.Pattern, str]] = []
        for names in roles:
            if rng.random() < 0.5:
                chosen = rng.choice(names)
                pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b", re.I)
                self.swaps.append((pattern, chosen))

    def rewrite(self, text: str) -> str:
        """Returns the provision as this council would word it."""
        for pattern, name in self.swaps:
            text = pattern.sub(lambda m: _match_case(m.group(0), name), text)
        if self.rng.random() < 0.12:
            matches = list(_MODAL.finditer(text))
            if matches:
                m = self.rng.choice(matches)
                text = text[:m.start()] + self.rng.choice(MODAL_SWAPS[m.group(1)]) + text[m.end():]
        if self.rng.random() < 0.5:
            text = _DAYS.sub(lambda m: f"{self.rng.choice((2, 3, 5, 7, 10, 14, 21, 28))}{m.group(2)}", text)
        return text


def _match_case(found: str, name: str) -> str:
    if found[:1].isupper():
        return " ".join(w if w in ("and", "of", "to", "the") else w[:1].upper() + w[1:] for w in name.split())
    return name


def synthesise(sections: list[Section], seed_id: str, doc_id: str, rng: random.Random,
               roles: list[list[str]]) -> tuple[str, dict[str, list[str]]]:
    """Returns one synthetic protocol's text and its gold: clause number → seed clause ids."""
    rewriter = Rewriter(rng, roles)
    kept = [s for s in sections if rng.random() >= 0.08] or sections[:1]
    for _ in range(rng.randint(0, 2)):  # a council moves a section or two
        i, j = rng.randrange(len(kept)), rng.randrange(len(kept))
        kept[i], kept[j] = kept[j], kept[i]
    flat = rng.random() < 0.35
    item_style = rng.choice(("({})", "{}.", "{})"))
    title = f"{doc_id.replace('-', ' ').title()} Council"
    lines = [f"{title.upper()}", "PROTOCOL ON MEMBER/OFFICER RELATIONS", ""]
    gold: dict[str, list[str]] = {}
    para = 0
    for k, section in enumerate(kept, start=1):
        units = _restructure([u for u in section.units if rng.random() >= 0.05], rng)
        if not units:
            continue
        lines += [f"{section.title.upper()}" if flat else f"{k}. {section.title.upper()}", ""]
        for n, unit in enumerate(units, start=1):
            para += 1
            number = str(para) if flat else f"{k}.{n}"
            lines += [f"{number}{'.' if flat else ''} {rewriter.rewrite(unit.text)}", ""]
            gold[number] = list(unit.sources)
            for m, item in enumerate(u for u in unit.items if rng.random() >= 0.04):
                letter = "abcdefghijklmnopqrstuvwxyz"[m % 26]
                lines += [f"{item_style.format(letter)} {rewriter.rewrite(item.text)}", ""]
                gold[f"{number}({letter})"] = list(item.sources)
    lines += ["", f"Adopted by {title}. Derived from {seed_id}."]
    return "\n".join(lines) + "\n", gold


def _restructure(units: list[Unit], rng: random.Random) -> list[Unit]:
    """Returns the provisions with a few split at a sentence boundary and a few merged with the next."""
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        sentences = re.split(r"(?<=[.;])\s+(?=[A-Z])", unit.text)
        roll = rng.random()
        if roll < 0.05 and len(sentences) >= 2 and not unit.items:
            cut = rng.randint(1, len(sentences) - 1)
            out.append(Unit(" ".join(sentences[:cut]), unit.sources, []))
            out.append(Unit(" ".join(sentences[cut:]), unit.sources, []))
        elif roll < 0.09 and i + 1 < len(units) and not unit.items and not units[i + 1].items:
            nxt = units[i + 1]
            out.append(Unit(unit.text.rstrip() + " " + nxt.text, unit.sources + nxt.sources, []))
            i += 1
        else:
            out.append(Unit(unit.text, unit.sources, [Unit(t.text, t.sources, []) for t in unit.items]))
        i += 1
    return out


def gold_path(corpus: Path) -> Path:
    """Returns where the gold of a synthetic corpus is kept: beside its folder, never inside it."""
    return corpus.parent / f"{corpus.name}-gold.json"


def generate(seeds: Path, out: Path, count: int, *, seed: int = 8) -> dict[str, dict[str, list[str]]]:
    """Writes `count` synthetic protocols into `out` and returns the gold of each: doc → number → seed ids."""
    out.mkdir(parents=True, exist_ok=True)
    nlp = make_nlp()
    paths = sorted(p for p in seeds.iterdir() if p.suffix == ".txt")
    parsed = [(p.stem, seed_sections(p, nlp=nlp)) for p in paths]
    roles = role_variants()
    rng = random.Random(seed)
    gold: dict[str, dict[str, list[str]]] = {}
    for k in range(count):
        seed_id, sections = parsed[k % len(parsed)]
        doc_id = f"syn{k:05d}"
        text, doc_gold = synthesise(sections, seed_id, doc_id, rng, roles)
        (out / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        gold[doc_id] = doc_gold
    gold_path(out).write_text(json.dumps(gold, sort_keys=True), encoding="utf-8")
    return gold


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="write a synthetic corpus made from the seeds")
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parent.parent / "corpus")
    args = parser.parse_args()
    generate(args.seeds, args.out, args.count)
