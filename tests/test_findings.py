"""Findings on small documents written for the test: every kind of point, one at a time, and the
rules that hold across them (no repeats, every finding names its clauses, the summary)."""
from __future__ import annotations

import re

import pytest

from analyser import Settings
from analyser.findings import executive_summary, review
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
    assert any(f.kind == "gap" and "media" in f.message.lower() for f in summary)
    assert any(f.kind == "gap" and "chair" in (f.message + f.suggestion).lower() for f in summary)
