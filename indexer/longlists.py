"""Long posting lists as plain arrays beside Whoosh's (``<segment id>.lists``).

Whoosh 3 stores a posting list as blocks of pickled, compressed tuples; reading a common word's
list at a million articles (a few hundred thousand postings) took 50–180 ms of unpickling and
decompressing, on every first search of the word. A segment's writer (indexer.postings, through
BulkFieldWriter) therefore also writes every list of at least MIN_POSTINGS postings here, as it
hands it to Whoosh: the documents as 4-byte numbers, the frequencies as 1-byte numbers where every
one of the list fits (else 4-byte), so reading one is a plain read and no decoding. Shorter lists
stay with Whoosh alone, where they are one block.

The file is written as a stream (a merge's lists are never all in memory): an 8-byte magic, the
lists one after another (each 4-byte aligned), then the directory — the lists' keys (field name,
a 0x1F byte, the term's UTF-8 bytes), sorted, with each list's offset, length and frequency width —
as a JSON header and arrays, and last the directory's offset and the magic again. A segment
without the file (an index written before it existed, or a write interrupted) is read through
Whoosh, which holds every list anyway; Whoosh's clean-up removes the file with its segment.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from indexer.errors import IndexCorrupt

SUFFIX = ".lists"
_MAGIC = b"XJLISTS1"
_TAIL = 8 + len(_MAGIC)  # the directory's offset, then the magic
MIN_POSTINGS = 1024  # a block of Whoosh's (indexer.segments.BLOCK_POSTINGS): shorter lists are read there
_SEPARATOR = b"\x1f"
_NARROW = np.dtype(np.uint8)
_WIDE = np.dtype("<u4")
_DOCS = np.dtype("<u4")


def file_name(segment_id: str) -> str:
    """The long lists file name of a Whoosh segment."""
    return segment_id + SUFFIX


def key(field: str, btext: bytes) -> bytes:
    """A list's key in the directory."""
    return field.encode("utf-8") + _SEPARATOR + btext


class ListWriter:
    """Writes a segment's long lists as they come (any order of fields and terms)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp = path.with_name(path.name + ".tmp")
        self._file = open(self._tmp, "wb")
        self._file.write(_MAGIC)
        self._offset = len(_MAGIC)
        self._keys: list[bytes] = []
        self._table: list[tuple[int, int, int]] = []  # offset, postings, frequency width

    def add(self, field: str, btext: bytes, docs: np.ndarray, freqs: np.ndarray) -> None:
        """Write one list (documents ascending, their frequencies) if it is long enough to keep here."""
        if len(docs) < MIN_POSTINGS:
            return
        width = _NARROW if int(freqs.max()) <= np.iinfo(_NARROW).max else _WIDE
        data = docs.astype(_DOCS, copy=False).tobytes() + freqs.astype(width, copy=False).tobytes()
        data += b"\0" * (-len(data) % _DOCS.itemsize)
        self._keys.append(key(field, btext))
        self._table.append((self._offset, len(docs), width.itemsize))
        self._file.write(data)
        self._offset += len(data)

    def close(self) -> None:
        """Write the directory and give the file its name (atomically)."""
        order = sorted(range(len(self._keys)), key=self._keys.__getitem__)
        keys = np.array([self._keys[i] for i in order], dtype=f"S{max(map(len, self._keys), default=1)}")
        table = np.array([self._table[i] for i in order], dtype=np.int64).reshape(-1, 3)
        blobs = {"keys": keys.tobytes(), "table": table.astype("<i8").tobytes()}
        header = {"keys": keys.dtype.str, "count": len(keys)}
        head = json.dumps(header).encode("utf-8")
        directory = self._offset
        self._file.write(len(head).to_bytes(4, "little") + head + blobs["keys"] + blobs["table"])
        self._file.write(directory.to_bytes(8, "little") + _MAGIC)
        self._file.close()
        os.replace(self._tmp, self.path)


class ListFile:
    """A segment's long lists, read with plain reads (thread-safe: pread only). The file closes when
    the object is let go of: a generation being replaced may still be read by searches under way."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "rb")
        self._fd = self._file.fileno()
        try:
            size = os.fstat(self._fd).st_size
            tail = os.pread(self._fd, _TAIL, size - _TAIL)
            if size < len(_MAGIC) + _TAIL or tail[8:] != _MAGIC or os.pread(self._fd, len(_MAGIC), 0) != _MAGIC:
                raise ValueError("not a long lists file")
            directory = int.from_bytes(tail[:8], "little")
            rest = os.pread(self._fd, size - _TAIL - directory, directory)
            head_length = int.from_bytes(rest[:4], "little")
            header = json.loads(rest[4 : 4 + head_length])
            count = int(header["count"])
            keys_dtype = np.dtype(header["keys"])
            keys_end = 4 + head_length + count * keys_dtype.itemsize
            self.keys = np.frombuffer(rest, dtype=keys_dtype, count=count, offset=4 + head_length)
            self.table = np.frombuffer(rest, dtype="<i8", count=3 * count, offset=keys_end).reshape(count, 3)
        except (OSError, ValueError, KeyError, TypeError) as error:
            self._file.close()
            raise IndexCorrupt(path.parent, f"long lists file {path.name} is damaged: {error}") from None

    def __len__(self) -> int:
        return len(self.keys)

    def read(self, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """(documents, frequencies) of a term in a field, or None when its list is not kept here."""
        wanted = key(field, btext)
        if len(wanted) > self.keys.dtype.itemsize or not len(self.keys):
            return None
        at = int(np.searchsorted(self.keys, wanted))
        if at == len(self.keys) or self.keys[at] != wanted:
            return None
        offset, count, width = (int(v) for v in self.table[at])
        size = count * (_DOCS.itemsize + width)
        data = os.pread(self._fd, size, offset)
        if len(data) != size:
            raise IndexCorrupt(self.path.parent, f"long lists file {self.path.name} is truncated")
        docs = np.frombuffer(data, dtype=_DOCS, count=count)
        freqs = np.frombuffer(data, dtype=_NARROW if width == 1 else _WIDE, count=count, offset=count * _DOCS.itemsize)
        return docs, freqs

    def close(self) -> None:
        """Close the file."""
        self._file.close()


def open_lists(path: Path) -> ListFile | None:
    """The long lists file at path, or None when there is none (the segment is read through Whoosh)."""
    return ListFile(path) if path.exists() else None
