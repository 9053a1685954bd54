"""Reprint groups at search time: each group shown once, led by its earliest dated copy, the others listed.

The groups are found when indexing (indexer.reprints): every document has a leader, itself when no
other article is a copy of it. A search collapses its matches so that each group is one result:
the group's earliest dated matching copy (its leader when the leader matches), standing where the
group's best match stands (by relevance), or where that copy's own date puts it (by date). The
other copies are listed with the result; `collapse=false` lists every article on its own.
"""

from __future__ import annotations

import numpy as np

from corpus.dates import UNKNOWN
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
        at = int(np.searchsorted(self._written.members, docnum))
        listed = {name: str(values[at]) for name, values in self._written.listed.items()}
        # As stored_metadata reads them: an unknown date is None.
        date = listed["date"] or None
        return Reprint(listed["id"], listed["title"], date, listed["date_precision"] or "day" if date else UNKNOWN,
                       listed["source"])

    def collapse(self, docs: np.ndarray, scores: np.ndarray, by_date: bool) -> tuple[np.ndarray, np.ndarray]:
        """Ordered matches with each group's copies folded into one: its first copy in group order.

        The shown copy takes the place of the group's first match in the order (and its score)
        when by_date is false; by date it keeps its own place.
        """
        if not self.any or not len(docs):
            return docs, scores
        grouped = np.flatnonzero(self.grouped[docs])
        if not len(grouped):
            return docs, scores
        groups = self.leader[docs[grouped]]
        # Per group: the copy first in group order, and the first place any of its copies holds.
        order = np.lexsort((self.rank[docs[grouped]], groups))
        starts = np.concatenate(([0], np.flatnonzero(groups[order][1:] != groups[order][:-1]) + 1))
        shown_at = grouped[order[starts]]
        first_at = np.minimum.reduceat(grouped[order], starts)
        keep = np.ones(len(docs), dtype=bool)
        keep[grouped] = False
        if by_date:
            keep[shown_at] = True
            return docs[keep], scores[keep]
        docs, scores = docs.copy(), scores.copy()
        docs[first_at] = docs[shown_at]
        keep[first_at] = True
        return docs[keep], scores[keep]
