"""Putting chosen documents in order, only as far as the page asked for.

A request shows one page, but a common word matches most of a large archive: sorting a million
matches to show ten of them cost more than finding them. So the documents stay in the order they
are found (ascending document numbers) and only the leading ones are sorted: those whose key is
at most the limit-th smallest (one partition, no sort), ties included, then sorted among
themselves. Ties keep ascending document numbers, as a full sort would, so a page is the same
whatever the limit — an export (no limit) lists exactly what the pages show.
"""

from __future__ import annotations

import numpy as np


def _leading(key: np.ndarray, limit: int | None) -> np.ndarray:
    """The ascending indices of the limit smallest keys and of every key tied with the last of them
    (every index when limit is None or not less than the keys)."""
    if limit is None or limit >= len(key):
        return np.arange(len(key))
    if limit <= 0:
        return np.zeros(0, dtype=np.int64)
    last = np.partition(key, limit - 1)[limit - 1]
    return np.flatnonzero(key <= last)


def best_first(scores: np.ndarray, indirect: np.ndarray | None, limit: int | None = None) -> np.ndarray:
    """Indices of the limit best entries: those found as typed before those found only through an
    alternative (indirect), then by score descending, then by index."""
    if indirect is not None and indirect.any():
        direct = np.flatnonzero(~indirect)
        first = direct[best_first(scores[direct], None, limit)]
        if limit is not None and len(first) >= limit:
            return first
        rest = np.flatnonzero(indirect)
        return np.concatenate([first, rest[best_first(scores[rest], None, None if limit is None else limit - len(first))]])
    candidates = _leading(-scores, limit)
    return candidates[np.argsort(-scores[candidates], kind="stable")][:limit]


def newest_first(dates: np.ndarray, scores: np.ndarray, limit: int | None = None) -> np.ndarray:
    """Indices of the limit newest entries (date numbers, 0 for undated, which come last), the same
    day by score descending, then by index."""
    key = -dates.astype(np.int64)
    candidates = _leading(key, limit)
    return candidates[np.lexsort((-scores[candidates], key[candidates]))][:limit]
