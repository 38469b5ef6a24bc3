"""Hostile and broken inputs through the command line: one line each, the right exit code, no hang,
and the good files of the same run still reviewed. Every file is built here, in tmp_path."""
from __future__ import annotations

import functools
import io
import json
import os
import re
import struct
import time
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pytest

from analyser.cli import main
from analyser.errors import ConfigError
from analyser.ingest import guard

from .builders import DRAFT, PEER, docx_bytes, flate_stream, pdf_bytes, replace_parts

HANG_GUARD_S = 10  # generous: these catch hangs, they are not benchmarks


@functools.cache
def good_docx() -> bytes:
    return docx_bytes(["Protocol", "1. Members must be courteous to officers.", "2. Officers advise members."])


@dataclass
class Outcome:
    code: int
    lines: list[str]
    seconds: float
    out: Path


def run_cli(capsys, *argv: str) -> tuple[int, list[str], float]:
    started = time.monotonic()
    code = main(list(argv))
    seconds = time.monotonic() - started
    return code, capsys.readouterr().err.splitlines(), seconds


def good_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "draft.txt").write_text(DRAFT, encoding="utf-8")
    (folder / "peer.txt").write_text(PEER, encoding="utf-8")
    return folder


def compare(capsys, tmp_path: Path, *extra: str) -> Outcome:
    out = tmp_path / "out"
    code, lines, seconds = run_cli(capsys, "compare", *extra, "--out", str(out))
    return Outcome(code, lines, seconds, out)


# ---- the builders of bad files: each returns the file's bytes ------------------------------------------------

@functools.cache
def zip_bomb_declared() -> bytes:
    # 101 MB of spaces packs to about 100 kB; the central directory states the true size
    return replace_parts(good_docx(), {"word/media/filler.bin": b" " * (101 * 1024 * 1024)})


def zip_too_many_parts() -> bytes:
    return replace_parts(good_docx(), {f"customXml/item{i}.bin": b"" for i in range(2_001)})


def zip_lying_header() -> bytes:
    # the central directory claims 100 bytes; the stream holds 5 MB
    data = replace_parts(good_docx(), {"word/document.xml": b"<a>" + b" " * 5_000_000 + b"</a>"})
    central = data.find(b"PK\x01\x02")
    name = data.find(b"word/document.xml", central)
    while data.rfind(b"PK\x01\x02", 0, name) != name - 46:
        name = data.find(b"word/document.xml", name + 1)
    patched = bytearray(data)
    struct.pack_into("<I", patched, name - 46 + 24, 100)
    return bytes(patched)


def docx_entity_expansion() -> bytes:
    lol = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                      for i in range(1, 10))
           + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    return replace_parts(good_docx(), {"word/document.xml": lol})


def docx_deep_xml() -> bytes:
    depth = 5_000
    xml = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           + b"<w:sdt>" * depth + b"</w:sdt>" * depth + b"</w:body></w:document>")
    return replace_parts(good_docx(), {"word/document.xml": xml})


def docx_broken_xml() -> bytes:
    return replace_parts(good_docx(), {"word/document.xml": b"<w:document><w:body><w:p>"})


# three damaged packages benchmarks/fuzz_readers.py found: python-docx or the reader raised AttributeError or
# ValueError on them; guard.read now turns that into the file's one-line error

WORD_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_without_body() -> bytes:
    return replace_parts(good_docx(), {"word/document.xml": b"<?xml version='1.0'?><w:document " + WORD_NS + b"/>"})


def docx_styles_without_type() -> bytes:
    types = zipfile.ZipFile(io.BytesIO(good_docx())).read("[Content_Types].xml")
    return replace_parts(good_docx(), {"[Content_Types].xml": re.sub(rb'<Override PartName="/word/styles.xml"[^>]*/>',
                                                                     b"", types)})


def docx_style_of_empty_type() -> bytes:
    styles = zipfile.ZipFile(io.BytesIO(good_docx())).read("word/styles.xml")
    return replace_parts(good_docx(), {"word/styles.xml": styles.replace(b'w:type="paragraph"', b'w:type=""', 1)})


