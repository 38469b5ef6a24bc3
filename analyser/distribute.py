"""Distribute: read many files and score many document pairs in parallel, on this machine's cores
or across a Dask cluster (dask stays inside this module and is optional).

Results never depend on where the work ran: documents come back in file order and links in pair
order, so a cluster run writes the same bytes as a local one.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import stat
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator

from .cache import DocumentCache, default_cache_dir
from .candidates import workers
from .errors import ConfigError, IngestError
from .ingest import document_id
from .model import Document, Failure, Link
from .settings import Settings

CLUSTER_ENV = "ANALYSER_CLUSTER"
# files larger than this are never looked up in the cache (the reader refuses far smaller ones)
CACHE_BYTES = 64 * 1024 * 1024
# below this many files to parse, starting worker processes (each imports spaCy) costs more than it saves
PARALLEL_FILES = 12
# document pairs sent to a worker at once; fewer pairs per process than PARALLEL_PAIRS are scored here
PAIR_BATCH = 64
PARALLEL_PAIRS = 100
# seconds to wait for a scheduler before saying it cannot be reached
CONNECT_TIMEOUT = 30


def cluster_address(settings: Settings) -> str | None:
    """Returns the Dask scheduler to use: the setting, else the ANALYSER_CLUSTER variable, else None."""
    return settings.cluster or os.environ.get(CLUSTER_ENV) or None


def read_file(path: Path) -> Document | Failure:
    """Returns a file read and segmented, or why it could not be (run in worker processes)."""
    from .pipeline import read_one  # the pipeline imports this module

    try:
        return read_one(path)  # with the process's one spaCy pipeline (normalise.make_nlp keeps it)
    except IngestError as e:
        return Failure(e.source, e.reason)


def read_documents(files: list[Path], *, settings: Settings,
                   progress: Callable[[int, Path], None] | None = None) -> list[Document | Failure]:
    """Returns every file read and segmented, in file order: from the cache where the content was
    parsed before, otherwise parsed here, in worker processes, or on the cluster. Documents come
    without their blocks (Document.revised says what was asked of them)."""
    cache = open_cache(settings)
    results: list[Document | Failure | None] = [None] * len(files)
    if cache:
        known = [(k, identity) for k, path in enumerate(files) if (identity := _identity(path)) is not None]
        for (k, _), cached in zip(known, cache.get_all([identity for _, identity in known])):
            results[k] = cached
    if progress:
        for k, path in enumerate(files):
            if results[k] is not None:
                progress(k, path)
    missing = [k for k, result in enumerate(results) if result is None]
    fresh = _parse([files[k] for k in missing], settings=settings)
    # blocks dropped as the cache drops them, so a document is the same parsed or cached
    parsed = [replace(r, blocks=()) if isinstance(r, Document) else r for r in fresh]
    if progress:
        for k in missing:
            progress(k, files[k])
    for k, result in zip(missing, parsed):
        results[k] = result
    if cache:
        cache.put_all([r for r in parsed if isinstance(r, Document)])
        cache.close()
    return results  # type: ignore[return-value]


def open_cache(settings: Settings) -> DocumentCache | None:
    if not settings.use_cache:
        return None
    return DocumentCache(settings.cache or default_cache_dir())


def _identity(path: Path) -> tuple[str, str, str] | None:
    """Returns what a file is cached under (content hash, document id, source path), or None."""
    # only a plain file of a readable size is hashed here: a named pipe would block, a huge file
    # would be read whole; the reader checks and reports those properly
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > CACHE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(data).hexdigest(), document_id(path), str(path)


def _parse(files: list[Path], *, settings: Settings) -> list[Document | Failure]:
    if not files:
        return []
    address = cluster_address(settings)
    if address:
        with _client(address) as client:
            return client.gather(client.map(read_file, files, pure=False))
    processes = min(workers(settings), len(files))
    if processes < 2 or len(files) < PARALLEL_FILES:
        return [read_file(p) for p in files]
    with ProcessPoolExecutor(max_workers=processes) as pool:
        return list(pool.map(read_file, files, chunksize=max(1, len(files) // (processes * 4))))


def match_pairs(match: Callable[..., list[Link]], prepared, pairs: list[tuple[str, str]], *,
                settings: Settings) -> list[Link]:
    """Returns the links of every document pair, in pair order: matched here, or on the cluster
    (`match` takes a list of pairs: align.match_many)."""
    address = cluster_address(settings)
    batches = [pairs[k:k + PAIR_BATCH] for k in range(0, len(pairs), PAIR_BATCH)]
    if not address:
        processes = min(workers(settings), len(pairs) // PARALLEL_PAIRS)
        if processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return match(prepared, pairs, settings=settings)
        return _score_forked(match, prepared, batches, processes, settings)
    with _client(address) as client:
        shared = client.scatter(prepared, broadcast=True)
        futures = client.map(_match_batch, batches, match=match, prepared=shared, settings=settings, pure=False)
        return [link for batch in client.gather(futures) for link in batch]


# what forked workers score with: set just before the pool starts, so children inherit it unpickled
_SHARED: tuple | None = None


def _score_forked(match, prepared, batches: list[list[tuple[str, str]]], processes: int,
                  settings: Settings) -> list[Link]:
    """Returns the links of the batches scored in forked processes that share the prepared corpus."""
    global _SHARED
    # one thread per process: the processes already use every core
    _SHARED = (match, prepared, replace(settings, workers=1))
    try:
        with _forked_pool(processes) as pool:
            return [link for batch in pool.map(_match_shared, batches) for link in batch]
    finally:
        _SHARED = None


@contextmanager
def _forked_pool(processes: int) -> Iterator[ProcessPoolExecutor]:
    """Yields a pool of forked processes that inherit this one's objects (set the shared global first)."""
    # keeps the collector from touching (and so copying) the inherited objects; perf (issue 8): without
    # collecting first, which took most of a second on a national corpus for little garbage
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _second_core(settings: Settings) -> bool:
    """Whether work may run beside this process in a forked one: a second core allowed, no cluster
    taking the work instead, and processes that can fork."""
    return (workers(settings) >= 2 and not cluster_address(settings)
            and "fork" in multiprocessing.get_all_start_methods())


