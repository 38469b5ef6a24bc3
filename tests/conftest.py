"""Shared fixtures: the embedded corpus, run once per session."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# the property tests draw the same examples every run, so that CI never fails on an input it has not
# met before; `pytest --hypothesis-profile=explore` (or benchmarks/fuzz_readers.py) searches afresh
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Every test caches parsed documents in a temporary folder, never the user's own, and runs locally."""
    import os

    saved = {k: os.environ.get(k) for k in ("XDG_CACHE_HOME", "ANALYSER_CLUSTER")}
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))
    os.environ.pop("ANALYSER_CLUSTER", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def fresh_cache(tmp_path_factory, monkeypatch):
    """Each test starts with an empty cache of its own, so no test is served another's parsing."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory):
    """The main job: the Thanet draft reviewed against the other four protocols."""
    from analyser import Settings, run

    out = tmp_path_factory.mktemp("corpus-run")
    analysis, written = run([CORPUS], settings=Settings(target="thanet-draft", out=out))
    return analysis, out
