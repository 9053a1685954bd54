"""MinHash signatures of texts: what tells a reprint from another story (indexer.reprints).

Each article's text (its folded stream, indexer.analysis.stream; the headline is left out) is cut
into overlapping SHINGLE-character shingles, and summarised by a MinHash signature made with one
permutation (one-permutation hashing with rotation densification, Li, Owen and Zhang 2012;
Shrivastava 2017): every shingle is hashed once, falls into one of BINS bins by its hash, and each
bin keeps its smallest value. Two texts agree in a bin with probability about the Jaccard similarity
of their shingle sets, so the share of equal bins estimates it. One hash per shingle keeps this a
few whole-array NumPy operations per batch of documents (the README compares it with datasketch).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SHINGLE = 3  # characters a shingle holds
BINS = 128  # signature length
MIN_CHARS = 80  # word characters a text needs to be compared at all: shorter ones are never grouped
EMPTY = 0xFFFF  # the value of a bin no shingle fell into (and of every bin of a text too short)

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_ROTATION = 0x2545  # added per step when an empty bin borrows the next bin's value


def _mix(values: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (splitmix64) applied to every value: each input bit moves every output bit."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def signatures(streams: Sequence[str]) -> np.ndarray:
    """The MinHash signatures (len(streams) × BINS, uint16) of folded texts; rows of EMPTY for short ones."""
    out = np.full((len(streams), BINS), EMPTY, dtype=np.uint16)
    if not streams:
        return out
    joined = "\0".join(streams) + "\0"
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(s) + 1 for s in streams), dtype=np.int64, count=len(streams))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    count = len(chars) - SHINGLE + 1
    if count <= 0:
        return out
    hashes = chars[:count].copy()
    for i in range(1, SHINGLE):
        hashes = hashes * _MULTIPLIER + chars[i : i + count]
    hashes = _mix(hashes)
    # A shingle is whole when no separator stands inside it.
    separators = np.concatenate(([0], np.cumsum(chars == 0)))
    whole = separators[SHINGLE : SHINGLE + count] == separators[:count]
    at = np.flatnonzero(whole)
    document = np.searchsorted(starts, at, side="right") - 1
    keep = lengths[document] - 1 >= MIN_CHARS
    at, document, hashes = at[keep], document[keep], hashes[at[keep]]
    bins = (hashes >> np.uint64(64 - 7)).astype(np.int64)  # BINS = 2**7
    values = np.minimum((hashes >> np.uint64(16)) & np.uint64(0xFFFF), np.uint64(EMPTY - 1)).astype(np.uint16)
    np.minimum.at(out.reshape(-1), document * BINS + bins, values)
    return _densify(out)


def _densify(out: np.ndarray) -> np.ndarray:
    """Fill each empty bin of a signature from the next filled bin to its right (circularly), shifted per step."""
    empty = out == EMPTY
    partly = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
    if not len(partly):
        return out
    rows = out[partly]
    filled = ~empty[partly]
    positions = np.arange(2 * BINS)
    # The position of the next filled bin at or after each bin, looking round the end once.
    twice = np.concatenate((filled, filled), axis=1)
    marks = np.where(twice, positions, 2 * BINS)
    following = np.minimum.accumulate(marks[:, ::-1], axis=1)[:, ::-1][:, :BINS]
    steps = following - positions[:BINS]
    borrowed = np.take_along_axis(rows, following % BINS, axis=1).astype(np.int64)
    shifted = ((borrowed + steps * _ROTATION) % EMPTY).astype(np.uint16)
    out[partly] = np.where(filled, rows, shifted)
    return out


def similarity(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The share of equal bins of signatures row by row (an estimate of the texts' Jaccard similarity)."""
    return np.mean(first == second, axis=-1)
