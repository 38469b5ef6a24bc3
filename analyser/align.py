"""Align: clauses of many documents → scored clause pairs → links (rapidfuzz stays inside this module).

For each pair of documents every clause pair is scored (`score_matrix`, vectorised) from:
- a term-weighted cosine over stemmed content words (rare words such as "contractors" count for more
  than "council"), after council terminology has been folded by the thesaurus;
- an order-aware rapidfuzz ratio of the normalised text;
- containment: the share of each clause's weighted words found in the other (a clause merged into a
  longer one is mostly contained in it even when the cosine is low);
- context: the similarity of the clauses' headings and lead-ins, and how well their neighbours align
  (a run of matching clauses makes a tie inside the run go the run's way).
A global one-to-one assignment (Hungarian) on the contextual score picks each clause's main partner;
then split and merged provisions add `partial` links: a link must explain words of both clauses that
their earlier links left unexplained, or join a clause to the one clause that holds it (often as one
of its sentences), or join two consecutive clauses that match one clause of the other document
together better than either alone; a paragraph that condenses a section of steps under a corresponding
heading is linked to the steps that explain it (summaries.py).
Clauses are prepared for this (normalised, weighted, as vectors) in prepare.py; the graph, families
and coverage live in families.py.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from itertools import takewhile
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix, diags

from .candidates import candidate_mask, fine_scores
from .distribute import match_pairs
from .model import Document, Link
from .prepare import Prepared, joined_rows, prepare
from .products import RUN, PairProducts, consecutive, products_against, sentence_rows
from .settings import Settings
from .summaries import summary_links


# Weights of the pair score, calibrated on the dev gold (see README, "Alignment"): the cosine carries
# most of the signal, the order-aware ratio separates reworded twins from mirrored lists, and
# containment lets a short clause that lies inside a longer one score as the partial it is.
W_COSINE = 0.50
W_FUZZY = 0.20
W_CONTAIN = 0.30
# context: added in proportion to the pair's own score so that context breaks ties and lifts
# borderline pairs but never links two unrelated clauses on the strength of their neighbours
W_NEIGHBOURS = 0.25
W_CONTEXT = 0.15
# a further partial link must account for this share of each clause's weighted words that its
# earlier links left unexplained
GAIN = 0.15
# a clause left without a partner goes to its best home only if the home ranks it within its top
# RANK + 1 (its own main partner may come first: a provision one document states twice) and the
# pair scores at least RESTATED
RANK = 1
RESTATED = 0.34
# a further link (restated, split or merged) scoring below WEAK that rests on FEW shared terms or
# fewer is chance unless one clause lies wholly inside the other: two words in common ("discussed",
# "agreed") lift a short clause's score by containment alone, and the rest of its words are elsewhere
FEW = 2
# a main pair scoring below WEAK must be each clause's best match (rank WEAK_RANK or better)
WEAK = 0.45
WEAK_RANK = 0
# a clause joining a split or merged provision must have this share of its weighted words inside it
SPLIT_COVER = 0.40
# a clause whose words match one sentence of a longer clause of the other document this well (cosine),
# that sentence being its best anywhere there, is a provision the other document merged
SENTENCE = 0.30
# a piece of a split or merged provision, beside a clause already linked, within NEAR places: this
# share of its weighted words must lie inside the other clause, and the pair score at least this
NEAR = 1
PIECE = 0.35
PIECE_SCORE = 0.15
PIECE_GAIN = 0.05
# two lists correspond (and their lead-ins are linked) when this share of the shorter list's items
# is linked into the other list: a majority, not a calibrated value
LIST_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class PairScores:
    """Holds the signals for the clause pairs of two documents (matrices, or vectors of candidates)."""

    cosine: np.ndarray
    fuzzy: np.ndarray
    cover_a: np.ndarray  # share of a's weighted terms found in b
    cover_b: np.ndarray  # share of b's weighted terms found in a
    context: np.ndarray
    base: np.ndarray  # the pair's own score, before context
    score: np.ndarray  # with context


def combine(cosine, fuzzy, cover_a, cover_b):
    """Returns the pair's own score from its signals (elementwise: matrices or candidate vectors)."""
    # containment counts the better-covered side, so that a clause lying inside a longer one scores
    # well, damped by a low power of the other side so that one shared word in a short clause
    # (full cover one way, almost none the other) does not
    contain = np.maximum(cover_a, cover_b) * np.power(np.minimum(cover_a, cover_b), 0.25)
    return W_COSINE * cosine + W_FUZZY * fuzzy + W_CONTAIN * contain


