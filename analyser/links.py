"""Links held as columns: a national corpus's million correspondences, looked up by clause and
written out without building a Python object for each.

A review against a large corpus reads few of the corpus's own links (those near the draft's
partners and the provisions it lacks) but writes all of them. Held as arrays (each clause id once,
then positions, scores and relations), a link becomes a `Link` only when one is asked for (perf,
issue 8: building the 1.2 million objects took longer than the review's findings).
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence

import numpy as np

from .model import Link

RELATIONS = ("equivalent", "partial")


class Links(Sequence[Link]):
    """Holds links in order as columns: sorted clause ids (`names`), and for each link the positions
    of its source and target among them, its score and its relation (a position in RELATIONS)."""

    __slots__ = ("names", "source", "target", "score", "relation", "_at")

    def __init__(self, names: Sequence[str], source: np.ndarray, target: np.ndarray, score: np.ndarray,
                 relation: np.ndarray):
        self.names = tuple(names)
        self.source, self.target = source.astype(np.int32, copy=False), target.astype(np.int32, copy=False)
        self.score, self.relation = score.astype(np.float64, copy=False), relation.astype(np.uint8, copy=False)
        self._at: dict[str, int] | None = None

    @classmethod
    def of(cls, links: Iterable[Link]) -> Links:
        """Returns the links as columns (unchanged when they already are), in their order."""
        if isinstance(links, Links):
            return links
        links = tuple(links)
        names = sorted({x for l in links for x in (l.source, l.target)})
        at = {x: i for i, x in enumerate(names)}
        n = len(links)
        return cls(names,
                   np.fromiter((at[l.source] for l in links), dtype=np.int32, count=n),
                   np.fromiter((at[l.target] for l in links), dtype=np.int32, count=n),
                   np.fromiter((l.score for l in links), dtype=np.float64, count=n),
                   np.fromiter((RELATIONS.index(l.relation) for l in links), dtype=np.uint8, count=n))

    def __len__(self) -> int:
        return len(self.source)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return self.taken(np.arange(len(self))[k])
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        return Link(self.names[self.source[k]], self.names[self.target[k]], float(self.score[k]),
                    RELATIONS[self.relation[k]])

    def __iter__(self) -> Iterator[Link]:
        return iter(self.taken(np.arange(len(self))))

    def __eq__(self, other) -> bool:
        if isinstance(other, Links):
            other = tuple(other)
        return isinstance(other, tuple) and tuple(self) == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Links({len(self)} links between {len(self.names)} clauses)"

    def taken(self, positions: np.ndarray) -> tuple[Link, ...]:
        """Returns the links at these positions as Link objects, in that order."""
        positions = np.asarray(positions, dtype=np.int64)
        names = self.names
        return tuple(map(Link, [names[i] for i in self.source[positions].tolist()],
                         [names[i] for i in self.target[positions].tolist()],
                         self.score[positions].tolist(), [RELATIONS[i] for i in self.relation[positions].tolist()]))

    def position(self, name: str) -> int:
        """Returns the clause id's position in `names`, -1 when no link names it."""
        if self._at is None:
            self._at = {x: i for i, x in enumerate(self.names)}
        return self._at.get(name, -1)

    def marked(self, ids: Collection[str]) -> np.ndarray:
        """Returns, for each clause id in `names`, whether it is one of `ids` (ids not linked are ignored)."""
        wanted = np.zeros(len(self.names), dtype=bool)
        codes = [k for k in map(self.position, ids) if k >= 0]
        wanted[np.asarray(codes, dtype=np.int64)] = True
        return wanted

    def touching(self, ids: Collection[str], *, min_score: float | None = None) -> tuple[Link, ...]:
        """Returns the links with one end or both among `ids` (scoring at least `min_score`), in their order."""
        wanted = self.marked(ids)
        chosen = wanted[self.source] | wanted[self.target]
        if min_score is not None:
            chosen &= self.score >= min_score
        return self.taken(np.flatnonzero(chosen))

    def among(self, ids: Collection[str]) -> Links:
        """Returns the links with both ends among `ids`, in their order (as columns)."""
        wanted = self.marked(ids)
        kept = np.flatnonzero(wanted[self.source] & wanted[self.target])
        subset = Links(self.names, self.source[kept], self.target[kept], self.score[kept], self.relation[kept])
        subset._at = self._at  # the same clause ids
        return subset

    def columns(self) -> dict:
        """Returns the links as plain columns (the cache keeps them so: cache.pack)."""
        return {"ids": list(self.names), "source": self.source, "target": self.target, "score": self.score,
                "relation": self.relation}

    @classmethod
    def from_columns(cls, parts: dict) -> Links:
        """Returns the links columns() gave."""
        source, target = parts["source"], parts["target"]
        if len(source) and max(int(source.max()), int(target.max())) >= len(parts["ids"]):
            raise ValueError("a link names a clause position beyond the clause ids")
        if not (len(source) == len(target) == len(parts["score"]) == len(parts["relation"])):
            raise ValueError("link columns of different lengths")
        if len(source) and int(parts["relation"].max()) >= len(RELATIONS):
            raise ValueError("an unknown link relation")
        return cls(parts["ids"], source, target, parts["score"], parts["relation"])


def merged(kept: Links, extra: Iterable[Link]) -> Links:
    """Returns the kept links and the extra ones together, ordered by source then target (as sorting
    the Link objects would, when both are so ordered): a draft's links added to its corpus's."""
    extra = Links.of(extra)
    names = sorted(set(kept.names).union(extra.names))
    at = {x: i for i, x in enumerate(names)}
    # clause ids are numbered in sorted order, so ordering by positions orders by id
    recode_kept = np.fromiter((at[x] for x in kept.names), dtype=np.int32, count=len(kept.names))
    recode_extra = np.fromiter((at[x] for x in extra.names), dtype=np.int32, count=len(extra.names))
    source = np.concatenate((recode_kept[kept.source], recode_extra[extra.source]))
    target = np.concatenate((recode_kept[kept.target], recode_extra[extra.target]))
    order = np.lexsort((target, source))
    return Links(names, source[order], target[order], np.concatenate((kept.score, extra.score))[order],
                 np.concatenate((kept.relation, extra.relation))[order])
