"""HTML pages: headings, paragraphs, numbered lists and rows; page chrome left out."""
from __future__ import annotations

from analyser.ingest import load_document
from analyser.ingest.html import read_html
from analyser.segment import segment

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Protocol</title><style>p{}</style></head>
<body><nav><a href="/">Home</a> | <a href="/council">Council</a></nav>
<header>Anytown Borough Council website</header>
<h1>Member/Officer Protocol</h1>
<h2>1. Introduction</h2>
<p>Members and officers work together with <em>mutual</em> respect.</p>
<p>Officers must:</p>
<ol type="a"><li>advise impartially;</li><li>serve the whole council<ol type="i"><li>in meetings; and</li>
<li>outside them.</li></ol></li></ol>
<table><tr><th>Members</th><th>Officers</th></tr><tr><td>set policy</td><td>carry it out</td></tr></table>
<footer>© Anytown Borough Council · Cookies</footer><script>track()</script></body></html>"""


def test_html_blocks_keep_structure_and_drop_chrome():
    blocks = read_html(PAGE.encode(), "protocol.html")
    assert [(b.kind, b.number, b.text) for b in blocks] == [
        ("heading", None, "Member/Officer Protocol"), ("heading", None, "1. Introduction"),
        ("paragraph", None, "Members and officers work together with mutual respect."),
        ("paragraph", None, "Officers must:"), ("paragraph", "a.", "advise impartially;"),
        ("paragraph", "b.", "serve the whole council"), ("paragraph", "i.", "in meetings; and"),
        ("paragraph", "ii.", "outside them."), ("row", None, "Members | Officers"), ("row", None, "set policy | carry it out"),
    ]


def test_html_segments_like_any_protocol(tmp_path):
    path = tmp_path / "anytown.html"
    path.write_text(PAGE, encoding="utf-8")
    document = segment(load_document(path))
    numbers = [c.number for c in document.clauses if c.kind == "item"]
    assert numbers[:2] == ["1(a)", "1(b)"]
    assert document.metadata.title == "Member/Officer Protocol"
    assert all("Cookies" not in c.text and "Home" not in c.text for c in document.clauses)