def docx_not_zip() -> bytes:
    return b"This was a text file before someone renamed it.\n"


def pdf_many_pages() -> bytes:
    return pdf_bytes([["x"]] * 2_001)


def pdf_stream_bomb(limits_mb: int) -> bytes:
    return pdf_bytes([["1. Members must be courteous."]], extra_objects=[flate_stream((limits_mb + 1) * 1024 * 1024)])


def pdf_encrypted() -> bytes:
    body = pdf_bytes([["1. Members must be courteous."]])
    encrypt = (b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>")
    body = body.replace(b"trailer\n<< /Size", b"trailer\n<< /Encrypt 99 0 R /ID [<0123456789abcdef0123456789abcdef>"
                                              b"<0123456789abcdef0123456789abcdef>] /Size")
    return body.replace(b"xref\n", b"99 0 obj\n" + encrypt + b"\nendobj\nxref\n", 1)


def pdf_without_mediabox() -> bytes:
    # found by tests/test_properties.py: pdfplumber raised TypeError from page.extract_text on this page
    pages = [DRAFT.splitlines()[:6], DRAFT.splitlines()[6:]]
    return pdf_bytes(pages).replace(b"/MediaBox", b".MediaBox", 1)


def damaged_pdf(old: bytes, new: bytes) -> bytes:
    # more the fuzzer found: pdfplumber raised its own exceptions, or pdfminer's, while walking or reading pages
    return pdf_bytes([DRAFT.splitlines()[:6], DRAFT.splitlines()[6:]]).replace(old, new, 1)


def pdf_garbage() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 40


def text_with_nul() -> bytes:
    return b"1. Members must be courteous.\n2. Officers\x00 advise.\n"


def text_long_line() -> bytes:
    return b"1. Members must " + b"be courteous and " * 7_000 + b"\n"


def text_long_run() -> bytes:
    # a run of brackets made spaCy's tokenizer run for minutes before the guard
    return b"1. Members must be courteous.\n2. " + b"(" * 5_000 + b"\n"


def text_empty() -> bytes:
    return b""


DAMAGED = r"damaged|corrupt|unreadable|no text|cannot"


@dataclass(frozen=True)
class Case:
    name: str  # the file's name in the input folder
    build: object
    reason: str  # a regular expression the one-line reason must match
    limits: guard.Limits | None = None


CASES = [
    Case("bomb.docx", zip_bomb_declared, r"too large when unpacked .*zip bomb"),
    Case("many-parts.docx", zip_too_many_parts, r"2,\d{3} parts, over the limit"),
    Case("lying.docx", zip_lying_header, r"corrupt \.docx package: part word/document\.xml"),
    Case("lolz.docx", docx_entity_expansion, r"declares a DTD or entities"),
    Case("deep.docx", docx_deep_xml, r"nests XML more than 200 levels"),
    Case("broken-xml.docx", docx_broken_xml, r"not well-formed XML|corrupt"),
    # the reader may come to name these problems itself: any one-line refusal will do, a crash will not
    Case("no-body.docx", docx_without_body, DAMAGED),
    Case("renamed.docx", docx_not_zip, r"not a Word|not a zip"),
    Case("pages.pdf", pdf_many_pages, r"2,001 pages, over the limit"),
    Case("objects.pdf", lambda: pdf_bytes([["x"]] * 30), r"about \d+ objects, over the limit",
         guard.Limits(pdf_objects=50)),
    Case("inflate.pdf", lambda: pdf_stream_bomb(2), r"unpack to more than 2 MB",
         guard.Limits(pdf_stream_bytes=2 * 1024 * 1024)),
    Case("locked.pdf", pdf_encrypted, r"encrypted"),
    Case("no-mediabox.pdf", pdf_without_mediabox, r"damaged or unreadable file: the reader failed on it \(TypeError"),
    Case("box-name.pdf", lambda: damaged_pdf(b"/MediaBox [0 0 612 792]", b"/MediaBox [0 0 /x 792]"), DAMAGED),
    Case("box-five.pdf", lambda: damaged_pdf(b"/MediaBox [0 0 612 792]", b"/MediaBox [0 0 /x 12 792]"), DAMAGED),
    Case("odd-dict.pdf", lambda: damaged_pdf(b"BT /F1 11 Tf", b"<< /a >> BT /F1 11 Tf"), DAMAGED),
    Case("kid-number.pdf", lambda: damaged_pdf(b"/Kids [5 0 R 7 0 R]", b"/Kids [5 0 R 0]"), DAMAGED),
    Case("garbage.pdf", pdf_garbage, r"corrupt|unreadable|no text"),
    Case("nul.txt", text_with_nul, r"NUL|binary"),
    Case("long-line.txt", text_long_line, r"line 1 is [\d,]+ characters long"),
    Case("brackets.txt", text_long_run, r"line 2 holds more than 1,000 characters without a space"),
    Case("empty.txt", text_empty, r"empty"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file_is_skipped_with_one_line_and_good_files_reviewed(case, tmp_path, capsys, monkeypatch):
    if case.limits is not None:
        monkeypatch.setattr(guard, "LIMITS", case.limits)
    folder = good_folder(tmp_path)
    bad = folder / case.name
    bad.write_bytes(case.build())
    result = compare(capsys, tmp_path, str(folder), "--target", "draft")
    assert result.code == 0, result.lines
    about = [l for l in result.lines if case.name in l]
    assert len(about) == 1, result.lines
    assert re.fullmatch(rf"analyser: skipped {re.escape(str(bad))}: .*(?:{case.reason}).*", about[0]), about[0]
    assert result.seconds < HANG_GUARD_S
    findings = json.loads((result.out / "findings.json").read_text())
    assert findings["findings"], "the good files must still be reviewed"
    assert {f["source"] for f in findings["failures"]} == {str(bad)}
    assert escape(case.name) in (result.out / "report.html").read_text(), "the report lists the skipped file"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file_alone_exits_3_with_one_line(case, tmp_path, capsys, monkeypatch):
    if case.limits is not None:
        monkeypatch.setattr(guard, "LIMITS", case.limits)
    bad = tmp_path / case.name
    bad.write_bytes(case.build())
    result = compare(capsys, tmp_path, str(bad))
    assert result.code == 3
    assert result.lines[0].startswith(f"analyser: cannot read {bad}: ")
    assert re.search(case.reason, result.lines[0]), result.lines[0]
    assert result.lines[1] == f"analyser: error: {bad}: nothing to compare: 1 file could not be read"
    assert len(result.lines) == 2
    assert result.seconds < HANG_GUARD_S
    assert not result.out.exists(), "nothing useful was made, so no folder is left behind"


def test_hostile_slow_file_stops_at_the_time_limit(tmp_path, capsys, monkeypatch):
    # runs of brackets below the length limit are still slow to tokenise: hundreds of them take minutes; the
    # limit is generous enough that the good files, read under the same limit, finish on a loaded machine
    monkeypatch.setattr(guard, "LIMITS", guard.Limits(seconds=2))
    folder = good_folder(tmp_path)
    slow = folder / "slow.txt"
    # each run differs: spaCy's tokenizer caches a string it has seen, so a repeated run costs once
    slow.write_text("".join(f"{i}. {'(' * (500 + i)}\n" for i in range(1, 400)), encoding="utf-8")
    result = compare(capsys, tmp_path, str(folder), "--target", "draft")
    assert result.code == 0
    assert [l for l in result.lines if "slow.txt" in l] == [
        f"analyser: skipped {slow}: reading took longer than 2 s, the limit for one file: it may be built to hang readers"]
    assert result.seconds < HANG_GUARD_S
    assert json.loads((result.out / "findings.json").read_text())["findings"]


def test_hostile_xml_element_flood_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(guard, "LIMITS", guard.Limits(xml_elements=10_000))
    flood = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
             + b"<w:p/>" * 20_000 + b"</w:body></w:document>")
    folder = good_folder(tmp_path)
    (folder / "flood.docx").write_bytes(replace_parts(good_docx(), {"word/document.xml": flood}))
    result = compare(capsys, tmp_path, str(folder), "--target", "draft")
    assert result.code == 0
    assert any(re.search(r"flood\.docx: the \.docx part word/document\.xml holds more than 10,000 XML elements", l)
               for l in result.lines), result.lines


def test_hostile_zip_total_is_capped_across_parts(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(guard, "LIMITS", guard.Limits(zip_total_bytes=3 * 1024 * 1024))
    parts = {f"word/media/part{i}.bin": b" " * (1024 * 1024) for i in range(4)}
    bad = tmp_path / "parts.docx"
    bad.write_bytes(replace_parts(good_docx(), parts))
    result = compare(capsys, tmp_path, str(bad))
    assert result.code == 3
    assert "too large when unpacked" in result.lines[0] and "3 MB in all" in result.lines[0]


def test_hostile_good_docx_and_pdf_pass_the_guard(tmp_path, capsys):
    folder = good_folder(tmp_path)
    (folder / "word.docx").write_bytes(good_docx())
    (folder / "scan.pdf").write_bytes(pdf_bytes([["1. Members must be courteous to officers."],
                                                 ["2. Officers advise members."]]))
    result = compare(capsys, tmp_path, str(folder), "--target", "draft")
    assert result.code == 0
    assert result.lines == []
    alignment = json.loads((result.out / "alignment.json").read_text())
    assert {d["id"] for d in alignment["documents"]} == {"draft", "peer", "word", "scan"}


# ---- names, links and other paths ------------------------------------------------------------------------

def test_hostile_control_characters_in_a_name_are_shown_escaped_and_skipped(tmp_path, capsys):
    folder = good_folder(tmp_path)
    bad = folder / "evil\x1b[2Jname\nsecond.txt"
    bad.write_text(DRAFT, encoding="utf-8")
    result = compare(capsys, tmp_path, str(folder), "--target", "draft")
    assert result.code == 0
    about = [l for l in result.lines if "evil" in l]
    assert about == [f"analyser: skipped {folder}/evil\\x1b[2Jname\\x0asecond.txt: the file name holds control or "
                     "text-direction characters: rename the file and try again"]
    assert json.loads((result.out / "findings.json").read_text())["findings"]


def test_hostile_markup_in_a_name_is_read_and_escaped_in_the_report(tmp_path, capsys):
    folder = good_folder(tmp_path)
    (folder / "<img src=x onerror=alert(1)>.txt").write_text(PEER, encoding="utf-8")
    result = compare(capsys, tmp_path, str(folder), "--target", "draft")
    assert result.code == 0
    html = (result.out / "report.html").read_text()
    assert "<img src=x" not in html


def test_hostile_symlink_in_folder_is_reported_not_followed(tmp_path, capsys):
    folder = good_folder(tmp_path)
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(PEER, encoding="utf-8")
    link = folder / "linked.txt"
    link.symlink_to(secret)
    result = compare(capsys, tmp_path, str(folder), "--target", "draft")
    assert result.code == 0
    assert result.lines == [f"analyser: skipped {link}: a symbolic link inside a folder, not followed: name the "
                            "file it points to if you mean to compare it"]
    alignment = json.loads((result.out / "alignment.json").read_text())
    assert "linked" not in {d["id"] for d in alignment["documents"]}


def test_hostile_symlink_named_on_the_command_line_is_read(tmp_path, capsys):
    folder = good_folder(tmp_path)
    link = tmp_path / "peer-link.txt"
    link.symlink_to(folder / "peer.txt")
    result = compare(capsys, tmp_path, str(folder / "draft.txt"), str(link), "--target", "draft")
    assert result.code == 0, result.lines


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_hostile_named_pipe_is_refused_not_read(tmp_path, capsys):
    folder = good_folder(tmp_path)
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    result = compare(capsys, tmp_path, str(folder), str(pipe), "--target", "draft")
    assert result.code == 0
    assert result.lines == [f"analyser: skipped {pipe}: not a regular file (a device, pipe or socket): name a protocol file"]
    assert result.seconds < HANG_GUARD_S


def test_hostile_missing_and_unsupported_paths_are_one_line_each(tmp_path, capsys):
    folder = good_folder(tmp_path)
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    result = compare(capsys, tmp_path, str(folder), str(tmp_path / "missing.txt"), str(old), "--target", "draft")
    assert result.code == 0
    assert result.lines[0] == f"analyser: skipped {tmp_path / 'missing.txt'}: no such file or folder"
    assert result.lines[1].startswith(f"analyser: skipped {old}: unsupported file type '.doc': use .docx, .pdf")
    assert len(result.lines) == 2


def test_hostile_strict_stops_at_the_first_bad_file(tmp_path, capsys):
    folder = good_folder(tmp_path)
    (folder / "empty.txt").write_bytes(b"")
    result = compare(capsys, tmp_path, str(folder), "--target", "draft", "--strict")
    assert result.code == 3
    assert result.lines == [f"analyser: error: {folder / 'empty.txt'}: the file is empty"]


def test_hostile_reader_bug_skips_the_file_and_debug_shows_it(tmp_path, capsys, monkeypatch):
    import analyser.pipeline as pipeline

    real = pipeline.segment

    def buggy(document, **kw):
        if document.id == "peer":
            raise KeyError("w:numId")
        return real(document, **kw)

    monkeypatch.setattr(pipeline, "segment", buggy)
    folder = good_folder(tmp_path)
    (folder / "third.txt").write_text(PEER.replace("ten working days", "twenty working days"), encoding="utf-8")
    result = compare(capsys, tmp_path, str(folder), "--target", "draft")
    assert result.code == 0
    assert result.lines == [f"analyser: skipped {folder / 'peer.txt'}: could not be read: unexpected KeyError "
                            "('w:numId'); please report this file (run with --debug for details)"]


# ---- exit codes, --debug and the output folder ------------------------------------------------------------

def test_hostile_unknown_target_exits_2(tmp_path, capsys):
    result = compare(capsys, tmp_path, str(good_folder(tmp_path)), "--target", "nobody")
    assert result.code == 2
    assert len(result.lines) == 1 and result.lines[0].startswith("analyser: error: --target/--baseline 'nobody'")


def test_hostile_debug_raises_instead_of_one_line(tmp_path, capsys):
    from analyser.errors import ConfigError

    with pytest.raises(ConfigError):
        main(["compare", str(good_folder(tmp_path)), "--target", "nobody", "--out", str(tmp_path / "o"), "--debug"])


def test_hostile_run_does_without_the_cyclic_collector_and_gives_it_back(tmp_path, capsys, monkeypatch):
    import gc

    import analyser.pipeline as pipeline

    seen = []
    real_run = pipeline.run
    monkeypatch.setattr(pipeline, "run", lambda *a, **k: seen.append(gc.isenabled()) or real_run(*a, **k))
    assert gc.isenabled()
    assert compare(capsys, tmp_path, str(good_folder(tmp_path)), "--target", "draft").code == 0
    with pytest.raises(ConfigError):
        main(["compare", str(tmp_path / "in"), "--target", "nobody", "--out", str(tmp_path / "o"), "--debug"])
    assert seen == [False, False] and gc.isenabled()


def test_hostile_internal_error_is_one_line_exit_1(tmp_path, capsys, monkeypatch):
    import analyser.pipeline as pipeline

    monkeypatch.setattr(pipeline, "review", lambda *a, **k: 1 / 0)
    result = compare(capsys, tmp_path, str(good_folder(tmp_path)), "--target", "draft")
    assert result.code == 1
    assert result.lines == ["analyser: internal error (ZeroDivisionError: division by zero); please report it, "
                            "and run again with --debug for the traceback"]


def test_hostile_out_inside_an_input_folder_exits_5(tmp_path, capsys):
    folder = good_folder(tmp_path)
    for out in (folder, folder / "reports"):
        code, lines, _ = run_cli(capsys, "compare", str(folder), "--out", str(out), "--force")
        assert code == 5
        assert lines == [f"analyser: error: the output folder {out} is inside the input folder {folder}: analyser "
                         "never writes among its inputs; choose --out elsewhere"]
    assert sorted(p.name for p in folder.iterdir()) == ["draft.txt", "peer.txt"]


def test_hostile_out_beside_an_input_file_exits_5(tmp_path, capsys):
    folder = good_folder(tmp_path)
    code, lines, _ = run_cli(capsys, "compare", str(folder / "draft.txt"), str(folder / "peer.txt"), "--out", str(folder))
    assert code == 5
    assert "holds the input file" in lines[0]


def test_hostile_foreign_folder_is_not_overwritten_without_force(tmp_path, capsys):
    folder = good_folder(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "report.html").write_text("someone's own page", encoding="utf-8")
    code, lines, _ = run_cli(capsys, "compare", str(folder), "--out", str(out))
    assert code == 5
    assert lines == [f"analyser: error: the output folder {out} already exists and was not made by analyser (it has "
                     "no .analyser-run file): choose another --out, or pass --force to write into it"]
    assert (out / "report.html").read_text() == "someone's own page"
    code, _, _ = run_cli(capsys, "compare", str(folder), "--out", str(out), "--force")
    assert code == 0
    assert not (out / ".analyser-run").exists(), "a forced folder is not claimed as ours"


def test_hostile_own_folder_is_marked_and_reused(tmp_path, capsys):
    folder = good_folder(tmp_path)
    out = tmp_path / "runs" / "first"
    assert run_cli(capsys, "compare", str(folder), "--target", "draft", "--out", str(out))[0] == 0
    assert (out / ".analyser-run").is_file()
    assert "review.docx" in {p.name for p in out.iterdir()}
    assert run_cli(capsys, "compare", str(folder), "--out", str(out))[0] == 0
    written = {p.name for p in out.iterdir()}
    assert {".analyser-run", "alignment.json", "findings.json", "report.html", "report.md"} <= written
    assert "review.docx" not in written, "a report of the last run that this run does not make is removed"
    assert not [n for n in written if n.endswith(".part")], "no temporary file is left"


def test_hostile_interrupt_while_writing_leaves_the_previous_reports(tmp_path, capsys, monkeypatch):
    import analyser.output as output

    folder = good_folder(tmp_path)
    out = tmp_path / "out"
    assert run_cli(capsys, "compare", str(folder), "--out", str(out))[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real, calls = output.stage_file, []

    def interrupted(out_dir, name, content):
        calls.append(name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(out_dir, name, content)

    monkeypatch.setattr(output, "stage_file", interrupted)
    code, lines, _ = run_cli(capsys, "compare", str(folder), "--target", "draft", "--out", str(out))
    assert code == 130
    assert lines == ["analyser: interrupted; no report was left half-written"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_hostile_interrupt_before_writing_leaves_no_folder(tmp_path, capsys, monkeypatch):
    import analyser.pipeline as pipeline

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "align", interrupted)
    result = compare(capsys, tmp_path, str(good_folder(tmp_path)))
    assert result.code == 130
    assert not result.out.exists()


# ---- inputs untouched, outputs repeatable --------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_hostile_run_leaves_inputs_byte_and_time_identical(tmp_path, capsys):
    folder = good_folder(tmp_path)
    (folder / "word.docx").write_bytes(good_docx())
    (folder / "print.pdf").write_bytes(pdf_bytes([["1. Members must be courteous to officers."]]))
    (folder / "bad.docx").write_bytes(docx_entity_expansion())
    for p in folder.iterdir():  # an old timestamp shows any write, even one within the same second
        os.utime(p, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    os.utime(folder, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before, folder_time = snapshot(folder), folder.stat().st_mtime_ns
    assert compare(capsys, tmp_path, str(folder), "--target", "draft").code == 0
    assert snapshot(folder) == before
    assert folder.stat().st_mtime_ns == folder_time, "nothing was created or removed among the inputs"


def test_hostile_two_runs_give_identical_json(tmp_path, capsys):
    folder = good_folder(tmp_path)
    (folder / "word.docx").write_bytes(good_docx())
    outs = []
    for name in ("one", "two"):
        out = tmp_path / name
        assert run_cli(capsys, "compare", str(folder), "--target", "draft", "--out", str(out))[0] == 0
        outs.append(out)
    for name in ("alignment.json", "findings.json", "report.html", "report.md"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_hostile_json_does_not_depend_on_the_hash_seed(tmp_path):
    # sets iterate in an order that changes with PYTHONHASHSEED: that order must never reach the output
    import subprocess
    import sys

    from .conftest import CORPUS, ROOT

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        subprocess.run([sys.executable, "-m", "analyser", "compare", str(CORPUS), "--target", "thanet-draft",
                        "--out", str(out)], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
                       check=True, capture_output=True)
        outs.append(out)
    for name in ("alignment.json", "findings.json"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


# ---- document text in the report: shown, never run ----------------------------------------------------------

HOSTILE_TEXT = [
    '<script>alert("script-in-clause")</script>',
    '<img src=x onerror=alert("onerror-in-clause")>',
    '" onmouseover="alert(\'attribute-break\')" x="',
    "</script><script>alert('script-break')</script>",
    "<a href=\"javascript:alert('js-link')\">click</a>",
]
MARKERS = ("script-in-clause", "onerror-in-clause", "attribute-break", "script-break", "js-link")


def report_of_hostile_text(tmp_path: Path, capsys) -> str:
    folder = tmp_path / "in"
    folder.mkdir()
    # the title reaches the page's <title> and headings; the peer's extra provisions are quoted in gap findings
    (folder / "draft.txt").write_text(HOSTILE_TEXT[0] + " Protocol\n" + DRAFT, encoding="utf-8")
    peer = PEER.splitlines() + [f"3.{i} The Monitoring Officer keeps a register of gifts: {text} for inspection."
                                for i, text in enumerate(HOSTILE_TEXT, start=1)]
    (folder / "peer.txt").write_text("\n".join(peer) + "\n", encoding="utf-8")
    result = compare(capsys, tmp_path, str(folder), "--target", "draft")
    assert result.code == 0
    html = (result.out / "report.html").read_text()
    for marker in MARKERS:
        assert marker in html, f"the hostile words must reach the report: {marker}"
    markdown = (result.out / "report.md").read_text()
    assert "<script" not in markdown and "<img" not in markdown and "<a href" not in markdown
    return html


class Tags:
    """Collects every start tag, with its attributes, and the text inside script elements."""

    def __init__(self, html: str):
        from html.parser import HTMLParser

        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        tags, scripts = self.tags, self.scripts

        class Parser(HTMLParser):
            in_script = False

            def handle_starttag(self, tag, attrs):
                tags.append((tag, {k: v or "" for k, v in attrs}))
                self.in_script = tag == "script"
                if self.in_script:
                    scripts.append("")

            def handle_endtag(self, tag):
                self.in_script = False if tag == "script" else self.in_script

            def handle_data(self, data):
                if self.in_script:
                    scripts[-1] += data

        Parser().feed(html)


def test_hostile_clause_markup_shows_as_text_in_the_report(tmp_path, capsys):
    html = report_of_hostile_text(tmp_path, capsys)
    tags = Tags(html)
    markers = MARKERS
    for tag, attrs in tags.tags:
        assert not (tag == "img" and attrs.get("src") == "x")
        for name, value in attrs.items():
            assert not any(m in value for m in markers) or not name.startswith(("on", "href", "src")), (tag, name)
            assert not (name.startswith("on") and any(m in value for m in markers)), (tag, name, value)
        assert not any(m in " ".join(attrs) for m in markers)
    for script in tags.scripts:
        assert not any(f"alert(\"{m}\")" in script or f"alert('{m}')" in script for m in markers)
    assert "&lt;script&gt;alert(" in html or "&lt;script&gt;" in html.replace("&#34;", '"')


def test_hostile_report_forbids_external_loads(tmp_path, capsys):
    html = report_of_hostile_text(tmp_path, capsys)
    tags = Tags(html)
    policies = [a.get("content", "") for t, a in tags.tags
                if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"]
    assert len(policies) == 1
    directives = dict((d.split() + [""])[:2] for d in (p.strip() for p in policies[0].split(";")) if d)
    assert directives.get("default-src") == "'none'"
    assert "unsafe-inline" not in policies[0] and "unsafe-eval" not in policies[0], "only our own hashed script runs"
    assert not [(t, n) for t, a in tags.tags for n in a if n.startswith("on")], "no inline event handlers at all"
    assert not re.search(r"https?:|\*|//", policies[0]), "no source outside the file may be allowed"
    for tag, attrs in tags.tags:
        for name in ("src", "href", "action", "data", "poster"):
            value = attrs.get(name, "")
            if tag == "a" and name == "href":
                continue  # a link is followed only on a click, it loads nothing
            assert not re.match(r"\s*(?:https?:)?//", value), (tag, name, value)


def test_issue_9_pdf_page_without_mediabox_is_refused_not_raised(tmp_path):
    from analyser.errors import IngestError
    from analyser.ingest import load_document
    from analyser.ingest.pdf import read_pdf

    path = tmp_path / "no-mediabox.pdf"
    path.write_bytes(pdf_without_mediabox())
    with pytest.raises(TypeError):
        read_pdf(path.read_bytes(), str(path))  # the crash itself, still there inside pdfplumber
    with pytest.raises(IngestError, match=r"no-mediabox\.pdf: damaged or unreadable file"):
        load_document(path)


def test_hostile_outline_of_a_bad_file_is_one_line_exit_3(tmp_path, capsys):
    bad = tmp_path / "lolz.docx"
    bad.write_bytes(docx_entity_expansion())
    code, lines, seconds = run_cli(capsys, "outline", str(bad))
    assert code == 3
    assert lines == [f"analyser: error: {bad}: the .docx part word/document.xml declares a DTD or entities, which "
                     "Word never writes: refused as a possible entity-expansion attack"]


def test_hostile_out_through_a_link_into_an_input_folder_exits_5(tmp_path, capsys):
    folder = good_folder(tmp_path)
    sneaky = tmp_path / "reports"
    sneaky.symlink_to(folder)
    code, lines, _ = run_cli(capsys, "compare", str(folder), "--out", str(sneaky), "--force")
    assert code == 5
    assert sorted(p.name for p in folder.iterdir()) == ["draft.txt", "peer.txt"]


@pytest.mark.parametrize("build", [docx_without_body, docx_styles_without_type, docx_style_of_empty_type],
                         ids=["no-body", "untyped-styles", "empty-style-type"])
def test_issue_9_fuzzed_docx_is_read_or_refused_never_raised(build, tmp_path):
    # the reader may read these or refuse them; before guard.read, python-docx's AttributeError or ValueError escaped
    from analyser.errors import IngestError
    from analyser.ingest import load_document

    path = tmp_path / "fuzzed.docx"
    path.write_bytes(build())
    try:
        document = load_document(path)
    except IngestError as e:
        assert str(e).startswith(f"{path}: ") and "\n" not in str(e)
    else:
        assert document.blocks


def test_hostile_parser_message_over_several_lines_becomes_one_line():
    from analyser.errors import IngestError

    error = IngestError("x.docx", "corrupt or unreadable .docx (XMLSyntaxError: Invalid character\n, line 1, column 2)")
    assert "\n" not in str(error) and str(error).endswith("line 1, column 2)")
