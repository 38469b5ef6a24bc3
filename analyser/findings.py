"""Findings: the alignment and a target document → gaps, divergences and drafting problems, each
worded from templates/messages.j2 the way a reviewer writes in the margin, ranked so that a
standards committee reads the few that matter first (see executive_summary)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from .divergence import (ALIGNABLE, Difference, compare_clauses, definition_partners, find_moves, links_of,
                         list_differences, partners, reworded)
from .citing import Ranked, cite, display_name, heading_text, join, labels, shorten, support_text
from .distribute import side_by_side
from .drafting import Problem, find_problems
from .gaps import gap_findings, heading_keys, same_heading, section_of, target_counterparts
from .links import Links
from .model import Clause, Document, Finding, Link
from .render import message_renderer
from .settings import Settings
from .wording import tokens

PREFIX = {"gap": "G", "divergence": "D", "drafting": "P"}
# how much each kind of point matters to a committee, before peer support is counted
WEIGHT = {
    "scope-changed": 55, "missing-section": 35, "placeholder": 45, "broken-reference": 28, "obligation-weakened": 25,
    "number-changed": 25, "negation": 22, "missing-provision": 15, "list-items-dropped": 15, "party-removed": 15,
    "party-substituted": 12, "review-overdue": 12, "garbled-number": 10, "duplicate-number": 10, "editorial-note": 8,
    "comment-left": 8, "moved": 8, "obligation-strengthened": 6, "party-added": 4, "renumbered": 2, "reworded": 0,
}
_DRAFTING_SEVERITY = {"placeholder": 1, "broken-reference": 1}
# the summary leaves these out: the committee reads them in the details
_DETAIL_ONLY = {"reworded", "renumbered"}


def review(target: Document, peers: tuple[Document, ...], links: Sequence[Link], *,
           settings: Settings) -> tuple[Finding, ...]:
    """Returns the findings on the target against its peers (or its baseline), most serious first,
    numbered by kind (G gaps, D divergences, P drafting problems)."""
    links = Links.of(links)  # looked up by clause rather than scanned (links.py)
    index = {c.id: c for d in (target, *peers) for c in d.clauses}
    render = message_renderer(settings)
    names = {d.id: display_name(d) for d in (target, *peers)}
    # perf (issue 8): of a national corpus's million links only the draft's own few thousand bear on
    # its divergences; they are picked out once, by id, before any clause is looked up
    own = links_of(target, links)
    best = partners(target, own, index)
    definitions = definition_partners(target, peers)
    answers = target_counterparts(target, own, links, index, settings=settings)
    covered = set(answers) | {pid for by_doc in definitions.values() for pid, _ in by_doc.values()}

    items, accounted = list_differences(target, peers, best, covered)

    def gaps() -> list[Ranked]:
        return gap_findings(target, peers, index, links, covered | accounted, answers, names, render,
                            settings=settings)

    # perf (issue 8): the gaps and the divergences read the same links and nothing of each other: on
    # a large corpus the gaps are worked out in a forked process while the divergences are found here
    gapped, (differences, counterparts) = side_by_side(
        gaps, lambda: _clause_differences(target, best, definitions, index, settings=settings),
        settings=settings, size=len(links))
    ranked = [*divergence_findings([*differences, *items], index, names, len(peers), render,
                                   counterparts=counterparts),
              *gapped, *drafting_findings(target, render, today=_today(settings))]
    if settings.baseline is not None and len(peers) == 1:
        # a baseline section whose provisions mostly went to one section of the draft was retitled or
        # renumbered there, not moved: only the provisions that went elsewhere moved
        home = _destinations(target, peers[0], own, index, threshold=settings.equivalent_threshold)

        def same_subject(a: Clause, b: Clause) -> bool:
            ha, hb = section_of(a, index), section_of(b, index)
            ka = heading_keys(ha.text) if ha else frozenset()
            kb = heading_keys(hb.text) if hb else frozenset()
            return not ka or not kb or same_heading(ka, kb) or home.get(hb.id) == ha.id

        moves = find_moves(target, peers[0], own, index, threshold=settings.equivalent_threshold,
                           same_subject=same_subject)
        ranked += move_findings(moves, index, names, render)
    return number(ranked)


def _clause_differences(target: Document, best: dict[str, dict[str, tuple[str, float]]],
                        definitions: dict[str, dict[str, tuple[str, float]]], index: dict[str, Clause], *,
                        settings: Settings) -> tuple[list[Difference], dict[str, int]]:
    """Returns the differences between each target clause and its partner in each peer (a plain
    rewording where nothing typed differs), and how many partners each clause has."""
    differences: list[Difference] = []
    counterparts: dict[str, int] = {}
    memo: dict = {}  # the differences of each pair of wordings, found once (compare_clauses)
    for clause in target.clauses:
        if clause.kind not in ALIGNABLE:
            continue
        typed: list[Difference] = []
        linked = {**best.get(clause.id, {}), **definitions.get(clause.id, {})}
        counterparts[clause.id] = len(linked)
        for doc, (pid, _) in linked.items():
            is_definition = definitions.get(clause.id, {}).get(doc, ("",))[0] == pid
            typed += compare_clauses(clause, index[pid], definition=is_definition, memo=memo)
        differences += typed
        if not typed and best.get(clause.id):
            closest, score = max(best[clause.id].values(), key=lambda p: p[1])
            # plain rewording only of the same provision: a looser link is another provision, not a rewording
            plain = reworded(clause, index[closest]) if score >= settings.equivalent_threshold else None
            if plain:
                differences.append(plain)
    return differences, counterparts


def _destinations(target: Document, baseline: Document, links: tuple[Link, ...], index: dict[str, Clause], *,
                  threshold: float) -> dict[str, str]:
    """Returns, for each baseline heading, the draft heading that most of its provisions went to,
    where they are at least two and most of that heading's provisions came from it (a retitled section)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for link in links:
        a, b = index.get(link.source), index.get(link.target)
        if not a or not b or link.score < threshold or {a.doc, b.doc} != {target.id, baseline.id}:
            continue
        mine, theirs = (a, b) if a.doc == target.id else (b, a)
        hm, ht = section_of(mine, index), section_of(theirs, index)
        if hm is not None and ht is not None:
            counts[ht.id][hm.id] += 1
    sources: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for theirs, by in counts.items():
        for mine, n in by.items():
            sources[mine][theirs] += n
    result = {}
    for theirs, by in counts.items():
        mine = max(by, key=lambda k: (by[k], k))
        if by[mine] >= 2 and by[mine] * 2 > sum(by.values()) and by[mine] * 2 > sum(sources[mine].values()):
            result[theirs] = mine
    return result


