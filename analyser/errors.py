"""One family of errors, each message naming the file or clause, the problem and what to do.

Each class carries the exit status the command line returns for it (documented in the README):
2 a bad option, 3 nothing could be read, 4 a report could not be written, 5 the output folder
was refused. 1 is kept for errors outside the family (a bug) and 130 for Ctrl-C.
"""
from __future__ import annotations


class AnalyserError(Exception):
    """Raised for any problem the user can act on; the CLI prints it as one line."""

    exit_code = 1


class IngestError(AnalyserError):
    """Raised when an input file cannot be read (unsupported, corrupt, encrypted, empty, no text, hostile)."""

    exit_code = 3

    def __init__(self, source: str, reason: str):
        # a parser's own message can run over several lines (lxml's does); the error stays one line
        reason = " ".join(reason.split())
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class NoInputError(IngestError):
    """Raised when not one input file could be read, so no report can be made; lists every failure."""

    def __init__(self, paths: str, failures: tuple = ()):
        count = len(failures)
        why = f"{count} file{'s' * (count != 1)} could not be read" if count else "no supported files (.docx, .pdf, .txt, .md) found"
        super().__init__(paths, f"nothing to compare: {why}")
        self.failures = tuple(failures)


class ConfigError(AnalyserError):
    """Raised for bad options: an unknown target, a missing baseline, conflicting flags."""

    exit_code = 2


class RenderError(AnalyserError):
    """Raised when a report cannot be made or written (a template error, a full disk, no permission)."""

    exit_code = 4


class OutputError(AnalyserError):
    """Raised when the output folder is refused: it is an input folder, or a folder analyser did not make."""

    exit_code = 5
