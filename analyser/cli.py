"""The command line: flags → Settings → one library call → printed paths. Nothing else.

Exit status: 0 reports written (files that could not be read are listed on stderr and in the
report); 1 an unexpected error (a bug: `--debug` shows the traceback); 2 a bad option;
3 nothing could be read; 4 a report could not be written; 5 the output folder was refused;
130 interrupted. Every failure is one line on stderr naming the file and the reason.
"""
from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from pathlib import Path

from .errors import AnalyserError
from .ingest.guard import printable
from .settings import Settings

EXIT_BUG = 1
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="analyser", description="Compare councils' protocols clause by clause.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", required=True)
    # --debug is accepted after the command too; SUPPRESS keeps the top-level value when it is absent
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks for errors")

    compare = commands.add_parser("compare", parents=[debug], help="align protocols and review a target against its peers")
    compare.add_argument("paths", nargs="+", metavar="PATH", help="protocol files or folders of them")
    compare.add_argument("--target", metavar="DOC", help="the document to review against the others")
    compare.add_argument("--baseline", metavar="DOC", help="review the target against this one document only")
    compare.add_argument("--out", metavar="DIR", type=Path, help="where to write the reports (default reports/<run>)")
    compare.add_argument("--templates", metavar="DIR", type=Path, help="your own templates, used before ours")
    compare.add_argument("--revisions", action="store_true",
                         help="review a .docx's tracked changes: its current text against its text before them")
    compare.add_argument("--strict", action="store_true", help="stop at the first file that cannot be read")
    compare.add_argument("--force", action="store_true",
                         help="write into an existing --out folder that analyser did not make")
    compare.add_argument("--cache", metavar="DIR", type=Path,
                         help="keep parsed documents, and what a large corpus yields (its links, families and "
                              "prepared clauses), here (default: the user's cache folder, ~/.cache/analyser)")
    compare.add_argument("--no-cache", action="store_true", help="parse and align every file afresh and cache nothing")
    compare.add_argument("--workers", metavar="N", type=int, default=0,
                         help="processes for reading files and threads for scoring (default: every core)")
    compare.add_argument("--cluster", metavar="ADDRESS",
                         help="spread reading and scoring over a Dask cluster, e.g. tcp://host:8786 "
                              "(or set ANALYSER_CLUSTER); needs pip install 'analyser[cluster]'")
    compare.add_argument("--nearest", metavar="N", type=int, default=0,
                         help="with --target: review against only the N peers most like the target (default: all)")
    compare.add_argument("--exhaustive", action="store_true",
                         help="score every clause pair of every document pair (slow; no candidate retrieval)")

    outline = commands.add_parser("outline", parents=[debug], help="print the clause tree of one document")
    outline.add_argument("file", metavar="FILE")
    return parser


def entry() -> None:
    """Runs the command line as a program (the `analyser` command, `python -m analyser`) and exits."""
    code = main()
    # a national corpus leaves millions of objects that the interpreter would free one by one on
    # the way out (most of a second): every report is written and closed by now, so the process
    # ends at once (perf, issue 8)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    # a run builds millions of small objects that live until it ends (a national corpus's clauses)
    # and leaves almost no cyclic garbage (1,610 objects in a review against 1,000 peers): the cyclic
    # collector would only walk the new objects again and again, half a second of that review (perf,
    # issue 8). Switched off for the run, and back as it was for a caller that runs main in-process.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.debug:
        logging.basicConfig(level=logging.DEBUG, format="analyser: %(name)s: %(message)s")
    elif not logging.getLogger().handlers:  # parsers log warnings about damaged files; our one line says what matters
        logging.getLogger().addHandler(logging.NullHandler())
    try:
        if args.command == "compare":
            return _compare(args)
        return _outline(args)
    except AnalyserError as e:
        if args.debug:
            raise
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")  # a progress bar may still occupy the line
        for failure in getattr(e, "failures", ()):
            _say(f"cannot read {failure.source}: {failure.reason}")
        _say(f"error: {e}")
        return e.exit_code
    except KeyboardInterrupt:
        _say("interrupted; no report was left half-written")
        return EXIT_INTERRUPTED
    except Exception as e:  # a bug: one line for the user, the traceback under --debug
        if args.debug:
            raise
        _say(f"internal error ({type(e).__name__}: {str(e)[:200]}); please report it, "
             "and run again with --debug for the traceback")
        return EXIT_BUG


def _say(line: str) -> None:
    """Prints one line on stderr, with any control characters a file name smuggled in made visible."""
    print(printable(f"analyser: {line}"), file=sys.stderr)


def _compare(args) -> int:
    from .pipeline import run

    settings = Settings(target=args.target, baseline=args.baseline, out=args.out, strict=args.strict,
                        revisions=args.revisions, force=args.force, user_templates=args.templates,
                        cache=args.cache, use_cache=not args.no_cache,
                        workers=args.workers, cluster=args.cluster, blocking=not args.exhaustive,
                        nearest_peers=args.nearest)
    analysis, written = run(args.paths, settings=settings, progress=progress_bar(sys.stderr))
    for failure in analysis.failures:
        _say(f"skipped {failure.source}: {failure.reason}")
    clauses = sum(len(d.clauses) for d in analysis.documents)
    print(f"{len(analysis.documents)} documents, {clauses} clauses, {len(analysis.links)} links, "
          f"{len(analysis.findings)} findings")
    for path in written:
        print(printable(str(path)))
    return 0


def progress_bar(stream, width: int = 24):
    """Returns a callback drawing a one-line progress bar on `stream` when it is a terminal; None otherwise."""
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return None

    def draw(stage: str, done: int, total: int) -> None:
        filled = width if total <= 0 else round(width * min(done, total) / total)
        if stage == "done":
            stream.write("\r\033[K")  # clear the bar so the printed results start on a clean line
        else:
            stream.write(f"\r\033[K[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {stage[:50]}")
        stream.flush()

    return draw


def _outline(args) -> int:
    from .ingest import guard, load_document
    from .segment import segment

    with guard.time_limit(args.file):
        document = segment(load_document(args.file))
    depth: dict[str, int] = {}
    for clause in document.clauses:
        depth[clause.id] = depth.get(clause.parent, -1) + 1 if clause.parent else 0
        text = clause.text if len(clause.text) <= 70 else clause.text[:69] + "…"
        # a heading cited by its own words is printed once
        label = "" if clause.kind == "heading" and clause.text.startswith(clause.label) else f"{clause.label} "
        print(printable(f"{'  ' * depth[clause.id]}{label}[{clause.kind}] {text}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
