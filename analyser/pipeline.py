"""The recipe: files → documents → clauses → links and families → findings → reports."""
from __future__ import annotations

import logging
from pathlib import Path
from collections.abc import Callable, Sequence

from .align import align, match, thesaurus_path
from .candidates import document_pairs, nearest_documents
from .cache import KeptCorpus, corpus_key
from .distribute import open_cache, process_beside, read_documents, side_by_side
from .errors import ConfigError, IngestError, NoInputError
from .families import families, place
from .findings import review
from .ingest import guard, has_revisions, load_document, supported
from .links import Links, merged
from .model import Analysis, Document, Failure, Family, Link
from .normalise import make_nlp
from .output import check_output_folder
from .prepare import Prepared, extend, normalised_forms, prepare, prepared_from_parts, prepared_parts
from .render import write_reports
from .segment import segment
from .settings import Settings

log = logging.getLogger("analyser")

# told (stage, done, total) as a run advances; the CLI draws a bar with it, the library never prints
Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    """Ignores progress: the default when nobody is watching."""


# files found in a folder that describe the folder rather than being a protocol
NOT_PROTOCOLS = {"README", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE"}


def collect(paths: list[str | Path]) -> list[Path]:
    """Returns the files to read: files as given, folders expanded to their supported files."""
    return gather(paths)[0]


def gather(paths: list[str | Path]) -> tuple[list[Path], list[Failure]]:
    """Returns the files to read and the entries of folders passed over with a reason (symbolic links).

    A file named on the command line is read as named; a link inside a folder may lead anywhere
    (outside the folder, to a device), so it is reported, never followed silently."""
    files: list[Path] = []
    passed_over: list[Failure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for p in sorted(path.iterdir()):
                if p.name.startswith((".", "~$")) or not supported(p) or p.stem.upper() in NOT_PROTOCOLS:
                    continue
                if p.is_symlink():
                    passed_over.append(Failure(str(p), "a symbolic link inside a folder, not followed: name the file "
                                                       "it points to if you mean to compare it"))
                elif p.is_file():
                    files.append(p)
        elif not path.exists():
            passed_over.append(Failure(str(path), "no such file or folder"))
        else:
            files.append(path)
    return files, passed_over


def compare(paths: list[str | Path], *, settings: Settings, progress: Progress | None = None) -> Analysis:
    """Returns the analysis of the given files: every document segmented, aligned and reviewed."""
    files, failures = gather(paths)
    if failures and settings.strict:
        raise IngestError(failures[0].source, failures[0].reason)
    # perf (issue 8): a review against a large corpus kept in the cache needs spaCy only for the
    # draft's words, so its pipeline is built in a process beside this one while the documents are read
    large_review = settings.target is not None and settings.blocking and len(files) > settings.exhaustive_documents + 1
    with process_beside(settings, wanted=large_review, warm=make_nlp) as beside:
        return _compared(files, failures, settings=settings, progress=progress or _quiet, beside=beside)


def _compared(files: list[Path], failures: list[Failure], *, settings: Settings, progress: Progress,
              beside: Callable | None) -> Analysis:
    # spaCy's pipeline is built where first needed (normalise.make_nlp keeps one per process)
    documents: list[Document] = []

    def reading(done: int, path: Path) -> None:
        progress(f"reading {path.name}", done, len(files) + 3)  # then aligning, reviewing, writing

    for result in read_documents(files, settings=settings, progress=reading):  # cached, in parallel or on a cluster
        if isinstance(result, Failure):
            if settings.strict:
                raise IngestError(result.source, result.reason)
            failures.append(result)
            continue
        documents.append(result)
        if settings.revisions and has_revisions(result):  # the same file with its changes rejected
            try:
                documents.append(read_one(Path(result.source), doc_id=f"{result.id}-original", original=True))
            except IngestError as e:
                if settings.strict:
                    raise
                failures.append(Failure(e.source, e.reason))
    documents, duplicates = _one_per_id(documents)
    failures.extend(duplicates)
    ids = [d.id for d in documents]
    target, baseline = _resolve(settings.target, ids), _resolve(settings.baseline, ids)
    if settings.revisions and documents:
        target, baseline = _revision_pair(target, ids)
    docs = tuple(documents)
    if target is not None and baseline is None and settings.nearest_peers:
        # a review against a national corpus: only the peers most like the draft (candidates.py)
        keep = {target, *nearest_documents(docs, target, settings.nearest_peers)}
        docs = tuple(d for d in docs if d.id in keep)
        ids = [d.id for d in docs]
    if target is not None:
        peers = {baseline} if baseline else set(ids) - {target}
        corpus, own = tuple(d for d in docs if d.id in peers), [(target, p) for p in ids if p in peers]
    else:
        corpus, own = docs, []
    progress("aligning", len(files), len(files) + 3)
    links, grouping = aligned(docs, corpus, own, settings=settings, beside=beside)
    if target is None:
        return Analysis(docs, links, grouping(), failures=tuple(failures))
    progress("reviewing", len(files) + 1, len(files) + 3)
    draft = next(d for d in docs if d.id == target)
    # families and findings both read the links and nothing of each other: on a large corpus they
    # are worked out side by side, on two cores (distribute.py)
    grouped, found = side_by_side(grouping, lambda: review(draft, corpus, links, settings=settings),
                                  settings=settings, size=len(links))
    return Analysis(docs, links, grouped, found, target=target, baseline=baseline, failures=tuple(failures))


def aligned(docs: tuple[Document, ...], corpus: tuple[Document, ...], own: list[tuple[str, str]], *,
            settings: Settings, beside: Callable | None = None
            ) -> tuple[Sequence[Link], Callable[[], tuple[Family, ...]]]:
    """Returns the links of the draft's own pairs and of the corpus among itself (among its documents
    only as far as candidate retrieval pairs them; all pairs when few), and how to group them into
    families: afresh, or for a large corpus its kept families with the draft placed in them. A large
    corpus's own links and families are kept in the cache, so the next run over the same documents,
    reviewing any draft, aligns and groups only that draft (normalising it with `beside`, when
    given: distribute.process_beside)."""
    if not settings.blocking or len(corpus) <= settings.exhaustive_documents:
        links = align(docs, settings=settings, pairs=own + document_pairs(corpus, settings=settings))
        return links, lambda: families(docs, links)
    cache = open_cache(settings)
    key = corpus_key(corpus, settings)
    thesaurus = thesaurus_path(settings)
    kept = cache.get_corpus(key) if cache else None
    prepared = _kept_prepared(kept, corpus)
    if kept is None or prepared is None:
        # weighted over the corpus alone: its clauses' vectors, and so its links, do not depend on the draft
        prepared = prepare(corpus, thesaurus=thesaurus, weigh=frozenset(d.id for d in corpus))
        among = Links.of(match(prepared, document_pairs(corpus, settings=settings), settings=settings))
        kept = KeptCorpus(among, families(corpus, among), prepared_parts(prepared))
        if cache:
            cache.put_corpus(key, kept)
    if cache:
        cache.close()
    if not own:
        return kept.links, lambda: kept.families
    peers = {d.id for d in corpus}
    drafts = tuple(d for d in docs if d.id not in peers)
    # normalised in the process beside this one (its spaCy pipeline built while the documents were read)
    forms = beside(normalised_forms, drafts, thesaurus=thesaurus) if beside else None
    links = match(extend(prepared, drafts, thesaurus=thesaurus, forms=forms), own, settings=settings)
    corpus_families = kept.families
    return merged(kept.links, links), lambda: place(docs, corpus_families, links)


def _kept_prepared(kept: KeptCorpus | None, corpus: tuple[Document, ...]) -> Prepared | None:
    """Returns the corpus's prepared clauses kept in the cache, or None when there are none or they are damaged."""
    if kept is None:
        return None
    try:
        return prepared_from_parts(kept.prepared, corpus)
    except (KeyError, ValueError, TypeError, IndexError):
        return None


def read_one(path: Path, *, nlp=None, **options) -> Document:
    """Returns one file read and segmented within the time limit; any failure becomes an IngestError."""
    source = str(path)
    try:
        with guard.time_limit(source):
            return segment(load_document(path, **options), nlp=nlp)
    except (IngestError, KeyboardInterrupt):
        raise
    except RecursionError as e:
        raise IngestError(source, "its structure is nested too deeply to read") from e
    except MemoryError as e:
        raise IngestError(source, "reading it ran out of memory") from e
    except Exception as e:  # a reader's bug must not end the whole run: report it and go on
        log.debug("unexpected error reading %s", source, exc_info=True)
        raise IngestError(source, f"could not be read: unexpected {type(e).__name__} ({str(e)[:100]}); "
                                  "please report this file (run with --debug for details)") from e


def _one_per_id(documents: list[Document]) -> tuple[list[Document], list[Failure]]:
    """Returns the documents with one per id (the first read: the same protocol as .docx and .pdf,
    say) and a failure for each file set aside, naming the file it clashed with."""
    kept: dict[str, Document] = {}
    clashes: list[Failure] = []
    for document in documents:
        first = kept.setdefault(document.id, document)
        if first is not document:
            clashes.append(Failure(document.source, f"same document id '{document.id}' as {first.source}: "
                                                    "rename one of them to compare both"))
    return list(kept.values()), clashes


def _resolve(name: str | None, ids: list[str]) -> str | None:
    """Returns the document id a --target or --baseline names (an id, a file name or a path)."""
    if name is None:
        return None
    from .ingest import document_id

    wanted = document_id(Path(name))
    if wanted in ids:
        return wanted
    raise ConfigError(f"--target/--baseline '{name}' is not among the documents read ({', '.join(ids) or 'none'})")


def _revision_pair(target: str | None, ids: list[str]) -> tuple[str, str]:
    """Returns the draft and its original (tracked changes rejected) for a --revisions review."""
    drafts = [i for i in ids if f"{i}-original" in ids]
    if target is None and len(drafts) == 1:
        target = drafts[0]
    if target is None or target not in drafts:
        named = f"'{target}' has" if target else ("no file has" if not drafts else f"{len(drafts)} files have")
        raise ConfigError(f"--revisions: {named} tracked changes to review" + (": name one with --target" if len(drafts) > 1 else ""))
    return target, f"{target}-original"


def run(paths: list[str | Path], *, settings: Settings, progress: Progress | None = None) -> tuple[Analysis, tuple[Path, ...]]:
    """Compares the files and writes every report; returns the analysis and the files written."""
    progress = progress or _quiet
    out = Path(settings.out or default_out(settings))
    check_output_folder(out, inputs=paths, force=settings.force)  # refuse before the work, not after
    analysis = compare(paths, settings=settings, progress=progress)
    if not analysis.documents:
        raise NoInputError(", ".join(str(p) for p in paths), analysis.failures)
    steps = len(analysis.documents) + len(analysis.failures) + 3
    progress("writing reports", steps - 1, steps)
    written = write_reports(analysis, out, settings=settings)
    progress("done", 1, 1)
    return analysis, written


def default_out(settings: Settings) -> Path:
    """Returns reports/<target id>, or reports/corpus when no target is named."""
    from .ingest import document_id

    return Path("reports") / (document_id(Path(settings.target)) if settings.target else "corpus")
