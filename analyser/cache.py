"""Cache: segmented documents kept in SQLite, keyed by content hash, document id and parser version,
so a second run over the same corpus skips reading and segmenting; and a large corpus's links among
its own documents and its families, keyed by those documents and the aligner, so that the next review
of any draft against the same corpus aligns and groups only the draft.

The parser version is a hash of the code and data that turn a file into clauses, so any change to
ingestion or segmentation makes old entries unreachable rather than wrong. Entries are JSON and numpy
arrays, never pickle: a cache folder is a file anyone could have written, and loading it must not run code.
"""
from __future__ import annotations

import hashlib
import io
import json
import mmap
import os
import sqlite3
import zipfile
import zlib
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import orjson

from .errors import ConfigError
from .links import Links
from .model import Clause, Document, Family, Metadata

PACKAGE_DIR = Path(__file__).resolve().parent
# everything that decides what clauses a file yields
PARSER_FILES = ("model.py", "segment.py", "normalise.py", "ingest/*.py", "data/*.json")


# corpora whose own links and families are kept (most recently stored first)
KEPT_CORPORA = 4
# everything else that decides the links between two parsed documents
ALIGNER_FILES = ("align.py", "prepare.py", "products.py", "summaries.py", "candidates.py", "normalise.py", "model.py",
                 "data/*.json")


