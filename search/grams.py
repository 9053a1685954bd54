"""Exact substring matching over the gram index (see indexer.grams for its layout).

A typed string's stream s of length m ≥ 2 matches at stream position p when bigram s[i:i+2]
occurs at p + i for every i: starting from the rarest bigram's positions, each other bigram's
sorted positions are probed with one vectorised binary search. A single character matches
wherever a bigram starts with it, which in the sorted keys is one contiguous range. Positions
become fields (title or text of a document) from a table of the field each block of 128 positions
begins in (GramSegment.fields_of).
"""

from __future__ import annotations


import numpy as np

from indexer.grams import CODE_SHIFT, GramArrays, code
from search.proximity import near_pairs, stretches

_EMPTY = np.zeros(0, dtype=np.int64)


def run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array begins."""
    begins = np.empty(len(values), dtype=bool)
    begins[:1] = True
    np.not_equal(values[1:], values[:-1], out=begins[1:])
    return np.flatnonzero(begins)


def runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted array and how many times each occurs (np.unique without sorting)."""
    if not len(values):
        return values, values
    starts = run_starts(values)
    return values[starts], np.diff(starts, append=len(values))


def covering(first: int, count: int) -> list[int]:
    """Which of a string's count bigrams (by offset), with the one at first, hold each of its
    characters: every other one from first's, and the first and last bigram.

    A string stands wherever these do: two bigrams holding characters i, i + 1 and i + 2, i + 3
    make the one of i + 1, i + 2 (a field's last character pairs only with the separator after
    it, so no two of them span two fields). So 克拉玛依 is probed with 克拉 and 玛依, not 拉玛 too.
    """
    return sorted({*range(first % 2, count, 2), 0, count - 1})


MERGE_RATIO = 4  # positions probed by merging when at most this many times the starts probed, else searched


