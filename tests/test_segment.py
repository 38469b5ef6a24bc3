"""Segmentation on protocols written for the tests, in numbering styles and mess the seeds lack."""
from __future__ import annotations

import textwrap

import pytest

from analyser.ingest import load_document
from analyser.model import Block, Document
from analyser.numbering import parse_marker
from analyser.segment import segment


def load(tmp_path, text: str, name: str = "protocol.txt") -> Document:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return segment(load_document(path))


def by_label(document: Document) -> dict:
    return {c.label: c for c in document.clauses}


def parent_label(document: Document, label: str) -> str | None:
    clauses = {c.id: c for c in document.clauses}
    parent = by_label(document)[label].parent
    return clauses[parent].label if parent else None


ARTICLES = """
    COUNCIL CONSTITUTION

    Part 2 Articles of the Constitution

    Article 3 Members of the Council

    3.1 Composition. The Council will comprise 54 members, otherwise called councillors.

    3.2 Roles and functions of all councillors. All councillors will:
    (a) collectively be the ultimate policy-makers;
    (b) represent their communities, that is:
    (i) become the advocate of their constituents;
    (ii) deal with individual casework; and
    (iii) balance different interests;
    (c) respond to constituents' enquiries.

    Article 4 The Full Council

    4.1 Functions. Only the Council will exercise the functions in Article 4.
"""


def test_segment_keeps_article_numbering_as_number_paths(tmp_path):
    doc = load(tmp_path, ARTICLES)
    clauses = by_label(doc)
    assert clauses["3.2(b)(ii)"].text == "deal with individual casework; and"
    assert clauses["3.2(b)(ii)"].number == "3.2(b)(ii)"
    assert parent_label(doc, "3.2(b)(ii)") == "3.2(b)"
    assert parent_label(doc, "3.2(b)") == "3.2"
    assert parent_label(doc, "3.2(c)") == "3.2"
    assert parent_label(doc, "3.2") == "Article 3"
    assert parent_label(doc, "Article 3") == "Part 2"
    assert clauses["Article 3"].kind == "heading" and clauses["Article 3"].text == "Members of the Council"
    assert clauses["3.2(b)(ii)"].path == ("Articles of the Constitution", "Members of the Council", "3.2(b)(ii)")
    assert clauses["4.1"].path[-2] == "The Full Council"
    assert clauses["3.2(b)(ii)"].marker == "(ii)"


def test_segment_keeps_roman_sections_and_letter_items(tmp_path):
    doc = load(tmp_path, """
        PROTOCOL FOR MEMBER AND OFFICER RELATIONS

        I. INTRODUCTION

        1. This protocol guides members and officers in their dealings with one another.

        II. ROLES

        2. Members have these roles:
        a. setting policy;
        b. monitoring performance; and
        c. representing the community.

        IV. WHEN THINGS GO WRONG

        3. A member who is dissatisfied with an officer should raise it with the Chief Executive.
    """)
    clauses = by_label(doc)
    assert [clauses[n].kind for n in ("I", "II", "IV")] == ["heading"] * 3
    assert clauses["II"].text == "ROLES"
    assert parent_label(doc, "2") == "II"
    assert parent_label(doc, "3") == "IV"
    assert parent_label(doc, "2(b)") == "2"
    assert clauses["2(c)"].text == "representing the community."
    assert clauses["3"].path == ("WHEN THINGS GO WRONG", "3")