def score_pairs(prepared: Prepared, rows: np.ndarray, cols: np.ndarray) -> PairScores:
    """Returns the signals and score of the candidate pairs (rows[k], cols[k]) of prepared clauses,
    without the neighbour context (which needs whole documents)."""
    rows, cols = np.asarray(rows, dtype=int), np.asarray(cols, dtype=int)
    cosine = np.asarray(prepared.vectors[rows].multiply(prepared.vectors[cols]).sum(axis=1)).ravel()
    shared = prepared.presence[rows].multiply(prepared.presence[cols]) @ prepared.weights[: prepared.presence.shape[1]]
    shared = np.asarray(shared).ravel()
    cover_a = shared / np.maximum(prepared.mass[rows], 1e-9)
    cover_b = shared / np.maximum(prepared.mass[cols], 1e-9)
    fuzzy = np.array([fuzz.ratio(prepared.texts[i], prepared.texts[j]) / 100.0 for i, j in zip(rows, cols)])
    context = np.asarray(prepared.context[rows].multiply(prepared.context[cols]).sum(axis=1)).ravel()
    lead = np.array([_lead_similarity(prepared.leads[i], prepared.leads[j]) for i, j in zip(rows, cols)])
    base = combine(cosine, fuzzy, cover_a, cover_b)
    context = _context(context, lead)
    return PairScores(cosine, fuzzy, cover_a, cover_b, context, base, base * (1 + W_CONTEXT * context))


def _lead_similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0 if a and b else 0.5


def _context(headings, leads):
    # an item's lead-in says whose expectations, rights or duties it lists; compared in word
    # order, so that "members can expect from officers" differs from "officers can expect from members"
    return 0.5 * headings + 0.5 * leads - 0.5


def score_matrix(prepared: Prepared, a: str, b: str, *, settings: Settings | None = None,
                 products: PairProducts | None = None) -> tuple[PairScores, tuple[int, ...], tuple[int, ...]]:
    """Returns the signals and scores of every clause of document a against every clause of b (the
    sparse products taken from `products` when they were worked out with other pairs')."""
    ia, ib = prepared.by_doc.get(a, ()), prepared.by_doc.get(b, ())
    if not ia or not ib:
        empty = np.zeros((len(ia), len(ib)))
        return PairScores(*(empty,) * 7), ia, ib
    la, lb = list(ia), list(ib)
    if products is not None:
        cosine, shared, headings = products.cosine, products.shared, products.headings
    else:
        cosine = (_rows(prepared.vectors, ia) @ _rows(prepared.vectors, ib).T).toarray()
        weighted = _rows(prepared.presence, ia) @ diags(prepared.weights[: prepared.presence.shape[1]])
        shared = (weighted @ _rows(prepared.presence, ib).T).toarray()
        headings = (_rows(prepared.context, ia) @ _rows(prepared.context, ib).T).toarray()
    cover_a = shared / np.maximum(prepared.mass[la], 1e-9)[:, None]
    cover_b = shared / np.maximum(prepared.mass[lb], 1e-9)[None, :]
    texts_a = [prepared.texts[i] for i in ia]
    texts_b = [prepared.texts[i] for i in ib]
    # perf hook (issue 8): fine-score only the candidate pairs that blocking keeps (candidates.py);
    # called without settings, every pair is scored
    settings = settings or Settings(blocking=False)
    # a piece of a split provision shares few of the whole's terms but lies inside it: containment counts too
    likeness = np.maximum(cosine, np.sqrt(cover_a * cover_b))
    fuzzy = fine_scores(texts_a, texts_b, candidate_mask(likeness, settings=settings, documents=len(prepared.by_doc)), scorer=fuzz.ratio, settings=settings)
    leads_a = [prepared.leads[i] for i in ia]
    leads_b = [prepared.leads[i] for i in ib]
    leads = process.cdist(leads_a, leads_b, scorer=fuzz.ratio, workers=1) / 100.0
    has_a = np.array([bool(t) for t in leads_a])[:, None]
    has_b = np.array([bool(t) for t in leads_b])[None, :]
    leads = np.where(has_a & has_b, leads, 0.5)
    base = combine(cosine, fuzzy, cover_a, cover_b)
    context = _context(headings, leads)
    score = base * (1 + W_CONTEXT * context + W_NEIGHBOURS * _neighbours(base))
    return PairScores(cosine, fuzzy, cover_a, cover_b, context, base, score), ia, ib


