"""Render: one context built from the Analysis → every output format, through templates/.

alignment.json and findings.json are that context dumped with sorted keys, so the formats
cannot disagree; HTML and Markdown are jinja2 templates a council can override with its own;
the Word documents come from word_report.py and the GraphML from the same links.
"""
from __future__ import annotations

import base64
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import jinja2
import numpy as np
import orjson
from markupsafe import Markup

from . import views
from .errors import RenderError
from .links import RELATIONS, Links
from .model import Analysis, Clause
from .output import staging, write_parts
from .settings import Settings
from .textdiff import key_words, xml_safe

ALIGNMENT_SCHEMA = "analyser/alignment/1"
FINDINGS_SCHEMA = "analyser/findings/1"


def environment(settings: Settings) -> jinja2.Environment:
    """Returns the jinja2 environment: the user's templates first, then ours; strict and escaped."""
    folders = [str(p) for p in (settings.user_templates, settings.templates) if p is not None]
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in folders]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def message_renderer(settings: Settings):
    """Returns a function that words one finding from the macros in messages.j2."""
    module = environment(settings).get_template("messages.j2").module

    def render(name: str, **context) -> str:
        text = str(getattr(module, name)(**context))
        return re.sub(r"\s+", " ", text).strip()

    return render


def alignment_data(analysis: Analysis, *, links: bool = True) -> dict:
    """Returns alignment.json's content, as the contract specifies (without its links when not `links`)."""
    data = {
        "schema": ALIGNMENT_SCHEMA,
        "documents": [
            {"id": d.id, "title": d.title, "source": d.source, "sha256": d.sha256, "format": d.format,
             "clauses": len(d.clauses), "council": d.metadata.council, "adopted": d.metadata.adopted,
             "reviewed": d.metadata.reviewed, "next_review": d.metadata.next_review,
             "annotations": list(d.annotations)}
            for d in analysis.documents
        ],
        "clauses": [_clause_data(c) for d in analysis.documents for c in d.clauses],
        "families": [{"id": f.id, "label": f.label, "clauses": list(f.clauses)} for f in analysis.families],
        "failures": [{"source": f.source, "reason": f.reason} for f in analysis.failures],
    }
    if links:
        data["links"] = [{"source": l.source, "target": l.target, "score": l.score, "relation": l.relation}
                         for l in analysis.links]
    return data


def _clause_data(c: Clause) -> dict:
    # perf (issue 8): built plainly, tuples left as they are (JSON arrays): a national corpus has
    # 150,000 clauses, and unpacking optional keys into each dict took most of a second
    data = {"id": c.id, "doc": c.doc, "number": c.number, "label": c.label, "path": c.path, "kind": c.kind,
            "parent": c.parent, "text": c.text, "sentences": c.sentences}
    if c.original is not None:
        data["original"] = c.original
    if c.annotations:
        data["annotations"] = c.annotations
    return data


def alignment_json(analysis: Analysis) -> bytes:
    """Returns alignment.json: indented for a small corpus; compact for a national one, whose million
    links are written straight from their columns (links.py) rather than as a dict each."""
    return b"".join(alignment_json_parts(analysis))


def alignment_json_parts(analysis: Analysis) -> tuple[bytes | memoryview, ...]:
    """Returns alignment.json as consecutive parts, to be written one after another: a national
    corpus's file is hundreds of megabytes, and joining it into one piece only copied it (perf, issue 8)."""
    if _indent(analysis):
        return (json_bytes(alignment_data(analysis)),)
    rest = json_bytes(alignment_data(analysis, links=False), indent=False)
    # keys are sorted: "links" goes just before "schema", the last key; the rest is not copied to be cut
    cut = rest.rindex(b',"schema":')
    return memoryview(rest)[:cut], b',"links":', *_links_json(Links.of(analysis.links)), memoryview(rest)[cut:]


def _links_json(links: Links) -> list[bytes]:
    """Returns the links as a compact JSON array with sorted keys, byte for byte as orjson writes the
    dicts, in parts to be written one after another."""
    if not len(links):
        return [b"[]"]
    scores, kind = _score_kinds(links)
    heads = np.array([b'{"relation":' + orjson.dumps(relation) + b',"score":' + orjson.dumps(score)
                      + b',"source":' for score in scores for relation in RELATIONS], dtype=object)
    names = np.array(json_strings(links.names), dtype=object)
    ends = np.array([b',"target":' + name + b"}," for name in names.tolist()], dtype=object)
    parts = _joined_in_runs((heads, kind), (names, links.source), (ends, links.target))
    # the opening bracket before the first link, the last link without its comma
    parts[0] = b"[" + parts[0]
    parts[-1] = parts[-1][:-1] + b"]"
    return parts


