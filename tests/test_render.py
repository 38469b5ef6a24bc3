"""The HTML, Markdown and GraphML reports: self-contained, escaped, and showing what a reviewer needs."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace

import networkx as nx
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from analyser import RenderError, Settings, write_reports
from analyser.render import OUTPUT_NAMES, json_bytes, render_outputs

from .reports_helpers import small_analysis

SETTINGS = Settings(today="2025-01-31")


@pytest.fixture(scope="module")
def outputs():
    return render_outputs(small_analysis(), settings=SETTINGS)


def _csp(html: str) -> str:
    return re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_render_html_shows_hostile_clause_as_text(outputs):
    html = outputs["report.html"]
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script") == 1  # ours alone
    assert 'href="http://example.invalid' not in html


def test_render_html_loads_nothing_from_outside(outputs):
    html = outputs["report.html"]
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?(?:https?:|//)""", html)
    assert "@import" not in html and "url(" not in html
    csp = _csp(html)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    # the policy lets exactly our inline script and stylesheet run, so an injected one would not
    assert f"script-src {_hash(script)}" in csp
    assert f"style-src {_hash(style)}" in csp


def test_render_html_diff_marks_words_and_emphasises_modals_and_numbers(outputs):
    html = outputs["report.html"]
    assert '<del class="key">must</del>' in html
    assert '<ins class="key">should</ins>' in html
    assert '<del class="key">10</del>' in html and '<ins class="key">5</ins>' in html
    assert 'class="diff"' in html


def test_render_html_matrix_has_real_headers_and_heat(outputs):
    html = outputs["report.html"]
    matrix = re.search(r'<table class="matrix".*?</table>', html, re.S).group(0)
    assert '<th scope="col">Peerton Council</th>' in matrix
    assert '<th scope="row">Access to information</th>' in matrix
    # two of the draft's three provisions have a counterpart in the peer
    assert re.search(r'<td class="heat-\d">2 \(67%\)</td>', matrix)


def test_render_html_everything_visible_without_script(outputs):
    html = outputs["report.html"]
    articles = re.findall(r"<article [^>]*>", html)
    assert len(articles) == 3 and not any("hidden" in a for a in articles)
    assert re.search(r'<form id="filters" hidden', html)  # the filters only appear once the script runs
    assert 'data-kind="divergence"' in html and 'data-peers="peer"' in html and 'data-severity="high"' in html


def test_render_html_places_gap_after_the_draft_clause_it_would_follow(outputs):
    html = outputs["report.html"]
    gap = re.search(r'<article [^>]*id="G001".*?</article>', html, re.S).group(0)
    assert "Would sit after 2 of the draft" in gap
    assert "Members may visit council premises" in gap


def test_render_html_is_accessible_markup(outputs):
    html = outputs["report.html"]
    assert re.search(r'<html lang="en', html)
    assert html.count("<h1") == 1
    assert "<th scope=" in html and "<caption>" in html


def test_render_html_family_browser_shows_every_wording(outputs):
    html = outputs["report.html"]
    family = re.search(r'<details class="family" id="F001">.*?</details>', html, re.S).group(0)
    assert "Draftshire Council" in family and "Peerton Council" in family
    assert "within 10 days" in family and "within 5 days" in family


def test_render_html_lists_document_metadata(outputs):
    html = outputs["report.html"]
    assert "1 May 2024" in html and "June 2023" in html


def test_render_markdown_escapes_document_text(outputs):
    md = outputs["report.md"]
    assert "<script>" not in md
    assert "&lt;script&gt;" in md
    assert r"\*\*now\*\*" in md and r"\| \[x\](http://example.invalid)" in md


def test_render_markdown_lists_findings_with_citations(outputs):
    md = outputs["report.md"]
    assert "**D001** (high · divergence · obligation-weakened · draft 1)" in md
    assert "cites Peerton Council 1" in md
    assert "| Access to information | 3 | 2 (67%) |" in md


def test_render_graphml_holds_clauses_and_links(outputs):
    import io

    graph = nx.read_graphml(io.BytesIO(outputs["alignment.graphml"]))
    assert graph.number_of_nodes() == 8 and graph.number_of_edges() == 3
    assert graph.edges["draft:1", "peer:1"]["relation"] == "equivalent"
    assert graph.nodes["draft:1"]["family"] == "F001"
    assert "\x0b" not in graph.nodes["draft:3"]["text"]


def test_render_same_input_same_bytes():
    first = render_outputs(small_analysis(), settings=SETTINGS)
    second = render_outputs(small_analysis(), settings=SETTINGS)
    for name in ("report.html", "report.md", "alignment.json", "findings.json", "alignment.graphml"):
        assert first[name] == second[name], name


