"""The whole path on the embedded corpus: files → clauses → links → findings → reports."""
from __future__ import annotations

import json

from analyser import Settings, compare

from .conftest import CORPUS


def test_pipeline_every_protocol_yields_clauses(corpus_run):
    analysis, _ = corpus_run
    assert {d.id for d in analysis.documents} == {"torbay", "bursledon-parish", "dudley", "thanet-draft", "town-council"}
    for document in analysis.documents:
        assert len([c for c in document.clauses if c.kind != "heading"]) >= 40, document.id


def test_pipeline_links_most_of_close_relatives():
    analysis = compare([CORPUS / "dudley.txt", CORPUS / "town-council.txt"], settings=Settings())
    town = [c for c in analysis.document("town-council").clauses if c.kind in ("paragraph", "item")]
    linked = {l.source for l in analysis.links} | {l.target for l in analysis.links}
    share = sum(c.id in linked for c in town) / len(town)
    assert share >= 0.75


def test_pipeline_json_carries_every_contract_field(corpus_run):
    _, out = corpus_run
    alignment = json.loads((out / "alignment.json").read_text())
    assert alignment["schema"] == "analyser/alignment/1"
    assert {"id", "title", "source", "sha256", "format", "clauses"} <= set(alignment["documents"][0])
    assert {"id", "doc", "number", "path", "kind", "parent", "text"} <= set(alignment["clauses"][0])
    assert {"source", "target", "score", "relation"} <= set(alignment["links"][0])
    assert {"id", "label", "clauses"} <= set(alignment["families"][0])
    assert all(l["relation"] in ("equivalent", "partial") for l in alignment["links"])
    findings = json.loads((out / "findings.json").read_text())
    assert findings["schema"] == "analyser/findings/1"
    assert findings["target"] == "thanet-draft"
    assert set(findings["peers"]) == {"torbay", "bursledon-parish", "dudley", "town-council"}
    for f in findings["findings"]:
        assert {"id", "kind", "detail", "clause", "peers", "message"} <= set(f)
        assert f["kind"] in ("gap", "divergence", "drafting")


def test_pipeline_target_yields_findings_with_messages(corpus_run):
    analysis, out = corpus_run
    assert analysis.findings
    assert all(f.message.strip() for f in analysis.findings)
    assert (out / "report.html").read_text().count('class="finding') == len(analysis.findings)


def test_pipeline_two_files_with_one_id_keep_the_first_and_report_the_other(tmp_path):
    (tmp_path / "docx").mkdir()
    (tmp_path / "pdf").mkdir()
    text = (CORPUS / "town-council.txt").read_bytes()
    (tmp_path / "docx" / "town.txt").write_bytes(text)
    (tmp_path / "pdf" / "town.md").write_bytes(text)
    (tmp_path / "dudley.txt").write_bytes((CORPUS / "dudley.txt").read_bytes())
    analysis = compare([tmp_path / "docx", tmp_path / "pdf", tmp_path / "dudley.txt"], settings=Settings(target="town"))
    assert [d.id for d in analysis.documents] == ["town", "dudley"]
    assert analysis.document("town").source.endswith("town.txt")
    (failure,) = analysis.failures
    assert failure.source.endswith("town.md") and "same document id 'town'" in failure.reason
    assert analysis.findings


def test_pipeline_large_review_groups_families_beside_the_findings(monkeypatch):
    from analyser import distribute

    settings = Settings(target="thanet-draft", use_cache=False, workers=2)
    alone = compare([CORPUS], settings=settings)
    monkeypatch.setattr(distribute, "BESIDE_LINKS", 1)  # the seeds' 899 links count as a large corpus's
    beside = compare([CORPUS], settings=settings)
    assert beside.families == alone.families and beside.findings == alone.findings


def test_pipeline_side_by_side_forks_for_large_work_only():
    import os

    from analyser.distribute import BESIDE_LINKS, side_by_side

    back, front = side_by_side(os.getpid, os.getpid, settings=Settings(workers=2), size=BESIDE_LINKS)
    assert front == os.getpid() and back != front
    assert side_by_side(os.getpid, os.getpid, settings=Settings(workers=2), size=10) == (os.getpid(), os.getpid())
    assert side_by_side(os.getpid, os.getpid, settings=Settings(workers=1), size=BESIDE_LINKS) == (os.getpid(),) * 2


def test_pipeline_command_ends_with_its_exit_code_and_its_output_flushed(tmp_path):
    # the command ends its process at once (cli.entry): what it printed must still arrive, and a
    # failure still gives its exit status and its one line
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("1. Members and officers treat each other with respect.\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("1. Councillors and staff treat one another with respect.\n", encoding="utf-8")
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # a pipe is block-buffered
    done = subprocess.run([sys.executable, "-m", "analyser", "compare", str(tmp_path / "in"), "--out",
                           str(tmp_path / "out"), "--no-cache"], cwd=ROOT, env=buffered, capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.splitlines()[0].startswith("2 documents")
    assert str(tmp_path / "out" / "alignment.json") in done.stdout
    failed = subprocess.run([sys.executable, "-m", "analyser", "compare", str(tmp_path / "missing"), "--out",
                             str(tmp_path / "out2"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert failed.returncode != 0 and "no such file or folder" in failed.stderr


def test_pipeline_process_beside_runs_work_in_a_warmed_forked_process():
    import os

    from analyser.distribute import process_beside

    with process_beside(Settings(workers=2), wanted=True, warm=os.getpid) as beside:
        assert beside(os.getpid) != os.getpid()
        assert beside(max, 3, 7) == 7
    for settings, wanted in ((Settings(workers=2), False), (Settings(workers=1), True)):
        with process_beside(settings, wanted=wanted, warm=os.getpid) as beside:
            assert beside is None