def _rows(matrix: csr_matrix, rows) -> csr_matrix:
    """Returns the matrix's rows in the order given."""
    # perf (issue 8): a document's clauses are consecutive rows, and a slice of them costs scipy far
    # less than picking them one by one (a review against 1,000 peers takes ten thousand)
    if consecutive(rows):
        return matrix[rows[0]:rows[-1] + 1]
    return matrix[list(rows)]


def _neighbours(base: np.ndarray) -> np.ndarray:
    """Returns, for each pair, how well the clauses before and after it align with each other,
    less how well an average pair does: positive inside a run of matching clauses."""
    padded = np.pad(base, 1)
    before = padded[:-2, :-2]
    after = padded[2:, 2:]
    return 0.5 * (before + after) - 0.5 * float(np.mean(base)) - 0.25


def match_documents(prepared: Prepared, a: str, b: str, *, settings: Settings,
                    products: PairProducts | None = None) -> tuple[Link, ...]:
    """Returns the links between two documents: a global one-to-one assignment of main partners,
    then partial links for provisions one document splits and the other merges."""
    full, ia, ib = score_matrix(prepared, a, b, settings=settings, products=products)
    if full.score.size == 0:
        return ()
    # a numbered heading over a list is linked only as its list's lead-in (summaries), never on its title alone
    keep = _not_titles(prepared, ia, ib)
    scores = replace(full, **{f: getattr(full, f) * keep for f in ("cosine", "fuzzy", "cover_a", "cover_b", "base", "score")})
    s = scores.score
    links: dict[tuple[int, int], Link] = {}
    covered = _Coverage(prepared, ia, ib)
    # ties (clauses worded identically) go to the pair nearer the same relative place in both
    # documents: order-aware, and the same answer whichever document comes first
    place_a = (np.arange(len(ia)) + 0.5) / len(ia)
    place_b = (np.arange(len(ib)) + 0.5) / len(ib)
    rows, cols = linear_sum_assignment(-(s - 1e-6 * np.abs(place_a[:, None] - place_b[None, :])))
    for r, c in zip(rows, cols):
        # a weak pair is kept only if each clause ranks the other near the top: at low scores the
        # assignment pairs leftovers, and a leftover pair is no evidence of the same provision
        weak = s[r, c] < WEAK and ((s[r] > s[r, c]).sum() > WEAK_RANK or (s[:, c] > s[r, c]).sum() > WEAK_RANK)
        if s[r, c] >= settings.link_threshold and not weak:
            links[(r, c)] = _link(prepared, ia[r], ib[c], float(s[r, c]), _relation(scores, r, c, settings))
            covered.add(r, c)
    candidates = set(_merged_runs(prepared, ia, ib, scores, settings, products))
    candidates.update(zip(*np.nonzero(s >= settings.partial_threshold)))
    sentence = _sentence_matches(prepared, ia, ib, products) * keep
    # the provision's best sentence anywhere in the other document (each provision is one sentence there)
    best_sentence = (sentence >= sentence.max(axis=1, keepdims=True)) | (sentence >= sentence.max(axis=0, keepdims=True))
    by_sentence = set(zip(*np.nonzero((sentence >= SENTENCE) & best_sentence)))
    candidates |= by_sentence
    best_a, best_b = s.argmax(axis=1), s.argmax(axis=0)
    def order(rc):  # by score, ties by the two clause ids: the same order when the documents swap
        return -s[rc], tuple(sorted((prepared.clauses[ia[rc[0]]].id, prepared.clauses[ib[rc[1]]].id)))

    for r, c in sorted(candidates, key=order):
        if (r, c) in links:
            continue
        # a clause with no partner yet goes to its best home even if that home already has its
        # match (a provision one document states twice), provided the home ranks it near the top;
        # otherwise the link must explain something new on both sides (a split or merged provision)
        rank_in_b, rank_in_a = int((s[:, c] > s[r, c]).sum()), int((s[r] > s[r, c]).sum())
        restated = s[r, c] >= RESTATED and ((covered.unlinked_a(r) and best_a[r] == c and rank_in_b <= RANK)
                                            or (covered.unlinked_b(c) and best_b[c] == r and rank_in_a <= RANK))
        # a split or merge needs one side already linked: two clauses neither of which has a
        # partner are a plain pair, which the assignment or the rule above decides
        # (and the clause joining a provision must lie largely inside it, not share a word or two)
        need_a = SPLIT_COVER if covered.unlinked_a(r) else GAIN
        need_b = SPLIT_COVER if covered.unlinked_b(c) else GAIN
        split = not (covered.unlinked_a(r) and covered.unlinked_b(c)) and covered.gains(r, c, need_a, need_b)
        if (r, c) in by_sentence:  # one sentence of a clause makes this provision
            split = split or covered.gains(r, c, PIECE_GAIN, PIECE_GAIN)
        if (restated or split) and ((r, c) in by_sentence or not _few_words(scores, covered, r, c)):
            links[(r, c)] = _link(prepared, ia[r], ib[c], float(s[r, c]), "partial")
            covered.add(r, c)
    for r, c in _adjacent_pieces(scores, links.keys(), covered):
        links[(r, c)] = _link(prepared, ia[r], ib[c], float(s[r, c]), "partial")
    for r, c in summary_links(prepared, ia, ib, full, links.keys(), covered):
        links[(r, c)] = _link(prepared, ia[r], ib[c], float(full.score[r, c]), "partial")
    for (r, c), support in _corresponding_lists(prepared, ia, ib, links).items():
        # a lead-in says little by itself ("… have the following roles:"): its list's partner
        # outweighs a weak match of its own few words elsewhere
        for key in [k for k in links if (k[0] == r) != (k[1] == c) and s[k] < WEAK]:
            del links[key]
        if (r, c) not in links:
            links[(r, c)] = _link(prepared, ia[r], ib[c], max(float(s[r, c]), support), "partial")
    # a clause linked to several clauses of the other document is split there: every piece is partial
    degree = Counter(f"a{r}" for r, _ in links) + Counter(f"b{c}" for _, c in links)
    return tuple(replace(link, relation="partial") if degree[f"a{r}"] > 1 or degree[f"b{c}"] > 1 else link
                 for (r, c), link in links.items())


