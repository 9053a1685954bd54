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

A gram file is derived data of its segment: after every commit, each segment that has none gets
one, built from the segment's stored title and text (so merged segments get theirs too), and the
files of segments that no longer exist are removed.
"""

from __future__ import annotations

import json
import logging
import mmap
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.index import Index

from indexer.analysis import stream
from indexer.errors import IndexCorrupt

log = logging.getLogger(__name__)

SUFFIX = ".grams"
_MAGIC = b"XJGRAMS1"
_ALIGN = 8
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
    position_type = np.uint32 if len(chars) < 2**32 else np.uint64
    positions = at[order].astype(position_type)
    keys, first = np.unique(codes, return_index=True)
    offsets = np.append(first, len(codes)).astype(np.int64)
    return GramArrays(keys, offsets, positions, starts)


def document_fields(documents: Iterable[tuple[str, str]]) -> list[str]:
    """The streams of (title, text) pairs, in the order build_arrays takes them."""
    out: list[str] = []
    for title, text in documents:
        out.append(stream(title))
        out.append(stream(text))
    return out


def write_arrays(path: Path, arrays: GramArrays) -> None:
    """Write a gram file (atomically: a half-written file never has the final name)."""
    header: dict[str, Any] = {}
    offset = 0
    blobs = []
    for name in _ARRAYS:
        array = np.ascontiguousarray(getattr(arrays, name))
        header[name] = {"dtype": array.dtype.str, "count": int(array.size), "offset": offset}
        blob = array.tobytes()
        blobs.append(blob + b"\0" * (-len(blob) % _ALIGN))
        offset += len(blobs[-1])
    head = json.dumps(header).encode("utf-8")
    prefix_length = len(_MAGIC) + 4 + len(head)
    pad = -prefix_length % _ALIGN
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(_MAGIC + (len(head) + pad).to_bytes(4, "little") + head + b" " * pad)
        for blob in blobs:
            fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_arrays(path: Path) -> GramArrays:
    """Map a gram file into memory (pages are read as queries touch them)."""
    try:
        with open(path, "rb") as fh:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as error:
        raise IndexCorrupt(path.parent, f"gram file {path.name}: {error}") from None
    try:
        if mapped[: len(_MAGIC)] != _MAGIC:
            raise ValueError("not a gram file")
        head_length = int.from_bytes(mapped[len(_MAGIC) : len(_MAGIC) + 4], "little")
        base = len(_MAGIC) + 4 + head_length
        header = json.loads(mapped[len(_MAGIC) + 4 : base])
        arrays = {
            name: np.frombuffer(mapped, dtype=np.dtype(spec["dtype"]), count=spec["count"],
                                offset=base + spec["offset"])
            for name, spec in ((n, header[n]) for n in _ARRAYS)
        }
    except (ValueError, KeyError, TypeError) as error:
        raise IndexCorrupt(path.parent, f"gram file {path.name} is damaged: {error}") from None
    return GramArrays(**arrays)


def file_name(segment_id: str) -> str:
    """The gram file name of a Whoosh segment."""
    return segment_id + SUFFIX


def _write_segment_file(sub: Any, directory: Path) -> None:
    """Build and write the gram file of one segment reader from its stored title and text."""
    documents = (sub.stored_fields(d) for d in range(sub.doc_count_all()))
    fields = document_fields((f.get("title", ""), f.get("text", "")) for f in documents)
    write_arrays(directory / file_name(sub.segment().segment_id()), build_arrays(fields))


def _build_in_process(directory: str, segment_id: str) -> None:
    """Build one segment's gram file in a worker process (which opens the index itself)."""
    ix = whoosh_index.open_dir(directory)
    try:
        with ix.reader() as reader:
            for sub, _ in reader.leaf_readers():
                if sub.segment() is not None and sub.segment().segment_id() == segment_id:
                    _write_segment_file(sub, Path(directory))
    finally:
        ix.close()


def ensure_gram_files(ix: Index, directory: Path, workers: int = 1) -> int:
    """Give every segment of ix a gram file and remove the files of vanished segments; how many were built.

    With workers > 1, segments are built in that many processes at once.
    """
    with ix.reader() as reader:
        subs = [sub for sub, _ in reader.leaf_readers() if sub.segment() is not None]
        wanted = {file_name(sub.segment().segment_id()) for sub in subs}
        missing = [sub for sub in subs if not (directory / file_name(sub.segment().segment_id())).exists()]
        if workers > 1 and len(missing) > 1:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(min(workers, len(missing)), mp_context=context) as pool:
                jobs = [pool.submit(_build_in_process, str(directory), sub.segment().segment_id())
                        for sub in missing]
                for job in jobs:
                    job.result()
        else:
            for sub in missing:
                _write_segment_file(sub, directory)
    for entry in directory.iterdir():
        if entry.name.endswith(SUFFIX) and entry.name not in wanted:
            entry.unlink()
    log.info("gram files: %d built, %d segments", len(missing), len(subs))
    return len(missing)
