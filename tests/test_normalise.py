"""Normalisation: council terminology folded, numbers as digits, word families stemmed, offline."""
from __future__ import annotations

import json

import pytest

from analyser.errors import ConfigError
from analyser.normalise import fold_terms, load_thesaurus, normalise_texts, stem


def test_normalise_folds_role_names_to_one_term():
    town, parish = normalise_texts(["The Town Clerk will advise Members.", "The Parish Clerk will advise councillors."])
    assert town.content == parish.content
    assert "chief_executive" in town.content and "member" in town.content


def test_normalise_folds_bodies_groups_and_finance_officers():
    a, b = normalise_texts(["Party groups may brief the Select Committee and the Section 151 Officer.",
                            "Political groups may brief the Overview and Scrutiny Committee and the RFO."])
    assert a.terms == b.terms


def test_normalise_writes_number_words_as_digits():
    (form,) = normalise_texts(["A reply within ten working days and twenty-one days' notice."])
    assert "10" in form.tokens and "21" in form.tokens


def test_normalise_folds_american_spelling():
    a, b = normalise_texts(["Standards of behaviour in the organisation.", "Standards of behavior in the organization."])
    assert a.content == b.content


def test_normalise_keeps_longest_phrase_first():
    assert "chief_executive" in fold_terms("the chief executive officer will decide")
    assert "officer" not in fold_terms("the chief executive officer will decide").split()


def test_normalise_stems_word_families_together():
    assert stem("neutrality") == stem("neutral")
    assert stem("politically") == stem("political")
    assert stem("management") == stem("manage")
    assert stem("officer") != stem("office")


def test_normalise_separates_content_from_stop_words():
    (form,) = normalise_texts(["Officers must not be asked to attend party meetings."])
    assert "must" in form.tokens and "must" not in form.content
    assert "attend" in form.content


def test_normalise_reads_a_user_thesaurus(tmp_path):
    path = tmp_path / "thesaurus.json"
    path.write_text(json.dumps({"roles": {"proper officer": ["borough solicitor"]}}), encoding="utf-8")
    (form,) = normalise_texts(["The Borough Solicitor will advise."], thesaurus=path)
    assert "proper_officer" in form.content
    load_thesaurus.cache_clear()


def test_normalise_rejects_a_broken_thesaurus_naming_the_file(tmp_path):
    path = tmp_path / "thesaurus.json"
    path.write_text('{"roles": {"clerk": "not a list"}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="thesaurus.json"):
        normalise_texts(["text"], thesaurus=path)
    load_thesaurus.cache_clear()
