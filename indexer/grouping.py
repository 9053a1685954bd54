"""Grouping signatures into stories: candidate pairs by banding, their connected parts, each part's leader.

Candidates are found by banding (locality-sensitive hashing): documents whose ROWS bins of one band
all agree land in one bucket of that band; each document of a bucket is compared with the bucket's
first document and with its neighbour in it (unless the two are already joined), and a pair whose
signatures agree in at least SIMILAR of their bins is joined. Groups are the connected parts of
those pairs; the earliest dated copy leads its group (undated copies last, then by id). After a
change, relinked finds again only the parts the change reaches, with the same result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from indexer.forking import Forked, can_fork
from indexer.minhash import BINS, similarity

log = logging.getLogger(__name__)

ROWS = 4  # bins a band holds (4 of 16 bits: one 64-bit key); BINS // ROWS bands
SIMILAR = 0.3  # share of equal bins above which two texts are copies of one story
PAIRS_AT_ONCE = 65_536  # candidate pairs whose signatures are read at once
COMPARED_AT_ONCE = 4_096  # of those, pairs compared at once (their two signatures: 2 MB)
# The share of documents whose parts a run may find again one by one; past it every part is found
# again at once. The bands of a corpus of similar prose have buckets of hundreds of documents, so a
# change of 1% can reach most of the parts: then finding them all is cheaper.
REDO_SHARE = 0.25
# Linking this many documents or more shares the bands with a second process (where there is a second core).
PARALLEL_MIN_DOCUMENTS = 50_000


@dataclass(frozen=True, slots=True)
class Signed:
    """The signatures of an index's documents, segment by segment, and which of them may be grouped."""

    parts: tuple[tuple[int, np.ndarray], ...]  # (first document number, rows) per segment
    usable: np.ndarray  # bool per document: alive and long enough to compare

    def rows(self, documents: np.ndarray) -> np.ndarray:
        """The signatures of documents (index-wide numbers)."""
        out = np.empty((len(documents), BINS), dtype=np.uint16)
        bases = np.array([base for base, _ in self.parts], dtype=np.int64)
        part = np.searchsorted(bases, documents, side="right") - 1
        for i, (base, rows) in enumerate(self.parts):
            chosen = np.flatnonzero(part == i)
            if len(chosen):
                out[chosen] = rows[documents[chosen] - base]
        return out

    def band(self, band: int) -> np.ndarray:
        """One band's key per document: its ROWS bins read together as one 64-bit number (equal keys
        for equal bins, which is all a bucket asks)."""
        keys = [np.ascontiguousarray(rows, dtype=np.uint16).view(np.uint64)[:, band] for _, rows in self.parts]
        return np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)


def band_pairs(signed: Signed, documents: np.ndarray, band: int) -> np.ndarray:
    """The pairs of documents (k × 2) sharing one band's key: in a bucket, each with its first and its neighbour."""
    keys = signed.band(band)[documents]
    order = np.argsort(keys, kind="stable")  # documents in their order within a bucket
    keys, members = keys[order], documents[order]
    same = np.flatnonzero(keys[1:] == keys[:-1]) + 1
    if not len(same):
        return np.zeros((0, 2), dtype=np.int64)
    run_start = np.concatenate(([0], np.flatnonzero(keys[1:] != keys[:-1]) + 1))
    first = run_start[np.searchsorted(run_start, same, side="right") - 1]
    further = first < same - 1  # the second of a bucket: its neighbour is the first, one pair
    return np.concatenate((np.stack((members[same - 1], members[same]), axis=1),
                           np.stack((members[first[further]], members[same[further]]), axis=1)))


def components(count: int, edges: np.ndarray) -> np.ndarray:
    """The smallest document number of each document's connected part, given edges (k × 2)."""
    labels = np.arange(count, dtype=np.int64)
    if not len(edges):
        return labels
    a, b = edges[:, 0], edges[:, 1]
    while True:
        low = np.minimum(labels[a], labels[b])
        before = labels.copy()
        np.minimum.at(labels, a, low)
        np.minimum.at(labels, b, low)
        labels = labels[labels]  # pointer jumping: follow each label to its own label
        if np.array_equal(labels, before):
            return labels