def test_segment_reads_section_para_and_section_sign_numbering(tmp_path):
    doc = load(tmp_path, """
        Member Officer Protocol

        Section 1 Purpose
        Para 1 This protocol sets out the relationship between members and officers.
        Para 2 It applies to all members, including co-opted members.
        Section 2 Access to information
        Para 3 Members may ask for information:
        • about their ward;
        • about matters before a committee on which they sit.
        § 4 Confidential information must not be disclosed.
        A. GENERAL POINTS
        Officers serve the whole council.
        B. SPECIFIC POINTS
        Members must not instruct officers.
    """)
    clauses = by_label(doc)
    assert clauses["Para 1"].kind == "paragraph"
    assert clauses["Para 1"].text.endswith("members and officers.")  # its full stop is its own
    assert parent_label(doc, "Para 2") == "Section 1"
    assert parent_label(doc, "Para 3, bullet 2") == "Para 3"
    assert clauses["Para 3"].text == "Members may ask for information:"
    assert clauses["§ 4"].number == "§ 4" and parent_label(doc, "§ 4") == "Section 2"
    sections = [c for c in doc.clauses if c.number in ("A", "B")]
    assert [(c.kind, c.text) for c in sections] == [("heading", "GENERAL POINTS"), ("heading", "SPECIFIC POINTS")]
    assert [c.text for c in doc.clauses if c.parent == sections[1].id] == ["Members must not instruct officers."]
    assert by_label(doc)["B"].text == "Members must not instruct officers."  # cited as B, like a numbered paragraph


@pytest.mark.parametrize("style", ["({})", "{})", "{}.", "- {})"])
def test_segment_reads_every_letter_style(tmp_path, style):
    items = "\n".join(f"{style.format(t)} item {t} of the list;" for t in "abc")
    doc = load(tmp_path, f"7.1 Officers will:\n{items}\n7.2 Next provision.\n")
    clauses = by_label(doc)
    assert [clauses[f"7.1({t})"].text for t in "abc"] == [f"item {t} of the list;" for t in "abc"]
    assert {parent_label(doc, f"7.1({t})") for t in "abc"} == {"7.1"}
    assert clauses["7.2"].parent is None


def test_segment_tells_roman_from_letter_i(tmp_path):
    doc = load(tmp_path, """
        8.1 Members may expect:
        (g) courtesy;
        (h) advice that is:
        (i) carefully researched;
        (ii) politically impartial;
        (iii) timely;
        (iv) in writing where asked;
        (i) integrity.
        8.2 Officers may expect:
        i. courtesy;
        ii. respect.
    """)
    clauses = by_label(doc)
    assert clauses["8.1(h)(iv)"].text == "in writing where asked;"
    assert parent_label(doc, "8.1(h)(iv)") == "8.1(h)"
    assert clauses["8.1(i)"].text == "integrity."  # the letter after (h), back at the top level
    assert parent_label(doc, "8.1(i)") == "8.1"
    assert clauses["8.2(ii)"].text == "respect." and parent_label(doc, "8.2(ii)") == "8.2"


@pytest.mark.parametrize("bullet", ["-", "•", "·", "–", "o", "\uf0b7"])
def test_segment_makes_each_bullet_an_item_under_its_lead_in(tmp_path, bullet):
    doc = load(tmp_path, f"""
        12. Members should not ask officers to:
        {bullet} canvass for them;
        {bullet} attend party meetings.
        13. Officers serve the whole Council.
    """)
    clauses = by_label(doc)
    assert clauses["12, bullet 2"].text == "attend party meetings."
    assert clauses["12, bullet 1"].kind == "item"
    assert parent_label(doc, "12, bullet 1") == "12"
    assert clauses["13"].parent is None


def test_segment_repairs_numbers_garbled_by_tracked_changes(tmp_path):
    doc = load(tmp_path, """
        8.3 Decisions made by officers

        - 8.4<u>3</u>.1 Officers taking decisions must consult the relevant Cabinet Member.
        - 8.4<u>3</u>.2 Officers are responsible for implementing decisions.
        - 9.2.14<u>0</u> A Chief Officer accepting an invitation shall not decline another.
    """)
    numbers = [c.number for c in doc.clauses]
    assert numbers == ["8.3", "8.3.1", "8.3.2", "9.2.10"]
    assert by_label(doc)["8.3.1"].text.startswith("Officers taking decisions")


