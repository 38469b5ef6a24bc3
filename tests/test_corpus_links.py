"""A large corpus's links among its own documents are kept: the next review of any draft against the
same corpus aligns only the draft, and gives what aligning everything again would."""
from __future__ import annotations

import shutil

import pytest

from analyser import Settings, compare
from analyser import pipeline

from .conftest import CORPUS

PEERS = ("torbay.txt", "bursledon-parish.txt", "dudley.txt", "town-council.txt")


@pytest.fixture
def folder(tmp_path):
    """Returns a folder of the shipped corpus: four peers and the Thanet draft."""
    src = tmp_path / "in"
    src.mkdir()
    for name in (*PEERS, "thanet-draft.txt"):
        shutil.copy(CORPUS / name, src / name)
    return src


def _settings(tmp_path, **changes) -> Settings:
    # four peers count as a large corpus here, as more than forty would in use
    return Settings(target="thanet-draft", cache=tmp_path / "cache", exhaustive_documents=2, **changes)


def _aligned_pairs(monkeypatch) -> list:
    seen: list = []
    align, match = pipeline.align, pipeline.match
    monkeypatch.setattr(pipeline, "align", lambda docs, *, pairs, **kw: seen.extend(pairs) or align(docs, pairs=pairs, **kw))
    monkeypatch.setattr(pipeline, "match", lambda prepared, pairs, **kw: seen.extend(pairs) or match(prepared, pairs, **kw))
    return seen


def test_corpus_links_second_review_aligns_only_the_draft(folder, tmp_path, monkeypatch):
    first = compare([folder], settings=_settings(tmp_path))
    pairs = _aligned_pairs(monkeypatch)
    second = compare([folder], settings=_settings(tmp_path))
    assert pairs and all("thanet-draft" in pair for pair in pairs)
    assert second.links == first.links
    assert second.findings == first.findings


def test_corpus_links_serve_a_review_of_another_draft(folder, tmp_path, monkeypatch):
    compare([folder], settings=_settings(tmp_path))
    # a much longer draft, sharing many of the peers' words: it would shift every word's weight
    other = folder / "thanet-draft.txt"
    other.write_text(other.read_text(encoding="utf-8") + "\n" + (CORPUS / "dudley.txt").read_text(encoding="utf-8"),
                     encoding="utf-8")
    pairs = _aligned_pairs(monkeypatch)
    reused = compare([folder], settings=_settings(tmp_path))
    assert pairs and all("thanet-draft" in pair for pair in pairs)
    fresh = compare([folder], settings=_settings(tmp_path, use_cache=False))
    assert reused.links == fresh.links


def test_corpus_links_are_not_reused_under_other_settings(folder, tmp_path, monkeypatch):
    compare([folder], settings=_settings(tmp_path))
    pairs = _aligned_pairs(monkeypatch)
    compare([folder], settings=_settings(tmp_path, link_threshold=0.5))
    assert any("thanet-draft" not in pair for pair in pairs)


def test_corpus_links_whole_corpus_second_run_aligns_nothing(folder, tmp_path, monkeypatch):
    settings = Settings(cache=tmp_path / "cache", exhaustive_documents=2)
    first = compare([folder], settings=settings)
    pairs = _aligned_pairs(monkeypatch)
    second = compare([folder], settings=settings)
    assert pairs == [] and second.links == first.links


def test_corpus_links_small_corpus_is_aligned_afresh(folder, tmp_path, monkeypatch):
    compare([folder], settings=Settings(target="thanet-draft", cache=tmp_path / "cache"))
    pairs = _aligned_pairs(monkeypatch)
    compare([folder], settings=Settings(target="thanet-draft", cache=tmp_path / "cache"))
    assert any("thanet-draft" not in pair for pair in pairs)


