"""What an index run reads: its articles, a batch at a time, looked up in the live generation's ledger.

Looking an article up — its id's hash, its checksum, its entry in the ledger — needs nothing from
the other articles, and for a large corpus it is most of an incremental run, which writes only
the few articles that are new or changed. A source that can be read in shares (Shareable) is
therefore read by several forked processes at once: each looks up the chunks of its share and
sends back the lookups, with only the articles that may be written. The run takes them in the
chunks' order (chunk j is share j % count's), so it decides exactly what one process reading
the whole stream decides.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from corpus.article import Article, Unchanged
from indexer.forking import ForkedStream, can_fork, cores
from indexer.ledger import SUM_BYTES, Ledger, checksum_digest, id_hash

SHARED_MIN_ARTICLES = 20_000  # a live index of fewer is read in the run's own process
MAX_READERS = 4  # processes reading shares, at most (one per core below that)


@runtime_checkable
class Shareable(Protocol):
    """A stream of articles that can also be read as count shares by as many processes.

    share(index, count) gives the chunks of one share, in order, where the source's chunks (lists
    of articles, in the stream's order) are dealt out in turn: chunk j belongs to share j % count.
    Read together, chunk by chunk, the shares give the stream.
    """

    def __iter__(self) -> Iterator[Article]: ...

    def share(self, index: int, count: int) -> Iterator[list[Article]]: ...


@dataclass(frozen=True, slots=True)
class Looked:
    """A batch of articles looked up in the live ledger, in the order they came."""

    ids: list[str]
    origins: list[str]
    hashes: np.ndarray  # id_hash of each id (uint64)
    digests: bytes  # each article's checksum_digest, joined
    entries: np.ndarray  # each id's entry in the live ledger, -1 where it has none (int64)
    changed: np.ndarray  # bool: in the live ledger with another checksum
    articles: Sequence[Article | Unchanged | None]  # None for one in the ledger unchanged and not kept
    records: list[str] | None = None  # each article's Article.record, where the run keeps them

    def __len__(self) -> int:
        return len(self.ids)


class LiveRecords:
    """What the live index read from each keyed record: the loader's known records
    (corpus.readers.source.KnownRecords), answered from the live ledger once a run sets it, which
    it does unless it writes everything again."""

    def __init__(self) -> None:
        self.ledger: Ledger | None = None

    def __call__(self, record: str) -> tuple[tuple[str, str], ...] | None:
        return None if self.ledger is None else self.ledger.known(record)


def look_up(batch: Sequence[Article | Unchanged], ledger: Ledger | None, keep_all: bool = True,
            records: bool = False) -> Looked:
    """A batch looked up in ledger (None: no live index); keep_all keeps every article, not only
    the new and changed ones (what a run writes when everything is written); records keeps where
    each was read from."""
    ids = [article.id for article in batch]
    hashes = np.fromiter((id_hash(i) for i in ids), dtype=np.uint64, count=len(ids))
    digests = b"".join(checksum_digest(article.checksum) for article in batch)
    entries = np.full(len(batch), -1, dtype=np.int64)
    changed = np.zeros(len(batch), dtype=bool)
    if ledger is not None and len(batch):
        entries = ledger.find_many(ids, hashes)
        known = np.flatnonzero(entries >= 0)
        sums = np.frombuffer(digests, dtype=np.uint8).reshape(-1, SUM_BYTES)[known]
        changed[known] = (ledger.checksums(entries[known]) != sums).any(axis=1)
    if keep_all:
        articles: Sequence[Article | None] = batch
    else:
        wanted = (entries < 0) | changed
        articles = [article if keep else None for article, keep in zip(batch, wanted.tolist())]
    return Looked(ids, [article.origin for article in batch], hashes, digests, entries, changed, articles,
                  [article.record for article in batch] if records else None)


def readers_for(source: object, ledger: Ledger | None, everything: bool) -> int:
    """How many processes should read source: several when it is Shareable, only new and changed
    articles are wanted (not everything), the live index is large and there are cores; else 1."""
    if everything or ledger is None or len(ledger) < SHARED_MIN_ARTICLES or not isinstance(source, Shareable):
        return 1
    if not can_fork():
        return 1
    return max(1, min(cores(), MAX_READERS))


def shared_lookups(source: Shareable, ledger: Ledger, count: int) -> Iterator[Looked]:
    """The lookups of source's chunks, in order, made by count forked processes reading a share each.

    Only the new and changed articles come back with them. Each process is ahead of the reading by
    at most a chunk and a pipe's buffer. Closing the iterator stops the processes.
    """
    streams = [ForkedStream(_share_lookups, source, ledger, index, count) for index in range(count)]
    try:
        shares = [iter(stream) for stream in streams]
        while True:
            for share in shares:
                looked = next(share, None)
                if looked is None:
                    # The chunks are dealt in turn: the first share to end ends them all.
                    if any(next(other, None) is not None for other in shares):
                        raise ValueError(f"{type(source).__name__}: its shares do not deal its chunks in turn")
                    return
                yield looked
    finally:
        for stream in streams:
            stream.close()


def _share_lookups(source: Shareable, ledger: Ledger, index: int, count: int) -> Iterator[Looked]:
    """A reading process's part: the lookups of one share's chunks."""
    for chunk in source.share(index, count):
        yield look_up(chunk, ledger, keep_all=False)