def test_segment_keeps_duplicated_and_skipped_numbers_as_printed(tmp_path):
    doc = load(tmp_path, """
        5. Principles
        5.1 Members and officers must observe this protocol.
        5.3 Members must respect the roles of officers.
        5.3 Officers must respect the roles of members.
    """)
    assert [c.number for c in doc.clauses] == ["5", "5.1", "5.3", "5.3"]
    ids = [c.id for c in doc.clauses]
    assert len(set(ids)) == len(ids)
    assert doc.clauses[3].text == "Officers must respect the roles of members."


def test_segment_finds_headings_in_every_dress(tmp_path):
    doc = load(tmp_path, """
        5. The Role of Members – All Members
        5.1 Members have three main corporate roles.
        Party groups and officers
        5.2 Officers may brief party groups.
        WHEN THINGS GO WRONG
        5.3 Raise it with the Chief Executive.
        **Complaints**
        5.4 Complaints go to the Monitoring Officer.
        5.5 Councillors have three main areas of responsibility
        (a) policy;
        (b) representation.
    """)
    clauses = by_label(doc)
    assert clauses["5"].kind == "heading" and clauses["5"].text == "The Role of Members – All Members"
    headings = [c.text for c in doc.clauses if c.kind == "heading"]
    assert headings == ["The Role of Members – All Members", "Party groups and officers", "WHEN THINGS GO WRONG", "Complaints"]
    # a sentence that lost its full stop is a provision with items, not a title
    assert clauses["5.5"].kind == "paragraph"
    assert parent_label(doc, "5.5(b)") == "5.5"
    assert clauses["5.2"].path[-2] == "Party groups and officers"


def test_segment_does_not_make_a_heading_of_a_numbered_line_with_nothing_under_it(tmp_path):
    doc = load(tmp_path, """
        1.2 Definitions
        1.2.1 Officer means all persons employed by the Council.
        1.2.2 Chief Officer means the Chief Executive and the corporate directors
        1.2.3 Member includes a co-opted member.
    """)
    clauses = by_label(doc)
    assert clauses["1.2"].kind == "heading"
    assert clauses["1.2.2"].kind == "definition"  # a defined term, not a title


def test_segment_rejoins_wrapped_lines_and_drops_page_furniture(tmp_path):
    doc = load(tmp_path, """
        3.3 Councillors will have such rights of access to such documents, information, land and
        buildings of the Council as are necessary for the proper dis-
        charge of their functions.
        12
        3.4 Councillors will not make public information which is confi\u00addential.
        Page 3 of 9
        3.5 Members serve only as long as their term of office lasts.
    """)
    clauses = by_label(doc)
    assert clauses["3.3"].text == ("Councillors will have such rights of access to such documents, information, land and "
                                   "buildings of the Council as are necessary for the proper discharge of their functions.")
    assert clauses["3.4"].text.endswith("confidential.")
    assert [c.number for c in doc.clauses] == ["3.3", "3.4", "3.5"]
    assert "Page 3 of 9" in doc.furniture and "12" in doc.furniture


def test_segment_joins_a_title_broken_over_two_lines(tmp_path):
    doc = load(tmp_path, """
        A PROTOCOL FOR RELATIONSHIPS BETWEEN
        MEMBERS AND OFFICERS

        1. Members and officers must observe this protocol.
    """)
    assert doc.clauses[0].text == "A PROTOCOL FOR RELATIONSHIPS BETWEEN MEMBERS AND OFFICERS"
    assert doc.clauses[0].kind == "heading"


@pytest.mark.parametrize("with_pages", [True, False])
def test_segment_drops_a_contents_page(tmp_path, with_pages):
    pages = [" ........ 2", " ........ 3", " ........ 4"] if with_pages else ["", "", ""]
    doc = load(tmp_path, f"""
        Member Officer Protocol

        Contents

        1. Introduction{pages[0]}
        2. Roles{pages[1]}
        3. Complaints{pages[2]}

        1. Introduction
        1.1 This protocol guides members and officers.
        2. Roles
        2.1 Members set policy.
        3. Complaints
        3.1 Complaints go to the Monitoring Officer.
    """)
    assert [c.number for c in doc.clauses if c.number] == ["1", "1.1", "2", "2.1", "3", "3.1"]
    assert not any("Contents" in c.text for c in doc.clauses)
    assert "Contents" in doc.furniture


