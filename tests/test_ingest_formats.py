"""The seeds in every format: the .docx and .pdf renditions segment as the .txt does, and no clause
of any of them carries balloons, image placeholders, contents lines or page numbers."""
from __future__ import annotations

import difflib
import re
import pytest

from analyser.ingest import load_document
from analyser.segment import segment

from .conftest import CORPUS, ROOT

# the seeds as councils publish them (copies of ../shared/fixtures, named as in corpus/)
SEEDS = CORPUS
FIXTURES = ROOT / "tests" / "data" / "fixtures"
STEMS = sorted(p.stem for p in FIXTURES.glob("*.docx"))
needs_fixtures = pytest.mark.skipif(not STEMS, reason="tests/data/fixtures holds no .docx renditions")


@pytest.fixture(scope="module")
def clauses() -> dict[tuple[str, str], list[str]]:
    """Every seed's clause texts, read from each of its formats once."""
    found = {}
    for stem in STEMS:
        for fmt, path in (("txt", SEEDS / f"{stem}.txt"), ("docx", FIXTURES / f"{stem}.docx"), ("pdf", FIXTURES / f"{stem}.pdf")):
            if path.exists():
                document = segment(load_document(path))
                found[stem, fmt] = [re.sub(r"\s+", " ", c.text).strip() for c in document.clauses]
                found[stem, fmt, "headings"] = [c.text.strip() for c in document.clauses if c.kind == "heading"]
    return found


@needs_fixtures
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_ingest_formats_match_text_clauses(clauses, fmt):
    for stem in STEMS:
        if (stem, fmt) not in clauses:
            continue
        base, other = clauses[stem, "txt"], clauses[stem, fmt]
        assert abs(len(other) - len(base)) <= 0.03 * len(base), f"{stem}.{fmt}: {len(other)} clauses, .txt has {len(base)}"
        matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
        same = sum(block.size for block in matcher.get_matching_blocks())
        assert same >= 0.95 * len(base), f"{stem}.{fmt}: only {same} of {len(base)} clause texts identical"


_RESIDUE = [
    ("balloon", re.compile(r"Formatted:|Comment \[|Deleted:|Inserted:")),
    ("image placeholder", re.compile(r"\[image:", re.I)),
    ("contents line", re.compile(r"\.{4,}\s*\d{1,3}$|\t\d{1,3}(?:-\d{1,3})?$")),
    ("page number", re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:of|-)\s*\d{1,3})?$|\bPage \d+ of \d+\b", re.I)),
    ("tracked-change markup", re.compile(r"</?u>")),
]


@needs_fixtures
def test_ingest_no_clause_carries_residue(clauses):
    for key, texts in clauses.items():
        for text in texts:
            for name, pattern in _RESIDUE:
                assert not pattern.search(text), f"{'.'.join(key[:2])}: {name} in clause {text[:80]!r}"


@needs_fixtures
def test_ingest_contents_entries_are_not_clauses(clauses):
    """A contents page's entries reappear as headings; read as clauses they would come twice."""
    for key, headings in clauses.items():
        if len(key) == 3:
            repeated = {t for t in headings if headings.count(t) > 1}
            assert len(repeated) <= 1, f"{'.'.join(key[:2])}: headings read twice {sorted(repeated)[:5]}"