def move_findings(moves: list[Difference], index: dict[str, Clause], names: dict[str, str], render) -> list[Ranked]:
    """Returns one finding per run of provisions that moved (or were renumbered) together: from one
    baseline section to one section of the draft."""
    groups: dict[tuple[str, str, str], list[Difference]] = defaultdict(list)
    for d in moves:
        mine, theirs = section_of(index[d.clause], index), section_of(index[d.peer], index)
        groups[(d.detail, mine.id if mine else "", theirs.id if theirs else "")].append(d)
    result = []
    for (detail, mine_heading, their_heading), group in groups.items():
        group.sort(key=lambda d: index[d.clause].order)
        first = index[group[0].clause]
        shown = labels([index[d.clause] for d in group], index=index)
        message = render(detail, mine=replace(first, label=join(shown)), cited=cite([d.peer for d in group], index, names),
                         mine_words=heading_text(index[mine_heading].text) if mine_heading else first.section,
                         their_words=heading_text(index[their_heading].text) if their_heading else group[0].theirs,
                         count=1, support="1 of 1 peer")
        finding = Finding(id="", kind="divergence", detail=detail, clause=first.id, peers=tuple(d.peer for d in group),
                          message=message, severity=_DIVERGENCE_SEVERITY[detail], support="1 of 1 peer",
                          section=first.section, quotes=tuple((index[d.clause].label, index[d.peer].label) for d in group))
        result.append(Ranked(finding, WEIGHT[detail] + len(group)))
    return result