def default_cache_dir() -> Path:
    """Returns the user's cache folder for analyser ($XDG_CACHE_HOME/analyser or ~/.cache/analyser)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "analyser"


@lru_cache(maxsize=1)
def parser_version() -> str:
    """Returns a short hash of the code and data that parse and segment a file, and of how a parsed
    document is laid out in the cache."""
    return hashlib.sha256(f"{LAYOUT}:{_files_hash(PARSER_FILES)}".encode()).hexdigest()[:16]


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


# A cached document is a CRC-32 of the rest (8 hex digits), then one JSON array: this tag, the
# Document's fields in the model's order, the metadata and each clause as an array of their fields'
# values. Arrays rather than objects take half the bytes and decode straight into the frozen models.
# Blocks are left out (a third of the bytes): once a document is segmented only `revised` is asked
# of them. The tag is part of the parser version, so entries written another way are never found,
# let alone misread: change it whenever the layout changes. The checksum catches an entry damaged
# on disk that still reads as JSON (a changed letter in a clause).
LAYOUT = "analyser-document-2"
_DOCUMENT = tuple(f.name for f in fields(Document) if f.name != "blocks")
_DOCUMENT_TEXT = tuple(f.name for f in fields(Document) if f.type == "str")
_DOCUMENT_TUPLES = tuple(f.name for f in fields(Document) if f.type == "tuple[str, ...]")
_CLAUSE = tuple(f.name for f in fields(Clause))
_CLAUSE_TUPLES = tuple(i for i, f in enumerate(fields(Clause)) if f.type.startswith("tuple"))
_SENTENCES, _TEXT = _CLAUSE.index("sentences"), _CLAUSE.index("text")


def encode_document(document: Document) -> bytes:
    """Returns a document as checked, compact JSON, without its blocks (see LAYOUT)."""
    values = {name: getattr(document, name) for name in _DOCUMENT}
    values["metadata"] = [getattr(document.metadata, f.name) for f in fields(Metadata)]
    values["clauses"] = [_clause_row(c) for c in document.clauses]
    body = orjson.dumps([LAYOUT, *values.values()])
    return b"%08x" % zlib.crc32(body) + body


def _clause_row(clause: Clause) -> list:
    row = [getattr(clause, name) for name in _CLAUSE]
    if clause.sentences == (clause.text,):
        row[_SENTENCES] = None  # most clauses are one sentence: their text, not stored twice
    return row


def decode_document(entry: bytes | str) -> Document:
    """Returns the document that encode_document wrote (without blocks); ValueError, TypeError,
    KeyError or IndexError when the entry is not one, or is damaged."""
    entry = entry.encode() if isinstance(entry, str) else entry
    body = memoryview(entry)[8:]
    if len(entry) < 8 or int(entry[:8], 16) != zlib.crc32(body):
        raise ValueError("damaged or not a cached document")
    data = orjson.loads(body)
    if not isinstance(data, list) or len(data) != len(_DOCUMENT) + 1 or data[0] != LAYOUT:
        raise ValueError("not a cached document")
    values = dict(zip(_DOCUMENT, data[1:]))
    if not all(isinstance(values[name], str) for name in _DOCUMENT_TEXT) or not isinstance(values["revised"], bool):
        raise ValueError("not a cached document")
    for name in _DOCUMENT_TUPLES:
        values[name] = tuple(values[name])
    values["metadata"] = Metadata(*values["metadata"])
    values["clauses"] = tuple(map(_clause, values["clauses"]))
    return Document(**values)


def _clause(row: list) -> Clause:
    if row[_SENTENCES] is None:
        row[_SENTENCES] = (row[_TEXT],)
    for i in _CLAUSE_TUPLES:
        row[i] = tuple(row[i])
    return Clause(*row)


# keys asked for in one query (SQLite allows 999 parameters in older builds)
QUERY_KEYS = 500


class DocumentCache:
    """Holds parsed documents in one SQLite file under a cache folder."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / "documents.sqlite"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, data TEXT NOT NULL)")
            self._db.execute("CREATE TABLE IF NOT EXISTS corpora (key TEXT PRIMARY KEY, links BLOB NOT NULL, "
                             "families BLOB NOT NULL, prepared BLOB NOT NULL)")
            self._db.execute("DROP TABLE IF EXISTS corpus_links")  # kept by earlier versions, links only
        except (OSError, sqlite3.Error) as e:
            raise ConfigError(f"cache folder {folder} cannot be used ({e}): name another with --cache or use --no-cache") from e

    def get(self, sha256: str, doc_id: str, source: str) -> Document | None:
        """Returns the cached document for this content and id (with today's source path), or None."""
        return self.get_all([(sha256, doc_id, source)])[0]

    def get_all(self, wanted: list[tuple[str, str, str]]) -> list[Document | None]:
        """Returns the cached document for each (content hash, id, today's source path), or None
        where none is cached or its entry is damaged."""
        keys = [cache_key(sha256, doc_id) for sha256, doc_id, _ in wanted]
        found: dict[str, Document | None] = {}
        for k in range(0, len(keys), QUERY_KEYS):
            chunk = keys[k:k + QUERY_KEYS]
            try:
                rows = self._db.execute(f"SELECT key, data FROM documents WHERE key IN ({','.join('?' * len(chunk))})",
                                        chunk).fetchall()
            except sqlite3.Error:
                continue  # a damaged cache only costs a re-parse
            for key, data in rows:
                found[key] = _decoded(data)
        return [None if (document := found.get(key)) is None else _with_source(document, source)
                for key, (_, _, source) in zip(keys, wanted)]

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

    def get_corpus(self, key: str) -> KeptCorpus | None:
        """Returns what is kept of a corpus (its own links, families and prepared clauses), or None."""
        try:
            row = self._db.execute("SELECT links, families FROM corpora WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            return KeptCorpus(Links.from_columns(unpack(row[0])),
                              tuple(Family(i, label, tuple(clauses)) for i, label, clauses in json.loads(zlib.decompress(row[1]))),
                              read_arrays(self._prepared_file(key)))
        except (sqlite3.Error, zlib.error, zipfile.BadZipFile, EOFError, ValueError, TypeError, KeyError, IndexError,
                OSError):
            return None  # a damaged entry only costs aligning the corpus again

    def put_corpus(self, key: str, kept: KeptCorpus) -> None:
        """Keeps what a corpus yields (only the latest few corpora: each can hold a million links)."""
        links = pack(Links.of(kept.links).columns())
        families = zlib.compress(json.dumps([[f.id, f.label, f.clauses] for f in kept.families]).encode(), 1)
        try:
            # perf (issue 8): a corpus's prepared clauses (90 MB for 1,000 documents) are kept in a
            # file of their own that a review maps into memory: read out of SQLite, they were copied
            # three times, and read a page at a time once the system had let its cache go
            write_arrays(self._prepared_file(key), kept.prepared)
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO corpora (key, links, families, prepared) VALUES (?, ?, ?, ?)",
                                 (key, links, families, b""))
                self._db.execute("DELETE FROM corpora WHERE rowid NOT IN "
                                 "(SELECT rowid FROM corpora ORDER BY rowid DESC LIMIT ?)", (KEPT_CORPORA,))
                kept_keys = {k for (k,) in self._db.execute("SELECT key FROM corpora")}
            for path in self.path.parent.glob(f"*{PREPARED_SUFFIX}"):
                if path.name[:-len(PREPARED_SUFFIX)] not in kept_keys:
                    path.unlink(missing_ok=True)
        except (sqlite3.Error, OSError):
            pass

    def _prepared_file(self, key: str) -> Path:
        return self.path.parent / f"{key}{PREPARED_SUFFIX}"

    def close(self) -> None:
        self._db.close()


