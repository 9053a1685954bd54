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
run finds ids by binary search. A run asks about its articles a batch at a time (add_many,
find_many): the hashes are looked up together as arrays, and only the ids whose hash was found are
compared one by one, so the cost of an article is a few array elements, not a dozen Python calls.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from corpus.article import split_record

SUM_BYTES = 16
_MIN_SLOTS = 1 << 10


def id_hash(article_id: str) -> int:
    """A 64-bit hash of an article id."""
    return int.from_bytes(hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "little")


RECORD_BYTES = 16  # a raw record's key (corpus.readers.source.Source.record_key), as bytes


def record_parts(record: str) -> tuple[bytes, int, int]:
    """An Article.record (corpus.article.record_part) as (key bytes, part, parts); zeros for none."""
    if not record:
        return bytes(RECORD_BYTES), 0, 0
    key, part, parts = split_record(record)
    return bytes.fromhex(key), part, parts


def checksum_digest(checksum: str) -> bytes:
    """The stored part of an Article.checksum (hexadecimal SHA-1): its first SUM_BYTES bytes."""
    return bytes.fromhex(checksum[: 2 * SUM_BYTES])


class LedgerWriter:
    """The entries of the generation a run writes, in the order they come; refuses a repeated id.

    Ids are found again through an open-addressing hash table of entry numbers (4 bytes a slot,
    at most half full), so a run remembers no Python object per article. An id the live
    generation's ledger holds is found again by its entry there instead (add_many), so that the
    table of a run that updates a large index holds only the ids that are new to it.
    """

    def __init__(self) -> None:
        self._hashes = array("Q")
        self._sums = bytearray()
        self._ids = bytearray()
        self._ends = array("Q")
        self._tabled = array("q")  # the entries in the hash table
        self._slots = np.zeros(_MIN_SLOTS, dtype=np.uint32)  # entry number + 1; 0 is empty
        # Where each entry was read from, when its source keys its records (add_many's records).
        self._records = bytearray()
        self._parts = array("H")  # part, parts per entry

    def __len__(self) -> int:
        return len(self._hashes)

    def _id(self, entry: int) -> bytes:
        """The UTF-8 id of an entry."""
        start = self._ends[entry - 1] if entry else 0
        return bytes(self._ids[start : self._ends[entry]])

    def add(self, article_id: str, digest: bytes) -> bool:
        """Enter an article (its id and checksum_digest); False, and nothing entered, if the id is already in."""
        return bool(self.add_many([article_id], np.array([id_hash(article_id)], dtype=np.uint64), digest)[0])

    def add_many(self, ids: Sequence[str], hashes: np.ndarray, digests: bytes,
                 live: tuple[np.ndarray, np.ndarray] | None = None, records: Sequence[str] | None = None) -> np.ndarray:
        """Enter articles in their order (ids, their id_hash values, their checksum_digests joined).

        Returns a bool per article: entered, or False for an id already in (earlier in the run or
        earlier in these ids) — exactly as adding them one at a time would.

        live, when given, is each id's entry in the live generation's ledger (-1 where it holds
        none) and that ledger's seen marks, in which the caller marks the entries of every id
        entered: an id the live ledger holds is then already in exactly when its entry is marked
        or comes earlier in these ids, and is not put in the hash table (no other id can equal it).

        records, when given, is each article's Article.record: the ledger keeps where each entry
        was read from (Ledger.known), from the first entry on that any record was given for.
        """
        hashes = np.asarray(hashes, dtype=np.uint64)
        fresh = np.ones(len(ids), dtype=bool)
        if live is None:
            tabled = np.arange(len(ids), dtype=np.int64)
        else:
            entries, seen = np.asarray(live[0], dtype=np.int64), live[1]
            held = np.flatnonzero(entries >= 0)
            if len(held):
                first = np.zeros(len(held), dtype=bool)
                first[np.unique(entries[held], return_index=True)[1]] = True
                fresh[held] = first & ~seen[entries[held]]
            tabled = np.flatnonzero(entries < 0)
        tabled_hashes = hashes[tabled]
        # Ids of the table entered before: their hashes are found in it, then the ids themselves compared.
        positions, entries_found = self._matches(tabled_hashes)
        for i, entry in zip(tabled[positions].tolist(), entries_found.tolist()):
            if fresh[i] and self._id(entry) == ids[i].encode("utf-8"):
                fresh[i] = False
        # Ids repeated among these: only the first of each is entered.
        order = np.argsort(tabled_hashes, kind="stable")
        ranked = tabled_hashes[order]
        repeated = np.flatnonzero(ranked[1:] == ranked[:-1])
        if len(repeated):
            shared = tabled[np.unique(np.concatenate((order[repeated], order[repeated + 1])))]
            first_seen: set[str] = set()
            for i in shared.tolist():  # ascending: the order the articles came in
                if fresh[i]:
                    if ids[i] in first_seen:
                        fresh[i] = False
                    else:
                        first_seen.add(ids[i])
        chosen = np.flatnonzero(fresh)
        if not len(chosen):
            return fresh
        start = len(self._hashes)
        encoded = [ids[i].encode("utf-8") for i in chosen.tolist()]
        self._hashes.frombytes(hashes[chosen].tobytes())
        sums = np.frombuffer(digests, dtype=np.uint8).reshape(-1, SUM_BYTES)
        self._sums += sums[chosen].tobytes()
        lengths = np.fromiter((len(e) for e in encoded), dtype=np.uint64, count=len(encoded))
        self._ends.frombytes((np.cumsum(lengths, dtype=np.uint64) + np.uint64(len(self._ids))).tobytes())
        self._ids += b"".join(encoded)
        if records is not None or self._parts:
            self._add_records(start, [records[i] if records is not None else "" for i in chosen.tolist()])
        # The entries chosen among the tabled ids go into the table.
        placed = start + np.flatnonzero(np.isin(chosen, tabled, assume_unique=True))
        if not len(placed):
            return fresh
        self._tabled.frombytes(placed.astype(np.int64).tobytes())
        if 2 * len(self._tabled) > len(self._slots):
            capacity = len(self._slots)
            while 2 * len(self._tabled) > capacity:
                capacity *= 2
            tabled_entries = np.frombuffer(self._tabled, dtype=np.int64)
            self._slots = np.zeros(capacity, dtype=np.uint32)
            _place(self._slots, np.frombuffer(self._hashes, dtype=np.uint64)[tabled_entries], tabled_entries)
        else:
            _place(self._slots, np.frombuffer(self._hashes, dtype=np.uint64)[placed], placed)
        return fresh

    def _add_records(self, start: int, records: Sequence[str]) -> None:
        """Enter where the entries from start on were read from (the ones before: nowhere known)."""
        missing = start - len(self._parts) // 2
        self._records += bytes(RECORD_BYTES * missing)
        self._parts.extend([0] * (2 * missing))
        for record in records:
            key, part, parts = record_parts(record)
            self._records += key
            self._parts.extend((part, parts))

    def _matches(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions in keys, entries) of every entry whose hash equals a key (probing the table for all keys at once)."""
        slots, mask = self._slots, len(self._slots) - 1
        stored = np.frombuffer(self._hashes, dtype=np.uint64) if len(self._hashes) else np.zeros(0, dtype=np.uint64)
        pending = np.arange(len(keys), dtype=np.int64)
        at = (keys & np.uint64(mask)).astype(np.int64)
        found_at: list[np.ndarray] = []
        found_entries: list[np.ndarray] = []
        while len(pending):
            entry = slots[at].astype(np.int64) - 1
            occupied = entry >= 0  # an empty slot ends a key's probe
            pending, at, entry = pending[occupied], at[occupied], entry[occupied]
            hit = stored[entry] == keys[pending]
            found_at.append(pending[hit])
            found_entries.append(entry[hit])
            at = (at + 1) & mask
        del stored  # the array of hashes may grow again only once no view of it is left
        if not found_at:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        positions, entries = np.concatenate(found_at), np.concatenate(found_entries)
        order = np.argsort(positions, kind="stable")
        return positions[order], entries[order]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(hashes, checksum digests, id ends, id bytes), sorted by hash: what Ledger is made of."""
        hashes = np.frombuffer(self._hashes, dtype=np.uint64)
        order = np.argsort(hashes, kind="stable")
        ends = np.frombuffer(self._ends, dtype=np.uint64).astype(np.int64)
        starts = np.concatenate(([0], ends))[:-1].astype(np.int64)
        lengths = (ends - starts)[order]
        new_ends = np.cumsum(lengths, dtype=np.int64)
        # The ids' bytes in hash order, gathered at once: byte k of the output is byte k - (where its
        # id starts in the output) + (where it starts in the input).
        shift = np.repeat(starts[order] - (new_ends - lengths), lengths)
        ids = np.frombuffer(self._ids, dtype=np.uint8)[np.arange(len(shift), dtype=np.int64) + shift]
        sums = np.frombuffer(bytes(self._sums), dtype=np.uint8).reshape(-1, SUM_BYTES)[order]
        return hashes[order], sums, new_ends, ids

    def record_arrays(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(record keys, (part, parts)) per entry in arrays()' order, or None when no record was given."""
        if not self._parts:
            return None
        self._add_records(len(self), [])  # the entries since the last record given: nowhere known
        order = np.argsort(np.frombuffer(self._hashes, dtype=np.uint64), kind="stable")
        records = np.frombuffer(bytes(self._records), dtype=np.uint8).reshape(-1, RECORD_BYTES)[order]
        parts = np.frombuffer(self._parts, dtype=np.uint16).reshape(-1, 2)[order]
        return records, parts

    def save(self, path: Path) -> None:
        """Write the ledger sorted by hash (atomically: a half-written file never has the final name).

        Not forced to disk here: the generation's files are, together, before it goes live (indexer.build).
        """
        hashes, sums, ends, ids = self.arrays()
        kept = self.record_arrays()
        records = {} if kept is None else {"records": kept[0], "parts": kept[1]}
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, hashes=hashes, sums=sums, ends=ends, ids=ids, **records)
        os.replace(tmp, path)