def _score_kinds(links: Links) -> tuple[list[float], np.ndarray]:
    """Returns the distinct scores, and for each link its score's position there times the number
    of relations plus its relation's: where a link's (score, relation) text sits in a table of them."""
    scores, which = np.unique(links.score, return_inverse=True)
    return scores.tolist(), which.reshape(-1) * len(RELATIONS) + links.relation


RUN = 50_000  # links joined into one part at a time


def _joined_in_runs(*columns: tuple[np.ndarray, np.ndarray]) -> list[bytes]:
    """Returns, for each run of RUN links, its pieces joined: a link's k-th piece is the k-th column's
    table at the link's entry in the column's index. perf (issue 8): a national corpus's million
    links joined at once needed several hundred megabytes of lists beside the text; a run at a time,
    a few, which the allocator reuses."""
    count = len(columns[0][1])
    parts = []
    for start in range(0, count, RUN):
        stop = min(start + RUN, count)
        run = np.empty(len(columns) * (stop - start), dtype=object)
        for k, (table, index) in enumerate(columns):
            run[k::len(columns)] = table[index[start:stop]]
        parts.append(b"".join(run.tolist()))
    return parts


_JSON_ESCAPED = re.compile(r'[\x00-\x1f"\\]')  # what a JSON string escapes; the rest is written as UTF-8


def json_strings(values: Sequence[str]) -> list[bytes]:
    """Returns each string as orjson writes it; perf (issue 8): clause ids almost never need escaping,
    and quoting 150,000 of them plainly is ten times quicker than one call each."""
    if _JSON_ESCAPED.search("".join(values)):
        return [orjson.dumps(v) for v in values]
    return [f'"{v}"'.encode("utf-8") for v in values]


def findings_data(analysis: Analysis) -> dict:
    """Returns findings.json's content, as the contract specifies."""
    return {
        "schema": FINDINGS_SCHEMA,
        "target": analysis.target,
        "baseline": analysis.baseline,
        "peers": list(analysis.peers),
        "findings": [
            {"id": f.id, "kind": f.kind, "detail": f.detail, "clause": f.clause, "peers": list(f.peers),
             "support": f.support, "message": f.message, "severity": f.severity, "section": f.section,
             "suggestion": f.suggestion, "quotes": [list(q) for q in f.quotes]}
            for f in analysis.findings
        ],
        "failures": [{"source": f.source, "reason": f.reason} for f in analysis.failures],
    }


_SPACE = re.compile(r"\s+")
_MARKDOWN = re.compile(r"([\\`*_\[\]{}|#!~])")