def leaders(parts: np.ndarray, grouped: np.ndarray, dates: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Each document's group leader: of each part with several documents, the earliest dated, then by id.

    grouped holds the documents of the parts with several documents (ascending), dates and ids
    their dates ("" when unknown: after every dated one) and ids, in the same order. Sorted as
    arrays, with no object per document: a million articles may be grouped.
    """
    out = np.arange(len(parts), dtype=np.int64)
    if not len(grouped):
        return out
    labels = parts[grouped]
    dates, ids = np.asarray(dates, dtype=str), np.asarray(ids, dtype=str)
    order = np.lexsort((grouped, ids, dates, dates == "", labels))
    ranked = labels[order]
    first = np.concatenate(([True], ranked[1:] != ranked[:-1]))
    heads = grouped[order[first]]
    out[grouped] = heads[np.searchsorted(ranked[first], labels)]
    return out


def linked(signed: Signed) -> np.ndarray:
    """The connected part of every document (its smallest document number) over the pairs found similar.

    A band at a time: its candidate pairs whose documents are already connected are not compared
    (a pair inside a part cannot change the parts), the others are compared PAIRS_AT_ONCE at a time,
    and the similar ones join their parts. So what is held at once is a band's pairs and a label
    per document, however many pairs the bands find together (copies of one story share most
    bands, and a million articles with many copies have tens of millions of candidate pairs).
    """
    documents = np.flatnonzero(signed.usable)
    return _link(signed, lambda band: documents, np.arange(len(signed.usable), dtype=np.int64))


def _link(signed: Signed, members: Callable[[int], np.ndarray], labels: np.ndarray) -> np.ndarray:
    """Join the parts of labels over the similar candidate pairs among each band's members(band) (ascending).

    On more than one core, and with PARALLEL_MIN_DOCUMENTS or more, the bands are shared with a
    forked process (every other band each, indexer.forking): the parts of the two halves joined
    give the parts of all the bands, since a part is whatever the similar pairs of any band
    connect. The child reads the signatures through the same mapped files.
    """
    bands = range(BINS // ROWS)
    if len(labels) < PARALLEL_MIN_DOCUMENTS or not can_fork():
        return _link_bands(signed, members, labels, bands)
    theirs = Forked(_link_bands, signed, members, labels, bands[1::2])
    mine = _link_bands(signed, members, labels, bands[0::2])
    return joined(mine, theirs.result())


def joined(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The parts of two labellings together (labels as components gives them: a part's smallest document)."""
    documents = np.arange(len(first), dtype=np.int64)
    edges = np.concatenate([np.stack((documents[moved], labels[moved]), axis=1)
                            for labels in (first, second) for moved in [labels != documents]])
    return components(len(first), edges)


def _link_bands(signed: Signed, members: Callable[[int], np.ndarray], labels: np.ndarray, bands: range) -> np.ndarray:
    """_link over some of the bands, in this process."""
    for band in bands:
        pairs = band_pairs(signed, members(band), band)
        pairs = pairs[labels[pairs[:, 0]] != labels[pairs[:, 1]]]
        similar = [chunk[_similar(signed, chunk)]
                   for chunk in (pairs[at : at + PAIRS_AT_ONCE] for at in range(0, len(pairs), PAIRS_AT_ONCE))]
        edges = np.concatenate(similar) if similar else pairs[:0]
        if len(edges):
            # Each label is the smallest document of its part: joining the parts' labels joins the parts.
            labels = components(len(labels), labels[edges])[labels]
    return labels


def _similar(signed: Signed, pairs: np.ndarray) -> np.ndarray:
    """Which pairs (k × 2) are similar. Each document's signature is read once (a bucket's first
    document is in many of its pairs), from the mapped files; the pairs' signatures are then
    compared COMPARED_AT_ONCE at a time, which the processor's cache holds (a third of the time)."""
    documents, at = np.unique(pairs, return_inverse=True)
    rows = signed.rows(documents)
    at = at.reshape(pairs.shape)
    out = np.empty(len(pairs), dtype=bool)
    for lo in range(0, len(pairs), COMPARED_AT_ONCE):
        part = at[lo : lo + COMPARED_AT_ONCE]
        out[lo : lo + len(part)] = similarity(rows[part[:, 0]], rows[part[:, 1]]) >= SIMILAR
    return out


def relinked(signed: Signed, previous: np.ndarray, changed: np.ndarray, gone: Signed | None = None,
             gone_parts: np.ndarray | None = None, most: float | None = None) -> np.ndarray:
    """What linked(signed) gives, found again only for the parts a run's changes can reach.

    previous holds each document's part before the run (any integers, equal for one part; -1 for a
    document that was not usable then), changed marks the documents added or deleted by the run.
    gone holds the signatures of documents the run deleted that signed no longer has (their
    segment left the index), gone_parts their parts before. The documents usable before and still
    usable must keep their signatures and their order relative to one another (the run may put new
    documents anywhere).

    Why the result is exactly linked's: a pair is a candidate in a band through its bucket (the
    documents sharing its key), as the bucket's first document or a neighbour in document order.
    A bucket that held or holds no changed document has the same documents in the same order as
    before, so it gives the same pairs and the same similar ones. A part none of whose documents
    shares a bucket with a changed document has only such buckets: it is still connected, and
    nothing joins it from outside (a new pair would need a bucket with a changed document in it).
    Every other part is found again from scratch — over the whole buckets of its documents, every
    document in them included, so that the first and the neighbours are those linked sees.

    When the parts to find again hold more than the share most (REDO_SHARE unless given) of the
    usable documents, they are all found again (linked): finding a few parts over their whole
    buckets costs more a document.
    """
    usable = signed.usable
    count = len(usable)
    # The parts found again hold at least the usable documents near a change: past the share, stop.
    bound = (REDO_SHARE if most is None else most) * np.count_nonzero(usable)
    moved = np.flatnonzero(changed)
    near = changed.copy()
    if len(moved) or gone is not None:
        for band in range(BINS // ROWS):
            keys = signed.band(band)
            left = keys[moved] if gone is None else np.concatenate((keys[moved], gone.band(band)))
            near |= usable & within(keys, left)
            if np.count_nonzero(near & usable) > bound:
                log.info("reprints: changes reach more than %d documents by band %d: all parts found again",
                         bound, band + 1)
                return linked(signed)
    reached = previous[near & (previous >= 0)]
    if gone_parts is not None:
        reached = np.concatenate((reached, gone_parts))
    redo = usable & ((previous < 0) | within(previous, reached))
    log.info("reprints: %d of %d documents in parts a change reaches", int(redo.sum()), int(usable.sum()))
    if redo.sum() > bound:
        return linked(signed)
    # The parts left as they were: labelled by their smallest document, as linked labels them.
    labels = np.arange(count, dtype=np.int64)
    kept = np.flatnonzero(usable & ~redo)
    if len(kept):
        smallest = np.full(int(previous[kept].max()) + 1, count, dtype=np.int64)
        np.minimum.at(smallest, previous[kept], kept)
        labels[kept] = smallest[previous[kept]]
    documents = np.flatnonzero(redo)
    if not len(documents):
        return labels

    def bucketed(band: int) -> np.ndarray:
        keys = signed.band(band)
        return np.flatnonzero(usable & within(keys, keys[documents]))

    relabelled = _link(signed, bucketed, np.arange(count, dtype=np.int64))
    labels[documents] = relabelled[documents]
    return labels


def within(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """np.isin(values, wanted): each of values looked up among the few wanted, sorted once, instead
    of all of them sorted together (two to three times faster for a million values and a few thousand wanted)."""
    known = np.unique(wanted)
    if not len(known):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(known, values)
    at[at == len(known)] = 0
    return known[at] == values


def group(signed: Signed, dates: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Every document's leader (itself when it has no copy): the copies of a story grouped (see leaders).

    dates and ids are every document's ("" for an unknown date).
    """
    labels = linked(signed)
    grouped = np.flatnonzero(np.bincount(labels, minlength=len(labels))[labels] > 1)
    return leaders(labels, grouped, np.asarray(dates, dtype=str)[grouped], np.asarray(ids, dtype=str)[grouped])