def _place(slots: np.ndarray, hashes: np.ndarray, entries: np.ndarray) -> None:
    """Put entries (with these hashes) into a table with room for them, all at once.

    Each free slot goes to the first entry wanting it; the others probe the next slot. Every slot
    an entry passed was taken when it passed (slots are never emptied), so a lookup that probes
    from the entry's own slot to the first empty one meets it, as with entries placed one by one.
    """
    mask = len(slots) - 1
    pending = entries
    wanted = (hashes & np.uint64(mask)).astype(np.int64)
    while len(pending):
        free = slots[wanted] == 0
        taken, first = np.unique(wanted[free], return_index=True)
        slots[taken] = pending[free][first] + 1
        placed = np.zeros(len(pending), dtype=bool)
        placed[np.flatnonzero(free)[first]] = True
        pending, wanted = pending[~placed], (wanted[~placed] + 1) & mask


class Ledger:
    """The ledger of a live generation, read whole (hashes sorted), with which entries a run has seen."""

    def __init__(self, hashes: np.ndarray, sums: np.ndarray, ends: np.ndarray, ids: np.ndarray,
                 records: np.ndarray | None = None, parts: np.ndarray | None = None) -> None:
        self._hashes = hashes
        self._sums = sums
        self._ends = ends
        self._ids = ids.tobytes()
        self.seen = np.zeros(len(hashes), dtype=bool)
        self._records = records  # where each entry was read from (records × RECORD_BYTES), if known
        self._parts = parts  # (part, parts) per entry
        self._by_record: tuple[np.ndarray, np.ndarray] | None = None  # entries sorted by record, their keys

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """Read a ledger file (OSError or ValueError if it is missing or damaged)."""
        with np.load(path, allow_pickle=False) as data:
            kept = (data["records"], data["parts"]) if "records" in data and "parts" in data else (None, None)
            ledger = cls(data["hashes"], data["sums"], data["ends"], data["ids"], *kept)
        if not len(ledger._hashes) == len(ledger._sums) == len(ledger._ends):
            raise ValueError(f"{path.name}: arrays of different lengths")
        if kept[0] is not None and not len(kept[0]) == len(kept[1]) == len(ledger._hashes):
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
        entry = int(self.find_many([article_id], np.array([id_hash(article_id)], dtype=np.uint64))[0])
        return None if entry < 0 else entry

    def find_many(self, ids: Sequence[str], hashes: np.ndarray) -> np.ndarray:
        """The entry of each id (given with its id_hash), or -1 where the generation does not hold it.

        The hashes are found by one binary search of them all; an entry whose hash matches is then
        confirmed by its id (and the entries after it with the same hash tried, should two ids share it).
        """
        hashes = np.asarray(hashes, dtype=np.uint64)
        entries = np.full(len(ids), -1, dtype=np.int64)
        count = len(self._hashes)
        if not count or not len(ids):
            return entries
        # Sorted keys are searched much faster (each search starts where the last one ended).
        order = np.argsort(hashes)
        at = np.empty(len(hashes), dtype=np.int64)
        at[order] = np.searchsorted(self._hashes, hashes[order])
        candidates = np.flatnonzero(self._hashes[np.minimum(at, count - 1)] == hashes)
        found = at[candidates]
        starts = np.where(found > 0, self._ends[np.maximum(found - 1, 0)], 0)
        ids_blob = self._ids
        for i, entry, start, end in zip(candidates.tolist(), found.tolist(), starts.tolist(),
                                        self._ends[found].tolist()):
            encoded = ids[i].encode("utf-8")
            if ids_blob[start:end] == encoded:
                entries[i] = entry
                continue
            key = hashes[i]
            entry += 1
            while entry < count and self._hashes[entry] == key:  # another id with the same hash
                if self._id(entry) == encoded:
                    entries[i] = entry
                    break
                entry += 1
        return entries

    def checksums(self, entries: np.ndarray) -> np.ndarray:
        """The stored checksum digests of entries (len(entries) × SUM_BYTES)."""
        return self._sums[entries]

    def checksum(self, entry: int) -> bytes:
        """The stored checksum digest of an entry."""
        return self._sums[entry].tobytes()

    def known(self, record: str) -> tuple[tuple[str, str], ...] | None:
        """The (id, stored checksum in hexadecimal) of every article read from a record (its key), in
        the order they were read — or None unless all of them are entries here."""
        if self._records is None or self._parts is None:
            return None
        if self._by_record is None:
            keys = np.ascontiguousarray(self._records).view(np.dtype((np.void, RECORD_BYTES))).ravel()
            order = np.argsort(keys, kind="stable")
            self._by_record = order, keys[order]
        order, keys = self._by_record
        wanted = np.frombuffer(bytes.fromhex(record), dtype=np.dtype((np.void, RECORD_BYTES)))[0]
        lo, hi = np.searchsorted(keys, wanted, "left"), np.searchsorted(keys, wanted, "right")
        entries = order[lo:hi]
        parts = self._parts[entries]
        count = len(entries)
        if not count or not (parts[:, 1] == count).all():
            return None
        entries = entries[np.argsort(parts[:, 0])]
        if not (np.sort(parts[:, 0]) == np.arange(1, count + 1)).all():
            return None
        return tuple((self._id(entry).decode("utf-8"), self._sums[entry].tobytes().hex()) for entry in entries.tolist())

    def unseen(self) -> Iterator[str]:
        """The ids of the entries not marked in seen, in hash order."""
        for entry in np.flatnonzero(~self.seen).tolist():
            yield self._id(entry).decode("utf-8")