def _few_words(scores: PairScores, covered: "_Coverage", r: int, c: int) -> bool:
    """Whether a weak pair rests on too few shared terms to be a provision restated, split or merged:
    FEW or fewer in common, and neither clause's words all found in the other."""
    inside = max(scores.cover_a[r, c], scores.cover_b[r, c]) >= 1.0 - 1e-9
    return scores.score[r, c] < WEAK and covered.shared(r, c) <= FEW and not inside


def _not_titles(prepared: Prepared, ia: tuple[int, ...], ib: tuple[int, ...]) -> np.ndarray:
    """Returns 1 for each clause pair, 0 where either is a heading (a numbered heading over a list)."""
    rows = np.array([prepared.clauses[i].kind != "heading" for i in ia], dtype=float)
    cols = np.array([prepared.clauses[i].kind != "heading" for i in ib], dtype=float)
    return rows[:, None] * cols[None, :]


def _adjacent_pieces(scores: PairScores, linked, covered: "_Coverage") -> list[tuple[int, int]]:
    """Returns further pieces of split or merged provisions: a clause next to (within NEAR places of)
    a clause already linked to X, lying largely inside X and explaining more of it.

    Councils that merge provisions merge neighbours, so a piece is sought only beside a known one;
    that locality lets a weaker overlap count than anywhere else in the document."""
    found: list[tuple[int, int]] = []
    pairs = set(linked)
    # the pairs scoring enough to be a piece (perf, issue 8: looked up in a set, not in the matrix)
    strong = set(zip(*(k.tolist() for k in np.nonzero(scores.base >= PIECE_SCORE))))
    steps = [step for step in range(-NEAR, NEAR + 1) if step != 0]
    for _ in range(2):  # a second round reaches a third consecutive piece
        added: list[tuple[int, int]] = []
        for r, c in sorted(pairs):
            for side in ("a", "b"):
                for step in steps:
                    rr, cc = (r + step, c) if side == "a" else (r, c + step)
                    if (rr, cc) not in strong or (rr, cc) in pairs or (rr, cc) in added:
                        continue
                    # the piece must be mostly unexplained and lie inside the whole; the whole
                    # (often long) need only gain a little
                    need = (PIECE, PIECE_GAIN) if side == "a" else (PIECE_GAIN, PIECE)
                    if covered.gains(rr, cc, *need):
                        added.append((rr, cc))
        if not added:
            break
        # judged against the coverage at the start of the round, so that the order pieces are
        # found in (which differs when the documents swap places) cannot change the result
        for rr, cc in added:
            covered.add(rr, cc)
        found.extend(added)
        pairs.update(added)
    return found


