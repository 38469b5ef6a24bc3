"""Cache: segmented documents kept in SQLite, keyed by content hash, document id and parser version,
so a second run over the same corpus skips reading and segmenting; and a large corpus's links among
its own documents, keyed by those documents and the aligner, so that the next review of any draft
against the same corpus aligns only the draft.

The parser version is a hash of the code and data that turn a file into clauses, so any change to
ingestion or segmentation makes old entries unreachable rather than wrong. Entries are JSON, never
pickle: a cache folder is a file anyone could have written, and loading it must not run code.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from dataclasses import asdict, fields
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError
from .model import Block, Clause, Document, Link, Metadata

PACKAGE_DIR = Path(__file__).resolve().parent
# everything that decides what clauses a file yields
PARSER_FILES = ("model.py", "segment.py", "normalise.py", "ingest/*.py", "data/*.json")


# corpora whose own links are kept (most recently stored first)
KEPT_CORPORA = 4
# everything else that decides the links between two parsed documents
ALIGNER_FILES = ("align.py", "summaries.py", "candidates.py", "normalise.py", "model.py", "data/*.json")


def default_cache_dir() -> Path:
    """Returns the user's cache folder for analyser ($XDG_CACHE_HOME/analyser or ~/.cache/analyser)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "analyser"


@lru_cache(maxsize=1)
def parser_version() -> str:
    """Returns a short hash of the code and data that parse and segment a file."""
    return _files_hash(PARSER_FILES)


@lru_cache(maxsize=2)
def _files_hash(patterns: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(PACKAGE_DIR.glob(pattern)):
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def corpus_key(documents, settings) -> str:
    """Returns the key of a corpus's own links: its documents, the aligner's code and data, the
    settings that shape links, and a user's thesaurus."""
    digest = hashlib.sha256(_files_hash(ALIGNER_FILES).encode())
    for name in ("link_threshold", "equivalent_threshold", "partial_threshold", "blocking", "candidates_per_clause",
                 "exhaustive_documents", "peers_per_document", "diverse_peers"):
        digest.update(f"{name}={getattr(settings, name)!r};".encode())
    thesaurus = Path(settings.data_dir) / "thesaurus.json"
    if thesaurus.is_file():
        digest.update(thesaurus.read_bytes())
    for key in sorted(cache_key(d.sha256, d.id) for d in documents):
        digest.update(key.encode())
    return digest.hexdigest()


def cache_key(sha256: str, doc_id: str) -> str:
    """Returns the key of a parsed document: its content, its id (clause ids carry it) and the parser."""
    return f"{sha256}:{doc_id}:{parser_version()}"


def encode_document(document: Document) -> str:
    """Returns a document as JSON text."""
    return json.dumps(asdict(document), separators=(",", ":"))


def decode_document(text: str) -> Document:
    """Returns the document that encode_document wrote."""
    data = json.loads(text)
    return _build(Document, {**data, "metadata": _build(Metadata, data["metadata"]),
                             "blocks": tuple(_build(Block, b) for b in data["blocks"]),
                             "clauses": tuple(_build(Clause, c) for c in data["clauses"])})


def _build(cls, values: dict):
    """Returns a model object from its JSON fields, lists made tuples again (the models are frozen)."""
    return cls(**{f.name: _frozen(values[f.name]) for f in fields(cls) if f.name in values})


def _frozen(value):
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


class DocumentCache:
    """Holds parsed documents in one SQLite file under a cache folder."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / "documents.sqlite"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, data TEXT NOT NULL)")
            self._db.execute("CREATE TABLE IF NOT EXISTS corpus_links (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
        except (OSError, sqlite3.Error) as e:
            raise ConfigError(f"cache folder {folder} cannot be used ({e}): name another with --cache or use --no-cache") from e

    def get(self, sha256: str, doc_id: str, source: str) -> Document | None:
        """Returns the cached document for this content and id (with today's source path), or None."""
        try:
            row = self._db.execute("SELECT data FROM documents WHERE key = ?", (cache_key(sha256, doc_id),)).fetchone()
        except sqlite3.Error:
            return None  # a damaged cache only costs a re-parse
        if row is None:
            return None
        try:
            document = decode_document(row[0])
        except (ValueError, TypeError, KeyError):
            return None
        return _with_source(document, source)

    def put_all(self, documents: list[Document]) -> None:
        """Stores parsed documents (one transaction)."""
        if not documents:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO documents (key, data) VALUES (?, ?)",
                                     [(cache_key(d.sha256, d.id), encode_document(d)) for d in documents])
        except sqlite3.Error:
            pass  # a read-only or full cache slows the next run, nothing more

    def get_links(self, key: str) -> tuple[Link, ...] | None:
        """Returns the links kept for a corpus, or None."""
        try:
            row = self._db.execute("SELECT data FROM corpus_links WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            # each clause id is kept once, however many links name it (a million links name a
            # hundred thousand clauses)
            ids: dict[str, str] = {}

            def once(value) -> str:
                value = str(value)
                return ids.setdefault(value, value)

            return tuple(Link(once(s), once(t), float(score), once(relation))
                         for s, t, score, relation in json.loads(zlib.decompress(row[0])))
        except (sqlite3.Error, zlib.error, ValueError, TypeError):
            return None  # a damaged entry only costs aligning the corpus again

    def put_links(self, key: str, links: tuple[Link, ...]) -> None:
        """Keeps a corpus's links (only the latest few corpora: each can hold a million links)."""
        data = zlib.compress(json.dumps([[l.source, l.target, l.score, l.relation] for l in links],
                                        separators=(",", ":")).encode(), 1)
        try:
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO corpus_links (key, data) VALUES (?, ?)", (key, data))
                self._db.execute("DELETE FROM corpus_links WHERE rowid NOT IN "
                                 "(SELECT rowid FROM corpus_links ORDER BY rowid DESC LIMIT ?)", (KEPT_CORPORA,))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self._db.close()


def _with_source(document: Document, source: str) -> Document:
    from dataclasses import replace

    return document if document.source == source else replace(document, source=source)
