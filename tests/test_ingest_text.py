"""Plain text and Markdown: encodings, extraction residue, balloons and reviewers' notes."""
from __future__ import annotations

import pytest

from analyser import Settings, compare, run

from .builders import assert_refused_in_one_line
from analyser.ingest import load_document
from analyser.ingest.text import read_text
from analyser.segment import segment

PROTOCOL = ("Member/Officer Protocol\n"
            "1. Introduction\n"
            "1.1 Members’ and officers’ “mutual respect” is essential — always.\n"
            "1.2 Officers serve the whole council.\n")


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""), ("cp1252", b""),
])
def test_text_reads_each_encoding_with_curly_quotes(tmp_path, encoding, prefix):
    path = tmp_path / "protocol.txt"
    path.write_bytes(prefix + PROTOCOL.replace("\n", "\r\n").encode(encoding))
    texts = [c.text for c in segment(load_document(path)).clauses]
    assert "Members’ and officers’ “mutual respect” is essential — always." in texts
    assert not any("\ufeff" in t or "\ufffd" in t or "\r" in t for t in texts)


def test_text_mixed_utf8_and_windows_1252_lines_both_survive(tmp_path):
    path = tmp_path / "pasted.txt"
    path.write_bytes("1.1 Members’ duties.\n".encode("utf-8") + "1.2 Officers’ duties.\n".encode("cp1252"))
    assert [b.text for b in load_document(path).blocks] == ["1.1 Members’ duties.", "1.2 Officers’ duties."]


def test_text_accepts_insertions_and_strips_markup():
    blocks = read_text("4.1 Members <u>must_not</u> **press** officers.\n".encode(), "t.txt")
    assert blocks[0].text == "4.1 Members must not press officers."


def test_text_balloons_are_annotations_not_text():
    data = ("5.1 Officers advise members.\n"
            "Formatted: Indent: Left: 1.27 cm\n"
            "5.2 Members decide.\tComment [ECC1]: Is this the model wording?\n").encode()
    blocks = read_text(data, "t.txt")
    assert [b.text for b in blocks] == ["5.1 Officers advise members.", "5.2 Members decide."]
    assert blocks[0].annotations == ("Formatted: Indent: Left: 1.27 cm",)
    assert blocks[1].annotations == ("Comment [ECC1]: Is this the model wording?",)


def test_text_drops_image_placeholders_and_page_furniture(tmp_path):
    path = tmp_path / "protocol.txt"
    path.write_text("[image: crest.png]\nProtocol on Member Relations\n1. Introduction\n1.1 Members lead.\n5-58\n"
                    "Page 2 of 9\n2. Roles\n2.1 Officers advise.\n", encoding="utf-8")
    texts = [c.text for c in segment(load_document(path)).clauses]
    assert texts == ["Protocol on Member Relations", "Introduction", "Members lead.", "Roles", "Officers advise."]


def test_text_reviewer_notes_become_document_annotations(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("1. Scope\n1.1 This protocol applies to all members.\n1.2 It applies to officers too.\n"
                    "Some more general points:\n"
                    "I think section 3 repeats section 1.\n"
                    "Are you sure the Monitoring Officer should decide complaints?\n"
                    "I suggested shorter paragraphs.\n", encoding="utf-8")
    document = segment(load_document(path))
    assert document.annotations[0] == "Some more general points:"
    assert len(document.annotations) == 4
    assert all("suggested" not in c.text for c in document.clauses)


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"  \n\n", "empty"),
    ("protocol.odt", b"PK\x03\x04", "unsupported file type"),
    ("binary.txt", b"\x00\x01\x02" * 200, "binary"),
])
def test_text_bad_input_fails_with_one_line(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    assert_refused_in_one_line(path, reason)


def test_text_bad_file_in_a_batch_is_reported_and_others_go_on(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(PROTOCOL, encoding="utf-8")
    (inputs / "bad.docx").write_bytes(b"PK\x03\x04 truncated")
    before = sorted(p.name for p in inputs.iterdir())
    analysis = compare([inputs], settings=Settings())
    assert [d.id for d in analysis.documents] == ["good"]
    assert [f.source.rsplit("/", 1)[-1] for f in analysis.failures] == ["bad.docx"]
    assert "corrupt or truncated" in analysis.failures[0].reason
    assert sorted(p.name for p in inputs.iterdir()) == before  # nothing written beside the inputs
    _, written = run([inputs], settings=Settings(out=tmp_path / "out"))
    report = next(p for p in written if p.name == "report.md").read_text(encoding="utf-8")
    assert "bad.docx" in report


def test_text_markdown_headings_and_links(tmp_path):
    path = tmp_path / "protocol.md"
    path.write_text("# Member/Officer Protocol\n\n## 1. Scope\n\n1.1 See the [Members' Code](https://example.org/code).\n",
                    encoding="utf-8")
    blocks = load_document(path).blocks
    assert [(b.kind, b.level, b.text) for b in blocks] == [
        ("heading", 1, "Member/Officer Protocol"), ("heading", 2, "1. Scope"), ("paragraph", None, "1.1 See the Members' Code.")]
