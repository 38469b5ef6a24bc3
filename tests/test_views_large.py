"""Reports of a review against many peers stay readable: the matrix shows the peers sharing most with
the draft, and the side-by-side browser lists each distinct wording once."""
from __future__ import annotations

from analyser import views
from analyser.model import Analysis, Clause, Document, Family, Link, Metadata


def _document(doc: str, texts: list[str]) -> Document:
    clauses = tuple(Clause(id=f"{doc}:{k + 1}", doc=doc, number=str(k + 1), label=str(k + 1), kind="paragraph",
                           text=text, parent=None, path=("Conduct",), section="Conduct", order=k)
                    for k, text in enumerate(texts))
    return Document(doc, f"{doc}.txt", "text", doc.ljust(64, "0"), Metadata(council=f"{doc.title()} Council"), clauses=clauses)


def _review(monkeypatch) -> Analysis:
    """Returns a draft of three provisions reviewed against five peers, with room for two matrix columns."""
    monkeypatch.setattr(views, "MATRIX_DOCUMENTS", 2)
    draft = _document("draft", ["Members must give notice.", "Officers keep records.", "Members wear badges."])
    peers = [_document("alpha", ["Members must give notice."]),
             _document("beta", ["Members must give notice.", "Officers keep records.", "Members wear badges."]),
             _document("gamma", ["Members must give notice.", "Officers keep records."]),
             _document("delta", ["Members shall give notice."]),
             _document("epsilon", ["Something else entirely."])]
    links = tuple(Link(f"draft:{k}", f"{p.id}:{k}", 0.9, "equivalent")
                  for p in peers[:4] for k in range(1, len(p.clauses) + 1) if p.id != "epsilon")
    family = Family("F001", "members give notice", ("draft:1", "alpha:1", "beta:1", "gamma:1", "delta:1"))
    return Analysis((draft, *peers), links, (family,), (), target="draft")


def test_views_matrix_of_a_large_review_shows_the_peers_sharing_most(monkeypatch):
    matrix = views.coverage_matrix(_review(monkeypatch))
    assert [d.id for d in matrix.columns] == ["beta", "gamma"]
    assert matrix.left_out == 3


def test_views_matrix_of_a_small_review_shows_every_peer(monkeypatch):
    analysis = _review(monkeypatch)
    monkeypatch.setattr(views, "MATRIX_DOCUMENTS", 60)
    matrix = views.coverage_matrix(analysis)
    assert len(matrix.columns) == 5 and matrix.left_out == 0


def test_views_family_of_a_large_corpus_lists_each_wording_once(monkeypatch):
    (family,) = views.family_views(_review(monkeypatch))
    shown = [(d.id, [c.text for c in cs]) for d, cs in family.wordings]
    assert shown == [("draft", ["Members must give notice."]), ("delta", ["Members shall give notice."])]
    assert family.same == (3, 0)  # alpha, beta and gamma word it as the draft does
    assert family.absent == 1 and family.present == 5


def test_views_report_of_a_large_review_names_a_few_peers_and_counts_the_rest():
    from analyser import Settings
    from analyser.render import render_outputs

    draft = _document("draft", ["Members must give notice."])
    peers = [_document(f"peer{k:02d}", ["Members must give notice."]) for k in range(14)]
    analysis = Analysis((draft, *peers), (), (), (), target="draft")
    outputs = render_outputs(analysis, settings=Settings())
    markdown = outputs["report.md"]
    assert "Peer00 Council, Peer01 Council" in markdown and "Peer10 Council and 3 more peers." in markdown
    assert "Peer11 Council" not in markdown.split("\n\n")[1]
    assert "Peer10 Council and 3 more peers" in outputs["report.html"]


def test_views_partners_of_a_review_keep_only_the_links_touching_the_draft(monkeypatch):
    analysis = _review(monkeypatch)
    among_peers = Link("alpha:1", "beta:1", 0.9, "equivalent")
    widened = Analysis(analysis.documents, (*analysis.links, among_peers), analysis.families, (), target="draft")
    linked = views.partners(widened, touching="draft")
    assert "beta:1" not in linked["alpha:1"] and linked["alpha:1"] == {"draft:1"}
    assert views.partners(widened)["alpha:1"] == {"draft:1", "beta:1"}
    assert views.coverage_matrix(widened) == views.coverage_matrix(analysis)


def test_views_report_of_a_finding_resting_on_many_peers_compares_a_few_and_counts_the_rest():
    from analyser import Settings
    from analyser.model import Finding
    from analyser.render import render_outputs

    draft = _document("draft", ["Members may give notice."])
    peers = [_document(f"peer{k:03d}", ["Members must give notice."]) for k in range(100)]
    finding = Finding("D001", "divergence", "obligation-weakened", "draft:1", tuple(f"{p.id}:1" for p in peers),
                      "'must give' in the peers becomes 'may give' here. Was that intended?", severity=1)
    outputs = render_outputs(Analysis((draft, *peers), (), (), (finding,), target="draft"), settings=Settings())
    html, markdown = outputs["report.html"], outputs["report.md"]
    assert html.count('<div class="diff"') == 30
    assert "… and 70 more: Peer030 Council 1" in html and "Peer069 Council 1 and 30 others." in html
    assert "Peer070 Council 1" not in html.split('id="D001"')[1].split("</article>")[0]
    cites = next(line for line in markdown.splitlines() if " — cites " in line).split(" — cites ")[1]
    assert cites.count("; ") == 39 and cites.endswith("Peer039 Council 1 and 60 more")
