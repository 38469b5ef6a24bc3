"""One family of errors, each message naming the file or clause, the problem and what to do."""
from __future__ import annotations


class AnalyserError(Exception):
    """Raised for any problem the user can act on; the CLI prints it as one line."""

    exit_code = 1


class IngestError(AnalyserError):
    """Raised when an input file cannot be read (unsupported, corrupt, encrypted, empty, no text)."""

    exit_code = 3

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(AnalyserError):
    """Raised for bad options: an unknown target, a missing baseline, an unusable output folder."""

    exit_code = 2


class RenderError(AnalyserError):
    """Raised when a report cannot be written."""

    exit_code = 4
