"""The Word reader: automatic numbering, headings, tables, tracked changes, comments, headers."""
from __future__ import annotations

import copy
import io

import pytest
from lxml import etree

from analyser import Settings, compare

from .builders import assert_refused_in_one_line
from analyser.ingest import load_document
from analyser.ingest.word_numbering import format_number
from analyser.ingest.word import read_word
from analyser.segment import segment

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"

# a three-level legal list: "1.", "1.1", "(a)"; numId 91 uses it as it is, numId 92 restarts it at 1
NUMBERING = f"""<w:numbering xmlns:w="{W_NS}">
  <w:abstractNum w:abstractNumId="90">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="93">
    <w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1)"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="95">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="91"><w:abstractNumId w:val="90"/></w:num>
  <w:num w:numId="92"><w:abstractNumId w:val="90"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
  <w:num w:numId="94"><w:abstractNumId w:val="93"/></w:num>
  <w:num w:numId="96"><w:abstractNumId w:val="95"/></w:num>
</w:numbering>"""


def _numbered(paragraph, num_id: int, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = etree.SubElement(ppr, W + "numPr")
    etree.SubElement(num_pr, W + "ilvl").set(W + "val", str(ilvl))
    etree.SubElement(num_pr, W + "numId").set(W + "val", str(num_id))


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_numbering(document) -> None:
    part = document.part.numbering_part
    ours = etree.fromstring(NUMBERING.encode())
    root = part.element
    for child in list(root):
        root.remove(child)
    for child in ours:  # abstract definitions must come before the instances that use them
        root.append(copy.deepcopy(child))


@pytest.fixture()
def numbered_docx(tmp_path):
    import docx

    document = docx.Document()
    _with_numbering(document)
    items = [
        (91, 0, "Introduction"), (91, 1, "Members and officers work together."), (91, 2, "openly;"),
        (91, 2, "honestly."), (91, 1, "Officers serve the council."), (91, 2, "restarted letter"),
        (91, 3, "a roman sub-item"), (91, 0, "Roles"), (91, 1, "Members decide policy."),
        (92, 0, "A restarted list"), (92, 1, "Its first paragraph."), (94, 0, "Lettered from D"),
        (94, 0, "then E"), (96, 0, "a bullet point"),
    ]
    for num_id, ilvl, text in items:
        _numbered(document.add_paragraph(text), num_id, ilvl)
    style = document.styles.add_style("Clause Text", 1)  # a style that carries the numbering itself
    ppr = style.element.get_or_add_pPr()
    num_pr = etree.SubElement(ppr, W + "numPr")
    etree.SubElement(num_pr, W + "numId").set(W + "val", "91")
    etree.SubElement(num_pr, W + "ilvl").set(W + "val", "1")
    document.add_paragraph("Numbered through its style.", style="Clause Text")
    path = tmp_path / "numbered.docx"
    path.write_bytes(_save(document))
    return path


def test_word_numbering_displays_words_numbers(numbered_docx):
    # list 92 restarts the definition with its own counters; list 91 then goes on from 2.1 to 2.2
    blocks = read_word(numbered_docx.read_bytes(), str(numbered_docx))
    numbers = [(b.number, b.text) for b in blocks]
    assert numbers == [
        ("1.", "Introduction"), ("1.1", "Members and officers work together."), ("(a)", "openly;"),
        ("(b)", "honestly."), ("1.2", "Officers serve the council."), ("(a)", "restarted letter"),
        ("(i)", "a roman sub-item"), ("2.", "Roles"), ("2.1", "Members decide policy."),
        ("1.", "A restarted list"), ("1.1", "Its first paragraph."), ("D)", "Lettered from D"),
        ("E)", "then E"), ("•", "a bullet point"), ("2.2", "Numbered through its style."),
    ]


def test_word_numbering_reaches_clause_numbers(numbered_docx):
    clauses = segment(load_document(numbered_docx)).clauses
    by_text = {c.text: c.number for c in clauses}
    assert by_text["honestly."] == "1.1(b)"
    assert by_text["Members decide policy."] == "2.1"
    assert all(not c.text[:1].isdigit() for c in clauses)  # numbers stay out of the text


def test_word_format_number_writes_each_format():
    assert [format_number(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(9, "lowerRoman") == "ix"
    assert format_number(3, "upperLetter") == "C"
    assert format_number(12, "decimal") == "12"


def _tracked_paragraph(document, parts) -> None:
    """Adds a paragraph made of (kind, text) runs: kind is '', 'ins', 'del', 'moveFrom' or 'moveTo'."""
    paragraph = document.add_paragraph()
    for n, (kind, text) in enumerate(parts):
        run = etree.Element(W + "r")
        t = etree.SubElement(run, W + ("delText" if kind in ("del", "moveFrom") else "t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if kind:
            wrapper = etree.SubElement(paragraph._p, W + kind)
            wrapper.set(W + "id", str(100 + n))
            wrapper.set(W + "author", "Reviewer")
            wrapper.append(run)
        else:
            paragraph._p.append(run)
    return paragraph


@pytest.fixture()
def tracked_docx(tmp_path):
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Anytown Council Member/Officer Protocol"
    document.sections[0].footer.paragraphs[0].text = "Page 1 of 1"
    document.add_heading("Officer advice", level=1)
    _tracked_paragraph(document, [("", "Members "), ("del", "may wish to"), ("ins", "should"), ("", " seek advice.")])
    commented = document.add_paragraph("Officers will respond within ten working days.")
    document.add_comment(commented.runs, text="Is ten days realistic?", author="Ed Clarke", initials="EC")
    _tracked_paragraph(document, [("moveFrom", "A paragraph moved away.")])
    _tracked_paragraph(document, [("moveTo", "A paragraph moved here.")])
    table = document.add_table(rows=2, cols=2)
    for r, (a, b) in enumerate((("Members", "Officers"), ("set policy", "carry it out"))):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    path = tmp_path / "draft.docx"
    path.write_bytes(_save(document))
    return path


def test_word_tracked_changes_read_both_ways(tracked_docx):
    blocks = read_word(tracked_docx.read_bytes(), str(tracked_docx))
    advice = next(b for b in blocks if "seek advice" in b.text)
    assert advice.text == "Members should seek advice."
    assert advice.original == "Members may wish to seek advice."
    moved_away = [b for b in blocks if b.original == "A paragraph moved away."]
    assert moved_away and moved_away[0].text == ""
    moved_here = next(b for b in blocks if b.text == "A paragraph moved here.")
    assert moved_here.original == ""


def test_word_comment_is_an_annotation_not_text(tracked_docx):
    blocks = read_word(tracked_docx.read_bytes(), str(tracked_docx))
    commented = next(b for b in blocks if b.text.startswith("Officers will respond"))
    assert commented.text == "Officers will respond within ten working days."
    assert commented.annotations == ("Comment [EC1]: Is ten days realistic?",) or \
        commented.annotations[0].endswith("Is ten days realistic?")
    assert all("realistic" not in b.text for b in blocks)


def test_word_drops_headers_reads_headings_and_rows(tracked_docx):
    blocks = read_word(tracked_docx.read_bytes(), str(tracked_docx))
    assert all("Anytown" not in b.text and "Page 1" not in b.text for b in blocks)
    heading = blocks[0]
    assert (heading.kind, heading.level, heading.text) == ("heading", 1, "Officer advice")
    rows = [b.text for b in blocks if b.kind == "row"]
    assert rows == ["Members | Officers", "set policy | carry it out"]


def test_word_revisions_review_draft_against_its_original(tracked_docx):
    analysis = compare([tracked_docx], settings=Settings(revisions=True))
    assert analysis.target == "draft" and analysis.baseline == "draft-original"
    original = analysis.document("draft-original")
    assert original.title.endswith("(before tracked changes)")
    texts = [c.text for c in original.clauses]
    assert "Members may wish to seek advice." in texts and "A paragraph moved away." in texts
    assert "A paragraph moved here." not in texts
    current = [c.text for c in analysis.document("draft").clauses]
    assert "Members should seek advice." in current and "A paragraph moved away." not in current


def test_word_revisions_without_tracked_changes_is_an_error(numbered_docx):
    from analyser.errors import ConfigError

    with pytest.raises(ConfigError, match="tracked changes"):
        compare([numbered_docx], settings=Settings(revisions=True))


def test_word_typed_numbers_and_outline_levels(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Member/Officer Protocol", style="Title")
    outlined = document.add_paragraph("Scope")
    etree.SubElement(outlined._p.get_or_add_pPr(), W + "outlineLvl").set(W + "val", "1")
    document.add_paragraph("1.1\tThis protocol applies to all members.")
    blocks = read_word(_save(document), "typed.docx")
    assert [(b.kind, b.level) for b in blocks] == [("title", 0), ("heading", 2), ("paragraph", None)]
    clause = segment(load_document(_write(tmp_path, "typed.docx", _save(document)))).clauses[-1]
    assert (clause.number, clause.text) == ("1.1", "This protocol applies to all members.")


def _zip(files: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_word_corrupt_truncated_and_text_files_fail_clearly(tmp_path, numbered_docx):
    data = numbered_docx.read_bytes()
    for name, content, reason in (
        ("truncated.docx", data[: len(data) // 2], "corrupt or truncated"),
        ("text.docx", b"Member/Officer Protocol\n1. Introduction\n", "really a text file"),
        ("binary.docx", bytes(range(256)) * 4, "not a Word .docx"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "97-2003 .doc or a password-protected"),
        ("archive.docx", _zip({"notes.txt": b"hello"}), "not a Word document"),
    ):
        assert_refused_in_one_line(_write(tmp_path, name, content), reason)


def test_word_list_style_link_and_hidden_text(tmp_path):
    import docx

    document = docx.Document()
    _with_numbering(document)
    numbering = document.part.numbering_part.element
    # a definition that only points at a list style, which in turn uses list 91's definition
    linked = etree.fromstring(f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="97">'
                              f'<w:numStyleLink w:val="ClauseList"/></w:abstractNum>')
    numbering.insert(0, linked)
    num = etree.SubElement(numbering, W + "num")
    num.set(W + "numId", "98")
    etree.SubElement(num, W + "abstractNumId").set(W + "val", "97")
    style = document.styles.add_style("ClauseList", 1)
    style.element.set(W + "styleId", "ClauseList")
    num_pr = etree.SubElement(style.element.get_or_add_pPr(), W + "numPr")
    etree.SubElement(num_pr, W + "numId").set(W + "val", "91")
    _numbered(document.add_paragraph("First."), 98, 0)
    _numbered(document.add_paragraph("Second."), 98, 1)
    hidden = document.add_paragraph("Shown. ")
    hidden.add_run("Hidden words.").font.hidden = True
    blocks = read_word(_save(document), "linked.docx")
    assert [(b.number, b.text) for b in blocks] == [("1.", "First."), ("1.1", "Second."), (None, "Shown.")]


def test_word_footnotes_are_annotations(tmp_path):
    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = docx.Document()
    paragraph = document.add_paragraph("Members may use council resources for council business.")
    reference = etree.SubElement(etree.SubElement(paragraph._p, W + "r"), W + "footnoteReference")
    reference.set(W + "id", "2")
    footnotes = (f'<w:footnotes xmlns:w="{W_NS}">'
                 f'<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 f'<w:footnote w:id="2"><w:p><w:r><w:t>See the Members\' Code, paragraph 7.</w:t></w:r></w:p></w:footnote>'
                 f'</w:footnotes>').encode()
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", footnotes,
                document.part.package)
    document.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes")
    blocks = read_word(_save(document), "notes.docx")
    assert blocks[0].text == "Members may use council resources for council business."
    assert blocks[0].annotations == ("Footnote 1: See the Members' Code, paragraph 7.",)
