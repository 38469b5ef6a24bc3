"""The command line: flags → Settings → one library call → printed paths. Nothing else."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import AnalyserError
from .settings import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="analyser", description="Compare councils' protocols clause by clause.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", required=True)

    compare = commands.add_parser("compare", help="align protocols and review a target against its peers")
    compare.add_argument("paths", nargs="+", metavar="PATH", help="protocol files or folders of them")
    compare.add_argument("--target", metavar="DOC", help="the document to review against the others")
    compare.add_argument("--baseline", metavar="DOC", help="review the target against this one document only")
    compare.add_argument("--out", metavar="DIR", type=Path, help="where to write the reports (default reports/<run>)")
    compare.add_argument("--templates", metavar="DIR", type=Path, help="your own templates, used before ours")
    compare.add_argument("--revisions", action="store_true",
                         help="review a .docx's tracked changes: its current text against its text before them")
    compare.add_argument("--strict", action="store_true", help="stop at the first file that cannot be read")

    outline = commands.add_parser("outline", help="print the clause tree of one document")
    outline.add_argument("file", metavar="FILE")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "compare":
            return _compare(args)
        return _outline(args)
    except AnalyserError as e:
        if args.debug:
            raise
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")  # a progress bar may still occupy the line
        print(f"analyser: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("analyser: interrupted; no report was left half-written", file=sys.stderr)
        return 130


def _compare(args) -> int:
    from .pipeline import run

    settings = Settings(target=args.target, baseline=args.baseline, out=args.out, strict=args.strict,
                        revisions=args.revisions, user_templates=args.templates)
    analysis, written = run(args.paths, settings=settings, progress=progress_bar(sys.stderr))
    for failure in analysis.failures:
        print(f"analyser: skipped {failure.source}: {failure.reason}", file=sys.stderr)
    clauses = sum(len(d.clauses) for d in analysis.documents)
    print(f"{len(analysis.documents)} documents, {clauses} clauses, {len(analysis.links)} links, "
          f"{len(analysis.findings)} findings")
    for path in written:
        print(path)
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
    from .ingest import load_document
    from .segment import segment

    document = segment(load_document(args.file))
    depth: dict[str, int] = {}
    for clause in document.clauses:
        depth[clause.id] = depth.get(clause.parent, -1) + 1 if clause.parent else 0
        text = clause.text if len(clause.text) <= 70 else clause.text[:69] + "…"
        # a heading cited by its own words is printed once
        label = "" if clause.kind == "heading" and clause.text.startswith(clause.label) else f"{clause.label} "
        print(f"{'  ' * depth[clause.id]}{label}[{clause.kind}] {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
