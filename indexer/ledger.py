"""The ledger of a generation: each article's id and checksum, kept compact for incremental runs.

An index run reads its articles as a stream and must decide for each one, as it arrives, whether
the id came earlier in the run (a duplicate), and whether the live index holds it and with which
checksum (unchanged, updated or added); the ids the live index holds and the run never read are
deleted at the end. A dict of ids to hexadecimal checksums cost about 250 bytes an article, 250 MB
at a million; the ledger keeps, in flat arrays, a 64-bit hash of each id, the first 16 bytes of its
checksum and the id's UTF-8 bytes — about 50 bytes an article while a run writes it, 45 when read.
A hash is only a shortcut: an entry found by its hash is confirmed by comparing the ids
themselves, so two ids sharing a hash are never taken for one another.

On disk (``ledger.npz`` in a generation directory) the entries are sorted by hash, and the next
run finds an id by binary search.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Iterator
from pathlib import Path

import numpy as np

SUM_BYTES = 16
_MIN_SLOTS = 1 << 10


def id_hash(article_id: str) -> int:
    """A 64-bit hash of an article id."""
    return int.from_bytes(hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "little")


def checksum_digest(checksum: str) -> bytes:
    """The stored part of an Article.checksum (hexadecimal SHA-1): its first SUM_BYTES bytes."""
    return bytes.fromhex(checksum)[:SUM_BYTES]


class LedgerWriter:
    """The entries of the generation a run writes, in the order they come; refuses a repeated id.

    Ids are found again through an open-addressing hash table of entry numbers (4 bytes a slot,
    at most half full), so a run remembers no Python object per article.
    """

    def __init__(self) -> None:
        self._hashes = array("Q")
        self._sums = bytearray()
        self._ids = bytearray()
        self._ends = array("Q")
        self._slots = np.zeros(_MIN_SLOTS, dtype=np.uint32)  # entry number + 1; 0 is empty

    def __len__(self) -> int:
        return len(self._hashes)

    def _id(self, entry: int) -> bytes:
        """The UTF-8 id of an entry."""
        start = self._ends[entry - 1] if entry else 0
        return bytes(self._ids[start : self._ends[entry]])

    def add(self, article_id: str, digest: bytes) -> bool:
        """Enter an article (its id and checksum_digest); False, and nothing entered, if the id is already in."""
        encoded = article_id.encode("utf-8")
        key = id_hash(article_id)
        slots, mask = self._slots, len(self._slots) - 1
        at = key & mask
        while slots[at]:
            entry = int(slots[at]) - 1
            if self._hashes[entry] == key and self._id(entry) == encoded:
                return False
            at = (at + 1) & mask
        entry = len(self._hashes)
        slots[at] = entry + 1
        self._hashes.append(key)
        self._sums += digest
        self._ids += encoded
        self._ends.append(len(self._ids))
        if 2 * len(self._hashes) > len(slots):
            self._slots = _table(np.frombuffer(self._hashes, dtype=np.uint64), 2 * len(slots))
        return True

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(hashes, checksum digests, id ends, id bytes), sorted by hash: what Ledger is made of."""
        hashes = np.frombuffer(self._hashes, dtype=np.uint64)
        order = np.argsort(hashes, kind="stable")
        ends = np.frombuffer(self._ends, dtype=np.uint64).astype(np.int64)
        starts = np.concatenate(([0], ends))[:-1].astype(np.int64)
        blob = bytes(self._ids)
        ids = b"".join(blob[s:e] for s, e in zip(starts[order].tolist(), ends[order].tolist()))
        lengths = (ends - starts)[order]
        sums = np.frombuffer(bytes(self._sums), dtype=np.uint8).reshape(-1, SUM_BYTES)[order]
        return hashes[order], sums, np.cumsum(lengths, dtype=np.int64), np.frombuffer(ids, dtype=np.uint8)

    def save(self, path: Path) -> None:
        """Write the ledger sorted by hash (atomically: a half-written file never has the final name; the
        generation's files are forced to disk together, indexer.build)."""
        hashes, sums, ends, ids = self.arrays()
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, hashes=hashes, sums=sums, ends=ends, ids=ids)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)


def _table(hashes: np.ndarray, capacity: int) -> np.ndarray:
    """An open-addressing table (linear probing) of the entries with these hashes."""
    slots = np.zeros(capacity, dtype=np.uint32)
    mask = np.uint64(capacity - 1)
    pending = np.arange(len(hashes), dtype=np.int64)
    wanted = (hashes & mask).astype(np.int64)
    while len(pending):
        # Each free slot goes to the first entry wanting it; the others probe the next slot.
        free = slots[wanted] == 0
        taken, first = np.unique(wanted[free], return_index=True)
        winners = pending[free][first]
        slots[taken] = winners + 1
        placed = np.zeros(len(pending), dtype=bool)
        placed[np.flatnonzero(free)[first]] = True
        pending, wanted = pending[~placed], (wanted[~placed] + 1) % capacity
    return slots


class Ledger:
    """The ledger of a live generation, read whole (hashes sorted), with which entries a run has seen."""

    def __init__(self, hashes: np.ndarray, sums: np.ndarray, ends: np.ndarray, ids: np.ndarray) -> None:
        self._hashes = hashes
        self._sums = sums
        self._ends = ends
        self._ids = ids.tobytes()
        self.seen = np.zeros(len(hashes), dtype=bool)

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """Read a ledger file (OSError or ValueError if it is missing or damaged)."""
        with np.load(path, allow_pickle=False) as data:
            ledger = cls(data["hashes"], data["sums"], data["ends"], data["ids"])
        if not len(ledger._hashes) == len(ledger._sums) == len(ledger._ends):
            raise ValueError(f"{path.name}: arrays of different lengths")
        return ledger

    @classmethod
    def from_checksums(cls, checksums: dict[str, str]) -> Ledger:
        """The ledger of a generation that kept its checksums as JSON (id → hexadecimal checksum)."""
        writer = LedgerWriter()
        for article_id, checksum in checksums.items():
            writer.add(str(article_id), checksum_digest(checksum))
        return cls(*writer.arrays())

    def __len__(self) -> int:
        return len(self._hashes)

    def _id(self, entry: int) -> bytes:
        start = int(self._ends[entry - 1]) if entry else 0
        return self._ids[start : int(self._ends[entry])]

    def find(self, article_id: str) -> int | None:
        """The entry of an id, or None if the generation does not hold it."""
        key = np.uint64(id_hash(article_id))
        entry = int(np.searchsorted(self._hashes, key))
        encoded = article_id.encode("utf-8")
        while entry < len(self._hashes) and self._hashes[entry] == key:
            if self._id(entry) == encoded:
                return entry
            entry += 1
        return None

    def checksum(self, entry: int) -> bytes:
        """The stored checksum digest of an entry."""
        return self._sums[entry].tobytes()

    def unseen(self) -> Iterator[str]:
        """The ids of the entries not marked in seen, in hash order."""
        for entry in np.flatnonzero(~self.seen).tolist():
            yield self._id(entry).decode("utf-8")