def test_segment_reads_a_two_level_definitions_list(tmp_path):
    doc = load(tmp_path, """
        2. Interpretation
        2.1 In this Protocol:
        "Policy Framework" means the following plans and strategies:
        (a) the Corporate Plan;
        (b) the Local Plan.
        "Budget" includes the allocation of financial resources.
        Officer includes contractors working for the Council.
        2.2 Words in the singular include the plural.
    """)
    clauses = by_label(doc)
    framework = clauses["2.1 “Policy Framework”"]
    assert framework.kind == "definition" and parent_label(doc, framework.label) == "2.1"
    assert parent_label(doc, "2.1 “Policy Framework” (b)") == framework.label
    assert clauses["2.1 “Policy Framework” (b)"].number == "2.1(b)"
    assert clauses["2.1 “Budget”"].kind == "definition"
    assert parent_label(doc, "2.1 “Budget”") == "2.1"
    assert clauses["2.1 “Officer”"].text == "Officer includes contractors working for the Council."
    assert clauses["2.2"].parent is None or parent_label(doc, "2.2") == "2"


def test_segment_makes_an_unnumbered_lead_in_the_parent_of_its_items(tmp_path):
    doc = load(tmp_path, """
        The Council as employer

        Officers are employed by the Council as a whole.
        Members' roles are limited to:
        - the appointment of specified senior posts;
        - hearing and determining appeals.
        Members shall not act outside these roles.
    """)
    clauses = {c.text: c for c in doc.clauses}
    lead = clauses["Members' roles are limited to:"]
    assert clauses["hearing and determining appeals."].parent == lead.id
    after = clauses["Members shall not act outside these roles."]
    assert after.parent == clauses["The Council as employer"].id and after.kind == "paragraph"
    assert [c.label for c in doc.clauses if c.kind == "paragraph"] == [
        "The Council as employer ¶1", "The Council as employer ¶2", "The Council as employer ¶3"]


def test_segment_turns_lines_that_lost_their_bullets_into_items(tmp_path):
    doc = load(tmp_path, """
        5.8 The Members' code is based on general principles. These are:
        Selflessness – serving only the public interest;
        Honesty and integrity;
        • Duty to uphold the law;
        Leadership – acting in a way which has public confidence.
        The same principles underpin this protocol.
    """)
    items = [c for c in doc.clauses if c.kind == "item"]
    assert [c.text.split(" –")[0].rstrip(";.") for c in items] == [
        "Selflessness", "Honesty and integrity", "Duty to uphold the law", "Leadership"]
    assert {parent_label(doc, c.label) for c in items} == {"5.8"}
    assert doc.clauses[-1].kind == "paragraph" and doc.clauses[-1].label == "5.8 ¶2"


def test_segment_reads_a_marker_split_off_by_a_tab(tmp_path):
    doc = load(tmp_path, "5.8 The Council has adopted a code of conduct. The\nI\tMembers' code follows the national code.\n")
    assert doc.clauses[0].text == "The Council has adopted a code of conduct. The Members' code follows the national code."
    assert doc.clauses[0].marker == "5.8 I"


def test_segment_sets_a_stray_number_aside_as_furniture(tmp_path):
    doc = load(tmp_path, "14. Other matters\n14.1 Members must follow the code.\n15.\n15.1 Officers must follow theirs.\n")
    assert [c.number for c in doc.clauses] == ["14", "14.1", "15.1"]
    assert doc.furniture == ("15.",)


