"""Sentences inside clauses: spaCy's sentencizer, mended for legal abbreviations."""
from __future__ import annotations

import pytest

from analyser.normalise import split_sentences


@pytest.mark.parametrize("text, sentences", [
    ("Members (e.g. the Mayor) must act. Officers must not.", ("Members (e.g. the Mayor) must act.", "Officers must not.")),
    ("Co-opted members (i.e. non-elected) may vote. They must declare interests.",
     ("Co-opted members (i.e. non-elected) may vote.", "They must declare interests.")),
    ("See para. 4 of the Code. It applies.", ("See para. 4 of the Code.", "It applies.")),
    ("The s.151 officer must agree. See s. 151 of the 1972 Act.", ("The s.151 officer must agree.", "See s. 151 of the 1972 Act.")),
    ("Under reg. 3 and Sch. 12A, Cllr. Smith may attend. No. 5 applies.",
     ("Under reg. 3 and Sch. 12A, Cllr. Smith may attend.", "No. 5 applies.")),
    ("Reports, minutes etc. are public. Drafts are not.", ("Reports, minutes etc. are public.", "Drafts are not.")),
    ("Papers etc. must be kept safe.", ("Papers etc. must be kept safe.",)),
    ("See paragraphs 3.1 and 4.2. Then act.", ("See paragraphs 3.1 and 4.2.", "Then act.")),
])
def test_segment_sentences_survive_legal_abbreviations(text, sentences):
    assert split_sentences([text]) == [sentences]


def test_segment_sentences_of_empty_text_are_none():
    assert split_sentences(["", "   "]) == [(), ()]