def among(wanted: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """A bool per wanted position: whether it is among positions (both ascending and distinct).

    Few wanted among many positions are each searched for (a binary search apiece); as many as
    there are positions (a common string's rarest bigram beside its others, millions each in a
    large archive) are found by merging the two, a stable sort of two sorted runs, which costs
    about half as much as searching each of them.
    """
    if len(positions) > MERGE_RATIO * len(wanted):
        at = np.searchsorted(positions, wanted)
        at[at == len(positions)] = len(positions) - 1
        return positions[at] == wanted
    if (len(wanted) and positions.dtype != wanted.dtype and wanted[0] >= 0
            and int(wanted[-1]) <= int(np.iinfo(positions.dtype).max)):
        wanted = wanted.astype(positions.dtype)  # merged in the stored width: half the bytes to sort
    return np.isin(wanted, positions, assume_unique=True, kind="sort")


BLOCK_SHIFT = 7  # positions are placed in their fields from blocks of 128: 4 bytes a block, 16 MB at a million articles


class GramSegment:
    """The gram arrays of one Whoosh segment and the number of its first document in the index."""

    __slots__ = ("arrays", "base", "_blocks")

    def __init__(self, arrays: GramArrays, base: int) -> None:
        self.arrays = arrays
        self.base = base
        self._blocks: np.ndarray | None = None

    def _block_fields(self) -> np.ndarray:
        """For each block of positions, the field holding the position just before it (0 for the
        first); complemented (~field, negative) where a field begins inside the block."""
        if self._blocks is None:
            starts = self.arrays.starts
            blocks = (int(starts[-1]) >> BLOCK_SHIFT) + 1
            begun = np.bincount(starts[:-1] >> BLOCK_SHIFT, minlength=blocks)  # fields starting in each block
            before = np.concatenate(([0], np.cumsum(begun)[:-1]))  # fields starting before each block
            held = np.maximum(before - 1, 0).astype(np.int32)
            self._blocks = np.where(begun > 0, ~held, held)  # computed twice in a race: the same
        return self._blocks

    def fields_of(self, found: np.ndarray) -> np.ndarray:
        """The field (title of document d at 2d, its text at 2d + 1) of each of the positions found, ascending.

        A position in a block no field begins in is in the field the block continues; one in any
        other block starts from that field and steps on while the next field starts at or before
        it: a couple of steps at most, as fields are seldom shorter than a block — work in
        proportion to the positions, where a binary search per position (or per field) cost a
        logarithm more on the commonest words.
        """
        starts = self.arrays.starts
        fields = self._block_fields()[found >> BLOCK_SHIFT]
        stepped = np.flatnonzero(fields < 0)
        if len(stepped):
            at = found[stepped]
            held = ~fields[stepped].astype(np.int64)
            later = np.flatnonzero(starts[held + 1] <= at)
            while len(later):
                held[later] += 1
                later = later[starts[held[later] + 1] <= at[later]]
            fields[stepped] = held
        return fields.astype(np.int64)

    def char_range(self, char: str) -> tuple[int, int]:
        """The slice of positions of every bigram starting with char (a single character's positions)."""
        first = ord(char) << CODE_SHIFT
        lo, hi = np.searchsorted(self.arrays.keys, [first, first + (1 << CODE_SHIFT)])
        return int(self.arrays.offsets[lo]), int(self.arrays.offsets[hi])

    def bigram_ranges(self, text_stream: str) -> np.ndarray | None:
        """The [start, end) slice of positions of each bigram of text_stream, in order (one
        binary search for all); None when the segment lacks one of them, so nothing in it matches."""
        keys = self.arrays.keys
        wanted = np.fromiter((code(a, b) for a, b in zip(text_stream, text_stream[1:])), dtype=keys.dtype,
                             count=len(text_stream) - 1)
        at = np.searchsorted(keys, wanted)
        if not len(keys) or (at == len(keys)).any() or (keys[np.minimum(at, len(keys) - 1)] != wanted).any():
            return None
        offsets = self.arrays.offsets
        return np.stack((offsets[at], offsets[at + 1]), axis=1)

    def starts_of(self, text_stream: str) -> np.ndarray:
        """Every stream position where text_stream begins, ascending."""
        if not text_stream:
            return _EMPTY
        stored = self.arrays.positions
        if len(text_stream) == 1:
            lo, hi = self.char_range(text_stream)
            # Each bigram's positions are sorted, those of all bigrams starting with it are not.
            return np.sort(stored[lo:hi].astype(np.int64))
        ranges = self.bigram_ranges(text_stream)
        if ranges is None:
            return _EMPTY
        lists = [stored[lo:hi] for lo, hi in ranges.tolist()]
        if not all(len(positions) for positions in lists):
            return _EMPTY
        rarest = min(range(len(lists)), key=lambda i: len(lists[i]))
        found = lists[rarest].astype(np.int64) - rarest
        for shift in covering(rarest, len(lists)):
            if shift == rarest or not len(found):
                continue
            found = found[among(found + shift, lists[shift])]
        return found

    def field_counts(self, text_stream: str) -> tuple[np.ndarray, np.ndarray]:
        """The index-wide numbers (2 × document, + 1 for the text) of the fields holding text_stream,
        ascending, and how often it occurs in each."""
        found = self.starts_of(text_stream)
        if not len(found):
            return _EMPTY, _EMPTY
        fields, counts = runs(self.fields_of(found))
        return fields + 2 * self.base, counts

    def near_fields(self, streams: list[str], distance: int, titles_only: bool = False) -> np.ndarray:
        """The index-wide field numbers where the streams stand within distance of each other (search.proximity)."""
        found = [self.starts_of(s) for s in streams]
        if any(not len(f) for f in found):
            return _EMPTY
        starts = self.arrays.starts
        fields_of = [self.fields_of(f) for f in found]
        if len(streams) == 2:
            first = fields_of[0]
            bounds = np.stack((starts[first], starts[first + 1] - 1), axis=1)
            hit = near_pairs(found[0], found[1], (len(streams[0]), len(streams[1])), bounds, distance,
                             streams[0] == streams[1])
            fields = np.unique(first[hit])
        else:
            common = fields_of[0]
            for other in fields_of[1:]:
                common = np.intersect1d(common, other)
            lengths = [len(s) for s in streams]
            fields = np.array([f for f in common.tolist()
                               if stretches([p[w == f].tolist() for p, w in zip(found, fields_of)], lengths, distance)],
                              dtype=np.int64)
        if titles_only:
            fields = fields[fields % 2 == 0]
        return fields + 2 * self.base