@dataclass(frozen=True, slots=True)
class KeptCorpus:
    """Holds what a large corpus yields whatever draft is reviewed against it: its own links and
    families, and its clauses prepared for aligning (prepare.prepared_parts: arrays and plain values)."""

    links: Links
    families: tuple[Family, ...]
    prepared: dict


def pack(parts: dict) -> bytes:
    """Returns arrays and JSON values as one compressed blob (numpy's .npz format, never pickle)."""
    buffer = io.BytesIO()
    np.savez(buffer, **{name: value if isinstance(value, np.ndarray) else
                        np.frombuffer(json.dumps(value).encode(), dtype=np.uint8).copy()
                        for name, value in parts.items()},
             **{"json": np.frombuffer(json.dumps([n for n, v in parts.items() if not isinstance(v, np.ndarray)]).encode(),
                                      dtype=np.uint8).copy()})
    return zlib.compress(buffer.getvalue(), 1)


def unpack(blob: bytes) -> dict:
    """Returns the arrays and JSON values that pack() wrote."""
    with np.load(io.BytesIO(zlib.decompress(blob)), allow_pickle=False) as stored:
        as_json = set(json.loads(stored["json"].tobytes()))
        return {name: json.loads(stored[name].tobytes()) if name in as_json else stored[name]
                for name in stored.files if name != "json"}


# A file of arrays and JSON values: this tag, the length of a JSON header (8 bytes, little-endian),
# the header ({"crc": CRC-32 of the data, "index": name → [kind, dtype, shape, offset, length]}),
# then, from the next multiple of 64 bytes, the data: each value at an offset that is a multiple of 64.
ARRAYS_LAYOUT = b"analyser-arrays1"
PREPARED_SUFFIX = ".prepared"
_ALIGN = 64


def write_arrays(path: Path, parts: dict) -> None:
    """Writes arrays and JSON values into one file (whole or not at all) that read_arrays maps back."""
    index, pieces, offset, crc = {}, [], 0, 0
    for name, value in parts.items():
        if isinstance(value, np.ndarray):
            data = np.ascontiguousarray(value)
            index[name] = ["array", data.dtype.str, list(data.shape), offset, data.nbytes]
            data = memoryview(data).cast("B")
        else:
            data = orjson.dumps(value)
            index[name] = ["json", None, None, offset, len(data)]
        pad = b"\0" * (-len(data) % _ALIGN)
        pieces += [data, pad]
        crc = zlib.crc32(pad, zlib.crc32(data, crc))
        offset += len(data) + len(pad)
    header = orjson.dumps({"crc": crc, "index": index})
    head = ARRAYS_LAYOUT + len(header).to_bytes(8, "little") + header
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(temp, "wb") as fh:
            fh.write(head + b"\0" * (-len(head) % _ALIGN))
            fh.writelines(pieces)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def read_arrays(path: Path) -> dict:
    """Returns the arrays and JSON values write_arrays wrote: the arrays read-only, straight from the
    file mapped into memory (no copy); ValueError when the file is not one, or is damaged."""
    with open(path, "rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    mapped.madvise(mmap.MADV_WILLNEED)  # read it all ahead, rather than a page at a time as it is touched
    view = memoryview(mapped)
    tag = len(ARRAYS_LAYOUT)
    if view[:tag] != ARRAYS_LAYOUT:
        raise ValueError("not a file of kept arrays")
    size = int.from_bytes(view[tag:tag + 8], "little")
    header = orjson.loads(view[tag + 8:tag + 8 + size])
    start = -(-(tag + 8 + size) // _ALIGN) * _ALIGN  # the data begins at the next multiple of 64
    if zlib.crc32(view[start:]) != header["crc"]:
        raise ValueError("damaged file of kept arrays")
    parts = {}
    for name, (kind, dtype, shape, offset, length) in header["index"].items():
        at = start + offset
        if at + length > len(view):
            raise ValueError("damaged file of kept arrays")
        if kind == "array":
            item = np.dtype(dtype)
            parts[name] = np.frombuffer(mapped, dtype=item, count=length // item.itemsize, offset=at).reshape(shape)
        else:
            parts[name] = orjson.loads(view[at:at + length])
    return parts


def _decoded(data: bytes | str) -> Document | None:
    try:
        return decode_document(data)
    except (ValueError, TypeError, KeyError, IndexError):
        return None  # a damaged entry only costs a re-parse


def _with_source(document: Document, source: str) -> Document:
    return document if document.source == source else replace(document, source=source)
