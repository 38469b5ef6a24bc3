"""Summaries: a clause that condenses a whole section of the other document is linked to the pieces of it.

One council writes a procedure as a run of steps under its own heading ("Procedure for officers
complaining about a member"), another gives it one paragraph under a shorter heading ("Procedure for
officers"). The paragraph shares few words with any one step, so no pair scores well, but it is the
same provision: the section's steps that explain words of the paragraph nothing else explained are
each a partial link, and so is the section's lead-in, which introduces the steps. Three things must
hold first, so that a loose overlap counts only where the structure vouches for it: the paragraph
stands alone under its heading, the headings correspond (the shorter heading's words stand together
and in order in the longer), and the paragraph is already linked into the section that holds the
steps' section (in the seeds, "When things go wrong" on both sides).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .align import PairScores, _Coverage
    from .prepare import Prepared

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
    pairs = set(linked)
    # summaries in the order of their clause ids, so that the result is the same whichever document
    # comes first (each link taken changes what the next one must explain)
    jobs = sorted(_summarised_sections(prepared, ia, ib, pairs, False) + _summarised_sections(prepared, ib, ia, pairs, True),
                  key=lambda job: job[:4])
    found: list[tuple[int, int]] = []
    for _, transpose, x, members, leads in jobs:
        s = scores.base.T if transpose else scores.base
        for y in sorted(members, key=lambda y: (-s[x, y], y)):
            pair = (y, x) if transpose else (x, y)
            if pair in pairs or s[x, y] < STEP_SCORE:
                continue
            # the section's lead-in ("… the following procedure will be followed:") introduces the
            # steps the summary condenses: it need only lie in the summary, not add to it
            gain = 0.0 if y in leads else SUMMARY_GAIN
            if covered.gains(*pair, *((STEP_COVER, gain) if transpose else (gain, STEP_COVER))):
                covered.add(*pair)
                pairs.add(pair)
                found.append(pair)
    return found


def _summarised_sections(prepared: "Prepared", own: tuple[int, ...], other: tuple[int, ...], pairs: set,
                         transpose: bool) -> list[tuple[str, bool, int, tuple[int, ...], frozenset[int]]]:
    """Returns (summary id, transpose, summary, the section's clauses, its lead-ins) for each clause of
    `own` standing alone under a heading that corresponds to a section of `other` it is anchored in."""
    titles = prepared.titles
    sections: dict[tuple, list[int]] = defaultdict(list)
    for k, i in enumerate(other):
        for depth in range(2, len(titles[i]) + 1):  # a subsection: the section holding it anchors it
            sections[titles[i][:depth]].append(k)
    # a clause others hang from opens its section: a lead-in paragraph, a numbered heading over items
    place = {prepared.clauses[i].id: k for k, i in enumerate(other)}
    leads = frozenset(place[prepared.clauses[i].parent] for i in other if prepared.clauses[i].parent in place)
    partners: dict[int, set[int]] = defaultdict(set)
    for r, c in pairs:
        x, y = (c, r) if transpose else (r, c)
        partners[x].add(y)
    # a summary stands alone under its heading: one paragraph where the other document has steps
    alone = Counter(titles[i] for i in own)
    jobs = []
    for x, i in enumerate(own):
        if not titles[i] or alone[titles[i]] > 1 or not partners[x]:
            continue
        homes = [titles[other[y]] for y in partners[x]]
        for key, members in sorted(sections.items()):
            # anchored: the summary already links into the section that holds this one
            if (len(members) >= 2 and titles_correspond(titles[i][-1], key[-1])
                    and any(home[:len(key) - 1] == key[:-1] for home in homes)):
                jobs.append((prepared.clauses[i].id, transpose, x, tuple(members), leads))
    return jobs
