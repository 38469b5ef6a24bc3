"""Properties of segmentation on arbitrary text: it never raises, and nothing read is silently lost.

"Furniture" is what cleanup and segmentation set aside as not being provision text: contents
entries, page numbers and running heads, image debris, address and control-table lines, stray
numbers and line-end hyphens. Both stages report it in `Document.furniture`, so every visible
character of the input is accounted for exactly once: in a clause's text, a clause's printed
marker, an annotation (a balloon or appended commentary), or the furniture.
"""
from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from analyser.errors import IngestError
from analyser.ingest import load_document
from analyser.ingest.text import clean_line
from analyser.model import Block, Document
from analyser.segment import segment

from .conftest import CORPUS

MARKERS = ["", "", "1.", "1.1", "2.3.4", "12", "139.", "(a)", "a)", "a.", "- a)", "(i)", "i.", "(iv)", "IV.", "A.",
           "Article 3", "§ 4", "Para 12", "Section 9", "Part 2", "-", "•", "·", "–", "o", "- ·", "8.4<u>3</u>.1",
           "9.2.14<u>0</u>", "\uf0b7", "I\t", "Contents", "Page 3 of 9", "5-58"]
WORDS = ["Members", "officers", "must", "the", "Council", "shall", "of", "and", "Contents", "Page 3 of 9", "means",
         "“Officer”", "\"Member\"", "includes", ";", ":", ".", "dis-", "e.g.", "para.", "**Roles**", "14.", "\t",
         "Formatted: Indent", "Comment [AB1]: see note", "SW1A 1AA", "Version: 2", "Adopted: May 2023",
         "........ 5", "<u>inserted</u>", "confi\u00addential", "INTRODUCTION", "I", "we suggest", "you"]
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff|<>*_"),
                max_size=40)
# pieces of realistic mess that span lines: wrapped and hyphenated lines, a number alone on its line,
# a contents page, an item broken mid-sentence, a marker split off by a tab, a title over two lines
MESS = ["3.3 Councillors will have access to such land and\nbuildings as are necessary for the proper dis-\ncharge of them.",
        "14.\n14.1 Members must act.", "1.\nIntroduction", "Contents\n1. Introduction ..... 2\n2. Roles ..... 3\n1. Introduction",
        "- seek advice from the relevant\n\nDirector, except in urgent cases;\n- act.", "The\nI\tMembers' code",
        "A PROTOCOL FOR RELATIONSHIPS BETWEEN\nMEMBERS AND OFFICERS", "These are:\nSelflessness;\nHonesty; and\nLeadership.",
        "In this Protocol:\n\"Budget\" means:\n(a) the plan;\nOfficer includes staff.", "Some more general points:\n- I suggest you\n- are you sure"]
LINE = st.one_of(
    st.builds(lambda marker, words: f"{marker} {' '.join(words)}".strip(" "), st.sampled_from(MARKERS),
              st.lists(st.sampled_from(WORDS), max_size=8)),
    _TEXT,
    st.just(""),
    st.sampled_from(MESS),
)


def visible(texts) -> Counter:
    """Returns the visible characters of some texts ('|' is how table cells are joined, so it is left out)."""
    return Counter(ch for text in texts for ch in text if not ch.isspace() and ch != "|")


def accounted(document: Document) -> Counter:
    """Returns the visible characters the document holds: clauses, markers, balloons, commentary, furniture."""
    parts = [c.text for c in document.clauses] + [c.marker for c in document.clauses]
    parts += [a for c in document.clauses for a in c.annotations]
    parts += list(document.annotations) + list(document.furniture)
    return visible(parts)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, min_size=1, max_size=25))
def test_segment_loses_nothing_of_a_text_file(lines):
    text = "\n".join(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "protocol.txt"
        path.write_text(text, encoding="utf-8")
        try:
            document = segment(load_document(path))
        except IngestError as e:
            assert "no text" in str(e) or "empty" in str(e)
            return
    # markup (tracked-change tags, **bold**, soft hyphens) is resolved by the reader, not lost
    assert accounted(document) == visible(clean_line(line) for line in text.split("\n"))
    ids = [c.id for c in document.clauses]
    assert len(set(ids)) == len(ids)
    known = set(ids)
    assert all(c.parent in known for c in document.clauses if c.parent)
    assert all(c.text.strip() == c.text and c.text for c in document.clauses)


BLOCK = st.builds(
    Block,
    text=st.one_of(LINE, _TEXT),
    kind=st.sampled_from(["paragraph", "paragraph", "heading", "row", "title", "note", "image"]),
    level=st.one_of(st.none(), st.integers(0, 4)),
    number=st.one_of(st.none(), st.sampled_from(["1.", "2.1", "(a)", "ii.", "•", "o", "x", ""])),
    annotations=st.one_of(st.just(()), st.tuples(st.sampled_from(["Comment [A1]: why?", "Formatted: Font"]))),
)


@settings(max_examples=120, deadline=None)
@given(st.lists(BLOCK, max_size=25))
def test_segment_accounts_for_every_block_character(blocks):
    document = segment(Document(id="doc", source="doc.docx", format="docx", sha256="", blocks=tuple(blocks)))
    expected = visible([b.text for b in blocks] + [b.number or "" for b in blocks if b.text.strip()]
                       + [a for b in blocks for a in b.annotations])
    got = accounted(document)
    # Word's number for a blank paragraph has no text to number: it is neither kept nor owed
    assert got == expected
    assert [c.order for c in document.clauses] == list(range(len(document.clauses)))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_segment_loses_nothing_of_the_seeds(path):
    document = segment(load_document(path))
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<u>([^<]*)\n([^<]*)</u>", r"<u>\1 \2</u>", text)  # an insertion over a line break is one
    text = re.sub(r"\[image:[^\]]*\]\S*", "", text, flags=re.I)  # an image's placeholder is not text
    assert accounted(document) == visible(clean_line(line) for line in text.split("\n"))
