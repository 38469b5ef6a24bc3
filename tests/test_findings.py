"""Findings on small documents written for the test: every kind of point, one at a time, and the
rules that hold across them (no repeats, every finding names its clauses, the summary)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from analyser import Settings
from analyser.divergence import compare_clauses
from analyser.findings import executive_summary, review
from analyser.gaps import _join_on_heading, _strongest, _Unit
from analyser.wording import load_vocabulary, obligation, obligation_tier, strongest_tier, tokens
from analyser.model import Clause, Document, Finding, Link, Metadata


def make_doc(doc_id: str, rows: list[tuple[str, str]], *, council: str = "", next_review: str = "") -> Document:
    """A document from (number, text) rows; a number starting "#" is a heading, "(" an item of the last paragraph."""
    clauses: list[Clause] = []
    heading: Clause | None = None
    lead: Clause | None = None
    for k, (number, text) in enumerate(rows):
        if number.startswith("#"):
            heading = Clause(id=f"{doc_id}:h{k}", doc=doc_id, number=None, label=text, kind="heading", text=text,
                             path=(text,), section=text, order=k)
            clauses.append(heading)
            continue
        kind = "item" if "(" in number else "paragraph"
        parent = lead.id if kind == "item" and lead else heading.id if heading else None
        clause = Clause(id=f"{doc_id}:{number}", doc=doc_id, number=number, label=number, kind=kind, text=text,
                        parent=parent, path=((heading.text,) if heading else ()) + (number,),
                        section=heading.text if heading else "",
                        sentences=tuple(s for s in re.split(r"(?<=[.;:])\s+", text) if s), order=k)
        clauses.append(clause)
        if kind == "paragraph":
            lead = clause
    return Document(id=doc_id, source=f"{doc_id}.txt", format="text", sha256="0",
                    metadata=Metadata(title=doc_id, council=council, next_review=next_review), clauses=tuple(clauses))


def links(*pairs: tuple[str, str], score: float = 0.8) -> tuple[Link, ...]:
    return tuple(Link(a, b, score, "equivalent" if score >= 0.7 else "partial") for a, b in pairs)


def run_review(target: Document, peers: list[Document], linked: tuple[Link, ...], **options) -> tuple[Finding, ...]:
    settings = Settings(target=target.id, today="2026-01-01", **options)
    return review(target, tuple(peers), linked, settings=settings)


def only(findings, detail: str) -> list[Finding]:
    return [f for f in findings if f.detail == detail]


def pair(mine: str, theirs: str) -> tuple[Finding, ...]:
    """Reviews a one-clause draft against a one-clause peer, the two linked."""
    draft = make_doc("draft", [("#", "Conduct"), ("1.1", mine)], council="Draft Council")
    peer = make_doc("peer", [("#", "Conduct"), ("4.2", theirs)], council="Peer Borough Council")
    return run_review(draft, [peer], links(("draft:1.1", "peer:4.2")))


# ---------------------------------------------------------------- gaps

def _premises_case():
    draft = make_doc("draft", [("#", "Correspondence"), ("1.1", "Letters on behalf of the Council are sent by officers.")],
                     council="Draft Council")
    peer_a = make_doc("alpha", [("#", "Correspondence"), ("1", "Letters on behalf of the Council are sent by officers."),
                                ("#", "Access to premises"),
                                ("2", "Officers have the right to enter Council land and premises to carry out their work."),
                                ("3", "Members have a right of access to Council land and premises to fulfil their duties.")],
                      council="Alpha Borough Council")
    peer_b = make_doc("beta", [("#", "CORRESPONDENCE"), ("5.1", "Letters on behalf of the Council are sent by officers."),
                               ("#", "ACCESS TO PREMISES"),
                               ("6.1", "Officers may enter Council land and premises to carry out their work."),
                               ("6.2", "Members may have access to Council land and premises to fulfil their duties.")],
                      council="Beta Town Council")
    linked = links(("draft:1.1", "alpha:1"), ("draft:1.1", "beta:5.1"), ("alpha:1", "beta:5.1"),
                   ("alpha:2", "beta:6.1"), ("alpha:3", "beta:6.2"))
    return draft, [peer_a, peer_b], linked


def test_findings_group_a_missing_section_into_one_gap_with_support():
    draft, peers, linked = _premises_case()
    gaps = [f for f in run_review(draft, peers, linked) if f.kind == "gap"]
    assert len(gaps) == 1
    gap = gaps[0]
    assert gap.detail == "missing-section"
    assert gap.support == "2 of 2 peers"
    assert set(gap.peers) == {"alpha:2", "alpha:3", "beta:6.1", "beta:6.2"}
    assert gap.clause is None and gap.severity == 1
    assert "Alpha Borough Council" in gap.message and "6.1" in gap.message and "Access to premises" in gap.message
    assert "Was that" in gap.message
    assert "right of access to Council land" in gap.suggestion or "may have access" in gap.suggestion


def test_findings_gap_against_a_baseline_counts_one_of_one():
    draft, peers, linked = _premises_case()
    baseline = peers[0]
    gaps = [f for f in run_review(draft, [baseline], linked, baseline="alpha") if f.kind == "gap"]
    assert [g.support for g in gaps] == ["1 of 1 peer"]


def test_findings_report_a_single_missing_provision_within_a_shared_section():
    draft = make_doc("draft", [("#", "Media"), ("1.1", "Officers must check they are authorised before talking to the press."),
                               ("1.2", "Members speak to the press in a personal capacity.")])
    peer = make_doc("peer", [("#", "Media relations"),
                             ("7", "Officers must check they are authorised before talking to the press."),
                             ("8", "Members speak to the press in a personal capacity."),
                             ("9", "Officers will keep members informed of media interest in the Council's activities.")],
                    council="Peer Council")
    found = run_review(draft, [peer], links(("draft:1.1", "peer:7"), ("draft:1.2", "peer:8")))
    gaps = [f for f in found if f.kind == "gap"]
    assert [(g.detail, g.peers) for g in gaps] == [("missing-provision", ("peer:9",))]
    assert "media interest" in gaps[0].message


def test_findings_do_not_report_a_provision_the_draft_has_through_a_peers_equivalent():
    # the aligner missed draft↔beta, but beta's clause is equivalent to alpha's, which the draft has
    draft = make_doc("draft", [("1", "Members have a right of access to Council premises to fulfil their duties.")])
    alpha = make_doc("alpha", [("1", "Members have a right of access to Council premises to fulfil their duties.")])
    beta = make_doc("beta", [("1", "Members have a right of access to council land and premises for their duties.")])
    found = run_review(draft, [alpha, beta], links(("draft:1", "alpha:1"), ("alpha:1", "beta:1")))
    assert not [f for f in found if f.kind == "gap"]


def test_findings_report_a_thin_section_once_against_the_peers_sections_on_its_subject():
    # the draft has a media section; the peers' media sections say much more, and one of their
    # clauses is linked into the draft's section all the same
    draft = make_doc("draft", [("#", "Correspondence"), ("3.1", "Letters on behalf of the Council are sent by officers."),
                               ("#", "Relations with the media"),
                               ("4.1", "Officers must check they are authorised before talking to the press.")],
                     council="Draft Council")
    alpha = make_doc("alpha", [("#", "Media relations"),
                               ("7", "Officers must check they are authorised before talking to the press."),
                               ("8", "Officers will keep members informed of media interest in the Council's activities."),
                               ("9", "Publicity must comply with the code of recommended practice on local authority publicity."),
                               ("10", "No publicity on controversial issues is issued during the run-up to an election.")],
                     council="Alpha Borough Council")
    beta = make_doc("beta", [("#", "Press and media"),
                             ("2.1", "Officers must check they are authorised before talking to the press."),
                             ("2.2", "Officers will keep members informed of media interest in the Council's work.")],
                    council="Beta Town Council")
    linked = links(("draft:4.1", "alpha:7"), ("draft:4.1", "beta:2.1"), ("alpha:7", "beta:2.1"), ("alpha:8", "beta:2.2"))
    gaps = [f for f in run_review(draft, [alpha, beta], linked) if f.kind == "gap"]
    assert len(gaps) == 1
    gap = gaps[0]
    assert gap.detail == "missing-provision" and gap.support == "2 of 2 peers" and gap.severity == 1
    assert set(gap.peers) == {"alpha:8", "alpha:9", "alpha:10", "beta:2.2"}
    assert "Relations with the media" in gap.message and "says less" in gap.message
    assert "Alpha Borough Council 8, 9 and 10" in gap.message and "Beta Town Council 2.2" in gap.message


def test_findings_count_a_largely_missing_section_as_missing_despite_a_stray_link():
    # one clause of the peer's premises section is loosely linked to the draft's correspondence
    draft = make_doc("draft", [("#", "Correspondence"),
                               ("3.1", "When writing as a ward member, a member must make that clear.")])
    peer = make_doc("peer", [("#", "Correspondence"), ("5", "When writing as a ward member, a member must make that clear."),
                             ("#", "Access to premises"),
                             ("6", "Members have a right of access to Council land and premises to fulfil their duties."),
                             ("7", "When making visits as individual members, members should notify the manager."),
                             ("8", "Members must comply with health and safety rules on any visit.")], council="Peer Council")
    linked = links(("draft:3.1", "peer:5")) + links(("draft:3.1", "peer:7"), score=0.35)
    gaps = [f for f in run_review(draft, [peer], linked) if f.kind == "gap"]
    assert [(g.detail, set(g.peers)) for g in gaps] == [("missing-section", {"peer:6", "peer:8"})]
    assert "Access to premises" in gaps[0].message and "Correspondence" not in gaps[0].message


def test_findings_match_headings_on_more_than_the_words_every_protocol_uses():
    draft = make_doc("draft", [("#", "Members of other committees and officers"),
                               ("7.1", "Officers offer informal meetings with committee chairmen.")])
    peer = make_doc("peer", [("#", "Members of other committees and officers"),
                             ("77", "Officers offer informal meetings with committee chairmen."),
                             ("#", "Cabinet members and officers"),
                             ("59", "Cabinet members take decisions in accordance with the constitution."),
                             ("60", "Directors may submit papers to the Cabinet as a whole.")], council="Peer Council")
    gaps = [f for f in run_review(draft, [peer], links(("draft:7.1", "peer:77"))) if f.kind == "gap"]
    assert [(g.detail, set(g.peers)) for g in gaps] == [("missing-section", {"peer:59", "peer:60"})]
    assert "Cabinet members and officers" in gaps[0].message


def test_findings_disregard_a_weak_link_that_the_peers_contradict():
    draft = make_doc("draft", [("1", "Officers act under delegated powers and consult the chairman where the committee asks.")])
    text = "Where a committee authorises an officer to act between meetings in consultation with the chairman, the officer takes the action."
    alpha, beta = make_doc("alpha", [("80", text)]), make_doc("beta", [("7.4", text)])
    weak = links(("draft:1", "alpha:80"), score=0.2) + links(("alpha:80", "beta:7.4"), score=1.0)
    gaps = [f for f in run_review(draft, [alpha, beta], weak) if f.kind == "gap"]
    assert [(set(g.peers), g.support) for g in gaps] == [({"alpha:80", "beta:7.4"}, "2 of 2 peers")]
    # the same weak link, borne out by the other peer's equivalent, stands
    borne = weak + links(("draft:1", "beta:7.4"), score=0.25)
    assert not [f for f in run_review(draft, [alpha, beta], borne) if f.kind == "gap"]


def test_findings_count_a_peer_that_makes_a_missing_sections_provision_elsewhere():
    draft = make_doc("draft", [("#", "The role of members"), ("6.1", "Members represent the whole community and their ward.")])
    alpha = make_doc("alpha", [("#", "Roles of members"), ("2.1", "Members represent the whole community and their ward."),
                               ("#", "Chairmen and vice chairmen"),
                               ("2.3", "Chairmen of committees have additional responsibilities but must respect the impartiality of officers.")],
                     council="Alpha Parish Council")
    beta = make_doc("beta", [("#", "The role of members"), ("6.1", "Members represent the whole community and their ward."),
                             ("6.2", "Members represent the community in partnership bodies."),
                             ("6.3", "Chairmen of committees have additional responsibilities but must respect the impartiality of officers.")],
                    council="Beta Council")
    linked = links(("draft:6.1", "alpha:2.1"), ("draft:6.1", "beta:6.1"), ("draft:6.1", "beta:6.2"), ("alpha:2.3", "beta:6.3"))
    gaps = [f for f in run_review(draft, [alpha, beta], linked) if f.kind == "gap"]
    assert [(g.detail, set(g.peers), g.support) for g in gaps] == [
        ("missing-section", {"alpha:2.3", "beta:6.3"}, "2 of 2 peers")]
    assert "Chairmen and vice chairmen" in gaps[0].message


# ---------------------------------------------------------------- divergences

def test_findings_flag_weaker_obligation_with_the_words_quoted():
    found = pair("Members may wish to seek the advice of the Monitoring Officer.",
                 "Members should seek the advice of the Monitoring Officer.")
    weakened = only(found, "obligation-weakened")
    assert len(weakened) == 1
    assert "may wish to seek" in weakened[0].message and "should seek" in weakened[0].message
    assert "1.1" in weakened[0].message and "Peer Borough Council 4.2" in weakened[0].message
    assert weakened[0].clause == "draft:1.1" and weakened[0].peers == ("peer:4.2",)


def test_findings_flag_stronger_obligation():
    found = pair("Officers must reply to members' enquiries.", "Officers should reply to members' enquiries.")
    assert only(found, "obligation-strengthened")


def test_findings_read_a_weakening_qualifier_as_a_weaker_duty():
    found = pair("Officers will normally reply to members' enquiries within the week.",
                 "Officers will reply to members' enquiries within the week.")
    weakened = only(found, "obligation-weakened")
    assert weakened and "normally" in weakened[0].message


def test_findings_flag_negation():
    found = pair("Officers should copy the correspondence to other members.",
                 "Officers should not copy the correspondence to other members.")
    assert only(found, "negation")


def test_findings_flag_a_changed_time_limit_but_not_a_number_spelt_out():
    changed = pair("Officers will reply to members within ten working days.",
                   "Officers will reply to members within 20 working days.")
    numbers = only(changed, "number-changed")
    assert numbers and "ten working days" in numbers[0].message and "20 working days" in numbers[0].message
    same = pair("Officers will reply to members within ten working days.",
                "Officers will reply to members within 10 working days.")
    assert not only(same, "number-changed")


def test_findings_raise_nothing_for_a_routine_change_of_role_name():
    found = pair("Complaints about an officer should be raised with the Town Clerk.",
                 "Complaints about an officer should be raised with the Chief Executive.")
    assert found == ()


def test_findings_flag_a_party_dropped_from_a_provision():
    found = pair("Officers will inform the Leader of any contentious matter.",
                 "Officers will inform the Leader and the Monitoring Officer of any contentious matter.")
    removed = only(found, "party-removed")
    assert removed and "Monitoring Officer" in removed[0].message


def test_findings_read_no_reversal_or_omission_into_an_added_clause_or_a_run_on_word():
    extra_clause = pair("Honesty and integrity – not allowing these to be questioned;",
                        "Honesty and integrity – not allowing these to be questioned; not behaving improperly.")
    assert not only(extra_clause, "negation")
    run_on = pair("Officers must be aware of the implications for members, the media or the publicand advise accordingly.",
                  "Officers must be aware of the implications for members, the media or the public.")
    assert not only(run_on, "party-removed")


def test_findings_make_a_party_change_repeated_through_a_section_one_point():
    rows = ["{} will treat each political group in a fair and even-handed manner.",
            "{} may leave a group meeting at any time if they feel it is no longer appropriate to be there.",
            "{} should be given the opportunity of verifying advice attributed to them in any record of the meeting."]
    draft = make_doc("draft", [("#", "Political groups"), *[(f"9.{k}", r.format("Chief Officers")) for k, r in enumerate(rows, 1)]])
    peer = make_doc("peer", [("#", "Party groups"), *[(f"8.{k}", r.format("Officers")) for k, r in enumerate(rows, 1)]],
                    council="Peer Council")
    found = run_review(draft, [peer], links(*[(f"draft:9.{k}", f"peer:8.{k}") for k in range(1, 4)]))
    added = only(found, "party-added")
    assert len(added) == 1
    assert added[0].clause == "draft:9.1" and set(added[0].peers) == {"peer:8.1", "peer:8.2", "peer:8.3"}
    assert "9.1, 9.2 and 9.3 bring in the Chief Officers" in added[0].message


def test_findings_flag_a_substituted_party():
    found = pair("Complaints about an officer should be raised with the Monitoring Officer.",
                 "Complaints about an officer should be raised with the Chief Executive.")
    substituted = only(found, "party-substituted")
    assert substituted and "Monitoring Officer" in substituted[0].message and "Chief Executive" in substituted[0].message


def test_findings_flag_a_definition_that_drops_contractors_even_unlinked():
    draft = make_doc("draft", [("#", "Definitions"), ("1.4", "Officer means all persons employed by the Council.")])
    peer = make_doc("peer", [("#", "Interpretation"),
                             ("2.1", "Officer includes all staff employed by the Council and all contractors "
                                     "delivering services on its behalf.")], council="Peer Council")
    found = run_review(draft, [peer], ())
    scope = only(found, "scope-changed")
    assert len(scope) == 1 and scope[0].severity == 1
    assert scope[0].clause == "draft:1.4" and scope[0].peers == ("peer:2.1",)
    assert "contractors" in scope[0].message and "1.4" in scope[0].message and "Peer Council 2.1" in scope[0].message
    assert not [f for f in found if f.kind == "gap"]  # the definition is there, only narrower


def test_findings_flag_list_items_dropped():
    draft = make_doc("draft", [("3.1", "Members can expect from officers:"), ("3.1(a)", "A commitment to the council as a whole."),
                               ("3.1(b)", "A timely response to enquiries and complaints.")])
    peer = make_doc("peer", [("8.1", "Members can expect from officers:"), ("8.1(a)", "A commitment to the council as a whole."),
                             ("8.1(b)", "A timely response to enquiries and complaints."),
                             ("8.1(c)", "Training and development to carry out their role effectively.")],
                    council="Peer Council")
    found = run_review(draft, [peer], links(("draft:3.1", "peer:8.1"), ("draft:3.1(a)", "peer:8.1(a)"),
                                            ("draft:3.1(b)", "peer:8.1(b)")))
    dropped = only(found, "list-items-dropped")
    assert len(dropped) == 1 and dropped[0].clause == "draft:3.1"
    assert "Training and development" in dropped[0].message
    assert not [f for f in found if f.kind == "gap"]  # the dropped item is not reported twice


def test_findings_leave_a_change_of_a_word_or_two_unreported():
    assert not only(pair("Avoid conflict between members and officers.", "To avoid conflict between members and officers."),
                    "reworded")


def test_findings_report_plain_rewording_at_low_severity_outside_the_summary():
    found = pair("Members and officers must treat one another with courtesy in every meeting they attend.",
                 "Members and officers must treat each other with courtesy at every meeting of the council.")
    reworded = only(found, "reworded")
    assert reworded and reworded[0].severity == 3
    assert not executive_summary(found)


def test_findings_merge_peers_showing_the_same_divergence():
    draft = make_doc("draft", [("1.1", "Members may seek the advice of the Monitoring Officer.")])
    peers = [make_doc(p, [("9", "Members must seek the advice of the Monitoring Officer.")], council=f"{p.title()} Council")
             for p in ("alpha", "beta")]
    found = run_review(draft, peers, links(("draft:1.1", "alpha:9"), ("draft:1.1", "beta:9")))
    weakened = only(found, "obligation-weakened")
    assert len(weakened) == 1
    assert set(weakened[0].peers) == {"alpha:9", "beta:9"} and weakened[0].support == "2 of 2 peers"
    assert "Alpha Council 9" in weakened[0].message and "Beta Council 9" in weakened[0].message


def test_findings_rank_a_divergence_most_peers_do_not_share_low():
    draft = make_doc("draft", [("1.1", "Members should seek the advice of the Monitoring Officer.")])
    peers = [make_doc("alpha", [("9", "Members must seek the advice of the Monitoring Officer.")])] + [
        make_doc(p, [("9", "Members should seek the advice of the Monitoring Officer.")]) for p in ("beta", "gamma")]
    found = run_review(draft, peers, links(*[("draft:1.1", f"{p}:9") for p in ("alpha", "beta", "gamma")]))
    assert [f.severity for f in only(found, "obligation-weakened")] == [3]


# ---------------------------------------------------------------- drafting problems

def test_findings_flag_drafting_problems_inside_the_draft():
    draft = make_doc("draft", [
        ("#", "Decisions"),
        ("8.1", "The code is set out in Part ? of the Constitution and standing order ?."),
        ("8.2", "Briefings are held as set out in [4.3?] above."),
        ("8.3", "Officers report to the Cabinet [Note – check reference on completion]."),
        ("8.24", "Officers may be consulted, subject to paragraph 7.2.5."),
        ("8.5", "Members receive papers in advance."),
        ("8.5", "Members attend briefings."),
    ], next_review="March 2018")
    found = run_review(draft, [], ())
    details = {(f.detail, f.clause) for f in found}
    assert ("placeholder", "draft:8.1") in details and ("placeholder", "draft:8.2") in details
    assert ("editorial-note", "draft:8.3") in details
    assert ("garbled-number", "draft:8.24") in details
    assert ("broken-reference", "draft:8.24") in details
    assert ("duplicate-number", "draft:8.5") in details
    assert ("review-overdue", None) in details
    placeholder = [f for f in found if f.clause == "draft:8.1" and f.detail == "placeholder"]
    assert len(placeholder) == 1 and "Part ?" in placeholder[0].message and "standing order ?" in placeholder[0].message
    garbled = only(found, "garbled-number")[0]
    assert "8.24" in garbled.message and "8.4" in garbled.message
    assert "7.2.5" in only(found, "broken-reference")[0].message


def test_findings_list_tracked_change_residue_in_the_numbering_once():
    draft = make_doc("draft", [("8.1", "Members receive papers."), ("8.24", "Members attend briefings."),
                               ("8.3", "Officers report."), ("8.46", "Officers advise."), ("8.5", "Officers attend.")])
    garbled = only(run_review(draft, [], ()), "garbled-number")
    assert len(garbled) == 1 and garbled[0].clause == "draft:8.24"
    assert "8.24" in garbled[0].message and "8.46" in garbled[0].message and "8.4" in garbled[0].message


def test_findings_leave_existing_references_and_future_reviews_alone():
    draft = make_doc("draft", [("7.1", "Officers attend."), ("7.2", "Subject to paragraph 7.1, members may ask questions."),
                               ("7.3", "See section 100A of the Local Government Act 1972.")], next_review="March 2030")
    assert run_review(draft, [], ()) == ()


def test_findings_flag_comments_left_in_once():
    base = make_doc("draft", [("1.1", "Officers attend meetings.")])
    clause = Clause(**{**{s: getattr(base.clauses[0], s) for s in Clause.__slots__},
                       "annotations": ("Comment [AH5]: Include requirement to talk to comms team", "Formatted: Font: Italic",
                                       "Comment [AH5]: Include requirement to talk to comms team in advance?")})
    draft = Document(id="draft", source="d", format="text", sha256="0", clauses=(clause,))
    comments = only(run_review(draft, [], ()), "comment-left")
    assert len(comments) == 1 and "in advance?" in comments[0].message


# ---------------------------------------------------------------- two-draft review

def test_findings_report_moved_and_renumbered_provisions_against_a_baseline():
    old = make_doc("old", [("#", "Scope"), ("2.1", "This protocol applies to all members and officers."),
                           ("#", "Media"), ("4.1", "Officers must check they are authorised before talking to the press.")])
    new = make_doc("new", [("#", "Scope"), ("3.1", "This protocol applies to all members and officers."),
                           ("#", "Public relations"), ("9.1", "Officers must check they are authorised before talking to the press.")])
    found = run_review(new, [old], links(("new:3.1", "old:2.1"), ("new:9.1", "old:4.1"), score=0.95), baseline="old")
    assert {(f.detail, f.clause) for f in found} == {("renumbered", "new:3.1"), ("moved", "new:9.1")}
    moved = only(found, "moved")[0]
    assert "Public relations" in moved.message and "Media" in moved.message


def test_findings_read_a_retitled_section_as_renumbered_not_moved():
    rows = ["Officers may be asked to brief party groups on council business.",
            "Officers must treat each party group in a fair and even-handed manner."]
    old = make_doc("old", [("#", "Party groups and officers"), *[(f"8{k}", r) for k, r in enumerate(rows, 1)]])
    new = make_doc("new", [("#", "Briefings for political groups"), *[(f"9.{k}", r) for k, r in enumerate(rows, 1)]])
    found = run_review(new, [old], links(("new:9.1", "old:81"), ("new:9.2", "old:82"), score=0.95), baseline="old")
    assert [(f.detail, f.peers) for f in found] == [("renumbered", ("old:81", "old:82"))]
    assert "old 81 and 82 are now 9.1 and 9.2" in found[0].message.lower()


# ---------------------------------------------------------------- across findings

def _busy_case():
    draft, peers, linked = _premises_case()
    extra = make_doc("draft", [*[(c.number or "#", c.text) for c in draft.clauses],
                               ("1.2", "Members may wish to seek the advice of the Chief Executive. See Part ?."),
                               ("1.3", "Letters are sent within ten working days.")])
    alpha = make_doc("alpha", [*[(c.number or "#", c.text) for c in peers[0].clauses],
                               ("4", "Members should seek the advice of the Town Clerk."),
                               ("5", "Letters are sent within 5 working days.")], council="Alpha Borough Council")
    more = links(("draft:1.2", "alpha:4"), ("draft:1.3", "alpha:5"))
    return run_review(extra, [alpha, peers[1]], linked + more)


def test_findings_never_repeat_and_always_name_their_clauses():
    found = _busy_case()
    assert found
    keys = [(f.kind, f.detail, f.clause, f.peers) for f in found]
    assert len(keys) == len(set(keys))
    assert len({f.id for f in found}) == len(found)
    for f in found:
        if f.kind == "gap":
            assert f.clause is None and f.peers
        elif f.kind == "divergence":
            assert f.clause and f.peers
        else:
            assert f.clause or f.detail == "review-overdue"


def test_findings_summary_is_short_serious_and_leads_the_list():
    found = _busy_case()
    summary = executive_summary(found)
    assert 0 < len(summary) <= 12
    assert all(f.severity <= 2 and f.detail != "reworded" for f in summary)
    assert found[:len(summary)] == summary


def test_findings_summary_caps_a_run_of_one_drafting_problem():
    draft = make_doc("draft", [(f"1.{k}", f"The rule is in Part ? of the Constitution, item {k}.") for k in range(1, 8)])
    found = run_review(draft, [], ())
    assert len(only(found, "placeholder")) == 7
    assert len(executive_summary(found)) == 2


def test_findings_messages_follow_a_councils_own_templates(tmp_path):
    (tmp_path / "messages.j2").write_text(
        (__import__("analyser").settings.PACKAGE_DIR.parent / "templates" / "messages.j2").read_text(encoding="utf-8")
        .replace("still has a placeholder", "STILL CARRIES A PLACEHOLDER"), encoding="utf-8")
    draft = make_doc("draft", [("1.1", "See Part ? of the Constitution.")])
    found = run_review(draft, [], (), user_templates=tmp_path)
    assert "STILL CARRIES A PLACEHOLDER" in found[0].message


# ---------------------------------------------------------------- the seeds end to end

@pytest.fixture(scope="module")
def seed_summary(corpus_run):
    analysis, _ = corpus_run
    return analysis, executive_summary(analysis.findings)


def test_findings_seed_summary_raises_what_the_reviewer_raised(seed_summary):
    analysis, summary = seed_summary
    details = {(f.detail, f.clause) for f in summary}
    assert ("scope-changed", "thanet-draft:1.2.4") in details
    assert any(f.detail == "placeholder" and "Part ?" in f.message for f in summary)
    docs_of = lambda f: {p.split(":")[0] for p in f.peers}  # noqa: E731
    assert any(f.kind == "gap" and "premises" in f.message.lower() and {"dudley", "town-council"} <= docs_of(f)
               for f in summary)
    # the detail on media handling: the draft's media section against the peers' (not one clause of it)
    assert any(f.kind == "gap" and "media" in f.message.lower() and len(docs_of(f)) >= 2 for f in summary)
    # the role of committee chairs, in a gap of its own (not a stray "Chairman of Governors" in another)
    assert any(f.kind == "gap" and "chair" in f.message.lower() and "premises" not in f.message.lower()
               for f in summary)
    assert len(summary) <= 12 and sum(len(f.message) for f in summary) <= 5000  # one screen


# ---------------------------------------------------------------- speed-ups that must not change a finding (issue 8)

def test_compare_clauses_remembers_a_pair_of_wordings_and_gives_each_pair_its_own_ids():
    mine = make_doc("draft", [("1.1", "Members may seek the advice of the Monitoring Officer.")]).clauses[0]
    alpha, beta = (make_doc(p, [("9", "Members must seek the advice of the Monitoring Officer.")]).clauses[0]
                   for p in ("alpha", "beta"))
    memo: dict = {}
    first, second = (compare_clauses(mine, peer, memo=memo) for peer in (alpha, beta))
    assert first == compare_clauses(mine, alpha) and second == compare_clauses(mine, beta)
    assert [d.detail for d in first] == ["obligation-weakened"] and len(memo) == 1
    assert (second[0].clause, second[0].peer) == ("draft:1.1", "beta:9")


@hsettings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.booleans()), min_size=1, max_size=8))
def test_gap_merging_joins_units_on_a_heading_as_joining_every_pair_would(shape):
    units = [_Unit(doc, None, (), None, whole, whole) for doc, whole in shape]

    def groups(join) -> list[list[int]]:
        parent = list(range(len(units)))

        def find(k: int) -> int:
            while parent[k] != k:
                k = parent[k]
            return k

        join(lambda a, b: parent.__setitem__(find(a), find(b)))
        found: dict[int, list[int]] = {}
        for k in range(len(units)):
            found.setdefault(find(k), []).append(k)
        return sorted(found.values())

    def every_pair(union) -> None:
        for i, u in enumerate(units):
            for j in range(i + 1, len(units)):
                if u.doc != units[j].doc and (u.whole or units[j].whole):
                    union(i, j)

    assert groups(every_pair) == groups(lambda union: _join_on_heading(list(range(len(units))), units, union))


def test_no_wording_expresses_more_than_the_strongest_tier():
    texts = [f"Members {phrase} attend." for phrase in load_vocabulary()["modals"]]
    assert max(obligation_tier(t) for t in texts) == strongest_tier()
    assert _strongest([make_doc("p", [(str(k), t)]).clauses[0] for k, t in enumerate(texts)]) == strongest_tier()


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*load_vocabulary()["modals"], "wish", "to", "is", "not", "members", "normally",
                                  "where", "possible", "the", "officer"]), max_size=8))
def test_obligation_finds_the_phrases_as_sliding_each_along_the_words_would(phrases):
    toks = tokens(" ".join(phrases))
    keys = [t.key for t in toks]
    modals = load_vocabulary()["modals"]
    used: set[int] = set()
    expected: tuple[int | None, str] = (None, "")
    for phrase in sorted(modals, key=lambda p: -len(p.split())):
        n = len(phrase.split())
        for i in range(len(keys) - n + 1):
            if keys[i:i + n] == phrase.split() and not used.intersection(range(i, i + n)):
                used.update(range(i, i + n))
                if expected[0] is None or modals[phrase] > expected[0]:
                    expected = (modals[phrase], " ".join(t.surface for t in toks[i:i + n]))
    assert obligation(toks) == expected


def test_findings_against_many_peers_name_six_and_count_the_rest():
    draft = make_doc("draft", [("#", "Conduct"), ("1.1", "Members treat officers with respect at all times.")],
                     council="Draft Council")
    peers = [make_doc(f"peer{k:02d}", [("#", "Conduct"), ("1.1", "Members treat officers with respect at all times."),
                                        ("#", "Access to premises"),
                                        ("2.1", "Officers may enter council premises and land at any time for their work."),
                                        ("2.2", "Members may visit council premises by arrangement with the Chief Executive.")],
                      council=f"Peer {k:02d} Council") for k in range(10)]
    linked = links(*[("draft:1.1", f"peer{k:02d}:1.1") for k in range(10)],
                   *[(f"peer{k:02d}:2.{n}", f"peer{k + 1:02d}:2.{n}") for k in range(9) for n in (1, 2)], score=0.9)
    (gap,) = [f for f in run_review(draft, peers, linked) if f.kind == "gap"]
    assert gap.support == "10 of 10 peers" and len(gap.peers) == 20  # every clause stays in the record
    named = re.findall(r"Peer \d\d Council", gap.message)
    assert len(named) == 6 and "4 other peers" in gap.message


def test_findings_set_apart_peers_whose_citations_list_several_clauses():
    # "Dudley MBC 11 and 18 and Town Council 1.2" read as if 18 and Town Council were alike
    from analyser.citing import join_peers

    assert join_peers(["Dudley MBC 11", "Town Council 1.2"]) == "Dudley MBC 11 and Town Council 1.2"
    assert join_peers(["Dudley MBC 11 and 18", "Town Council 1.2"]) == "Dudley MBC 11 and 18, and Town Council 1.2"
    assert (join_peers(["Dudley MBC 96, 97 and 99", "Torbay Council 8.2", "Town Council 9.1"])
            == "Dudley MBC 96, 97 and 99; Torbay Council 8.2; and Town Council 9.1")
    many = join_peers([f"Peer {k} 2.1 and 2.2" for k in range(10)])
    assert many.endswith("; Peer 5 2.1 and 2.2; and 4 other peers")
