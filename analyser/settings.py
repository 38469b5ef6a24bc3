"""All tunable values in one frozen, validated object, with every default in one place."""
from __future__ import annotations

from dataclasses import dataclass
import sys
from pathlib import Path

from .errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent


def _default_templates() -> Path:
    # templates/ sits beside the package in a checkout; a wheel carries it inside the package
    installed = Path(sys.prefix) / "share" / "analyser" / "templates"
    for candidate in (PACKAGE_DIR.parent / "templates", installed):
        if candidate.is_dir():
            return candidate
    return PACKAGE_DIR.parent / "templates"


@dataclass(frozen=True, slots=True)
class Settings:
    """Holds the options of one run: what to compare, how strictly, and where to write."""

    target: str | None = None
    baseline: str | None = None
    out: Path | None = None
    revisions: bool = False
    strict: bool = False
    force: bool = False  # write into an existing folder that analyser did not make
    # alignment (calibration in README, "Alignment"): a main partner from the one-to-one assignment
    # is linked when its pair score reaches `link_threshold`; a further partial link (split, merged or
    # restated provision) needs `partial_threshold`; a link whose own score reaches
    # `equivalent_threshold`, with little on either side the other lacks, is "equivalent"
    link_threshold: float = 0.30
    equivalent_threshold: float = 0.70
    partial_threshold: float = 0.30
    templates: Path = _default_templates()
    user_templates: Path | None = None
    data_dir: Path = PACKAGE_DIR / "data"
    today: str | None = None  # ISO date used for "review date has passed"; None = today
    # speed (analyser/candidates.py, analyser/cache.py): blocking retrieves candidates before fine
    # scoring; a corpus of more than `exhaustive_documents` pairs each document with its nearest
    # `peers_per_document` plus `diverse_peers` unlike those, instead of all pairs
    blocking: bool = True
    candidates_per_clause: int = 6
    exhaustive_documents: int = 40
    peers_per_document: int = 8
    diverse_peers: int = 4
    nearest_peers: int = 0  # review the target against only its this-many most similar peers; 0 = all
    workers: int = 0  # processes for ingestion and threads for scoring; 0 = every core
    cache: Path | None = None  # parsed-document cache folder; None = the user's cache folder
    use_cache: bool = True
    cluster: str | None = None  # a Dask scheduler address ("tcp://host:8786") to spread the work over

    def __post_init__(self) -> None:
        if self.baseline is not None and self.target is None:
            raise ConfigError("--baseline needs --target: name the draft to review against the baseline")
        for name in ("link_threshold", "equivalent_threshold", "partial_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1, got {value}")
        for name in ("candidates_per_clause", "exhaustive_documents", "peers_per_document"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.workers < 0 or self.diverse_peers < 0 or self.nearest_peers < 0:
            raise ConfigError("workers, diverse_peers and nearest_peers cannot be negative")
