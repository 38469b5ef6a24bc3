"""The Word outputs, re-opened with python-docx: comments where a reviewer expects them, real tracked changes."""
from __future__ import annotations

import io
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn

from analyser import Settings, run
from analyser.render import render_outputs

from .conftest import CORPUS
from .reports_helpers import HOSTILE, small_analysis

SETTINGS = Settings(today="2025-01-31")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _commented_paragraphs(document) -> dict[str, str]:
    """Returns each comment's id → the text of the paragraph its reference sits in."""
    out = {}
    for paragraph in document.paragraphs:
        for ref in paragraph._p.iter(qn("w:commentReference")):
            out[ref.get(qn("w:id"))] = paragraph.text
    return out


def _accept_all(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")) if not any(a.tag == qn("w:del") for a in t.iterancestors()))


def _reject_all(paragraph) -> str:
    kept = [t.text or "" for t in paragraph.iter(qn("w:t"), qn("w:delText"))
            if not any(a.tag == qn("w:ins") for a in t.iterancestors())]
    return "".join(kept)


@pytest.fixture(scope="module")
def review():
    return _open(render_outputs(small_analysis(), settings=SETTINGS)["review.docx"])


@pytest.fixture(scope="module")
def redline():
    outputs = render_outputs(small_analysis(baseline=True), settings=SETTINGS)
    return _open(outputs["redline.docx"])


def test_render_word_review_attaches_each_finding_as_a_comment(review):
    comments = {c.text.split(" · ")[0]: c for c in review.comments}
    assert set(comments) == {"D001", "G001", "D002"}
    assert all(c.author == "analyser" for c in comments.values())
    where = _commented_paragraphs(review)
    assert where[str(comments["D001"].comment_id)].startswith("1\tMembers should give notice within 5 days")
    assert where[str(comments["D002"].comment_id)].startswith("2\tOfficers will keep records of Part ?")


def test_render_word_review_puts_a_gap_on_the_paragraph_it_would_follow(review):
    gap = next(c for c in review.comments if c.text.startswith("G001"))
    assert "missing after this paragraph" in gap.text
    assert "Peerton Council 3: “Members may visit council premises" in gap.text
    assert _commented_paragraphs(review)[str(gap.comment_id)].startswith("2\t")


def test_render_word_review_keeps_clause_order_numbers_and_hostile_text(review):
    texts = [p.text for p in review.paragraphs]
    numbered = [t for t in texts if t[:2] in ("1\t", "2\t", "3\t")]
    assert [t[0] for t in numbered] == ["1", "2", "3"]
    assert HOSTILE in numbered[0]
    assert numbered[2] == "3\tMembers will wear badges."  # the control character dropped, not the file


def test_render_word_review_lists_unplaceable_findings_at_the_end():
    analysis = small_analysis()
    # without links nothing tells where the gap belongs
    from dataclasses import replace

    analysis = replace(analysis, links=())
    document = _open(render_outputs(analysis, settings=SETTINGS)["review.docx"])
    texts = [p.text for p in document.paragraphs]
    assert "Provisions with no place in this draft" in texts
    gap = next(c for c in document.comments if c.text.startswith("G001"))
    assert _commented_paragraphs(document)[str(gap.comment_id)] == "Peerton 3 lets members visit premises."


def test_render_word_redline_has_tracked_word_changes(redline):
    body = redline.element.body
    deleted = ["".join(t.text for t in d.iter(qn("w:delText"))) for d in body.iter(qn("w:del"))]
    inserted = ["".join(t.text for t in i.iter(qn("w:t"))) for i in body.iter(qn("w:ins"))]
    assert "must" in [d.strip() for d in deleted] and "should" in [i.strip() for i in inserted]
    assert "10" in [d.strip() for d in deleted] and "5" in [i.strip() for i in inserted]
    for mark in (*body.iter(qn("w:ins")), *body.iter(qn("w:del"))):
        assert mark.get(qn("w:author")) == "analyser" and mark.get(qn("w:date")) == "2025-01-31T00:00:00Z"
    ids = [m.get(qn("w:id")) for m in (*body.iter(qn("w:ins")), *body.iter(qn("w:del")))]
    assert len(ids) == len(set(ids))


def test_render_word_redline_accepts_to_the_draft_and_rejects_to_the_baseline(redline):
    paragraphs = list(redline.element.body.iter(qn("w:p")))[2:]  # after the title and the note
    accepted = [t for t in (_accept_all(p) for p in paragraphs) if t]
    rejected = [t for t in (_reject_all(p) for p in paragraphs) if t]
    draft, peer = small_analysis().documents
    assert accepted == [f"{c.number} {c.text}".replace("\x0b", "") if c.number else c.text for c in draft.clauses]
    assert rejected == [f"{c.number} {c.text}" if c.number else c.text for c in peer.clauses]


def test_render_word_redline_marks_whole_paragraphs_inserted_or_deleted(redline):
    marks = {}
    for p in redline.element.body.iter(qn("w:p")):
        rpr = p.find(f"{W}pPr/{W}rPr")
        if rpr is not None:
            kind = "ins" if rpr.find(f"{W}ins") is not None else "del"
            marks[kind] = marks.get(kind, []) + ["".join(t.text for t in p.iter(qn("w:t"), qn("w:delText")))]
    assert marks["del"] == ["3 Members may visit council premises after giving notice."]
    assert marks["ins"] == ["3 Members will wear badges."]


def test_render_word_redline_from_tracked_revisions():
    outputs = render_outputs(small_analysis(revisions=True), settings=SETTINGS)
    body = _open(outputs["redline.docx"]).element.body
    assert ["must"] == [("".join(t.text for t in d.iter(qn("w:delText")))).strip() for d in body.iter(qn("w:del"))]


def test_render_word_no_redline_without_baseline_or_revisions():
    assert "redline.docx" not in render_outputs(small_analysis(), settings=SETTINGS)


@pytest.fixture(scope="module")
def corpus_baseline_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("baseline-run")
    analysis, _ = run([CORPUS / "dudley.txt", CORPUS / "town-council.txt"],
                      settings=Settings(target="town-council", baseline="dudley", out=out, today="2025-01-31"))
    return analysis, out


def test_render_word_corpus_review_carries_every_finding(corpus_run):
    analysis, out = corpus_run
    document = docx.Document(str(out / "review.docx"))
    assert len(list(document.comments)) == len(analysis.findings)
    assert len(_commented_paragraphs(document)) == len(analysis.findings)


def test_render_word_corpus_redline_rebuilds_both_documents(corpus_baseline_run):
    analysis, out = corpus_baseline_run
    body = docx.Document(str(out / "redline.docx")).element.body
    assert sum(1 for _ in body.iter(qn("w:ins"))) > 20 and sum(1 for _ in body.iter(qn("w:del"))) > 20
    accepted = " ".join(t for t in (_accept_all(p) for p in list(body.iter(qn("w:p")))[2:]) if t)
    town = analysis.document("town-council")
    assert accepted == " ".join(f"{c.number} {c.text}" if c.number else c.text for c in town.clauses if c.text)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: PDF conversion not checked")
def test_render_word_documents_convert_to_pdf_in_libreoffice(corpus_run, corpus_baseline_run, tmp_path):
    sources = [corpus_run[1] / "review.docx", corpus_baseline_run[1] / "redline.docx"]
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *map(str, sources)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for source in sources:
        pdf = tmp_path / (source.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 10_000, result.stdout + result.stderr


def test_render_word_review_comments_on_a_heading_without_words():
    from dataclasses import replace

    analysis = small_analysis()
    draft = analysis.documents[0]
    bare = replace(draft, clauses=(replace(draft.clauses[0], text=""), *draft.clauses[1:]))
    finding = replace(analysis.findings[2], clause="draft:h1")
    analysis = replace(analysis, documents=(bare, analysis.documents[1]), findings=(*analysis.findings[:2], finding))
    document = _open(render_outputs(analysis, settings=SETTINGS)["review.docx"])
    assert len(list(document.comments)) == 3
