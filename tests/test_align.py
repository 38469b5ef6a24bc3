"""Alignment on small documents written for the test: each way councils change a provision."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings as hsettings, strategies as st

from analyser.align import align, match_documents, score_matrix, score_pairs
from analyser.prepare import prepare
from analyser.settings import Settings

from .align_helpers import FILLER_A, FILLER_B, make_document

SETTINGS = Settings()


def pairs_of(links) -> set[tuple[str, str]]:
    return {(l.source, l.target) for l in links}


def linked(links, a: str, b: str) -> bool:
    return (a, b) in pairs_of(links) or (b, a) in pairs_of(links)


def run(a, b):
    return align((a, b), settings=SETTINGS)


def test_align_links_a_reworded_clause():
    a = make_document("a", [("Political groups", [
        "Officers must respect the confidentiality of any party group discussions at which they are present.",
        *FILLER_A])])
    b = make_document("b", [("Party groups", [
        *FILLER_B,
        "Officers will respect the confidentiality of any matter they hear while attending a political group meeting."])])
    links = run(a, b)
    assert linked(links, "a:1.1", "b:1.4")
    assert not any(l.source == "a:1.1" and l.target != "b:1.4" for l in links)


def test_align_treats_role_name_substitution_as_equivalent():
    a = make_document("a", [("Advice", [
        "The Chief Executive will advise members on the conduct of meetings and the handling of complaints.",
        *FILLER_A])])
    b = make_document("b", [("Advice", [
        *FILLER_B,
        "The Parish Clerk will advise councillors on the conduct of meetings and the handling of complaints."])])
    links = {(l.source, l.target): l for l in run(a, b)}
    assert links[("a:1.1", "b:1.4")].relation == "equivalent"


def test_align_follows_a_moved_section():
    press = ("Press and media", ["Officers will refer all queries from journalists to the communications team.",
                                 "Members speaking to the press should make clear when they speak for their party."])
    access = ("Access to premises", ["Members may visit council premises and depots to meet contractors.",
                                      "Members must sign in at reception when visiting council buildings."])
    a = make_document("a", [press, access, ("Other", FILLER_A)])
    b = make_document("b", [access, ("Other", FILLER_B), press])
    links = run(a, b)
    assert linked(links, "a:1.1", "b:3.1") and linked(links, "a:1.2", "b:3.2")
    assert linked(links, "a:2.1", "b:1.1") and linked(links, "a:2.2", "b:1.2")


SPLIT_WHOLE = ("Members must not bully or harass officers, and must treat them with courtesy and respect "
               "at all meetings of the council.")
SPLIT_PIECES = ["Members must not bully or harass officers.",
                "Members must treat officers with courtesy and respect at all meetings of the council."]


def test_align_links_a_split_clause_to_both_pieces_as_partial():
    a = make_document("a", [("Conduct", [SPLIT_WHOLE, *FILLER_A])])
    b = make_document("b", [("Conduct", [*SPLIT_PIECES, *FILLER_B])])
    links = {(l.source, l.target): l for l in run(a, b)}
    assert {("a:1.1", "b:1.1"), ("a:1.1", "b:1.2")} <= set(links)
    assert links[("a:1.1", "b:1.1")].relation == links[("a:1.1", "b:1.2")].relation == "partial"


def test_align_links_a_merged_clause_to_both_sources():
    a = make_document("a", [("Conduct", [*FILLER_A, *SPLIT_PIECES])])
    b = make_document("b", [("Conduct", [*FILLER_B, SPLIT_WHOLE])])
    links = pairs_of(run(a, b))
    assert {("a:1.4", "b:1.4"), ("a:1.5", "b:1.4")} <= links


def test_align_links_each_provision_to_the_sentence_of_a_merged_paragraph_that_makes_it():
    complaints = ["A member dissatisfied with an officer's conduct should raise it with the Chief Executive.",
                  "If the matter is not resolved informally the member may make a written complaint.",
                  "The Chief Executive may invoke the disciplinary procedure against the officer."]
    # a long paragraph of many provisions: as a whole it resembles none of a's clauses much
    merged = ("Officers and councillors sometimes disagree, and most disagreements are settled by talking. "
              "A councillor unhappy with the conduct of an officer should raise it with the Parish Clerk. "
              "Grievances by staff follow the grievance policy agreed with the trade unions. "
              "Where it is not resolved informally a written complaint may follow. "
              "Allegations about a councillor's conduct go to the standards committee. "
              "The disciplinary procedure may then be invoked against the officer. "
              "Whistleblowing concerns are handled under the confidential reporting code. "
              "Members of the public may use the corporate complaints scheme at any time. "
              "Records of every complaint are kept for six years by the democratic services team.")
    a = make_document("a", [("When things go wrong", [*complaints, *FILLER_A])])
    b = make_document("b", [("When things go wrong", [*FILLER_B, merged])])
    links = pairs_of(run(a, b))
    assert {("a:1.1", "b:1.4"), ("a:1.2", "b:1.4"), ("a:1.3", "b:1.4")} <= links


def test_align_refuses_a_weak_further_link_resting_on_two_shared_words(monkeypatch):
    # "discussed" and "agreed" lie in the other clause, "colleagues" does not: a chance overlap
    # with a clause that already has its match, not the provision restated
    a = make_document("a", [("Advice", [
        "Officers will not discuss the personal issues of members outside the agreed procedures.",
        "Discussed and agreed with colleagues;", *FILLER_A])])
    b = make_document("b", [("Advice", ["Officers must not discuss personal issues outside agreed procedures.",
                                        *FILLER_B])])
    assert linked(run(a, b), "a:1.1", "b:1.1")
    assert not linked(run(a, b), "a:1.2", "b:1.1")
    monkeypatch.setattr("analyser.align.FEW", 0)  # without the rule the two words were enough
    assert linked(run(a, b), "a:1.2", "b:1.1")


def test_align_keeps_a_few_word_clause_lying_wholly_inside_its_home():
    # every word of the short item is in the longer clause: a provision restated, however few its words
    a = make_document("a", [("Conduct", [
        "Members must promote equality by not discriminating unlawfully and must treat others with respect.",
        "Treat others with respect.", *FILLER_A])])
    b = make_document("b", [("Conduct", [
        "Members have a duty to promote equality by not discriminating unlawfully against any person "
        "and to treat others with respect.", *FILLER_B])])
    links = run(a, b)
    assert linked(links, "a:1.1", "b:1.1") and linked(links, "a:1.2", "b:1.1")


def test_align_leaves_a_clause_with_no_counterpart_unlinked():
    a = make_document("a", [("Conduct", [SPLIT_WHOLE, *FILLER_A])])
    b = make_document("b", [("Conduct", [SPLIT_WHOLE, *FILLER_B])])
    links = run(a, b)
    ends = {l.source for l in links} | {l.target for l in links}
    assert "b:1.3" not in ends  # car parking permits: nothing like it in a
    assert "a:1.3" not in ends  # register of gifts: nothing like it in b


def test_align_never_links_headings():
    a = make_document("a", [("Officers", ["Officers serve the whole council."])])
    b = make_document("b", [("Officers", ["Officers serve the whole council."])])
    links = run(a, b)
    assert pairs_of(links) == {("a:1.1", "b:1.1")}


def test_align_places_identical_items_by_their_lead_in():
    # "a working partnership" is expected both ways: the lead-in says which list it belongs to
    expect = [("Members can expect from officers:", ["A working partnership.", "Timely replies to enquiries."]),
              ("Officers can expect from members:", ["A working partnership.", "Not to be bullied or harassed."])]
    a = make_document("a", [("Expectations", expect)])
    b = make_document("b", [("Expectations", list(reversed(expect)))])
    links = pairs_of(run(a, b))
    assert ("a:1.1(a)", "b:1.2(a)") in links and ("a:1.2(a)", "b:1.1(a)") in links
    assert ("a:1.1(a)", "b:1.1(a)") not in links


def test_align_links_lead_ins_whose_lists_correspond_however_worded():
    a = make_document("a", [("Roles", [
        *FILLER_A,
        ("Members also carry out the following ward-based duties:", [
            "Representing the views of residents of the ward at meetings of the council.",
            "Handling complaints from residents about refuse collection and street lighting."]),
    ])])
    b = make_document("b", [("Responsibilities", [
        ("Councillors have three main areas of responsibility.", [
            "Representing the views of their constituents at council meetings.",
            "Handling complaints from constituents about refuse collection and street lighting.",
            "Setting the budget and the council tax each year."]),
        *FILLER_B,
    ])])
    links = run(a, b)
    assert linked(links, "a:1.4(a)", "b:1.1(a)") and linked(links, "a:1.4(b)", "b:1.1(b)")
    assert linked(links, "a:1.4", "b:1.1")


def test_align_weights_rare_words_above_common_ones():
    common = [f"Members and officers of the council {verb} the council." for verb in ("serve", "respect", "inform")]
    a = make_document("a", [("S", ["Members and officers of the council may use council premises.", *common])])
    b = make_document("b", [("S", ["Members and officers of the council may talk to the council.",
                                   "Councillors may use the premises.", *common])])
    prepared = prepare((a, b))
    scores, ia, ib = score_matrix(prepared, "a", "b")
    assert scores.cosine[0, 1] > scores.cosine[0, 0]


def test_score_pairs_matches_the_matrix_for_candidates():
    a = make_document("a", [("Conduct", [SPLIT_WHOLE, *FILLER_A])])
    b = make_document("b", [("Conduct", [*SPLIT_PIECES, *FILLER_B])])
    prepared = prepare((a, b))
    scores, ia, ib = score_matrix(prepared, "a", "b")
    rows = np.array([ia[0], ia[1], ia[2]])
    cols = np.array([ib[0], ib[3], ib[1]])
    single = score_pairs(prepared, rows, cols)
    expected = [scores.base[0, 0], scores.base[1, 3], scores.base[2, 1]]
    assert np.allclose(single.base, expected)


def test_align_mirrors_when_documents_swap():
    a = make_document("a", [("Conduct", [SPLIT_WHOLE, *FILLER_A]), ("Press", ["Officers refer press queries."])])
    b = make_document("b", [("Press", ["Officers will refer queries from the press."]), ("Conduct", [*SPLIT_PIECES, *FILLER_B])])
    forward = pairs_of(run(a, b))
    backward = {(t, s) for s, t in pairs_of(run(b, a))}
    assert forward == backward


WORDS = ["members", "officers", "council", "premises", "contractors", "press", "advice", "meetings", "respect",
         "confidentiality", "complaints", "training", "ward", "the", "must", "may", "not", "chief executive",
         "parish clerk", "report", "policy", "budget"]
clause_text = st.lists(st.sampled_from(WORDS), min_size=2, max_size=10).map(lambda ws: " ".join(ws).capitalize() + ".")


@hsettings(max_examples=15, deadline=None)
@given(st.lists(clause_text, min_size=1, max_size=5), st.lists(clause_text, min_size=1, max_size=5))
def test_align_is_symmetric_for_any_documents(texts_a, texts_b):
    a = make_document("a", [("S", texts_a)])
    b = make_document("b", [("S", texts_b)])
    prepared = prepare((a, b))
    forward = {(l.source, l.target) for l in match_documents(prepared, "a", "b", settings=SETTINGS)}
    backward = {(l.target, l.source) for l in match_documents(prepared, "b", "a", settings=SETTINGS)}
    assert forward == backward