def test_segment_puts_a_bullet_between_lettered_items_beside_them(tmp_path):
    doc = load(tmp_path, """
        8.1 Members should follow formal advice because:
        (a) decisions may breach the Council's legal duties;
        (b) decisions may have unforeseen consequences;
        - such action could make the Council liable for damages;
        (d) such action would damage the Council's reputation.
    """)
    bullet = next(c for c in doc.clauses if c.number is None and c.kind == "item")
    assert parent_label(doc, bullet.label) == "8.1"
    assert parent_label(doc, "8.1(d)") == "8.1"


def test_segment_rejoins_an_item_broken_across_lines(tmp_path):
    doc = load(tmp_path, """
        122. If a member is contacted by the media, they should:
        - be sure of the facts;
        - seek assistance from the Chief Executive or relevant

        Director, except for party political statements;
        - consider the consequences.
    """)
    items = [c.text for c in doc.clauses if c.kind == "item"]
    assert items[1] == "seek assistance from the Chief Executive or relevant Director, except for party political statements;"
    assert len(items) == 3


def test_segment_keeps_flat_paragraph_numbers_under_unnumbered_headings(tmp_path):
    doc = load(tmp_path, """
        Principles
        10. Members and officers must at all times observe this protocol.
        11. The protocol has been approved by the Standards Committee.
        The role of members
        139. Members have a number of roles.
        It is not for members to manage staff.
    """)
    clauses = by_label(doc)
    assert parent_label(doc, "139") == "The role of members"
    assert clauses["139 ¶2"].text == "It is not for members to manage staff."
    assert parent_label(doc, "139 ¶2") == "139"
    assert clauses["11"].section == "Principles"


def test_segment_uses_the_number_word_displays_for_automatic_numbering():
    blocks = (Block("Introduction", kind="heading", level=1), Block("Members set policy.", number="1.1"),
              Block("in public;", number="(a)"), Block("with reasons.", number="(b)"))
    doc = segment(Document(id="auto", source="auto.docx", format="docx", sha256="", blocks=blocks))
    assert [c.number for c in doc.clauses] == [None, "1.1", "1.1(a)", "1.1(b)"]
    assert doc.clauses[2].marker == "(a)"


def test_segment_splits_each_clause_into_sentences(tmp_path):
    doc = load(tmp_path, "4.3 Officers (e.g. the s.151 officer) advise members. See para. 4 of the Code. It applies.\n")
    assert doc.clauses[0].sentences == (
        "Officers (e.g. the s.151 officer) advise members.", "See para. 4 of the Code.", "It applies.")


@pytest.mark.parametrize("line, scheme, token", [
    ("8.1(e)(ii) Politically impartial", "decimal", "8.1(e)(ii)"),
    ("Article 4 The Full Council", "keyword", "Article 4"),
    ("§ 4 Disclosure", "keyword", "§ 4"),
    ("PARA 12 Members must", "keyword", "Para 12"),
    ("IV. WHEN THINGS GO WRONG", "section", "IV"),
    ("I am writing to say", "none", ""),
    ("A. The Council will decide.", "item", "A"),
    ("20 working days are allowed", "none", ""),
    ("- a) informal resolution first", "item", "a"),
    ("o  canvass for them", "bullet", "o"),
])
def test_segment_parses_printed_markers(line, scheme, token):
    marker = parse_marker(line)
    assert (marker.scheme, marker.token) == (scheme, token)


def test_segment_sets_aside_a_page_number_inside_a_sentence(tmp_path):
    doc = load(tmp_path, """
        3.3 Councillors will have access to such documents as are necessary for the
        12
        proper discharge of their functions.
        3.4 Councillors will not disclose confidential information.
    """)
    assert [c.number for c in doc.clauses] == ["3.3", "3.4"]
    assert doc.clauses[0].text.endswith("necessary for the proper discharge of their functions.")
    assert doc.furniture == ("12",)


