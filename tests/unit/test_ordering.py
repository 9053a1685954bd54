"""Ordering chosen documents as far as a page needs: the same pages as a whole sort, reprints collapsed or not."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from indexer.reprints import COPY_FIELDS, Written
from search.ordering import best_first, newest_first
from search.reprints import Groups
from search.selection import Chosen, ordered


def test_best_first_puts_typed_matches_first_then_scores_then_index():
    scores = np.array([1.0, 5.0, 5.0, 9.0, 2.0, 5.0])
    indirect = np.array([False, False, False, True, False, False])
    assert best_first(scores, indirect).tolist() == [1, 2, 5, 4, 0, 3]
    assert best_first(scores, indirect, 2).tolist() == [1, 2]
    assert best_first(scores, indirect, 5).tolist() == [1, 2, 5, 4, 0]
    assert best_first(scores, None, 1).tolist() == [3]
    assert best_first(scores, None, 0).tolist() == []


def test_newest_first_puts_undated_last_and_the_same_day_by_score():
    dates = np.array([20230101, 0, 20240501, 20230101, 20240501])
    scores = np.array([1.0, 9.0, 2.0, 3.0, 2.0])
    assert newest_first(dates, scores).tolist() == [2, 4, 3, 0, 1]
    assert newest_first(dates, scores, 3).tolist() == [2, 4, 3]


def _reference(docs, scores, indirect, dates, leader, rank, sort, collapse):
    """The whole list as the documentation says, one entry at a time: sorted, then collapsed."""
    entries = list(range(len(docs)))
    if sort == "date":
        entries.sort(key=lambda i: (-dates[docs[i]], -scores[i], docs[i]))
    else:
        entries.sort(key=lambda i: (bool(indirect[i]), -scores[i], docs[i]))
    if not collapse:
        return [(int(docs[i]), float(scores[i])) for i in entries]
    members: dict[int, list[int]] = {}
    for i in range(len(docs)):
        members.setdefault(int(leader[docs[i]]), []).append(int(docs[i]))
    size = np.bincount(leader, minlength=len(leader))
    shown = {g: min(found, key=lambda d: rank[d]) for g, found in members.items()}
    out, placed = [], set()
    for i in entries:
        doc = int(docs[i])
        g = int(leader[doc])
        if size[g] <= 1:
            out.append((doc, float(scores[i])))
        elif sort == "date":
            if shown[g] == doc:
                out.append((doc, float(scores[i])))
        elif g not in placed:
            placed.add(g)
            out.append((shown[g], float(scores[i])))
    return out


@pytest.mark.parametrize("seed", range(60))
def test_every_page_is_the_page_of_the_whole_sorted_and_collapsed_list(seed):
    rng = np.random.default_rng(seed)
    count = int(rng.integers(1, 60))
    # Random reprint groups: each document's leader is itself or an earlier document leading itself.
    leader = np.arange(count)
    for d in range(count):
        if rng.random() < 0.6 and d:
            candidate = int(rng.integers(0, d))
            leader[d] = leader[candidate]
    members = np.flatnonzero(np.bincount(leader, minlength=count)[leader] > 1)
    listed = {name: np.array([f"{name}{d}" for d in members.tolist()]) for name in COPY_FIELDS}
    dates = rng.choice([0, 20200101, 20210301, 20210302, 20230909], count)
    dated = dates > 0
    groups = Groups(Written(leader, members, listed), np.ones(count, dtype=bool), dates, dated)
    docs = np.sort(rng.choice(count, int(rng.integers(1, count + 1)), replace=False))
    scores = rng.choice([1.0, 2.5, 2.5, 4.0, 7.25], len(docs))
    indirect = rng.random(len(docs)) < 0.2 if rng.random() < 0.5 else None
    flags = indirect if indirect is not None else np.zeros(len(docs), dtype=bool)
    gen = SimpleNamespace(reprints=groups, dates=dates)
    chosen = Chosen(docs, scores, len(docs), {}, indirect)
    for sort in ("relevance", "date"):
        for collapse in (False, True):
            whole = _reference(docs, scores, flags, dates, groups.leader, groups.rank, sort, collapse)
            for limit in (None, 1, 3, 10, len(docs) + 5):
                found, found_scores, total = ordered(gen, chosen, sort, collapse, limit)
                assert total == len(whole)
                assert list(zip(found.tolist(), found_scores.tolist())) == whole[:limit]