def test_render_template_error_leaves_no_report_behind(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "report.md.j2").write_text("{{ no_such_thing }}")
    out = tmp_path / "out"
    with pytest.raises(RenderError):
        write_reports(small_analysis(), out, settings=Settings(user_templates=mine))
    assert not out.exists() or not any(out.iterdir())


def test_render_corpus_report_is_whole_and_modest(corpus_run):
    analysis, out = corpus_run
    html = (out / "report.html").read_text()
    assert len(html.encode()) < 3_000_000
    assert 'id="coverage-matrix"' in html and "<del" in html and "<ins" in html
    assert html.count("<article ") == len(analysis.findings)
    assert {p.name for p in out.iterdir()} >= {"report.html", "report.md", "alignment.graphml", "review.docx"}


@given(st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text()
                    | st.floats(0, 1).map(lambda x: round(x, 4)),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12))
@hsettings(max_examples=60, deadline=None)
def test_render_json_bytes_are_the_json_modules(data):
    # the contract's files were json.dumps output: orjson must write the very same bytes
    # (scores are rounded to 4 places, so no exponent form arises; text may hold any character)
    expected = json.dumps({"data": data}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert json_bytes({"data": data}) == expected.encode("utf-8")
    assert json.loads(json_bytes({"data": data}, indent=False)) == {"data": data}


def test_render_side_by_side_writes_the_same_reports(tmp_path, monkeypatch):
    from analyser import distribute

    settings = Settings(today="2025-01-31", workers=1)
    one_after_other = write_reports(small_analysis(), tmp_path / "alone", settings=settings)
    monkeypatch.setattr(distribute, "BESIDE_LINKS", 0)  # forked processes even for three links
    forks = []
    pool = distribute._forked_pool
    monkeypatch.setattr(distribute, "_forked_pool", lambda n: forks.append(n) or pool(n))
    beside = write_reports(small_analysis(), tmp_path / "beside", settings=replace(settings, workers=2))
    assert forks == [2]  # the reports for people and the GraphML, beside alignment.json
    assert [p.name for p in beside] == [p.name for p in one_after_other] == [n for n in OUTPUT_NAMES if n in
                                                                            {p.name for p in beside}]
    for name in ("report.html", "report.md", "alignment.json", "findings.json", "alignment.graphml"):
        assert (tmp_path / "beside" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "beside").iterdir()) == sorted([".analyser-run", *(p.name for p in beside)])


def test_render_failing_beside_leaves_the_last_reports_and_no_temporary_file(tmp_path, monkeypatch):
    # the GraphML is written by a forked process into a file reserved for it: when that process
    # fails, the run fails whole, and nothing of it is left in the folder
    from analyser import distribute, render

    settings = Settings(today="2025-01-31", workers=2)
    out = tmp_path / "out"
    write_reports(small_analysis(), out, settings=settings)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix != ".docx"}
    monkeypatch.setattr(distribute, "BESIDE_LINKS", 0)

    def broken(analysis):
        yield b"<graphml"
        raise RuntimeError("no room")

    monkeypatch.setattr(render, "graphml_parts", broken)
    with pytest.raises(RuntimeError):
        write_reports(small_analysis(), out, settings=settings)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.suffix != ".docx"} == before


@given(st.text() | st.text(alphabet="ab1_:.()[]/ ,'-¶&<>\"\n\t\x0b\ufffe", max_size=12))
@hsettings(max_examples=100, deadline=None)
def test_render_graphml_attribute_is_quoteattrs(value):
    # clause ids are quoted on a fast path when plain: the same text as quoteattr in every case
    from xml.sax.saxutils import quoteattr

    from analyser.render import _attribute
    from analyser.textdiff import xml_safe

    assert _attribute(value) == quoteattr(xml_safe(value))


def test_render_written_files_hold_the_rendered_bytes(tmp_path, monkeypatch):
    # the largest files are written in parts (a national corpus's alignment is hundreds of megabytes):
    # what lands on disk is the whole rendering, compact alignment and GraphML included
    from analyser import render

    monkeypatch.setattr(render, "_indent", lambda analysis: False)
    settings = Settings(today="2025-01-31")
    rendered = render_outputs(small_analysis(), settings=settings)
    written = write_reports(small_analysis(), tmp_path / "out", settings=settings)
    assert [p.name for p in written] == list(rendered)
    for path in written:
        content = rendered[path.name]
        if path.name.endswith(".docx"):
            continue  # a Word file records when it was made
        assert path.read_bytes() == (content.encode("utf-8") if isinstance(content, str) else content), path.name
