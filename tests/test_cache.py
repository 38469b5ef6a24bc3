"""The parsed-document cache: a second run skips parsing and gives the same documents."""
from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from analyser import Settings, compare
from analyser import distribute
from analyser.cache import DocumentCache, decode_document, default_cache_dir, encode_document
from analyser.errors import ConfigError
from analyser.ingest import load_document
from analyser.segment import segment

from .conftest import CORPUS


def test_cache_round_trips_a_segmented_document_without_its_blocks():
    document = segment(load_document(CORPUS / "town-council.txt"))
    assert document.blocks
    assert decode_document(encode_document(document)) == replace(document, blocks=())


def test_cache_second_run_skips_parsing(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("dudley.txt", "town-council.txt"):
        (src / name).write_bytes((CORPUS / name).read_bytes())
    settings = Settings(cache=tmp_path / "cache")
    first = compare([src], settings=settings)
    parsed: list = []
    real = distribute.read_file
    monkeypatch.setattr(distribute, "read_file", lambda p: parsed.append(p) or real(p))
    second = compare([src], settings=settings)
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
