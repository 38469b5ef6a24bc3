"""The Dask option: the same run spread over a cluster writes the same output as a local run."""
from __future__ import annotations

import json

import pytest

from analyser import Settings, run
from analyser.errors import ConfigError

from .conftest import CORPUS

try:
    import dask.distributed as distributed
except ImportError:  # dask is an optional extra: its tests skip, the local-process ones still run
    distributed = None
needs_dask = pytest.mark.skipif(distributed is None, reason="dask[distributed] is not installed")


@pytest.fixture(scope="module")
def cluster():
    if distributed is None:
        pytest.skip("dask[distributed] is not installed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as c:
        yield c


def test_cluster_run_matches_local_run(cluster, tmp_path):
    files = [CORPUS / "dudley.txt", CORPUS / "town-council.txt", CORPUS / "thanet-draft.txt"]
    local, _ = run(files, settings=Settings(target="thanet-draft", out=tmp_path / "local", use_cache=False))
    remote, _ = run(files, settings=Settings(target="thanet-draft", out=tmp_path / "remote", use_cache=False,
                                             cluster=cluster.scheduler_address))
    assert remote.links == local.links
    assert remote.findings == local.findings
    for name in ("alignment.json", "findings.json"):
        assert json.loads((tmp_path / "remote" / name).read_text()) == json.loads((tmp_path / "local" / name).read_text())


def test_cluster_address_comes_from_the_environment(cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSER_CLUSTER", cluster.scheduler_address)
    analysis, _ = run([CORPUS / "dudley.txt", CORPUS / "town-council.txt"],
                      settings=Settings(out=tmp_path / "out", use_cache=False))
    assert analysis.links


@needs_dask
def test_cluster_unreachable_scheduler_is_a_config_error(tmp_path, monkeypatch):
    from analyser import distribute

    monkeypatch.setattr(distribute, "CONNECT_TIMEOUT", 1)
    with pytest.raises(ConfigError, match="Dask scheduler"):
        run([CORPUS / "dudley.txt"], settings=Settings(out=tmp_path, use_cache=False, cluster="tcp://127.0.0.1:9"))


def test_cluster_local_processes_score_pairs_as_one_process_does(monkeypatch):
    from analyser import compare, distribute

    files = [CORPUS / "dudley.txt", CORPUS / "town-council.txt", CORPUS / "torbay.txt"]
    alone = compare(files, settings=Settings(use_cache=False, workers=1))
    monkeypatch.setattr(distribute, "PARALLEL_PAIRS", 1)
    forked = compare(files, settings=Settings(use_cache=False, workers=2))
    assert forked.links == alone.links
