"""Shared fixtures: the embedded corpus, run once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory):
    """The main job: the Thanet draft reviewed against the other four protocols."""
    from analyser import Settings, run

    out = tmp_path_factory.mktemp("corpus-run")
    analysis, written = run([CORPUS], settings=Settings(target="thanet-draft", out=out))
    return analysis, out