def test_segment_drops_a_running_header_repeated_on_every_page(tmp_path):
    pages = "\n".join(f"Anytown Council – Member/Officer Protocol\n{n}.1 Provision {n} applies to members.\n"
                      f"{n}.2 Provision {n} also applies to officers.\nPage {n} of 4" for n in range(1, 5))
    doc = load(tmp_path, pages)
    assert [c.number for c in doc.clauses] == [f"{n}.{k}" for n in range(1, 5) for k in (1, 2)]
    assert doc.furniture.count("Anytown Council – Member/Officer Protocol") == 4


def test_segment_makes_a_table_header_a_heading_and_numbers_rows(tmp_path):
    doc = load(tmp_path, "6. Roles\n6.1 A quick guide to roles:\nMembers\tOfficers\nSet policy\tGive advice\n"
                         "Represent the ward\tServe the whole Council\n6.2 Members lead.\n")
    kinds = [(c.label, c.kind) for c in doc.clauses if c.text.count("|")]
    assert kinds == [("6.1, table header", "heading"), ("6.1, row 1", "row"), ("6.1, row 2", "row")]
    assert {c.parent for c in doc.clauses if "|" in c.text} == {by_label(doc)["6.1"].id}
    assert by_label(doc)["6.1"].path == ("Roles", "6.1")  # a table header is not a section heading


def test_segment_does_not_take_a_bold_numbered_sentence_for_a_heading():
    blocks = (Block("2. Roles", kind="heading", level=1),
              Block("2.2 Councillors have three main areas of responsibility", kind="heading", level=2),
              Block("(a) policy;"), Block("(b) representation."),
              Block("2.3 Chairmen", kind="heading", level=2), Block("Chairmen have more to do."))
    doc = segment(Document(id="bold", source="bold.docx", format="docx", sha256="", blocks=blocks))
    kinds = {c.label: c.kind for c in doc.clauses}
    assert kinds["2.2"] == "paragraph" and kinds["2.2(b)"] == "item"
    assert [c.kind for c in doc.clauses if c.number == "2.3"] == ["heading"]


def test_segment_reads_word_list_styles_as_items():
    blocks = (Block("33.\tMembers have a duty under their code of conduct:", style="Normal"),
              Block("to promote equality by not discriminating unlawfully against any person, and", style="List Bullet"),
              Block("to treat others with respect.", style="List Bullet"),
              Block("in public as well as in private.", style="List Bullet 2"),
              Block("34.\tUnder the code, a member must not bring the Council into disrepute.", style="Normal"))
    doc = segment(Document(id="word", source="word.docx", format="docx", sha256="", blocks=blocks))
    assert [(c.label, c.kind) for c in doc.clauses] == [
        ("33", "paragraph"), ("33, bullet 1", "item"), ("33, bullet 2", "item"), ("33, bullet 3", "item"), ("34", "paragraph")]
    assert parent_label(doc, "33, bullet 3") == "33, bullet 2"


def test_segment_keeps_a_list_of_short_sentences_whose_letters_were_lost(tmp_path):
    doc = load(tmp_path, """
        8.1 All members are entitled to expect from officers:
        A commitment to the Council as a whole
        A working partnership.
        Timely responses to enquiries and complaints.
        (d) Integrity and appropriate confidentiality.
        8.2 Opposition members have the same rights.
    """)
    items = [c for c in doc.clauses if c.kind == "item"]
    assert [c.text[:12] for c in items] == ["A commitment", "A working pa", "Timely respo", "Integrity an"]
    assert {parent_label(doc, c.label) for c in items} == {"8.1"}


def test_segment_readme_trees_are_what_outline_prints(capsys):
    from analyser.cli import main

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The clause model", 1)[1].split("\n## ", 1)[0]
    shown = [line[4:] for line in section.splitlines() if line.startswith("    ") and "[" in line]
    printed = []
    for name in ("bursledon-parish", "torbay"):
        main(["outline", str(ROOT / "corpus" / f"{name}.txt")])
        printed += capsys.readouterr().out.splitlines()
    assert shown and all(line in printed for line in shown)