def _corresponding_lists(prepared: Prepared, ia: tuple[int, ...], ib: tuple[int, ...],
                         links: dict[tuple[int, int], Link]) -> dict[tuple[int, int], float]:
    """Returns the lead-in pairs (with the mean score of the item links that join them) whose lists
    correspond: at least LIST_SHARE of the shorter list's items are linked into the other list.

    A lead-in's own words say little ("Members have the following roles:"); two lists whose items
    mostly match make the same provision, so their lead-ins are linked whatever their wording."""
    if not prepared.lead_of:
        return {}
    pos_a = {i: k for k, i in enumerate(ia)}
    pos_b = {i: k for k, i in enumerate(ib)}
    lead_a = [pos_a.get(prepared.lead_of[i], -1) for i in ia]
    lead_b = [pos_b.get(prepared.lead_of[i], -1) for i in ib]
    size_a, size_b = Counter(lead_a), Counter(lead_b)
    items: dict[tuple[int, int], tuple[set[int], set[int], list[float]]] = {}
    for (r, c), link in sorted(links.items()):
        if lead_a[r] >= 0 and lead_b[c] >= 0:
            got = items.setdefault((lead_a[r], lead_b[c]), (set(), set(), []))
            got[0].add(r)
            got[1].add(c)
            got[2].append(link.score)
    found = {}
    for (la, lb), (rows, cols, scores) in sorted(items.items()):
        if min(len(rows), len(cols)) >= LIST_SHARE * min(size_a[la], size_b[lb]):
            found[(la, lb)] = float(np.mean(scores))
    return found


class _Coverage:
    """Tracks how much of each clause's weighted words its links already account for, so that a
    further partial link is made only where it explains something new on both sides (a split or
    merged provision), never for a phrase repeated in a clause that already has its match."""

    def __init__(self, prepared: Prepared, ia: tuple[int, ...], ib: tuple[int, ...]):
        self.weights = prepared.weights
        self.terms_a = _term_sets(prepared.presence, ia)
        self.terms_b = _term_sets(prepared.presence, ib)
        self.mass_a = [max(prepared.mass[i], 1e-9) for i in ia]
        self.mass_b = [max(prepared.mass[i], 1e-9) for i in ib]
        self.done_a: list[set[int]] = [set() for _ in ia]
        self.done_b: list[set[int]] = [set() for _ in ib]

    def add(self, r: int, c: int) -> None:
        shared = self.terms_a[r] & self.terms_b[c]
        self.done_a[r] |= shared
        self.done_b[c] |= shared

    def shared(self, r: int, c: int) -> int:
        """Returns how many distinct terms the two clauses have in common."""
        return len(self.terms_a[r] & self.terms_b[c])

    def unlinked_a(self, r: int) -> bool:
        return not self.done_a[r]

    def unlinked_b(self, c: int) -> bool:
        return not self.done_b[c]

    def gains(self, r: int, c: int, need_a: float = GAIN, need_b: float = GAIN) -> bool:
        shared = self.terms_a[r] & self.terms_b[c]
        new_a = sum(self.weights[t] for t in shared - self.done_a[r]) / self.mass_a[r]
        new_b = sum(self.weights[t] for t in shared - self.done_b[c]) / self.mass_b[c]
        return new_a >= need_a and new_b >= need_b


def _term_sets(presence: csr_matrix, rows: tuple[int, ...]) -> list[set[int]]:
    """Returns the set of term columns of each of the rows."""
    # perf (issue 8): one conversion to Python ints for the rows' whole span (a document's clauses
    # are consecutive), then a slice of it per row, rather than a small array conversion per row
    first = min(rows)
    ptr = presence.indptr[first:max(rows) + 2].tolist()
    span = presence.indices[ptr[0]:ptr[-1]].tolist()
    return [set(span[ptr[i - first] - ptr[0]:ptr[i - first + 1] - ptr[0]]) for i in rows]


def _relation(scores: PairScores, r: int, c: int, settings: Settings) -> str:
    """Equivalent when the pair scores high and neither clause has much the other lacks."""
    both_ways = min(scores.cover_a[r, c], scores.cover_b[r, c])
    return "equivalent" if scores.base[r, c] >= settings.equivalent_threshold and both_ways >= 0.75 else "partial"


