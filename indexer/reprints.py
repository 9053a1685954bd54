"""Reprints: near-duplicate articles found at indexing time and grouped, the earliest dated copy first.

The same story reappears across papers with a new headline, trimmed or reordered paragraphs and
small edits. Each article's text (its folded stream, indexer.analysis.stream; the headline is left
out) is cut into overlapping SHINGLE-character shingles, and summarised by a MinHash signature made
with one permutation (one-permutation hashing with rotation densification, Li, Owen and Zhang 2012;
Shrivastava 2017): every shingle is hashed once, falls into one of BINS bins by its hash, and each
bin keeps its smallest value. Two texts agree in a bin with probability about the Jaccard similarity
of their shingle sets, so the share of equal bins estimates it. One hash per shingle keeps this a
few whole-array NumPy operations per batch of documents (the README compares it with datasketch).

Candidates are found by banding (locality-sensitive hashing): documents whose ROWS bins of one band
all agree land in one bucket of that band; each document of a bucket is compared with the bucket's
first document and with its neighbour in it (unless the two are already joined), and a pair whose
signatures agree in at least SIMILAR of their bins is joined. Groups are the connected parts of
those pairs; the earliest dated copy leads its group (undated copies last, then by id).

Like the gram files, signatures are derived data of each Whoosh segment (``<segment id>.minhash``,
one row of BINS uint16 per document, built from the stored text a batch at a time); the groups are
derived data of each generation (``reprints.npz``: every document's leader, and the segments they
were computed for), recomputed from the signatures after every commit, so an added reprint joins
its group and a deleted leader hands over to the next copy. Memory is one band of keys and a few
integers per document, never the articles.
"""

from __future__ import annotations

import logging
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, EmptyIndexError, Index

from indexer.analysis import stream
from indexer.segments import INDEX_NAME

log = logging.getLogger(__name__)

SHINGLE = 3  # characters a shingle holds
BINS = 128  # signature length
ROWS = 4  # bins a band holds; BINS // ROWS bands
SIMILAR = 0.3  # share of equal bins above which two texts are copies of one story
MIN_CHARS = 80  # word characters a text needs to be compared at all: shorter ones are never grouped
EMPTY = 0xFFFF  # the value of a bin no shingle fell into (and of every bin of a text too short)
BATCH = 512  # documents whose signatures are made at once
PAIRS_AT_ONCE = 65_536  # candidate pairs whose signatures are compared at once
SUFFIX = ".minhash"
COPIES_SUFFIX = ".copies.npz"
GROUPS = "reprints.npz"
# The share of documents whose parts a run may find again one by one; past it every part is found
# again at once. The bands of a corpus of similar prose have buckets of hundreds of documents, so a
# change of 1% can reach most of the parts: then finding them all is cheaper.
REDO_SHARE = 0.25
# How groups are made: a generation's groups are carried into the next only when made the same way.
METHOD = f"shingle {SHINGLE}, bins {BINS}, rows {ROWS}, similar {SIMILAR}, min chars {MIN_CHARS}, bucket first and neighbour"

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


# -- per segment -----------------------------------------------------------------------------------


def file_name(segment_id: str) -> str:
    """The signature file name of a Whoosh segment."""
    return segment_id + SUFFIX


COPY_FIELDS = ("id", "title", "source", "date", "date_precision")  # what a copy is listed by


def _copies_name(segment_id: str) -> str:
    """The file of a segment's COPY_FIELDS, one value per document."""
    return segment_id + COPIES_SUFFIX


def _write_segment_files(sub: Any, directory: Path) -> None:
    """Write one segment's signatures and its documents' COPY_FIELDS, read from its stored fields a batch at a time."""
    count = sub.doc_count_all()
    segment_id = sub.segment().segment_id()
    path = directory / file_name(segment_id)
    tmp = path.with_name(path.name + ".tmp")
    rows = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.uint16, shape=(count, BINS))
    listed: dict[str, list[str]] = {name: [] for name in COPY_FIELDS}
    for first in range(0, count, BATCH):
        last = min(count, first + BATCH)
        texts = []
        for document in range(first, last):
            fields = sub.stored_fields(document)
            texts.append(stream(fields.get("text", "")))
            for name in COPY_FIELDS:
                value = fields.get(name, "")
                listed[name].append(str(value[0] if isinstance(value, (list, tuple)) and value else value or ""))
        rows[first:last] = signatures(texts)
    rows.flush()
    del rows
    copies = directory / _copies_name(segment_id)
    copies_tmp = copies.with_name(copies.name + ".tmp.npz")
    np.savez(copies_tmp, **{name: np.array(values, dtype=str) for name, values in listed.items()})
    copies_tmp.replace(copies)
    tmp.replace(path)