def _today(settings: Settings) -> date:
    return date.fromisoformat(settings.today) if settings.today else date.today()


def number(ranked: list[Ranked]) -> tuple[Finding, ...]:
    """Returns the findings in rank order (severity, then score), the executive summary's first,
    each given its id."""
    ranked = sorted(ranked, key=lambda r: (r.finding.severity, -r.score, r.finding.clause or "", r.finding.peers))
    summary = set(map(id, executive_summary(tuple(r.finding for r in ranked))))
    ranked = [r for r in ranked if id(r.finding) in summary] + [r for r in ranked if id(r.finding) not in summary]
    counts: dict[str, int] = defaultdict(int)
    result = []
    for r in ranked:
        prefix = PREFIX[r.finding.kind]
        counts[prefix] += 1
        result.append(replace(r.finding, id=f"{prefix}{counts[prefix]:03d}"))
    return tuple(result)


def executive_summary(findings: tuple[Finding, ...], *, limit: int = 12, per_detail: int = 5,
                      per_drafting: int = 2) -> tuple[Finding, ...]:
    """Returns the findings a committee should read first, in rank order: the most serious, at most
    `per_detail` of one kind of point (`per_drafting` for a drafting problem) so that a run of
    placeholders or missing sections does not crowd out a narrowed definition, and never plain
    rewording. Findings must already be in rank order, as review returns them."""
    chosen: list[Finding] = []
    per: dict[str, int] = defaultdict(int)
    for f in findings:
        cap = per_drafting if f.kind == "drafting" else per_detail
        if f.detail in _DETAIL_ONLY or f.severity > 2 or per[f.detail] >= cap:
            continue
        per[f.detail] += 1
        chosen.append(f)
        if len(chosen) == limit:
            break
    return tuple(chosen)


# ---------------------------------------------------------------- divergences

_DIVERGENCE_SEVERITY = {
    "scope-changed": 1, "obligation-weakened": 2, "number-changed": 2, "negation": 2, "list-items-dropped": 2,
    "party-removed": 3, "party-substituted": 3, "moved": 2, "obligation-strengthened": 3, "party-added": 3,
    "renumbered": 3, "reworded": 3,
}
# raised one step when most peers (or the baseline) show the same difference
_RAISED_BY_SUPPORT = {"obligation-weakened", "number-changed", "negation", "list-items-dropped", "party-removed",
                      "party-substituted"}


