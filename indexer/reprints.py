"""Reprints: near-duplicate articles found at indexing time and grouped, the earliest dated copy first.

The same story reappears across papers with a new headline, trimmed or reordered paragraphs and
small edits. Each article's text is summarised by a MinHash signature (indexer.minhash), and the
signatures are grouped into stories by banding (indexer.grouping). This module keeps both in the
index: like the gram files, signatures are derived data of each Whoosh segment (``<segment
id>.minhash``, one row of BINS uint16 per document, built from the stored text a batch at a time);
the groups are derived data of each generation (``reprints.npz``: every document's leader, and the
segments they were computed for), made again from the signatures after every commit, so an added
reprint joins its group and a deleted leader hands over to the next copy. An incremental run
carries the groups of the generation it started from over and finds again only the parts its
changes reach (relinked: the same groups as grouping every document, which it falls back to when a
change reaches many). Memory is one band of keys and a few integers per document, never the articles.
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
from indexer.grouping import ROWS, SIMILAR, Signed, leaders, linked, relinked
from indexer.minhash import BINS, EMPTY, MIN_CHARS, SHINGLE, signatures
from indexer.segments import INDEX_NAME

log = logging.getLogger(__name__)

BATCH = 512  # documents whose signatures are made at once
SUFFIX = ".minhash"
COPIES_SUFFIX = ".copies.npz"
GROUPS = "reprints.npz"
# How groups are made: a generation's groups are carried into the next only when made the same way.
METHOD = f"shingle {SHINGLE}, bins {BINS}, rows {ROWS}, similar {SIMILAR}, min chars {MIN_CHARS}, bucket first and neighbour"

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


# -- the index -------------------------------------------------------------------------------------


def _gather(directory: Path, parts: Sequence[tuple[int, str, int]], documents: np.ndarray,
            names: Sequence[str] = COPY_FIELDS) -> dict[str, np.ndarray]:
    """Some COPY_FIELDS (names) of documents (ascending), read one segment's file at a time; parts are (base, id, count)."""
    out: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for base, segment_id, count in parts:
        lo, hi = np.searchsorted(documents, [base, base + count])
        if lo == hi:
            continue
        for name in names:
            out[name].append(np.asarray(_mapped(directory / _copies_name(segment_id), name)[documents[lo:hi] - base]))
    return {name: np.concatenate(values) if values else np.zeros(0, dtype=str) for name, values in out.items()}


def ensure_reprints(ix: Index, directory: Path, previous: Path | None = None) -> float:
    """Give every segment of ix its signatures, drop those of vanished segments, and group the copies.

    Writes the generation's groups (GROUPS): every document's leader and the grouped documents; each
    segment's file of COPY_FIELDS lets a search list copies without reading their stored fields.
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
                     grouped, ("date", "id"))
    leader = leaders(labels, grouped, listed["date"], listed["id"])
    write_groups(directory, leader, ids, documents, grouped)
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
    listing: Callable[[int], dict[str, str]]  # a document's COPY_FIELDS


class Listings:
    """Each document's COPY_FIELDS, read from its segment's file (mapped when first asked: a search
    lists a few copies of hundreds of thousands)."""

    def __init__(self, files: Sequence[Path], sizes: Sequence[int]) -> None:
        self._files = tuple(files)
        self._bases = np.cumsum([0, *sizes])[:-1]
        self._fields: dict[int, dict[str, np.ndarray]] = {}

    def __call__(self, docnum: int) -> dict[str, str]:
        part = int(np.searchsorted(self._bases, docnum, side="right")) - 1
        fields = self._fields.get(part)
        if fields is None:  # two threads may both map it: the same arrays either way
            fields = self._fields[part] = {name: _mapped(self._files[part], name) for name in COPY_FIELDS}
        return {name: str(values[docnum - self._bases[part]]) for name, values in fields.items()}


def write_groups(directory: Path, leader: np.ndarray, segment_ids: Iterable[str], documents: int,
                 members: np.ndarray) -> None:
    """Write a generation's groups (atomically: a half-written file never has the final name).

    How the grouped documents are listed is not repeated here: each segment's file of COPY_FIELDS,
    written once with the segment, holds it (a generation that changes 1% of a million articles
    would otherwise write the listings of every grouped one again).
    """
    path = directory / GROUPS
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, leader=leader.astype(np.int64), segments=np.array(list(segment_ids), dtype=str),
             method=np.array([METHOD]),
             documents=np.array([documents], dtype=np.int64), members=members.astype(np.int64))
    tmp.replace(path)


def read_groups(directory: Path, segment_ids: Sequence[str], documents: int) -> Written | None:
    """A generation's groups, or None when there are none for exactly these segments."""
    try:
        with np.load(directory / GROUPS) as data:
            if list(data["segments"]) != list(segment_ids) or int(data["documents"][0]) != documents:
                log.warning("reprint groups of %s are not of its segments: reindex to group reprints", directory)
                return None
            leader, members = np.asarray(data["leader"]), np.asarray(data["members"])
        files = [directory / _copies_name(segment_id) for segment_id in segment_ids]
        sizes = [len(_mapped(path, "id")) for path in files]
        if sum(sizes) != documents:
            log.warning("copy listings of %s are not of its segments: reindex to group reprints", directory)
            return None
        return Written(leader, members, Listings(files, sizes))
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