def test_corpus_links_of_a_whole_corpus_run_serve_a_review_against_it(folder, tmp_path, monkeypatch):
    peers = tmp_path / "peers"
    peers.mkdir()
    for name in PEERS:
        shutil.copy(folder / name, peers / name)
    compare([peers], settings=Settings(cache=tmp_path / "cache", exhaustive_documents=2))
    pairs = _aligned_pairs(monkeypatch)
    draft = folder / "thanet-draft.txt"
    reused = compare([peers, draft], settings=_settings(tmp_path))
    assert pairs and all("thanet-draft" in pair for pair in pairs)
    fresh = compare([peers, draft], settings=_settings(tmp_path, use_cache=False))
    assert reused.links == fresh.links and reused.findings == fresh.findings


def test_corpus_links_damaged_entry_is_aligned_again(folder, tmp_path, monkeypatch):
    import sqlite3

    first = compare([folder], settings=_settings(tmp_path))
    with sqlite3.connect(tmp_path / "cache" / "documents.sqlite") as db:
        db.execute("UPDATE corpora SET links = ?", (b"not zlib",))
    pairs = _aligned_pairs(monkeypatch)
    again = compare([folder], settings=_settings(tmp_path))
    assert any("thanet-draft" not in pair for pair in pairs)
    assert again.links == first.links


def _prepared_file(tmp_path):
    (path,) = (tmp_path / "cache").glob("*.prepared")
    return path


def test_corpus_kept_prepared_clauses_damaged_are_prepared_again(folder, tmp_path, monkeypatch):
    from analyser.cache import write_arrays

    first = compare([folder], settings=_settings(tmp_path))
    write_arrays(_prepared_file(tmp_path), {"clauses": ["no-such-document:1"]})
    again = compare([folder], settings=_settings(tmp_path))
    assert again.links == first.links and again.families == first.families


@pytest.mark.parametrize("damage", ["cut short", "a byte changed", "emptied", "removed"])
def test_corpus_kept_prepared_clauses_damaged_on_disk_are_prepared_again(folder, tmp_path, damage):
    # the prepared clauses are kept in a file of their own, mapped into memory: a damaged file must
    # cost a re-run, never a crash or a wrong link
    first = compare([folder], settings=_settings(tmp_path))
    path = _prepared_file(tmp_path)
    data = path.read_bytes()
    assert data.startswith(b"analyser-arrays")
    if damage == "removed":
        path.unlink()
    else:
        path.write_bytes({"cut short": data[:len(data) // 2], "emptied": b"",
                          "a byte changed": data[:-100] + bytes([data[-100] ^ 1]) + data[-99:]}[damage])
    again = compare([folder], settings=_settings(tmp_path))
    assert again.links == first.links and again.families == first.families
    assert _prepared_file(tmp_path).read_bytes() == data  # kept afresh


def test_corpus_families_kept_are_the_ones_a_review_places_its_draft_in(folder, tmp_path):
    first = compare([folder], settings=_settings(tmp_path))
    second = compare([folder], settings=_settings(tmp_path))
    assert second.families == first.families
    draft = {c.id for d in first.documents if d.id == "thanet-draft" for c in d.clauses}
    assert any(draft & set(f.clauses) for f in first.families)
    assert all(len(draft & set(f.clauses)) <= 3 for f in first.families)


def test_corpus_review_places_the_draft_beside_the_findings_as_one_after_the_other(folder, tmp_path, monkeypatch):
    from analyser import distribute

    compare([folder], settings=_settings(tmp_path))  # the corpus kept
    alone = compare([folder], settings=_settings(tmp_path, workers=1))
    monkeypatch.setattr(distribute, "BESIDE_LINKS", 1)  # these few links count as a large corpus's
    beside = compare([folder], settings=_settings(tmp_path, workers=2))
    assert beside.families == alone.families and beside.findings == alone.findings


def test_corpus_links_draft_normalised_beside_gives_the_same_review(folder, tmp_path):
    # with a second core the draft's words are normalised in a process beside this one, whose spaCy
    # pipeline is built while the documents are read: the review is the one a single core gives
    compare([folder], settings=_settings(tmp_path))
    beside = compare([folder], settings=_settings(tmp_path, workers=2))
    alone = compare([folder], settings=_settings(tmp_path, workers=1))
    assert beside.links == alone.links and beside.findings == alone.findings and beside.families == alone.families
