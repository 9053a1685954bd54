"""Proximity: where the words of "援疆 干部"~10 stand within 10 characters of each other, in any order.

Positions are those of a text's folded stream (indexer.analysis.stream), so punctuation and spacing
are not counted. A stretch of the stream that begins at one word's occurrence and ends at another's
matches when it holds every word (a word typed twice must occur twice) and, besides the words
themselves, at most `distance` characters. Two words are matched with whole-array operations over
a segment's positions (the common case); more words a field at a time, by the smallest stretches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np


def stretches(positions: Sequence[Sequence[int]], lengths: Sequence[int], distance: int) -> list[tuple[int, int]]:
    """The (start, end) stream ranges of one field where the words stand within distance of each other.

    positions[i] holds the starts of word i in the field, lengths[i] its length; words with equal
    (positions, length) are one word typed twice. Each range is a smallest one (no smaller range
    inside it holds every word), in order; overlapping ranges are all returned.
    """
    kinds: dict[tuple[tuple[int, ...], int], int] = {}
    for starts, length in zip(positions, lengths):
        key = (tuple(starts), length)
        kinds.setdefault(key, len(kinds))
    wanted = Counter(kinds[(tuple(s), n)] for s, n in zip(positions, lengths))
    words = sum(lengths)
    occurrences = sorted((start, start + length, kind) for (starts, length), kind in kinds.items() for start in starts)
    out: list[tuple[int, int]] = []
    have: Counter[int] = Counter()
    missing = len(wanted)
    left = 0
    for right, (_, _, kind) in enumerate(occurrences):
        have[kind] += 1
        if have[kind] == wanted[kind]:
            missing -= 1
        # Shrink from the left while every word is still held: the smallest range ending here.
        while missing == 0:
            first = occurrences[left]
            if have[first[2]] > wanted[first[2]]:
                have[first[2]] -= 1
                left += 1
                continue
            start = first[0]
            end = max(o[1] for o in occurrences[left : right + 1])
            if end - start - words <= distance:
                out.append((start, end))
            have[first[2]] -= 1
            missing += 1
            left += 1
    return out


def near_pairs(first: np.ndarray, second: np.ndarray, lengths: tuple[int, int], bounds: np.ndarray,
               distance: int, same: bool) -> np.ndarray:
    """The occurrences of the first word (indices into first) that have one of the second word near them.

    first and second are ascending stream positions; bounds[k] is (start, end) of the field holding
    first[k], which the second word must stand in too; same says the two words are one word typed
    twice (an occurrence is then not near itself).
    """
    if not len(first) or not len(second):
        return np.zeros(0, dtype=np.int64)
    low = np.maximum(first - lengths[1] - distance, bounds[:, 0])
    high = np.minimum(first + lengths[0] + distance, bounds[:, 1] - lengths[1])
    count = np.searchsorted(second, high, side="right") - np.searchsorted(second, low, side="left")
    if same:
        count = count - 1
    return np.flatnonzero(count > 0)
