"""Summaries: one paragraph that condenses a section of steps in the other document (summaries.py)."""
from __future__ import annotations

import textwrap

from analyser.align import align
from analyser.ingest import load_document
from analyser.segment import segment
from analyser.settings import Settings
from analyser.summaries import titles_correspond

SETTINGS = Settings()

DETAILED = """
    Member and Officer Protocol

    1. Introduction
    1.1 This protocol guides the relationship between councillors and officers of the council.
    1.2 Members must treat officers with courtesy and respect at all times.

    2. When things go wrong
    2.1 From time to time the relationship between members and officers may break down or become strained. It is always preferable to resolve matters informally, through conciliation by the Chief Executive.

    2.2 Procedure for officers complaining about a member
    If informal conciliation has not succeeded and an officer considers that a member has breached this protocol, the following procedure applies:
    (a) The officer must make a written complaint to the Monitoring Officer, setting out each incident.
    (b) The Monitoring Officer may disregard a complaint that is frivolous or vexatious.
    (c) The Monitoring Officer then considers the written submissions and refers a justified complaint to the Standards Committee, which may uphold or reject it and recommend such action to the Council as it considers appropriate.
    (d) A complainant may withdraw a complaint at any time by notice in writing.

    2.3 Procedure for members complaining about an officer
    (a) A member who is dissatisfied with the conduct or performance of an officer raises the matter in private with the Chief Executive.
    (b) The Chief Executive may invoke the Council's Disciplinary Procedure at any time.
    (c) A complainant may withdraw a complaint at any time by notice in writing to the Chief Executive.

    3. Press
    3.1 Officers deal with enquiries from the press about council business.
"""

SUMMARY = """
    Councillor and Staff Protocol

    1. Introduction
    1.1 This protocol guides the relationship between councillors and staff of the council.

    2. When things go wrong
    2.1 {heading}
    The relationship between councillors and officers may from time to time break down or become strained. It is preferable to resolve matters informally through conciliation, but officers may have recourse to the Grievance Procedure. Where a grievance or complaint is upheld, the matter is referred to the Chief Executive, who will decide on the course of action to be taken.
    {more}
    3. Media
    3.1 Staff deal with enquiries from the press about council business.
"""

MEMBERS_SUMMARY = """
    Councillor and Staff Protocol

    1. Introduction
    1.1 This protocol guides the relationship between councillors and staff of the council.

    2. When things go wrong
    2.1 Procedure for Councillors
    A Councillor who is dissatisfied with the conduct or performance of an officer should raise the matter with the Chief Executive; if it cannot be resolved informally the Council's Disciplinary Procedure may be invoked.
"""


def load(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.txt"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return segment(load_document(path, doc_id=name))


def pairs(links) -> set[tuple[str, str]]:
    return {(l.source, l.target) for l in links}


def test_titles_correspond_when_the_shorter_stands_in_order_inside_the_longer():
    assert titles_correspond(("procedur", "officer"), ("procedur", "officer", "complain", "member"))
    assert not titles_correspond(("procedur", "officer"), ("procedur", "member", "complain", "officer"))
    assert not titles_correspond(("officer",), ("procedur", "officer"))  # one word names too little


def test_align_links_a_summary_to_the_steps_of_the_section_it_condenses(tmp_path):
    detailed = load(tmp_path, "a", DETAILED)
    summary = load(tmp_path, "b", SUMMARY.format(heading="Procedure for officers", more=""))
    links = pairs(align((detailed, summary), settings=SETTINGS))
    assert ("a:2.1", "b:2.1-p1") in links  # the shared opening: an ordinary link
    # the step that says what the summary adds (complaint upheld, action), and the section's lead-in
    assert ("a:2.2(c)", "b:2.1-p1") in links
    assert ("a:2.2-p1", "b:2.1-p1") in links
    # steps that add nothing the summary says are left alone
    assert not {("a:2.2(b)", "b:2.1-p1"), ("a:2.2(d)", "b:2.1-p1")} & links


def test_align_leaves_the_steps_alone_when_the_headings_name_another_procedure(tmp_path):
    # "Procedure for members" is not "procedure for officers complaining about a member": word order counts
    detailed = load(tmp_path, "a", DETAILED)
    summary = load(tmp_path, "b", SUMMARY.format(heading="Procedure for members", more=""))
    links = pairs(align((detailed, summary), settings=SETTINGS))
    assert ("a:2.1", "b:2.1-p1") in links
    assert not {(f"a:2.2{k}", "b:2.1-p1") for k in ("-p1", "(a)", "(b)", "(c)", "(d)")} & links


def test_align_treats_a_paragraph_beside_others_under_its_heading_as_no_summary(tmp_path):
    detailed = load(tmp_path, "a", DETAILED)
    more = "Officers may also ask their trade union representative for advice at any stage.\n"
    summary = load(tmp_path, "b", SUMMARY.format(heading="Procedure for officers", more=more))
    links = pairs(align((detailed, summary), settings=SETTINGS))
    assert ("a:2.1", "b:2.1-p1") in links
    assert not {("a:2.2-p1", "b:2.1-p1"), ("a:2.2(c)", "b:2.1-p1")} & links


def test_align_links_a_numbered_heading_over_a_list_as_the_lead_in_of_a_summarised_procedure(tmp_path):
    detailed = load(tmp_path, "a", DETAILED)
    summary = load(tmp_path, "b", MEMBERS_SUMMARY)
    assert {c.id: c.kind for c in detailed.clauses}["a:2.3"] == "heading"  # still a heading for the reports
    links = pairs(align((detailed, summary), settings=SETTINGS))
    assert ("a:2.3(a)", "b:2.1-p1") in links
    assert ("a:2.3", "b:2.1-p1") in links


def test_align_never_links_a_numbered_heading_on_its_title_alone(tmp_path):
    detailed = load(tmp_path, "a", DETAILED)
    aims = load(tmp_path, "b", """
        Councillor and Staff Protocol

        1. Introduction
        1.1 This protocol guides the relationship between councillors and staff of the council.
        1.2 This protocol lays down the procedure for members complaining about an officer.
    """)
    links = align((detailed, aims), settings=SETTINGS)
    assert not any("a:2.3" in (l.source, l.target) for l in links)


def test_align_links_summaries_the_same_whichever_document_comes_first(tmp_path):
    detailed = load(tmp_path, "a", DETAILED)
    summary = load(tmp_path, "b", SUMMARY.format(heading="Procedure for officers", more=""))
    forward = pairs(align((detailed, summary), settings=SETTINGS))
    backward = pairs(align((summary, detailed), settings=SETTINGS))
    assert ("a:2.2(c)", "b:2.1-p1") in forward
    assert forward == {(t, s) for s, t in backward}