def _sentence_matches(prepared: Prepared, ia: tuple[int, ...], ib: tuple[int, ...],
                      products: PairProducts | None = None) -> np.ndarray:
    """Returns, for each clause pair, the best cosine between one clause and a single sentence of the
    other (0 where neither holds several sentences)."""
    best = np.zeros((len(ia), len(ib)))
    if prepared.sentences.shape[0] == 0:
        return best
    given = (products.sentences_a, products.sentences_b) if products is not None else (None, None)
    for own, other, transpose, cos in ((ia, ib, False, given[0]), (ib, ia, True, given[1])):
        place = {clause: k for k, clause in enumerate(own)}
        rows = sentence_rows(prepared, own)
        if not rows:
            continue
        if cos is None:
            cos = (_rows(prepared.sentences, rows) @ _rows(prepared.vectors, other).T).toarray()
        for k, row in zip(rows, cos):
            at = place[prepared.sentence_of[k]]
            if transpose:
                best[:, at] = np.maximum(best[:, at], row)
            else:
                best[at] = np.maximum(best[at], row)
    return best


def _merged_runs(prepared: Prepared, ia: tuple[int, ...], ib: tuple[int, ...], scores: PairScores,
                 settings: Settings, products: PairProducts | None = None) -> list[tuple[int, int]]:
    """Returns the pairs where one clause matches two consecutive clauses of the other together
    clearly better than it matches either alone: both pieces are linked as partial."""
    found = []
    given = (products.joined_a, products.joined_b) if products is not None else (None, None)
    for own, other, transpose, together in ((ia, ib, False, given[0]), (ib, ia, True, given[1])):
        if len(own) < 2:
            continue
        if together is None:
            if prepared.joined is not None and consecutive(own):  # precomputed for consecutive clauses
                joined = prepared.joined[own[0]:own[-1]]
            else:
                joined = joined_rows(prepared.vectors[list(own)])
            together = (joined @ _rows(prepared.vectors, other).T).toarray()
        cosine = scores.cosine.T if transpose else scores.cosine
        alone = np.maximum(cosine[:-1], cosine[1:])
        weakest = np.minimum(cosine[:-1], cosine[1:])
        hits = np.argwhere((together >= settings.partial_threshold) & (together >= alone + 0.08) & (weakest >= 0.2))
        for k, c in hits:
            for r in (int(k), int(k) + 1):
                found.append((c, r) if transpose else (r, int(c)))
    return found


def _link(prepared: Prepared, i: int, j: int, score: float, relation: str) -> Link:
    return Link(prepared.clauses[i].id, prepared.clauses[j].id, round(min(score, 1.0), 4), relation)


def thesaurus_path(settings: Settings) -> Path | None:
    """Returns the thesaurus in the settings' data folder, or None for the one shipped with us."""
    path = Path(settings.data_dir) / "thesaurus.json"
    return path if path.is_file() else None


def align(documents: tuple[Document, ...], *, settings: Settings, pairs: list[tuple[str, str]] | None = None,
          nlp=None, weigh: frozenset[str] | None = None) -> tuple[Link, ...]:
    """Returns the links between clauses of every pair of documents (or of the pairs given), words
    weighted over every document (or over those in `weigh`)."""
    prepared = prepare(documents, nlp=nlp, thesaurus=thesaurus_path(settings), weigh=weigh)
    ids = [d.id for d in documents]
    if pairs is None:
        pairs = [(a, b) for k, a in enumerate(ids) for b in ids[k + 1:]]
    return match(prepared, pairs, settings=settings)


def match_many(prepared: Prepared, pairs: list[tuple[str, str]], *, settings: Settings) -> list[Link]:
    """Returns the links of these document pairs, pair by pair; a document paired with several
    others in a row (a draft with its peers) has its products with a run of them worked out at once
    (products.py)."""
    links: list[Link] = []
    k = 0
    while k < len(pairs):
        a = pairs[k][0]
        run = list(takewhile(lambda pair: pair[0] == a, pairs[k:k + RUN]))
        together = products_against(prepared, a, [b for _, b in run]) if len(run) > 1 else {}
        for _, b in run:
            links += match_documents(prepared, a, b, settings=settings, products=together.get(b))
        k += len(run)
    return links


def match(prepared: Prepared, pairs: list[tuple[str, str]], *, settings: Settings) -> tuple[Link, ...]:
    """Returns the links between clauses of the given pairs of prepared documents."""
    # perf hook (issue 8): the pairs are matched here, in forked processes, or on a Dask cluster (distribute.py)
    links = match_pairs(match_many, prepared, pairs, settings=settings)
    return tuple(sorted(links, key=lambda l: (l.source, l.target)))