def markdown_escape(value) -> str:
    """Returns text safe inside Markdown: markup characters backslash-escaped, angle brackets and ampersands as entities."""
    text = _SPACE.sub(" ", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", text)


def markdown_environment(settings: Settings) -> jinja2.Environment:
    """Returns the environment for Markdown templates: every printed value is escaped unless marked safe."""
    env = environment(settings)
    env.autoescape = False
    # perf (issue 8): a large review prints the same peer names and clause labels thousands of times
    escaped: dict[str, str] = {}

    def finalize(value):
        if isinstance(value, Markup):
            return value
        if type(value) is not str:
            return markdown_escape(value)
        done = escaped.get(value)
        if done is None:
            done = escaped[value] = markdown_escape(value)
        return done

    env.finalize = finalize
    return env


def inline_asset(env: jinja2.Environment, name: str) -> tuple[Markup, str]:
    """Returns a stylesheet or script from the templates folders, to inline, and its CSP hash source."""
    try:
        text, _, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound as e:
        raise RenderError(f"template folder has no {name}: restore it or copy ours beside your templates") from e
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"'sha256-{digest}'"


def content_security_policy(style_hash: str, script_hash: str) -> Markup:
    """Returns the page's policy: nothing loads from anywhere, and only our own inline style and script run."""
    # built only from base64 hashes and fixed words, so it needs no escaping inside the attribute
    return Markup(f"default-src 'none'; style-src {style_hash}; script-src {script_hash}; img-src data:; "
                  "base-uri 'none'; form-action 'none'")


def context(analysis: Analysis, *, settings: Settings) -> dict:
    """Returns the one context every template receives."""
    index = analysis.clause_index()
    docs = {d.id: d for d in analysis.documents}
    # every clause's partners, found once for the findings and the matrix; perf (issue 8): a review's
    # reports need only the links that touch the draft, and a corpus too large for the matrix none
    linked = (views.partners(analysis, touching=analysis.target)
              if analysis.target or len(analysis.documents) <= views.MATRIX_DOCUMENTS else {})
    finding_views = views.finding_views(analysis, keys=key_words(str(settings.data_dir)), linked=linked)
    summary, summary_more = views.summary(analysis)
    return {
        "analysis": analysis,
        "documents": analysis.documents,
        "docs": docs,
        "names": {d.id: views.doc_name(d) for d in analysis.documents},
        "clauses": index,
        "findings": analysis.findings,
        "finding_views": finding_views,
        "sections": views.sections(finding_views),
        "summary": summary,
        "summary_more": summary_more,
        "counts": {"severity": Counter(views.SEVERITY_NAMES.get(f.severity, "medium") for f in analysis.findings),
                   "kind": Counter(f.kind for f in analysis.findings)},
        "matrix": views.coverage_matrix(analysis, linked=linked),
        "families": views.family_views(analysis),
        "failures": analysis.failures,
        "target": docs.get(analysis.target) if analysis.target else None,
        "baseline": docs.get(analysis.baseline) if analysis.baseline else None,
        "peers": [docs[p] for p in analysis.peers],
        "severity_names": views.SEVERITY_NAMES,
        "max_quotes": 6,  # peer wordings quoted under a finding; a missing section can cite dozens of clauses
        "max_compared": 30,  # peer wordings set side by side with a draft clause under a divergence
        "max_cited": 40,  # peer clauses named beyond those quoted; against a national corpus, hundreds
        "kinds": sorted({f.kind for f in analysis.findings}, key=lambda k: views.KIND_ORDER.get(k, 9)),
    }


# node and edge attributes written to GraphML, with their types, and the ids GraphML knows them by
_GRAPHML_KEYS = (("node", "doc", "string"), ("node", "label", "string"), ("node", "number", "string"),
                 ("node", "kind", "string"), ("node", "section", "string"), ("node", "family", "string"),
                 ("node", "text", "string"), ("edge", "score", "double"), ("edge", "relation", "string"))
_GRAPHML_IDS = {name: f"d{k}" for k, (_, name, _) in enumerate(_GRAPHML_KEYS)}


def graphml_parts(analysis: Analysis) -> Iterator[bytes]:
    """Yields the alignment graph as GraphML, in UTF-8 parts to be written one after another:
    clauses as nodes (with document, label, family), links as edges."""
    yield graphml_nodes(analysis)
    yield from graphml_edges(analysis)


_PLAIN = re.compile(r"[\w.:()\[\]/ ,'-]*")  # nothing XML escapes or forbids in an attribute


def _attribute(value: str) -> str:
    """Returns the value quoted as an XML attribute (quoteattr), with no character XML forbids."""
    # perf (issue 8): a clause id is nearly always plain, and a national corpus has 150,000
    return f'"{value}"' if _PLAIN.fullmatch(value) else quoteattr(xml_safe(value))


# what XML escapes in text (&, <, >) or forbids (some control characters: textdiff.xml_safe)
_XML_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def graphml_nodes(analysis: Analysis) -> bytes:
    """Returns the opening of the GraphML file and its nodes, one per clause, in UTF-8."""
    # written directly rather than through networkx, whose element-tree writer took minutes on a
    # national corpus (perf, issue 8); networkx reads it back unchanged (tests/test_render.py)
    family_of = {c: f.id for f in analysis.families for c in f.clauses}
    lines = ["<?xml version='1.0' encoding='utf-8'?>",
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    lines += [f'  <key id="{_GRAPHML_IDS[name]}" for="{kind}" attr.name="{name}" attr.type="{type_}" />'
              for kind, name, type_ in _GRAPHML_KEYS]
    lines.append('  <graph edgedefault="undirected">')
    # perf (issue 8): a national corpus repeats the same documents, sections and families on
    # thousands of clauses: each distinct value is escaped once
    escaped: dict[str, str] = {}

    def text(value: str) -> str:
        done = escaped.get(value)
        if done is None:
            done = escaped[value] = escape(xml_safe(value))
        return done

    node_keys = [_GRAPHML_IDS[name] for kind, name, _ in _GRAPHML_KEYS if kind == "node"]
    node = "    <node id={}>" + "".join(f'<data key="{k}">{{}}</data>' for k in node_keys) + "</node>"
    seen: set[str] = set()
    for document in analysis.documents:
        clauses = [c for c in document.clauses if c.id not in seen]
        seen.update(c.id for c in clauses)
        # perf (issue 8): a document's texts are escaped one by one only when any of them needs it
        texts = [c.text for c in clauses]
        if _XML_SPECIAL.search("".join(texts)):
            texts = [escape(xml_safe(t)) for t in texts]
        doc = text(document.id)
        lines += [node.format(_attribute(c.id), doc if c.doc == document.id else text(c.doc), text(c.label or ""),
                              text(c.number or ""), text(c.kind), text(c.section), text(family_of.get(c.id, "")), body)
                  for c, body in zip(clauses, texts)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def graphml_edges(analysis: Analysis) -> list[bytes]:
    """Returns the GraphML file's edges, one per link, and its closing, in UTF-8, in parts to be
    written one after another."""
    # each clause's id is quoted once, and what follows the ids once for each distinct score and
    # relation: a national corpus's links name the same clauses and scores over a million times,
    # so the lines are put together from the links' columns (links.py)
    links = Links.of(analysis.links)
    closing = b"  </graph>\n</graphml>\n"
    if not len(links):
        return [closing]
    scores, kind = _score_kinds(links)
    tails = np.array([f'<data key="{_GRAPHML_IDS["score"]}">{score!r}</data>'
                      f'<data key="{_GRAPHML_IDS["relation"]}">{escape(relation)}</data></edge>\n'.encode("utf-8")
                      for score in scores for relation in RELATIONS], dtype=object)
    quoted = [_attribute(name).encode("utf-8") for name in links.names]
    sources = np.array([b"    <edge source=" + q for q in quoted], dtype=object)
    targets = np.array([b" target=" + q + b">" for q in quoted], dtype=object)
    return [*_joined_in_runs((sources, links.source), (targets, links.target), (tails, kind)), closing]


# the files of a run, in the order they are written and listed
OUTPUT_NAMES = ("alignment.json", "findings.json", "report.html", "report.md", "alignment.graphml", "review.docx",
                "redline.docx")


def json_bytes(data: dict, *, indent: bool = True) -> bytes:
    """Returns the data as UTF-8 JSON with sorted keys: indented as json.dumps(indent=2) writes it, or compact."""
    # perf (issue 8): orjson writes a national corpus's alignment (1.2 M links) in a fraction of a
    # second, where the json module took seconds; indented, its bytes are the json module's own
    option = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if indent else 0)
    return orjson.dumps(data, option=option)


def _indent(analysis: Analysis) -> bool:
    # a national corpus's alignment (hundreds of thousands of clauses and links) is written compact
    return sum(len(d.clauses) for d in analysis.documents) <= 20_000


def render_outputs(analysis: Analysis, *, settings: Settings) -> dict[str, str | bytes]:
    """Returns every report's file name and content, rendered in memory (write_reports writes them)."""
    outputs = {**reports_for_people(analysis, settings=settings), "alignment.json": alignment_json(analysis),
               "alignment.graphml": b"".join(graphml_parts(analysis))}
    return {name: outputs[name] for name in OUTPUT_NAMES if name in outputs}


def reports_for_people(analysis: Analysis, *, settings: Settings) -> dict[str, str | bytes]:
    """Returns findings.json, the HTML and Markdown reports and, for a review, the Word documents."""
    from .word_report import redline_document, review_document, wants_redline

    env = environment(settings)
    ctx = context(analysis, settings=settings)
    style, style_hash = inline_asset(env, "report.css")
    script, script_hash = inline_asset(env, "report.js")
    outputs: dict[str, str | bytes] = {"findings.json": json_bytes(findings_data(analysis))}
    try:
        outputs["report.html"] = env.get_template("report.html.j2").render(
            **ctx, style=style, script=script, csp=content_security_policy(style_hash, script_hash))
        outputs["report.md"] = markdown_environment(settings).get_template("report.md.j2").render(**ctx)
    except jinja2.TemplateError as e:
        raise RenderError(f"template error: {e}") from e
    if analysis.target is not None:
        outputs["review.docx"] = _docx_bytes(review_document(analysis, ctx["finding_views"], settings=settings))
        if wants_redline(analysis):
            outputs["redline.docx"] = _docx_bytes(redline_document(analysis, settings=settings))
    return outputs


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_reports(analysis: Analysis, out: Path, *, settings: Settings) -> tuple[Path, ...]:
    """Writes the JSON, HTML, Markdown, GraphML and (for a review) Word reports into `out`, all or
    none of them; returns their paths."""
    from .distribute import side_by_side  # distribute brings numpy and the aligner's modules

    with staging(out, force=settings.force) as stage:
        graphml = stage.reserve("alignment.graphml")
        # perf (issue 8): every report only reads the analysis, so a large corpus's are made side by
        # side: a forked process makes the reports for people (a few megabytes to send back), another
        # writes the GraphML, and this one writes alignment.json (each hundreds of megabytes)
        people, _, _ = side_by_side(
            lambda: reports_for_people(analysis, settings=settings),
            lambda: write_parts(graphml, graphml_parts(analysis)),
            lambda: stage.put("alignment.json", alignment_json_parts(analysis)),
            settings=settings, size=len(analysis.links))
        for name, content in people.items():
            stage.put(name, content)
        names = set(stage.files)
    return tuple(out / name for name in OUTPUT_NAMES if name in names)
