"""Reprint groups at search time: each group shown once, led by its earliest dated copy, the others listed.

The groups are found when indexing (indexer.reprints): every document has a leader, itself when no
other article is a copy of it. A search collapses its matches so that each group is one result:
the group's earliest dated matching copy (its leader when the leader matches), standing where the
group's best match stands (by relevance), or where that copy's own date puts it (by date). The
other copies are listed with the result; `collapse=false` lists every article on its own.
"""

from __future__ import annotations

import numpy as np

from corpus.article import UNKNOWN
from indexer.reprints import Written
from search.model import Reprint


class Groups:
    """The reprint groups of one generation: each document's leader and its place in its group."""

    def __init__(self, written: Written | None, alive: np.ndarray, day_rank: np.ndarray, dated: np.ndarray) -> None:
        count = len(alive)
        self.leader = np.arange(count, dtype=np.int64) if written is None else np.asarray(written.leader, dtype=np.int64)
        self._written = written
        # Deleted documents and copies whose leader is gone belong to no group (the index is ahead of them).
        self.leader = np.where(alive & alive[self.leader], self.leader, np.arange(count))
        sizes = np.bincount(self.leader, minlength=count)
        self.grouped = sizes[self.leader] > 1
        members = np.flatnonzero(self.grouped)
        # Within a group: the leader, then the copies dated earliest first (undated last), then by number.
        not_leader = members != self.leader[members]
        undated = ~dated[members]
        order = np.lexsort((members, day_rank[members], undated, not_leader, self.leader[members]))
        self.members = members[order]  # grouped documents, group by group, each group in its order
        self._member_leaders = self.leader[self.members]
        self.rank = np.zeros(count, dtype=np.int64)  # a document's place in its group (0: the leader)
        starts = np.searchsorted(self.leader[self.members], self.leader[self.members], side="left")
        self.rank[self.members] = np.arange(len(self.members)) - starts
        self.any = bool(len(members))

    def copies(self, docnum: int, limit: int | None = None) -> tuple[list[int], int]:
        """The other documents of a document's group in the group's order, at most limit of them,
        and how many there are (none when it has no copy). The work is that of the listed copies,
        not of the group: a notice reprinted by every paper has tens of thousands."""
        if not self.any or not self.grouped[docnum]:
            return [], 0
        lo, hi = np.searchsorted(self._member_leaders, [self.leader[docnum], self.leader[docnum] + 1])
        lo, hi = int(lo), int(hi)
        end = hi if limit is None else min(hi, lo + limit + 1)  # one more, in case docnum is among them
        listed = [d for d in self.members[lo:end].tolist() if d != docnum]
        return listed[:limit], hi - lo - 1

    def listing(self, docnum: int) -> Reprint:
        """How a grouped document is listed as a copy: id, title, date and source, as the build read them."""
        assert self._written is not None
        listed = self._written.listing(docnum)
        # As stored_metadata reads them: an unknown date is None.
        date = listed["date"] or None
        return Reprint(listed["id"], listed["title"], date, listed["date_precision"] or "day" if date else UNKNOWN,
                       listed["source"])

    def standing(self, docs: np.ndarray, scores: np.ndarray, indirect: np.ndarray | None,
                 by_date: bool) -> tuple[np.ndarray, np.ndarray]:
        """Which of docs (distinct) stand in a collapsed list, and the document each shows: (their
        indices into docs, ascending; the documents shown there).

        A document with no copy among docs stands for itself. A group stands once, showing its
        first copy in group order among docs: by date at that copy's own place; by relevance at
        the place of its best match — the first in search.ordering.best_first's order (found as
        typed, highest score, lowest index) — with that match's score. Work in proportion to docs
        (no sorting): the copies are numbered by group and each group's best found with ufunc.at.
        """
        if not self.any or not len(docs):
            return np.arange(len(docs)), docs
        grouped = self.grouped[docs]
        at = np.flatnonzero(grouped)
        if not len(at):
            return np.arange(len(docs)), docs
        copies = docs[at]
        group, groups = _numbered(self.leader[copies], len(self.leader))
        rank = self.rank[copies]
        least = np.full(groups, np.iinfo(np.int64).max)
        np.minimum.at(least, group, rank)
        shown = rank == least[group]  # one per group: ranks within a group differ
        keep = ~grouped
        if by_date:
            keep[at[shown]] = True
            kept = np.flatnonzero(keep)
            return kept, docs[kept]
        # The group's place: its match found as typed (if any), of the highest score, of the lowest index.
        score = scores[at]
        best = np.full(groups, -np.inf)
        if indirect is not None:
            typed = ~indirect[at]
            has_typed = np.zeros(groups, dtype=bool)
            has_typed[group[typed]] = True
            first = typed | ~has_typed[group]
            np.maximum.at(best, group[first], score[first])
            first &= score == best[group]
        else:
            np.maximum.at(best, group, score)
            first = score == best[group]
        lowest = np.full(groups, len(docs))
        np.minimum.at(lowest, group[first], at[first])
        first &= at == lowest[group]
        keep[at[first]] = True
        shows = docs.copy()
        copy_of = np.zeros(groups, dtype=docs.dtype)
        copy_of[group[shown]] = copies[shown]
        shows[at[first]] = copy_of[group[first]]
        kept = np.flatnonzero(keep)
        return kept, shows[kept]


def _numbered(leaders: np.ndarray, documents: int) -> tuple[np.ndarray, int]:
    """Each leader's group as a number from 0, and how many groups: by sorting when there are few
    leaders, by marking them among the documents when they are many."""
    if 16 * len(leaders) < documents:
        found, group = np.unique(leaders, return_inverse=True)
        return group, len(found)
    mark = np.zeros(documents, dtype=bool)
    mark[leaders] = True
    number = np.cumsum(mark)  # 1 for the first leader
    return number[leaders] - 1, int(number[-1])
