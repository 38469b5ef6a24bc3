"""analyser: compare councils' member/officer protocols clause by clause.

    from analyser import compare, Settings
    analysis = compare(["corpus/"], settings=Settings(target="thanet-draft"))
"""
from .errors import AnalyserError, ConfigError, IngestError, NoInputError, OutputError, RenderError
from .ingest import load_document
from .model import Analysis, Block, Clause, Document, Failure, Family, Finding, Link, Metadata
from .pipeline import compare, run
from .render import write_reports
from .segment import segment
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "AnalyserError", "Analysis", "Block", "Clause", "ConfigError", "Document", "Failure", "Family", "Finding",
    "IngestError", "Link", "Metadata", "NoInputError", "OutputError", "RenderError", "Settings", "compare", "load_document", "run", "segment",
    "write_reports",
]
