"""The gram index: every segment's character bigrams with their positions, beside Whoosh's files.

Exact recall needs every place where two word characters stand side by side. Written through
Whoosh's writer as a positional field, those bigrams were two thirds of all postings and three
quarters of build time, and matching them through Whoosh's per-document matchers cost hundreds of
milliseconds a query. So they live in a file of their own per Whoosh segment
(``<segment id>.grams``), made with array operations:

* the segment's *streams* (see indexer.analysis.stream) are laid end to end, title then text of
  each document in document order, each field followed by a separator (code point 0, which no
  stream contains), so no bigram spans two fields;
* every position p whose character is not a separator has the code ``c[p] << 21 | c[p + 1]``
  (21 bits hold any code point; a field's last character pairs with the separator, which makes
  single characters findable too);
* the positions are sorted by code, ascending within a code: ``keys`` holds the distinct codes,
  ``offsets[i]:offsets[i + 1]`` the slice of ``positions`` that have ``keys[i]``, and
  ``starts[f]`` the first position of field f (title of document d is field 2d, its text 2d + 1).

A gram file is derived data of its segment. A segment's writer makes it from the streams of its
documents, a few thousand at a time (sorting a whole segment's bigrams at once took 40 bytes a
character, over 2 GB for 50,000 articles), and merges those parts into the segment's file; merging
segments merges their files the same way (merge_grams), a range of keys at a time, read with
plain reads rather than a memory map, so that neither holds more than a bounded slice of its
inputs. Files of segments that no longer exist are removed (ensure_gram_files), and a segment
found without a file gets one from its stored title and text.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.index import Index

from indexer.analysis import stream
from indexer.arrayfile import ALIGN, ArrayFile, map_arrays
from indexer.arrayfile import write_arrays as write_file
from indexer.errors import IndexCorrupt

log = logging.getLogger(__name__)

SUFFIX = ".grams"
_MAGIC = b"XJGRAMS1"
CODE_SHIFT = 21
SEPARATOR = 0
_ARRAYS = ("keys", "offsets", "positions", "starts")


@dataclass(frozen=True, slots=True)
class GramArrays:
    """The bigram positions of one segment (see the module docstring for the layout)."""

    keys: np.ndarray  # uint64, distinct codes, ascending
    offsets: np.ndarray  # int64, len(keys) + 1
    positions: np.ndarray  # uint32 (uint64 for huge segments), grouped by code
    starts: np.ndarray  # int64, 2 * documents + 1: where each field begins, then the end

    @property
    def documents(self) -> int:
        """How many documents the segment holds (deleted ones included)."""
        return (len(self.starts) - 1) // 2

    def release(self) -> None:
        """Let go of the positions' pages this process has read: they stay in the system's page
        cache (shared by every server process), and the next query reads them from there again.
        Without it every page a query ever touched would count as the process's memory until the
        end. The keys, offsets and field starts (16 bytes a document) stay: nearly every query
        reads them, and mapping their pages again on each cost more than the query's own work."""
        mapped = getattr(self.positions.base, "obj", None)  # frombuffer's memoryview of the file's mmap
        if isinstance(mapped, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
            begin = self.positions.ctypes.data - np.frombuffer(mapped, dtype=np.uint8, count=1).ctypes.data
            first = begin - begin % mmap.PAGESIZE  # the page holding the first position (and the offsets' end)
            if self.positions.nbytes:
                mapped.madvise(mmap.MADV_DONTNEED, first, begin + self.positions.nbytes - first)

    def field_lengths(self) -> np.ndarray:
        """The stream length of every field (title of document d at 2d, its text at 2d + 1)."""
        return np.diff(self.starts) - 1


def code(first: str, second: str) -> int:
    """The key of the bigram first + second."""
    return ord(first) << CODE_SHIFT | ord(second)


def build_arrays(fields: Sequence[str]) -> GramArrays:
    """The gram arrays of a segment whose fields' streams are given in order (title, text, …)."""
    if len(fields) % 2:
        raise ValueError("fields come in (title, text) pairs")
    joined = "\0".join(fields) + "\0"
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter((len(f) + 1 for f in fields), dtype=np.int64, count=len(fields))
    starts = np.zeros(len(fields) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    at = np.flatnonzero(chars[:-1] != SEPARATOR) if len(chars) > 1 else np.zeros(0, dtype=np.int64)
    codes = chars[at].astype(np.uint64) << np.uint64(CODE_SHIFT) | chars[at + 1].astype(np.uint64)
    # A stable sort keeps the positions of each code ascending, which matching relies on.
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    positions = at[order].astype(position_type(len(chars)))
    keys, first = np.unique(codes, return_index=True)
    offsets = np.append(first, len(codes)).astype(np.int64)
    return GramArrays(keys, offsets, positions, starts)


def position_type(count: int) -> np.dtype:
    """The type of the positions of a segment of count characters: 4 bytes while they fit."""
    return np.dtype(np.uint32 if count < 2**32 else np.uint64)


def document_fields(documents: Iterable[tuple[str, str]]) -> list[str]:
    """The streams of (title, text) pairs, in the order build_arrays takes them."""
    out: list[str] = []
    for title, text in documents:
        out.append(stream(title))
        out.append(stream(text))
    return out


def write_arrays(path: Path, arrays: GramArrays) -> None:
    """Write a gram file (atomically: a half-written file never has the final name)."""
    write_file(path, _MAGIC, {name: getattr(arrays, name) for name in _ARRAYS})


def read_arrays(path: Path) -> GramArrays:
    """Map a gram file into memory (pages are read as queries touch them)."""
    arrays, _ = map_arrays(path, _MAGIC, _ARRAYS, "gram file")
    return GramArrays(**arrays)


def file_name(segment_id: str) -> str:
    """The gram file name of a Whoosh segment."""
    return segment_id + SUFFIX


class GramFile:
    """A gram file read in slices with plain reads (for merging: a memory map would keep every page read)."""

    def __init__(self, path: Path) -> None:
        self._file = ArrayFile(path, _MAGIC, "gram file")
        try:
            self.key_count = self._file.count("keys")
            self.starts = self._file.read("starts", 0, self._file.count("starts"))
        except (KeyError, TypeError) as error:
            self._file.close()
            raise IndexCorrupt(path.parent, f"gram file {path.name} is damaged: {error}") from None

    def keys(self, lo: int, hi: int) -> np.ndarray:
        """keys[lo:hi]."""
        return self._file.read("keys", lo, hi)

    def offsets(self, lo: int, hi: int) -> np.ndarray:
        """offsets[lo:hi]."""
        return self._file.read("offsets", lo, hi)

    def positions(self, lo: int, hi: int) -> np.ndarray:
        """positions[lo:hi]."""
        return self._file.read("positions", lo, hi)

    def close(self) -> None:
        """Close the file."""
        self._file.close()


_DROPPED = np.iinfo(np.int64).min
MERGE_POSITIONS = 1 << 22  # positions read per round of a merge, across its inputs (16–32 MB)
_HEAD_SPACE = 1024 - len(_MAGIC) - 4  # a streamed file's header is padded to this size


@dataclass(frozen=True, slots=True)
class _Input:
    """One input of a merge: its source, and how its positions move into the output."""

    source: GramFile
    shift: int  # added to every position when no document is dropped
    moves: np.ndarray | None  # per field: added to its positions, or _DROPPED; None: shift applies


def _plan_inputs(sources: Sequence[GramFile], keep: Sequence[np.ndarray | None]) -> tuple[list[_Input], np.ndarray]:
    """Where each input's fields land in the output, and the output's field starts."""
    inputs = []
    starts_out = [np.zeros(1, dtype=np.int64)]
    total = 0
    for source, kept in zip(sources, keep):
        starts = np.asarray(source.starts, dtype=np.int64)
        lengths = np.diff(starts)
        if kept is None:
            inputs.append(_Input(source, total, None))  # a file's fields start at position 0
            starts_out.append(total + np.cumsum(lengths))
            total += int(lengths.sum())
            continue
        field_kept = np.repeat(np.asarray(kept, dtype=bool), 2)
        new_lengths = np.where(field_kept, lengths, 0)
        new_starts = total + np.concatenate(([0], np.cumsum(new_lengths)[:-1]))
        moves = np.where(field_kept, new_starts - starts[:-1], _DROPPED)
        inputs.append(_Input(source, 0, moves))
        starts_out.append(total + np.cumsum(new_lengths[field_kept]))
        total += int(new_lengths.sum())
    return inputs, np.concatenate(starts_out)


def _moved(item: _Input, keys: np.ndarray, counts: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An input's keys, counts and positions in the output (positions of dropped documents left out)."""
    positions = positions.astype(np.int64)
    if item.moves is None:
        return keys, counts, positions + item.shift
    fields = np.searchsorted(np.asarray(item.source.starts), positions, side="right") - 1
    moves = item.moves[fields]
    kept = moves != _DROPPED
    if kept.all():
        return keys, counts, positions + moves
    owner = np.repeat(np.arange(len(keys)), counts)[kept]
    counts = np.bincount(owner, minlength=len(keys))
    present = counts > 0
    return keys[present], counts[present], (positions + moves)[kept]


def merge_grams(sources: Sequence[GramFile], keep: Sequence[np.ndarray | None], path: Path,
                chunk: int = MERGE_POSITIONS) -> None:
    """Write the gram file of the documents of sources laid end to end, keep[i] choosing source i's.

    keep[i] is a bool per document of source i (None: all of them). The output is what
    build_arrays would make of the kept documents' fields, read and written a range of keys at a
    time (at most about chunk positions in memory).
    """
    inputs, starts = _plan_inputs(sources, keep)
    positions_type = position_type(int(starts[-1]))
    tmp = path.with_name(path.name + ".tmp")
    side = path.with_name(path.name + ".keys.tmp"), path.with_name(path.name + ".offsets.tmp")
    cursors = [0] * len(inputs)
    written = 0
    try:
        with open(tmp, "wb") as out, open(side[0], "wb") as keys_out, open(side[1], "wb") as offsets_out:
            out.write(b"\0" * (len(_MAGIC) + 4 + _HEAD_SPACE))
            offsets_out.write(np.zeros(1, dtype=np.int64).tobytes())
            while True:
                live = [i for i, item in enumerate(inputs) if cursors[i] < item.source.key_count]
                if not live:
                    break
                budget = max(1, chunk // len(live))
                # Each input offers the keys whose positions fit its share of the round; the round
                # takes every key up to the smallest last key offered by an input with more to come.
                offered = {}
                cutoff = None
                for i in live:
                    source, lo = inputs[i].source, cursors[i]
                    hi = min(source.key_count, lo + budget)
                    offsets = source.offsets(lo, hi + 1)
                    # At least one key, at most the hi - lo keys read (offsets has hi - lo + 1 entries).
                    hi = lo + max(1, int(np.searchsorted(offsets, offsets[0] + budget, side="right")) - 1)
                    keys = source.keys(lo, hi)
                    offered[i] = (keys, offsets[: hi - lo + 1])
                    if hi < source.key_count and (cutoff is None or keys[-1] < cutoff):
                        cutoff = keys[-1]
                parts = []
                for i, (keys, offsets) in offered.items():
                    n = len(keys) if cutoff is None else int(np.searchsorted(keys, cutoff, side="right"))
                    if not n:
                        continue
                    lo = cursors[i]
                    positions = inputs[i].source.positions(int(offsets[0]), int(offsets[n]))
                    parts.append(_moved(inputs[i], keys[:n], np.diff(offsets[: n + 1]), positions))
                    cursors[i] = lo + n
                round_keys, round_offsets, round_positions = _merge_round(parts)
                out.write(round_positions.astype(positions_type).tobytes())
                keys_out.write(round_keys.tobytes())
                offsets_out.write((round_offsets[1:] + written).tobytes())
                written += len(round_positions)
            keys_out.flush()
            offsets_out.flush()
            header: dict[str, Any] = {"positions": {"dtype": positions_type.str, "count": written, "offset": 0}}
            offset = _aligned(written * positions_type.itemsize)
            out.write(b"\0" * (offset - written * positions_type.itemsize))
            for name, data in (("starts", starts.tobytes()), ("keys", side[0]), ("offsets", side[1])):
                if isinstance(data, Path):
                    count = data.stat().st_size // 8
                    with open(data, "rb") as part:
                        while block := part.read(1 << 22):
                            out.write(block)
                else:
                    count = len(data) // 8
                    out.write(data)
                dtype = {"starts": "<i8", "keys": "<u8", "offsets": "<i8"}[name]
                header[name] = {"dtype": dtype, "count": count, "offset": offset}
                offset += count * 8
            head = json.dumps(header).encode("utf-8")
            if len(head) > _HEAD_SPACE:
                raise ValueError("gram file header too long")
            out.seek(0)
            out.write(_MAGIC + _HEAD_SPACE.to_bytes(4, "little") + head + b" " * (_HEAD_SPACE - len(head)))
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, *side):
            leftover.unlink(missing_ok=True)


def _aligned(size: int) -> int:
    """size rounded up to a multiple of ALIGN."""
    return size + (-size % ALIGN)


def _merge_round(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The keys, offsets (from 0) and positions of one round, the inputs' positions of a key in input order."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(parts) == 1:
        keys, counts, positions = parts[0]
        return keys, np.concatenate(([0], np.cumsum(counts))), positions
    keys = np.unique(np.concatenate([p[0] for p in parts]))
    counts = np.zeros(len(keys), dtype=np.int64)
    at = [np.searchsorted(keys, p[0]) for p in parts]
    for where, (_, part_counts, _) in zip(at, parts):
        counts[where] += part_counts
    offsets = np.concatenate(([0], np.cumsum(counts)))
    out = np.empty(int(offsets[-1]), dtype=np.int64)
    filled = offsets[:-1].copy()
    # Inputs hold successive ranges of documents, so a key's positions are ascending when each
    # input's come after those of the inputs before it.
    for where, (_, part_counts, positions) in zip(at, parts):
        first = np.cumsum(part_counts) - part_counts
        out[np.repeat(filled[where] - first, part_counts) + np.arange(len(positions))] = positions
        filled[where] += part_counts
    return keys, offsets, out


class GramWriter:
    """Makes a segment's gram file from its documents' titles and texts, given one document at a time.

    Streams are turned into gram arrays every chunk_chars characters and written as part files,
    which finish() merges into the segment's file: memory is bounded by chunk_chars, not by the
    segment.
    """

    def __init__(self, path: Path, chunk_chars: int = 1 << 20) -> None:
        self.path = path
        self.chunk_chars = chunk_chars
        self._fields: list[str] = []
        self._chars = 0
        self._parts: list[Path] = []

    def add(self, title: str, text: str) -> None:
        """Add the next document."""
        title_stream, text_stream = stream(title), stream(text)
        self._fields += (title_stream, text_stream)
        self._chars += len(title_stream) + len(text_stream) + 2
        if self._chars >= self.chunk_chars:
            self._spill()

    @property
    def nbytes(self) -> int:
        """About how much memory the pending streams hold."""
        return 4 * self._chars

    def _spill(self) -> None:
        part = self.path.with_name(f"{self.path.name}.part{len(self._parts)}")
        write_arrays(part, build_arrays(self._fields))
        self._parts.append(part)
        self._fields, self._chars = [], 0

    def finish(self) -> None:
        """Write the gram file (removing the parts)."""
        try:
            if not self._parts:
                write_arrays(self.path, build_arrays(self._fields))
                return
            if self._fields:
                self._spill()
            sources = [GramFile(part) for part in self._parts]
            try:
                merge_grams(sources, [None] * len(sources), self.path)
            finally:
                for source in sources:
                    source.close()
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the part files written so far."""
        for part in self._parts:
            part.unlink(missing_ok=True)
        self._parts = []


def _write_segment_file(sub: Any, directory: Path) -> None:
    """Build and write the gram file of one segment reader from its stored title and text."""
    writer = GramWriter(directory / file_name(sub.segment().segment_id()))
    for docnum in range(sub.doc_count_all()):
        fields = sub.stored_fields(docnum)
        writer.add(fields.get("title", ""), fields.get("text", ""))
    writer.finish()


def ensure_gram_files(ix: Index, directory: Path) -> int:
    """Give every segment of ix a gram file and remove the files of vanished segments; how many were built.

    Segments are written and merged with their gram files (indexer.segments, indexer.merging); one
    found without a file (an index written otherwise) gets it from its stored title and text.
    """
    with ix.reader() as reader:
        subs = [sub for sub, _ in reader.leaf_readers() if sub.segment() is not None]
        wanted = {file_name(sub.segment().segment_id()) for sub in subs}
        missing = [sub for sub in subs if not (directory / file_name(sub.segment().segment_id())).exists()]
        for sub in missing:
            _write_segment_file(sub, directory)
    for entry in directory.iterdir():
        if entry.name.endswith(SUFFIX) and entry.name not in wanted:
            entry.unlink()
    log.info("gram files: %d built, %d segments", len(missing), len(subs))
    return len(missing)
