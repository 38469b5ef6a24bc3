"""Summaries: a clause that condenses a whole section of the other document is linked to the pieces of it.

One council writes a procedure as a run of steps under its own heading ("Procedure for officers
complaining about a member"), another gives it one paragraph under a shorter heading ("Procedure for
officers"). The paragraph shares few words with any one step, so no pair scores well, but it is the
same provision: the section's steps that explain words of the paragraph nothing else explained are
each a partial link. Two things must hold first, so that a loose overlap counts only where the
structure vouches for it: the headings correspond (the shorter heading's words stand, in order, in
the longer), and the paragraph is already linked into the top-level section the steps belong to.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .align import PairScores, Prepared, _Coverage

# a step of the section joins the summary when this share of its weighted words lies in the summary,
# and it explains at least this share of the summary's weighted words that nothing explained before
STEP_COVER = 0.25
SUMMARY_GAIN = 0.05
# below this pair score a shared word or two is all there is, whatever the headings say
STEP_SCORE = 0.15


def titles_correspond(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two headings name the same thing: the shorter's words (two at least) stand together
    and in order inside the longer ("procedure officer" inside "procedure officer complain member",
    not inside "procedure member complain officer")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 2:
        return False
    return any(long_[k:k + len(short)] == short for k in range(len(long_) - len(short) + 1))


def summary_links(prepared: "Prepared", ia: tuple[int, ...], ib: tuple[int, ...], scores: "PairScores",
                  linked, covered: "_Coverage") -> list[tuple[int, int]]:
    """Returns the (a, b) pairs joining a summary clause to the steps of the section it condenses."""
    if not prepared.titles:
        return []
    found: list[tuple[int, int]] = []
    pairs = set(linked)
    for own, other, transpose in ((ia, ib, False), (ib, ia, True)):
        s = scores.base.T if transpose else scores.base
        sections: dict[tuple, list[int]] = defaultdict(list)
        for k, i in enumerate(other):
            path = prepared.titles[i]
            for depth in range(2, len(path) + 1):  # a subsection: its top-level section anchors it
                sections[path[:depth]].append(k)
        # a summary stands alone under its heading: one paragraph where the other document has steps
        alone = Counter(prepared.titles[i] for i in own)
        # a lead-in: a clause that others of the document hang from (a lead-in paragraph, a numbered heading)
        place = {prepared.clauses[i].id: k for k, i in enumerate(other)}
        leads = {place[prepared.clauses[i].parent] for i in other if prepared.clauses[i].parent in place}
        partners: dict[int, set[int]] = defaultdict(set)
        for r, c in pairs:
            x, y = (c, r) if transpose else (r, c)
            partners[x].add(y)
        for x, i in enumerate(own):
            title = prepared.titles[i][-1] if prepared.titles[i] else ()
            if not title or not partners[x] or alone[prepared.titles[i]] > 1:
                continue
            tops = {prepared.titles[other[y]][:1] for y in partners[x]}
            for key, members in sorted(sections.items()):
                if len(members) < 2 or key[:1] not in tops or not titles_correspond(title, key[-1]):
                    continue
                import os, sys
                if os.environ.get('A5DBG'):
                    print('SECTION', prepared.clauses[i].id, '~', key, [prepared.clauses[other[y]].id.split(':')[1] for y in members], file=sys.stderr)
                for y in sorted(members, key=lambda y: (-s[x, y], y)):
                    pair = (y, x) if transpose else (x, y)
                    if pair in pairs or s[x, y] < STEP_SCORE:
                        continue
                    # the section's lead-in ("… the following procedure will be followed:") introduces the
                    # steps the summary condenses: it need only lie in the summary, not add to it
                    gain = 0.0 if y in leads else SUMMARY_GAIN
                    need = (gain, STEP_COVER) if not transpose else (STEP_COVER, gain)
                    if covered.gains(*pair, *need):
                        covered.add(*pair)
                        pairs.add(pair)
                        found.append(pair)
    return found
