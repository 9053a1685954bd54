"""Files of named NumPy arrays beside Whoosh's segment files (gram files, document tables).

Layout: an 8-byte magic, a 4-byte little-endian header length, a JSON header giving each array's
dtype, count and offset (from the end of the header, 8-byte aligned) and, optionally, a "meta"
object; then the arrays. Readers map the file (map_arrays: pages are read as they are touched)
or read slices of it with plain reads (ArrayFile: for merging, which would otherwise keep every
page it read).
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from indexer.errors import IndexCorrupt

ALIGN = 8


def write_arrays(path: Path, magic: bytes, arrays: Mapping[str, np.ndarray], meta: Any = None) -> None:
    """Write arrays (and meta) to path atomically: a half-written file never has the final name.

    Not forced to disk here: a generation's files are, all at once, before it goes live
    (indexer.build).
    """
    header: dict[str, Any] = {}
    offset = 0
    blobs = []
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        header[name] = {"dtype": array.dtype.str, "count": int(array.size), "offset": offset}
        blob = array.tobytes()
        blobs.append(blob + b"\0" * (-len(blob) % ALIGN))
        offset += len(blobs[-1])
    if meta is not None:
        header["meta"] = meta
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    pad = -(len(magic) + 4 + len(head)) % ALIGN
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(magic + (len(head) + pad).to_bytes(4, "little") + head + b" " * pad)
        for blob in blobs:
            fh.write(blob)
    os.replace(tmp, path)


def map_arrays(path: Path, magic: bytes, names: tuple[str, ...], kind: str) -> tuple[dict[str, np.ndarray], Any]:
    """Map the named arrays of a file, and its meta (IndexCorrupt naming kind if it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as error:
        raise IndexCorrupt(path.parent, f"{kind} {path.name}: {error}") from None
    try:
        if mapped[: len(magic)] != magic:
            raise ValueError(f"not a {kind}")
        head_length = int.from_bytes(mapped[len(magic) : len(magic) + 4], "little")
        base = len(magic) + 4 + head_length
        header = json.loads(mapped[len(magic) + 4 : base])
        arrays = {
            name: np.frombuffer(mapped, dtype=np.dtype(spec["dtype"]), count=spec["count"],
                                offset=base + spec["offset"])
            for name, spec in ((n, header[n]) for n in names)
        }
    except (ValueError, KeyError, TypeError) as error:
        raise IndexCorrupt(path.parent, f"{kind} {path.name} is damaged: {error}") from None
    return arrays, header.get("meta")


class ArrayFile:
    """A file of arrays read in slices with plain reads."""

    def __init__(self, path: Path, magic: bytes, kind: str) -> None:
        self.path = path
        self.kind = kind
        self._fd = os.open(path, os.O_RDONLY)
        try:
            head = os.pread(self._fd, len(magic) + 4, 0)
            if head[: len(magic)] != magic:
                raise ValueError(f"not a {kind}")
            head_length = int.from_bytes(head[len(magic) :], "little")
            self._base = len(magic) + 4 + head_length
            self.header = json.loads(os.pread(self._fd, head_length, len(magic) + 4))
        except (OSError, ValueError, KeyError, TypeError) as error:
            os.close(self._fd)
            raise IndexCorrupt(path.parent, f"{kind} {path.name} is damaged: {error}") from None

    def count(self, name: str) -> int:
        """How many items the named array holds."""
        return int(self.header[name]["count"])

    def read(self, name: str, lo: int, hi: int) -> np.ndarray:
        """The named array's items lo:hi."""
        spec = self.header[name]
        dtype = np.dtype(spec["dtype"])
        data = os.pread(self._fd, (hi - lo) * dtype.itemsize, self._base + spec["offset"] + lo * dtype.itemsize)
        if len(data) != (hi - lo) * dtype.itemsize:
            raise IndexCorrupt(self.path.parent, f"{self.kind} {self.path.name} is truncated")
        return np.frombuffer(data, dtype=dtype)

    def close(self) -> None:
        """Close the file."""
        os.close(self._fd)