def test_segment_rejoins_lines_broken_mid_phrase():
    lines = ("6.2 The Mayor, the Chairman of the Council, members of the Cabinet, the",
             "Overview and Scrutiny Co-ordinator and the Chairmen of committees, all have additional",
             "responsibilities. Individual members of these committees (including",
             "Chairmen) have no decision-making powers, and the terms include non-",
             "elected members.", "6.3 Officers serve the whole Council.", "Principles",
             "7.1 Members and officers must observe this protocol.")
    doc = segment(Document(id="pdf", source="pdf.pdf", format="pdf", sha256="",
                           blocks=tuple(Block(text) for text in lines)))
    assert [c.label for c in doc.clauses] == ["6.2", "6.3", "Principles", "7.1"]
    assert doc.clauses[0].text.endswith("(including Chairmen) have no decision-making powers, and the terms include "
                                        "non-elected members.")


def test_segment_outlines_a_whole_protocol_as_expected(capsys):
    """A protocol of our own with a contents page, running heads, page numbers, definitions with
    sub-items, bullets, nested items, a tracked insertion and a table: its outline is the golden file."""
    from analyser.cli import main

    from .conftest import ROOT

    case = ROOT / "tests" / "data" / "segment"
    main(["outline", str(case / "northshire.txt")])
    assert capsys.readouterr().out == (case / "northshire.outline").read_text(encoding="utf-8")


def test_segment_does_not_take_an_explanation_for_a_definition(tmp_path):
    doc = load(tmp_path, """
        Definitions
        In this Protocol:
        Officer means an employee of the Council.
        This means that agency staff are not officers.
        Interpretation, complaints and breaches
        Cabinet Members are bound by it.
        Complaint means a written complaint to the Monitoring Officer.
    """)
    kinds = {c.text.split()[0]: c.kind for c in doc.clauses}
    assert kinds["Officer"] == "definition"
    assert kinds["This"] == "paragraph"
    assert kinds["Complaint"] == "paragraph"  # not a definitions section, and the term is not quoted


def test_segment_nests_bullets_under_a_bullet_ending_with_a_colon(tmp_path):
    doc = load(tmp_path, """
        3. A protocol is needed:
        - to promote trust;
        - to define roles so as:
        - to clarify responsibilities,
        - to avoid conflict, and
        - to prevent duplication;
        - to secure compliance with the law.
    """)
    parents = {c.text: parent_label(doc, c.label) for c in doc.clauses if c.kind == "item"}
    assert parents["to clarify responsibilities,"] == "3, bullet 2"
    assert parents["to prevent duplication;"] == "3, bullet 2"
    assert parents["to secure compliance with the law."] == "3"


def test_segment_reads_a_word_document_built_for_the_test(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Member/Officer Protocol", level=0)
    document.add_heading("Roles of Members", level=1)
    document.add_paragraph("2.1\tMembers have these roles:")
    document.add_paragraph("setting policy;", style="List Bullet")
    document.add_paragraph("monitoring performance.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Members", "Officers"), ("Set policy", "Give advice")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("2.2\tMembers must not instruct officers.")
    path = tmp_path / "protocol.docx"
    document.save(path)
    doc = segment(load_document(path))
    clauses = by_label(doc)
    assert [clauses[f"2.1, bullet {n}"].text for n in (1, 2)] == ["setting policy;", "monitoring performance."]
    assert parent_label(doc, "2.1, bullet 2") == "2.1"
    assert clauses["2.1, row 1"].text == "Set policy | Give advice"
    assert clauses["2.2"].path == ("Roles of Members", "2.2")


def test_segment_keeps_a_sub_heading_used_in_several_sections(tmp_path):
    text = "\n".join(f"{n}. Section {n}\nGuidance\n{n}.1 Members must follow rule {n}.\n{n}.2 Officers must too."
                     for n in range(1, 5))
    doc = load(tmp_path, text)
    assert [c.text for c in doc.clauses].count("Guidance") == 4
    assert doc.furniture == ()
