"""Word-level diffs: what the HTML comparisons and the Word redline are built from."""
from __future__ import annotations

from hypothesis import given, settings as hsettings, strategies as st

from analyser.settings import Settings
from analyser.textdiff import key_words, word_diff, xml_safe

KEYS = key_words(str(Settings().data_dir))


def _side(pieces, keep):
    return "".join(p.text for p in pieces if p.op in ("equal", keep))


def test_textdiff_marks_changed_modal_as_key():
    pieces = word_diff("Members should seek the advice of the Monitoring Officer.",
                       "Members may wish to seek the advice of the Monitoring Officer.", keys=KEYS)
    deleted = [p for p in pieces if p.op == "delete"]
    inserted = [p for p in pieces if p.op == "insert"]
    assert [p.words for p in deleted] == ["should"] and deleted[0].key
    assert any(p.key and "may" in p.words for p in inserted)
    assert not any(p.key for p in pieces if p.op == "equal")


def test_textdiff_marks_changed_number_as_key():
    pieces = word_diff("within 5 working days", "within ten working days", keys=KEYS)
    assert [(p.op, p.words, p.key) for p in pieces if p.op != "equal"] == [("delete", "5", True), ("insert", "ten", True)]


def test_textdiff_unchanged_words_are_not_marked():
    pieces = word_diff("Officers must be impartial.", "Officers must be impartial.", keys=KEYS)
    assert [p.op for p in pieces] == ["equal"]


def test_textdiff_keeps_whitespace_outside_the_marked_words():
    pieces = word_diff("a b c", "a x c", keys=KEYS)
    changed = [p for p in pieces if p.op != "equal"]
    assert all(p.lead == " " and p.words in ("b", "x") for p in changed)


@hsettings(max_examples=60, deadline=None)
@given(st.text(alphabet="aAb1 .,;\n", max_size=40), st.text(alphabet="aAb1 .,;\n", max_size=40))
def test_textdiff_each_side_rebuilds_its_own_words(old, new):
    pieces = word_diff(old, new, keys=KEYS)
    assert "".join(_side(pieces, "delete").split()) == "".join(old.split())
    assert "".join(_side(pieces, "insert").split()) == "".join(new.split())


def test_textdiff_xml_safe_drops_control_characters():
    assert xml_safe("a\x00b\x0bc\td\n") == "abc\td\n"


def test_textdiff_keeps_a_paragraph_number_whole():
    pieces = word_diff("as set out in 4.3 above", "as set out in 4.4 above", keys=KEYS)
    assert [(p.op, p.words) for p in pieces if p.op != "equal"] == [("delete", "4.3"), ("insert", "4.4")]


WORDS = st.lists(st.sampled_from("the a member officer must should may not council clerk advice seek of to".split()),
                 max_size=40)


@given(WORDS, WORDS)
@hsettings(max_examples=300)
def test_textdiff_matcher_finds_what_difflib_finds(a, b):
    """The compiled matcher (cydifflib) stands in for difflib's only because it finds the same matches."""
    import difflib

    import pytest

    from analyser.textdiff import SequenceMatcher

    if SequenceMatcher is difflib.SequenceMatcher:
        pytest.skip("no compiled matcher on this Python: difflib's own is used")
    ours = SequenceMatcher(None, a, b, autojunk=False)
    theirs = difflib.SequenceMatcher(None, a, b, autojunk=False)
    assert ours.get_opcodes() == theirs.get_opcodes()
    assert ours.ratio() == theirs.ratio()