def divergence_findings(differences: list[Difference], index: dict[str, Clause], names: dict[str, str],
                        n_peers: int, render, *, counterparts: dict[str, int] | None = None,
                        kind: str = "divergence") -> list[Ranked]:
    """Returns one finding per target clause and kind of difference, merging the peers that show it;
    a difference most of the clause's counterparts do not share ranks low (the draft is with the
    majority), except a narrowed definition, which reaches every provision that uses the term."""
    grouped: dict[tuple[str, str], list[Difference]] = defaultdict(list)
    for d in differences:
        grouped[(d.clause, d.detail)].append(d)
    # the same change of party through the draft ("Chief Officers" for "officers" in every paragraph
    # on political groups) is one point, made once for all the clauses it touches
    repeated: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for clause_id, detail in sorted(grouped, key=lambda k: (index[k[0]].order, k[1])):
        key = _repeat_key(detail, grouped[(clause_id, detail)]) or (clause_id, detail)
        repeated[key].append((clause_id, detail))
    result = []
    for keys in repeated.values():
        group = [d for k in keys for d in grouped[k]]
        clause_id, detail = keys[0]
        mine = index[clause_id]
        if len(keys) > 1:
            mine = replace(mine, label=join(labels([index[c] for c, _ in keys])))
        peers = list(dict.fromkeys(d.peer for d in group))
        docs = {index[p].doc for p in peers}
        first = group[0]
        severity = _DIVERGENCE_SEVERITY.get(detail, 2)
        if detail in _RAISED_BY_SUPPORT and (len(docs) * 2 >= max(n_peers, 2) or (detail.startswith("obligation") and first.weight >= 2)):
            severity = max(1, severity - 1)
        agreeing = (counterparts or {}).get(clause_id, len(docs)) - len(docs)
        if detail != "scope-changed" and agreeing > len(docs):
            severity = 3
        message = render(detail.replace("-", "_"), mine=mine, cited=cite(peers, index, names),
                         mine_words=shorten(first.mine, 200), their_words=shorten(first.theirs, 200),
                         count=len(docs), support=support_text(docs, n_peers))
        suggestion = index[peers[0]].text if detail not in ("moved", "renumbered", "reworded") else ""
        finding = Finding(id="", kind=kind, detail=detail, clause=clause_id, peers=tuple(peers), message=message,
                          severity=severity, support=support_text(docs, n_peers), section=mine.section,
                          suggestion=suggestion, quotes=tuple((d.mine, d.theirs) for d in group))
        score = WEIGHT.get(detail, 5) + 40 * len(docs) / max(n_peers, 1) + 3 * min(first.weight, 5) + len(keys) - 1
        result.append(Ranked(finding, score))
    return result


_REPEATABLE = {"party-added": "mine", "party-removed": "theirs", "party-substituted": "both"}


def _repeat_key(detail: str, group: list[Difference]) -> tuple | None:
    """Returns what makes a party change the same point as another in the draft: the kind and the
    parties' folded names; None for any other kind of difference."""
    side = _REPEATABLE.get(detail)
    if side is None:
        return None
    words = {"mine": group[0].mine, "theirs": group[0].theirs, "both": group[0].mine + " / " + group[0].theirs}[side]
    # the printed names, not the folded ones: the message quotes the first clause's words for all
    return (detail, " ".join(sorted({_singular_key(t.surface.lower()) for t in tokens(words)})))


def _singular_key(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 4 else word


# ---------------------------------------------------------------- drafting problems

# tracked-change residue in the numbering is one fix for the whole draft: one finding lists it all
_ONE_FOR_THE_DRAFT = {"garbled-number"}


def drafting_findings(target: Document, render, *, today: date) -> list[Ranked]:
    """Returns the target's own drafting problems as findings, one per clause and problem (one for
    the whole draft where the fix is one, such as renumbering)."""
    merged: dict[tuple[str | None, str], list[Problem]] = defaultdict(list)
    for p in find_problems(target, today=today):
        where = None if p.detail in _ONE_FOR_THE_DRAFT or not p.clause else p.clause.id
        merged[(where, p.detail)].append(p)
    result = []
    for group in merged.values():
        p = group[0]
        # the template quotes the words: several are joined as "Part ?", "standing order ?"
        joiner = ", " if p.detail in _ONE_FOR_THE_DRAFT else '", "'
        words = joiner.join(dict.fromkeys(q.words for q in group))
        expected = ", ".join(dict.fromkeys(q.expected for q in group if q.expected))
        message = render(p.detail.replace("-", "_"), clause=p.clause, words=shorten(words, 200),
                         expected=expected, document=display_name(target))
        finding = Finding(id="", kind="drafting", detail=p.detail, clause=p.clause.id if p.clause else None,
                          peers=(), message=message, severity=_DRAFTING_SEVERITY.get(p.detail, 2),
                          section=p.clause.section if p.clause else "",
                          quotes=tuple((q.words, q.expected) for q in group))
        result.append(Ranked(finding, WEIGHT.get(p.detail, 5) + len(group) - 1))
    return result
