"""Links held as columns (links.py): the same links, looked up and written as the Link objects would be."""
from __future__ import annotations

import dataclasses
from collections import Counter
from xml.sax.saxutils import escape, quoteattr

import orjson
from hypothesis import given, settings as hsettings, strategies as st

from analyser.links import RELATIONS, Links, merged
from analyser.model import Link
from analyser.render import _links_json, alignment_data, alignment_json, graphml_edges, json_bytes

from .reports_helpers import small_analysis

CLAUSES = [f"{doc}:{n}" for doc in ("a", "b", "c-1", "cd") for n in ("1", "2", "10", "2(a)")]


def _links(draw_pairs) -> tuple[Link, ...]:
    seen = {}
    for source, target, score, relation in draw_pairs:
        if source != target:
            seen.setdefault((source, target), Link(source, target, score, relation))
    return tuple(seen.values())


LINKS = st.lists(st.tuples(st.sampled_from(CLAUSES), st.sampled_from(CLAUSES),
                           st.floats(0, 1).map(lambda x: round(x, 4)), st.sampled_from(RELATIONS)),
                 max_size=40).map(_links)


@given(LINKS, st.sets(st.sampled_from(CLAUSES)))
@hsettings(max_examples=60, deadline=None)
def test_links_look_up_what_a_scan_finds(links, ids):
    held = Links.of(links)
    assert tuple(held) == links and len(held) == len(links)
    assert held.touching(ids) == tuple(l for l in links if l.source in ids or l.target in ids)
    assert tuple(held.among(ids)) == tuple(l for l in links if l.source in ids and l.target in ids)
    assert held.touching(ids, min_score=0.5) == tuple(l for l in links if (l.source in ids or l.target in ids)
                                                      and l.score >= 0.5)
    assert Links.from_columns(held.columns()) == links


@given(LINKS, LINKS)
@hsettings(max_examples=60, deadline=None)
def test_links_merged_are_ordered_as_sorting_the_links(kept, extra):
    extra = tuple(l for l in extra if (l.source, l.target) not in {(k.source, k.target) for k in kept})
    kept = tuple(sorted(kept, key=lambda l: (l.source, l.target)))
    assert tuple(merged(Links.of(kept), extra)) == tuple(sorted((*extra, *kept), key=lambda l: (l.source, l.target)))


@given(LINKS)
@hsettings(max_examples=60, deadline=None)
def test_links_written_from_columns_are_the_dicts_bytes(links):
    expected = orjson.dumps([{"source": l.source, "target": l.target, "score": l.score, "relation": l.relation}
                             for l in links], option=orjson.OPT_SORT_KEYS)
    assert b"".join(_links_json(Links.of(links))) == expected


ODD_CLAUSES = [*CLAUSES, 'd:"1"', "d:\\2", "d:\x01", "d:é", "d:\u2028", "d:\x7f"]


@given(st.lists(st.tuples(st.sampled_from(ODD_CLAUSES), st.sampled_from(ODD_CLAUSES), st.just(0.5),
                          st.sampled_from(RELATIONS)), max_size=10).map(_links))
@hsettings(max_examples=60, deadline=None)
def test_links_written_from_columns_escape_clause_ids_as_orjson_does(links):
    expected = orjson.dumps([{"source": l.source, "target": l.target, "score": l.score, "relation": l.relation}
                             for l in links], option=orjson.OPT_SORT_KEYS)
    assert b"".join(_links_json(Links.of(links))) == expected


@given(LINKS, st.integers(1, 5))
@hsettings(max_examples=60, deadline=None)
def test_links_written_a_run_at_a_time_are_the_same_bytes(links, run):
    from analyser import render

    whole = b"".join(_links_json(Links.of(links))), b"".join(graphml_edges(dataclasses.replace(small_analysis(), links=links)))
    kept, render.RUN = render.RUN, run
    try:
        in_runs = _links_json(Links.of(links)), graphml_edges(dataclasses.replace(small_analysis(), links=links))
    finally:
        render.RUN = kept
    assert (b"".join(in_runs[0]), b"".join(in_runs[1])) == whole
    assert len(in_runs[0]) == max(1, -(-len(links) // run))


@given(LINKS)
@hsettings(max_examples=30, deadline=None)
def test_links_graphml_edges_name_each_link_once(links):
    analysis = dataclasses.replace(small_analysis(), links=links)
    lines = b"".join(graphml_edges(analysis)).decode("utf-8").splitlines()
    assert lines[-2:] == ["  </graph>", "</graphml>"]
    assert lines[:-2] == [f'    <edge source={quoteattr(l.source)} target={quoteattr(l.target)}>'
                          f'<data key="d7">{l.score!r}</data><data key="d8">{escape(l.relation)}</data></edge>'
                          for l in links]


def test_links_compact_alignment_is_the_whole_dict_compact(monkeypatch):
    # a national corpus's alignment.json is put together from its parts: the same bytes as the whole
    from analyser import render

    analysis = small_analysis()
    monkeypatch.setattr(render, "_indent", lambda analysis: False)
    assert alignment_json(analysis) == json_bytes(alignment_data(analysis), indent=False)
    assert b'"links":[{' in alignment_json(analysis)


def test_links_counted_between_units_in_the_order_links_first_join_them():
    # gaps._linked_units counts on columns what Counter counted over the links, in the same order
    from analyser.gaps import _linked_units

    @dataclasses.dataclass
    class Unit:
        doc: str
        missing: tuple

    @dataclasses.dataclass
    class Clause:
        id: str

    units = [Unit("a", (Clause("a:1"), Clause("a:2"))), Unit("b", (Clause("b:1"),)), Unit("c", (Clause("c:1"),)),
             Unit("a", (Clause("a:3"),))]
    links = (Link("c:1", "a:1", 0.5, "partial"), Link("a:1", "b:1", 0.9, "equivalent"),
             Link("a:2", "b:1", 0.4, "partial"), Link("a:1", "a:3", 0.9, "equivalent"),  # same peer: not counted
             Link("b:1", "x:9", 0.9, "equivalent"))  # no unit: not counted
    owner = {c.id: k for k, u in enumerate(units) for c in u.missing}
    expected = Counter()
    for l in links:
        a, b = owner.get(l.source), owner.get(l.target)
        if a is not None and b is not None and units[a].doc != units[b].doc:
            expected[a, b] += 1
            expected[b, a] += 1
    assert _linked_units(units, Links.of(links)) == list(expected.items())
    assert list(expected.items())[:2] == [((2, 0), 1), ((0, 2), 1)]
