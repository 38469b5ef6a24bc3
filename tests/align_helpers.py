"""Small documents written for the alignment tests, built clause by clause (no segmentation)."""
from __future__ import annotations

import re

from analyser.model import Clause, Document


def sentences_of(text: str) -> tuple[str, ...]:
    """The sentences of a test clause (split after a full stop)."""
    return tuple(p for p in re.split(r"(?<=\.)\s+", text) if p)


def make_document(doc_id: str, sections: list[tuple[str, list]]) -> Document:
    """Returns a document from (heading, clauses) sections; a clause is its text, or a
    (lead-in, [items]) pair for a list. Numbers are 1, 1.1, 1.1(a) …"""
    clauses: list[Clause] = []
    for s, (heading, body) in enumerate(sections, start=1):
        head_id = f"{doc_id}:{s}"
        clauses.append(Clause(head_id, doc_id, str(s), str(s), "heading", heading, path=(heading, str(s)),
                              section=heading, order=len(clauses)))
        for p, entry in enumerate(body, start=1):
            number = f"{s}.{p}"
            lead, items = (entry, []) if isinstance(entry, str) else entry
            para_id = f"{doc_id}:{number}"
            clauses.append(Clause(para_id, doc_id, number, number, "paragraph", lead, parent=head_id,
                                  path=(heading, number), section=heading, sentences=sentences_of(lead),
                                  order=len(clauses)))
            for k, item in enumerate(items):
                sub = f"{number}({chr(97 + k)})"
                clauses.append(Clause(f"{doc_id}:{sub}", doc_id, sub, sub, "item", item, parent=para_id,
                                      path=(heading, sub), section=heading, order=len(clauses)))
    return Document(doc_id, f"{doc_id}.txt", "txt", "0" * 64, clauses=tuple(clauses))


FILLER_A = [
    "Members should not attend meetings of the licensing panel where they have a prejudicial interest.",
    "Requests for information held by the council are answered within twenty working days.",
    "The register of gifts and hospitality is reviewed each year by the monitoring officer.",
]
FILLER_B = [
    "Councillors must declare any pecuniary interest before the item is discussed at a meeting.",
    "Car parking permits at the civic offices are issued to councillors on request.",
    "Training on data protection is offered to every new councillor after the election.",
]
