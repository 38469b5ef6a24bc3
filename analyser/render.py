"""Render: one context built from the Analysis → every output format, through templates/.

alignment.json and findings.json are that context dumped with sorted keys, so the formats
cannot disagree; HTML and Markdown are jinja2 templates a council can override with its own.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import jinja2

from .errors import RenderError
from .model import Analysis
from .settings import Settings

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


def alignment_data(analysis: Analysis) -> dict:
    """Returns alignment.json's content, as the contract specifies."""
    return {
        "schema": ALIGNMENT_SCHEMA,
        "documents": [
            {"id": d.id, "title": d.title, "source": d.source, "sha256": d.sha256, "format": d.format,
             "clauses": len(d.clauses), "council": d.metadata.council, "adopted": d.metadata.adopted,
             "reviewed": d.metadata.reviewed, "next_review": d.metadata.next_review,
             "annotations": list(d.annotations)}
            for d in analysis.documents
        ],
        "clauses": [
            {"id": c.id, "doc": c.doc, "number": c.number, "label": c.label, "path": list(c.path), "kind": c.kind,
             "parent": c.parent, "text": c.text, "sentences": list(c.sentences),
             **({"original": c.original} if c.original is not None else {}),
             **({"annotations": list(c.annotations)} if c.annotations else {})}
            for d in analysis.documents for c in d.clauses
        ],
        "links": [{"source": l.source, "target": l.target, "score": l.score, "relation": l.relation}
                  for l in analysis.links],
        "families": [{"id": f.id, "label": f.label, "clauses": list(f.clauses)} for f in analysis.families],
        "failures": [{"source": f.source, "reason": f.reason} for f in analysis.failures],
    }


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


def context(analysis: Analysis) -> dict:
    """Returns the one context every template receives."""
    index = analysis.clause_index()
    docs = {d.id: d for d in analysis.documents}
    coverage = []
    for fam in analysis.families:
        present = {index[c].doc: index[c] for c in fam.clauses if c in index}
        coverage.append({"family": fam, "cells": [present.get(d.id) for d in analysis.documents]})
    severity_names = {1: "high", 2: "medium", 3: "low"}
    return {
        "analysis": analysis,
        "documents": analysis.documents,
        "docs": docs,
        "clauses": index,
        "findings": analysis.findings,
        "summary": [f for f in analysis.findings if f.severity == 1][:12],
        "coverage": coverage,
        "failures": analysis.failures,
        "target": docs.get(analysis.target) if analysis.target else None,
        "peers": [docs[p] for p in analysis.peers],
        "severity_names": severity_names,
        "kinds": sorted({f.kind for f in analysis.findings}),
    }


def write_text_atomic(path: Path, text: str) -> None:
    """Writes a file whole or not at all: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_reports(analysis: Analysis, out: Path, *, settings: Settings) -> tuple[Path, ...]:
    """Writes alignment.json, findings.json, report.html and report.md into `out`; returns their paths."""
    env = environment(settings)
    ctx = context(analysis)
    outputs = {
        "alignment.json": json.dumps(alignment_data(analysis), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        "findings.json": json.dumps(findings_data(analysis), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    }
    try:
        outputs["report.html"] = env.get_template("report.html.j2").render(**ctx)
        outputs["report.md"] = env.get_template("report.md.j2").render(**ctx)
    except jinja2.TemplateError as e:
        raise RenderError(f"template error: {e}") from e
    written = []
    for name, text in outputs.items():
        path = out / name
        write_text_atomic(path, text)
        written.append(path)
    return tuple(written)