@contextmanager
def process_beside(settings: Settings, *, wanted: bool, warm: Callable[[], object]) -> Iterator[Callable | None]:
    """Yields a function that runs work in a forked process which starts on warm() at once (building
    spaCy's pipeline, say) while this one goes on; None where not wanted, or with no second core."""
    if not wanted or not _second_core(settings):
        yield None
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(_warmed, warm)
        yield lambda work, *args, **options: pool.submit(work, *args, **options).result()


def _warmed(warm: Callable[[], object]) -> None:
    warm()  # what it returns stays in that process


# below this many links, starting a process to group them costs more than it saves
BESIDE_LINKS = 200_000
# the work forked processes do beside the main one: set just before they start (inherited unpickled)
_BESIDE: tuple[Callable, ...] = ()


def side_by_side(*work: Callable, settings: Settings, size: int) -> tuple:
    """Returns each work()'s result, in order: on a large corpus (`size` links or more) all but the
    last run in forked processes, on other cores, while the last runs here; otherwise one after the other."""
    global _BESIDE
    if size < BESIDE_LINKS or not _second_core(settings):
        return tuple(w() for w in work)
    *_BESIDE, here = work
    try:
        with _forked_pool(len(_BESIDE)) as pool:
            pending = [pool.submit(_run_beside, k) for k in range(len(_BESIDE))]
            done = here()
            return (*(p.result() for p in pending), done)
    finally:
        _BESIDE = ()


def _run_beside(k: int):
    return _BESIDE[k]()


def _match_shared(batch: list[tuple[str, str]]) -> list[Link]:
    match, prepared, settings = _SHARED  # type: ignore[misc]
    return match(prepared, batch, settings=settings)


def _match_batch(batch: list[tuple[str, str]], *, match, prepared, settings: Settings) -> list[Link]:
    return match(prepared, batch, settings=settings)


def _client(address: str):
    """Returns a Dask client connected to the scheduler, or a ConfigError saying what to do."""
    try:
        from dask.distributed import Client
    except ImportError as e:
        raise ConfigError("--cluster needs Dask: pip install 'analyser[cluster]'") from e
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise ConfigError(f"cannot reach the Dask scheduler at {address} ({e}): check the address") from e
