"""The parsed-document cache: a second run skips parsing and gives the same documents."""
from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import asdict, replace

import pytest

from analyser import Settings, compare
from analyser import distribute
from analyser import cache as cache_module
from analyser.cache import LAYOUT, DocumentCache, decode_document, default_cache_dir, encode_document, parser_version
from analyser.errors import ConfigError
from analyser.ingest import load_document
from analyser.segment import segment

from .conftest import CORPUS
from .test_ingest_word import tracked_docx  # noqa: F401 (a fixture: a .docx with tracked changes)


def _compared_twice(paths, settings, monkeypatch):
    """Returns two runs over the same files with one cache, and the files the second had to parse."""
    first = compare(paths, settings=settings)
    parsed: list = []
    real = distribute.read_file
    monkeypatch.setattr(distribute, "read_file", lambda p: parsed.append(p) or real(p))
    return first, compare(paths, settings=settings), parsed


def test_cache_round_trips_a_segmented_document_without_its_blocks():
    document = segment(load_document(CORPUS / "town-council.txt"))
    assert document.blocks
    assert decode_document(encode_document(document)) == replace(document, blocks=())


def test_cache_second_run_skips_parsing(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("dudley.txt", "town-council.txt"):
        (src / name).write_bytes((CORPUS / name).read_bytes())
    first, second, parsed = _compared_twice([src], Settings(cache=tmp_path / "cache"), monkeypatch)
    assert parsed == []
    assert second.documents == first.documents
    assert second.links == first.links


def test_cache_reparses_changed_content_and_records_new_source(tmp_path, monkeypatch):
    settings = Settings(cache=tmp_path / "cache")
    a = tmp_path / "a" / "protocol.txt"
    a.parent.mkdir()
    a.write_text("1. Roles\n\n1.1 Members must respect officers.\n", encoding="utf-8")
    compare([a], settings=settings)
    b = tmp_path / "b" / "protocol.txt"
    b.parent.mkdir()
    b.write_text(a.read_text(encoding="utf-8"), encoding="utf-8")
    assert compare([b], settings=settings).documents[0].source == str(b)
    a.write_text("1. Roles\n\n1.1 Members should respect officers.\n", encoding="utf-8")
    parsed: list = []
    real = distribute.read_file
    monkeypatch.setattr(distribute, "read_file", lambda p: parsed.append(p) or real(p))
    again = compare([a], settings=settings)
    assert parsed == [a]
    assert "should" in again.documents[0].clauses[-1].text


def test_cache_disabled_writes_nothing(tmp_path):
    compare([CORPUS / "dudley.txt"], settings=Settings(cache=tmp_path / "cache", use_cache=False))
    assert not (tmp_path / "cache").exists()


def test_cache_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "analyser"


def test_cache_ignores_a_damaged_entry(tmp_path):
    document = segment(load_document(CORPUS / "dudley.txt"))
    cache = DocumentCache(tmp_path)
    cache.put_all([document])
    cache.close()
    with sqlite3.connect(tmp_path / "documents.sqlite") as db:
        db.execute("UPDATE documents SET data = '{not json'")
    assert DocumentCache(tmp_path).get(document.sha256, document.id, document.source) is None


def test_cache_unusable_folder_is_a_config_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="--no-cache"):
        DocumentCache(blocker / "cache")


def test_cache_parallel_ingestion_gives_documents_in_file_order(tmp_path, monkeypatch):
    monkeypatch.setattr(distribute, "PARALLEL_FILES", 2)
    files = sorted(CORPUS.glob("*.txt"))
    local = distribute.read_documents(files, settings=Settings(use_cache=False, workers=1))
    parallel = distribute.read_documents(files, settings=Settings(use_cache=False, workers=2))
    assert [d.id for d in parallel] == [p.stem for p in files]
    assert parallel == local


def test_cache_keeps_that_a_document_has_tracked_changes(tracked_docx, tmp_path, monkeypatch):
    # blocks are not cached: the --revisions review must still find the draft's changes and read its original
    first, second, parsed = _compared_twice([tracked_docx], Settings(revisions=True, cache=tmp_path / "cache"),
                                            monkeypatch)
    assert parsed == []
    assert (second.target, second.baseline) == ("draft", "draft-original")
    assert second.documents == first.documents
    assert second.document("draft").revised and not second.document("draft-original").revised


def test_cache_round_trip_keeps_the_tracked_changes_flag():
    document = replace(segment(load_document(CORPUS / "dudley.txt")), revised=True)
    assert decode_document(encode_document(document)).revised


def _as_before(document) -> str:
    """Returns a document as the cache wrote it before layout 2: an object with every field, blocks included."""
    return json.dumps(asdict(document))


def _checked(body: bytes) -> bytes:
    """Returns an entry with a good checksum, as a writer of the cache folder could make one."""
    return b"%08x" % zlib.crc32(body) + body


def _letter_changed(entry: bytes) -> bytes:
    at = entry.index(b"Members")
    return entry[:at] + b"N" + entry[at + 1:]


@pytest.mark.parametrize("damage", [
    _as_before,
    lambda d: encode_document(d)[:len(encode_document(d)) // 2],
    lambda d: _letter_changed(encode_document(d)),
    lambda d: _checked(encode_document(d)[8:].replace(LAYOUT.encode(), b"analyser-document-1")),
    lambda d: _checked(json.dumps([LAYOUT, *([[]] * len(json.loads(encode_document(d)[8:])[1:]))]).encode()),
    lambda d: _checked(json.dumps([LAYOUT, *json.loads(encode_document(d)[8:])[1:], "extra"]).encode()),
], ids=["older-layout", "truncated", "letter-changed", "other-tag", "wrong-types", "wrong-length"])
def test_cache_reparses_a_damaged_or_older_entry(damage, tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "dudley.txt").write_bytes((CORPUS / "dudley.txt").read_bytes())
    settings = Settings(cache=tmp_path / "cache")
    first = compare([src], settings=settings)
    with sqlite3.connect(tmp_path / "cache" / "documents.sqlite") as db:
        db.execute("UPDATE documents SET data = ?", (damage(first.documents[0]),))
    parsed: list = []
    real = distribute.read_file
    monkeypatch.setattr(distribute, "read_file", lambda p: parsed.append(p) or real(p))
    again = compare([src], settings=settings)
    assert parsed == [src / "dudley.txt"]
    assert again.documents == first.documents


def test_cache_layout_is_part_of_the_parser_version(monkeypatch):
    before = parser_version()
    monkeypatch.setattr(cache_module, "LAYOUT", "analyser-document-0")
    parser_version.cache_clear()
    try:
        assert parser_version() != before
    finally:
        parser_version.cache_clear()


def test_cache_get_all_answers_in_the_order_asked_across_queries(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "QUERY_KEYS", 2)
    documents = [segment(load_document(p)) for p in sorted(CORPUS.glob("*.txt"))[:3]]
    cache = DocumentCache(tmp_path)
    cache.put_all(documents)
    wanted = [(d.sha256, d.id, f"elsewhere/{d.id}.txt") for d in reversed(documents)]
    found = cache.get_all([*wanted[:2], ("0" * 64, "unknown", "unknown.txt"), *wanted[2:], wanted[0]])
    cache.close()
    assert [d and d.id for d in found] == [documents[2].id, documents[1].id, None, documents[0].id, documents[2].id]
    assert found[0].source == "elsewhere/" + documents[2].id + ".txt"
    assert found[3] == replace(documents[0], blocks=(), source=found[3].source)