def _read_signatures(directory: Path, segment_id: str) -> np.ndarray:
    """A segment's signatures, mapped from its file."""
    return np.load(directory / file_name(segment_id), mmap_mode="r")


def live_mask(reader: Any) -> np.ndarray:
    """A bool per document number of an index reader: not deleted (read from each segment's deletions)."""
    alive = np.ones(reader.doc_count_all(), dtype=bool)
    for sub, base in reader.leaf_readers():
        segment = sub.segment()
        if segment is None:
            alive[base : base + sub.doc_count_all()] = False
            alive[np.fromiter(sub.all_doc_ids(), dtype=np.int64) + base] = True
        elif segment.has_deletions():
            alive[np.fromiter(segment.deleted_docs(), dtype=np.int64) + base] = False
    return alive


# -- grouping --------------------------------------------------------------------------------------


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
        """One band's key per document: its ROWS bins side by side."""
        keys = []
        for _, rows in self.parts:
            columns = np.asarray(rows[:, band * ROWS : (band + 1) * ROWS], dtype=np.uint64)
            key = np.zeros(len(columns), dtype=np.uint64)
            for column in range(ROWS):
                key = key << np.uint64(16) | columns[:, column]
            keys.append(key)
        return np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)


def band_pairs(signed: Signed, documents: np.ndarray, band: int) -> np.ndarray:
    """The pairs of documents (k × 2) sharing one band's key: in a bucket, each with its first and its neighbour."""
    keys = signed.band(band)[documents]
    order = np.argsort(keys, kind="stable")
    keys, members = keys[order], documents[order]
    same = np.flatnonzero(keys[1:] == keys[:-1]) + 1
    if not len(same):
        return np.zeros((0, 2), dtype=np.int64)
    run_start = np.concatenate(([0], np.flatnonzero(keys[1:] != keys[:-1]) + 1))
    first = run_start[np.searchsorted(run_start, same, side="right") - 1]
    return np.concatenate((np.stack((members[same - 1], members[same]), axis=1),
                           np.stack((members[first], members[same]), axis=1)))


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
    """Join the parts of labels over the similar candidate pairs among each band's members(band) (ascending)."""
    for band in range(BINS // ROWS):
        pairs = band_pairs(signed, members(band), band)
        pairs = pairs[labels[pairs[:, 0]] != labels[pairs[:, 1]]]
        similar = [chunk[similarity(signed.rows(chunk[:, 0]), signed.rows(chunk[:, 1])) >= SIMILAR]
                   for chunk in (pairs[at : at + PAIRS_AT_ONCE] for at in range(0, len(pairs), PAIRS_AT_ONCE))]
        edges = np.concatenate(similar) if similar else pairs[:0]
        if len(edges):
            # Each label is the smallest document of its part: joining the parts' labels joins the parts.
            labels = components(len(labels), labels[edges])[labels]
    return labels


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
    moved = np.flatnonzero(changed)
    near = changed.copy()
    if len(moved) or gone is not None:
        for band in range(BINS // ROWS):
            keys = signed.band(band)
            left = keys[moved] if gone is None else np.concatenate((keys[moved], gone.band(band)))
            near |= usable & np.isin(keys, left)
    reached = previous[near & (previous >= 0)]
    if gone_parts is not None:
        reached = np.concatenate((reached, gone_parts))
    redo = usable & ((previous < 0) | np.isin(previous, np.unique(reached)))
    log.info("reprints: %d of %d documents in parts a change reaches", int(redo.sum()), int(usable.sum()))
    if redo.sum() > (REDO_SHARE if most is None else most) * usable.sum():
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
        return np.flatnonzero(usable & np.isin(keys, keys[documents]))

    relabelled = _link(signed, bucketed, np.arange(count, dtype=np.int64))
    labels[documents] = relabelled[documents]
    return labels


def group(signed: Signed, dates: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Every document's leader (itself when it has no copy): the copies of a story grouped (see leaders).

    dates and ids are every document's ("" for an unknown date).
    """
    labels = linked(signed)
    grouped = np.flatnonzero(np.bincount(labels, minlength=len(labels))[labels] > 1)
    return leaders(labels, grouped, np.asarray(dates, dtype=str)[grouped], np.asarray(ids, dtype=str)[grouped])


# -- the index -------------------------------------------------------------------------------------


def _gather(directory: Path, parts: Sequence[tuple[int, str, int]], documents: np.ndarray) -> dict[str, np.ndarray]:
    """The COPY_FIELDS of documents (ascending), read one segment's file at a time; parts are (base, id, count)."""
    out: dict[str, list[np.ndarray]] = {name: [] for name in COPY_FIELDS}
    for base, segment_id, count in parts:
        lo, hi = np.searchsorted(documents, [base, base + count])
        if lo == hi:
            continue
        with np.load(directory / _copies_name(segment_id)) as data:
            for name in COPY_FIELDS:
                out[name].append(data[name][documents[lo:hi] - base])
    return {name: np.concatenate(values) if values else np.zeros(0, dtype=str) for name, values in out.items()}


def ensure_reprints(ix: Index, directory: Path, previous: Path | None = None) -> float:
    """Give every segment of ix its signatures, drop those of vanished segments, and group the copies.

    Writes the generation's groups (GROUPS): every document's leader, and what each grouped document
    is listed by (COPY_FIELDS), so that a search lists copies without reading their stored fields.
    previous is the generation ix was made from, if any: when its groups can be carried over
    (prior_parts), only the parts the run's changes reach are found again (relinked), which gives
    the same groups as grouping every document. Returns the seconds it took.
    """
    started = time.perf_counter()
    with ix.reader() as reader:
        subs = [(sub, base) for sub, base in reader.leaf_readers() if sub.segment() is not None]
        for sub, _ in subs:
            segment_id = sub.segment().segment_id()
            if not (directory / file_name(segment_id)).exists() or not (directory / _copies_name(segment_id)).exists():
                _write_segment_files(sub, directory)
        ids = [sub.segment().segment_id() for sub, _ in subs]
        parts = tuple((base, _read_signatures(directory, segment_id)) for (_, base), segment_id in zip(subs, ids))
        usable = live_mask(reader)
        for base, rows in parts:
            usable[base : base + len(rows)] &= np.asarray(rows[:, 0]) != EMPTY
        documents = reader.doc_count_all()
    signed = Signed(parts, usable)
    prior = prior_parts(previous, ids, signed) if previous is not None and parts else None
    if prior is not None:
        labels = relinked(signed, *prior)
    else:
        labels = linked(signed) if parts else np.zeros(0, dtype=np.int64)
    grouped = np.flatnonzero(np.bincount(labels, minlength=len(labels))[labels] > 1)
    listed = _gather(directory, [(base, segment_id, len(rows)) for (base, rows), segment_id in zip(parts, ids)],
                     grouped)
    leader = leaders(labels, grouped, listed["date"], listed["id"])
    write_groups(directory, leader, ids, documents, grouped, listed)
    wanted = {file_name(segment_id) for segment_id in ids} | {_copies_name(segment_id) for segment_id in ids}
    for entry in directory.iterdir():
        if entry.name.endswith((SUFFIX, COPIES_SUFFIX)) and entry.name not in wanted:
            entry.unlink()
    seconds = time.perf_counter() - started
    log.info("reprints: %d documents in groups (%s), %.2f s", len(grouped),
             "from the previous generation's" if prior is not None else "all found", seconds)
    return seconds


def prior_parts(previous: Path, segment_ids: Sequence[str], signed: Signed) -> tuple[Any, ...] | None:
    """What relinked needs to know of the generation previous, which the one of signed was made from
    (each document's part there, -1 where it was not usable; which documents the run added or
    deleted; the signatures and parts of the usable documents of previous's segments that left) —
    or None when its groups cannot be carried over.

    They can when previous's groups were made by this way of grouping (METHOD) and the segments of
    previous still there are in the same order: then the documents they keep have the same
    signatures and the same order. A segment that left (every document deleted, or merged into a
    new one) counts as its documents deleted, and a new segment's documents as added.
    """
    try:
        old = TOC.read(FileStorage(str(previous)), INDEX_NAME).segments
        with np.load(previous / GROUPS) as data:
            if "method" not in data or str(data["method"][0]) != METHOD:
                return None
    except (OSError, ValueError, KeyError, EmptyIndexError):
        return None
    old_ids = [segment.segment_id() for segment in old]
    written = read_groups(previous, old_ids, sum(segment.doc_count_all() for segment in old))
    if written is None:
        return None
    where = {segment_id: i for i, segment_id in enumerate(segment_ids)}
    positions = [where[i] for i in old_ids if i in where]
    if positions != sorted(positions):
        return None
    count = len(signed.usable)
    part = np.full(count, -1, dtype=np.int64)
    changed = signed.usable.copy()  # documents of new segments: added when usable
    gone_rows: list[np.ndarray] = []
    gone_parts: list[np.ndarray] = []
    old_base = 0
    for segment in old:
        size = segment.doc_count_all()
        at = where.get(segment.segment_id())
        try:
            rows = signed.parts[at][1] if at is not None else _read_signatures(previous, segment.segment_id())
        except (OSError, ValueError):
            return None
        if len(rows) != size:
            return None
        was = np.asarray(rows[:, 0]) != EMPTY
        if segment.has_deletions():
            was[np.fromiter(segment.deleted_docs(), dtype=np.int64)] = False
        parts = written.leader[old_base : old_base + size]
        if at is None:
            gone_rows.append(np.asarray(rows[was]))
            gone_parts.append(parts[was])
        else:
            base = signed.parts[at][0]
            part[base : base + size] = np.where(was, parts, -1)
            changed[base : base + size] = was & ~signed.usable[base : base + size]
        old_base += size
    if not gone_rows:
        return part, changed
    rows = np.concatenate(gone_rows)
    return part, changed, Signed(((0, rows),), np.ones(len(rows), dtype=bool)), np.concatenate(gone_parts)


@dataclass(frozen=True, slots=True)
class Written:
    """A generation's reprint groups as written: each document's leader, and how each grouped one is listed."""

    leader: np.ndarray  # per document number
    members: np.ndarray  # the grouped documents, ascending
    listed: dict[str, np.ndarray]  # COPY_FIELDS of each member, aligned with members


def write_groups(directory: Path, leader: np.ndarray, segment_ids: Iterable[str], documents: int,
                 members: np.ndarray, listed: dict[str, np.ndarray]) -> None:
    """Write a generation's groups (atomically: a half-written file never has the final name)."""
    path = directory / GROUPS
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, leader=leader.astype(np.int64), segments=np.array(list(segment_ids), dtype=str),
             method=np.array([METHOD]),
             documents=np.array([documents], dtype=np.int64), members=members.astype(np.int64),
             **{f"listed_{name}": values for name, values in listed.items()})
    tmp.replace(path)


def read_groups(directory: Path, segment_ids: Sequence[str], documents: int) -> Written | None:
    """A generation's groups, or None when there are none for exactly these segments."""
    try:
        with np.load(directory / GROUPS) as data:
            if list(data["segments"]) != list(segment_ids) or int(data["documents"][0]) != documents:
                log.warning("reprint groups of %s are not of its segments: reindex to group reprints", directory)
                return None
            leader, members = np.asarray(data["leader"]), np.asarray(data["members"])
        # The listings (a title, id, source and date per grouped article: hundreds of megabytes at a
        # million) are mapped, not read: a page of hits reads the few it lists.
        return Written(leader, members, {name: _mapped(directory / GROUPS, f"listed_{name}") for name in COPY_FIELDS})
    except (OSError, ValueError, KeyError):
        return None


def _mapped(path: Path, name: str) -> np.ndarray:
    """An array of an .npz file (as np.savez writes them: stored, not compressed) mapped from the file;
    read whole when its member is compressed."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name + ".npy")
        if info.compress_type != zipfile.ZIP_STORED:
            with archive.open(info) as member:
                return np.lib.format.read_array(member)
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        local = fh.read(30)  # a zip local file header: its name and extra field lengths at 26 and 28
        fh.seek(info.header_offset + 30 + int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little"))
        version = np.lib.format.read_magic(fh)
        shape, fortran, dtype = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                                 else np.lib.format.read_array_header_2_0)(fh)
        offset = fh.tell()
    if not shape or 0 in shape:
        return np.zeros(shape, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape, order="F" if fortran else "C")
