"""Build and update an index from a stream of articles: incremental by checksum, or a full rebuild.

Articles are read as a stream, a batch of at most LOOKUP_BATCH at a time, and never held
together. Each batch is looked up in the live generation's ledger (indexer.ledger: compact ids
and checksums, searched for the whole batch at once) — by several processes reading shares of
the stream when it can be shared (indexer.lookup) — and an article is written only if it is new
or changed, or when everything is rebuilt; writing goes to writer processes that flush fixed-size
segments, merged in the background (indexer.pipeline). So the memory of a run is set by
BuildSettings, not by the size of the archive.

Every run that changes anything writes a new generation directory and then swaps CURRENT to it
(see indexer.store). An incremental run first hard-links the live generation's files into the new
directory — segment files are never rewritten, deletions live in the new table of contents — so
the live index is never written to, and searches keep being answered from it until the swap.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files

from corpus.article import Article, Skipped, Unchanged
from indexer import store
from indexer.analysis import ANALYSIS_VERSION, analysis_signature, build_folding
from indexer.errors import IndexStateError
from indexer.forking import Forked, can_fork
from indexer.doctable import ensure_tables
from indexer.grams import ensure_gram_files
from indexer.ledger import Ledger, LedgerWriter
from indexer.lookup import LiveRecords, Looked, Shareable, look_up, readers_for, shared_lookups
from indexer.paths import resolve_index_dir
from indexer.pipeline import BuildSettings, Pipeline
from indexer.reprints import ensure_reprints
from indexer.schema import build_schema
from indexer.segments import INDEX_NAME

log = logging.getLogger(__name__)

# Called with (articles read, articles in all — None when the stream does not say).
Progress = Callable[[int, int | None], None]
PROGRESS_EVERY = 100  # articles, when their number is unknown


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one index run did: counts of articles added/updated/deleted/unchanged, and skips."""

    index_dir: str
    generation: int
    added: int
    updated: int
    deleted: int
    unchanged: int
    skipped: tuple[Skipped, ...]
    rebuilt: bool
    reason: str  # why a full build was made, or "" for an incremental run
    seconds: float

    @property
    def changed(self) -> bool:
        """Whether the run wrote a new generation."""
        return self.rebuilt or bool(self.added or self.updated or self.deleted)

    def to_json(self) -> dict[str, Any]:
        """The report as the JSON object `xjsearch index --json` prints."""
        return {
            "index": self.index_dir,
            "generation": self.generation,
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "skipped": [{"path": s.path, "reason": s.reason} | ({"line": s.line} if s.line is not None else {}) for s in self.skipped],
            "rebuilt": self.rebuilt,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
        }


def _link_tree(src: Path, dst: Path) -> None:
    """Hard-link (or copy, across devices) the Whoosh and gram files of one generation into another."""
    dst.mkdir()
    for entry in src.iterdir():
        if not entry.is_file() or entry.name in (store.META, store.LEDGER, store.CHECKSUMS) or "LOCK" in entry.name:
            continue
        try:
            os.link(entry, dst / entry.name)
        except OSError:
            shutil.copy2(entry, dst / entry.name)


def _remove_stale(index_dir: Path, keep: set[int]) -> None:
    """Delete generation directories not in keep (leftovers of killed runs, old generations)."""
    for number in store.generations(index_dir):
        if number not in keep:
            shutil.rmtree(index_dir / store.generation_name(number), ignore_errors=True)


def _live_state(index_dir: Path) -> tuple[int | None, dict[str, Any] | None, Ledger | None]:
    """The live generation number, its meta and its ledger (None where unusable)."""
    number = store.read_current(index_dir)
    if number is None:
        return None, None, None
    path = index_dir / store.generation_name(number)
    try:
        meta = store.read_json(path / store.META)
    except (OSError, ValueError):
        return number, None, None
    return number, meta, store.read_ledger(path)


def _rebuild_reason(rebuild: bool, live: int | None, meta: dict[str, Any] | None, ledger: Ledger | None,
                    signature: str) -> str:
    """Why everything must be written, or "" for an incremental run."""
    if rebuild:
        return "--rebuild"
    if live is None:
        return "no index yet"
    if meta is None:
        return "the live index was unreadable"
    if meta.get("analysis_version") != ANALYSIS_VERSION:
        return f"analysis version {meta.get('analysis_version')} → {ANALYSIS_VERSION}"
    if meta.get("signature") != signature:
        return "the user dictionary or the name rules changed"
    if ledger is None:
        return "the live index has no readable list of its articles"
    return ""


class _NewGeneration:
    """The generation a run writes, made when the first article is to be written (or one deleted)."""

    def __init__(self, index_dir: Path, live: int | None, full: bool, settings: BuildSettings) -> None:
        self.index_dir = index_dir
        self.live = live
        self.full = full
        self.settings = settings
        self.number = 0
        self.path: Path | None = None
        self._pipeline: Pipeline | None = None

    @property
    def started(self) -> bool:
        """Whether the generation directory exists."""
        return self.path is not None

    def _start(self) -> Pipeline:
        existing = store.generations(self.index_dir)
        self.number = (max(existing) if existing else 0) + 1
        self.path = self.index_dir / store.generation_name(self.number)
        if self.full:
            self.path.mkdir()
            whoosh_index.create_in(str(self.path), build_schema()).close()
        else:
            assert self.live is not None
            _link_tree(self.index_dir / store.generation_name(self.live), self.path)
            # Merges need every segment's gram file and table, which an older index may lack.
            _ensure_segment_files(self.path)
        self._toc = TOC.read(FileStorage(str(self.path)), INDEX_NAME)
        self._pipeline = Pipeline(self.path, self._toc.schema, self.settings)
        return self._pipeline

    def write(self, article: Article) -> None:
        """Write one article into the generation."""
        (self._pipeline or self._start()).add(article)

    def finish(self, deletions: Sequence[str], ledger: LedgerWriter, meta: dict[str, Any]) -> None:
        """Delete the old documents of deletions, finish writing, and make the generation whole."""
        pipeline = self._pipeline or self._start()
        assert self.path is not None
        storage = FileStorage(str(self.path))
        # The ledger and the deletions are done here while the writers finish their segments.
        pipeline.end_input()
        # Finding the documents of many deleted ids (a lookup per id and segment) goes on in a
        # second process meanwhile.
        lookup = (storage, self._toc.schema, self._toc.segments, deletions)
        found = Forked(_deleted_documents, *lookup) if len(deletions) >= FORKED_DELETIONS and can_fork() else None
        ledger.save(self.path / store.LEDGER)
        if pipeline.in_processes:
            # The new segments' reprint signatures (ensure_reprints) fold their texts here: the whole
            # folding table is built while the writers finish, not after.
            build_folding()
        existing = _delete(self._toc.segments, found.result() if found is not None else _deleted_documents(*lookup))
        kept, new = pipeline.finish(existing)
        segments = kept + new
        generation = self._toc.generation + 1
        TOC(self._toc.schema, segments, generation).write(storage, INDEX_NAME)
        clean_files(storage, INDEX_NAME, generation, segments)
        shutil.rmtree(self.path / f"{INDEX_NAME}.tmp", ignore_errors=True)
        # The generation this one was made from, whose groups are carried over and whose files it shares.
        previous = None if self.full or self.live is None else self.index_dir / store.generation_name(self.live)
        ix = whoosh_index.open_dir(str(self.path))
        try:
            ensure_gram_files(ix, self.path)
            ensure_tables(ix, self.path)
            reprint_seconds = ensure_reprints(ix, self.path, previous)
        finally:
            ix.close()
        store.write_json(self.path / store.META, {**meta, "generation": self.number,
                                                  "reprint_seconds": round(reprint_seconds, 3)})
        _sync_tree(self.path, previous)

    def abandon(self) -> None:
        """Stop writing and remove the unfinished generation."""
        if self._pipeline is not None:
            self._pipeline.close()
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)


def _sync_tree(path: Path, previous: Path | None = None) -> None:
    """Force every file of a generation to disk (once, before it goes live, rather than file by file).

    A file that is the same file as one of previous (hard-linked from the generation it was made
    from) was forced to disk before that generation went live, and is left: asking again costs
    tens of milliseconds for each large file the page cache holds.
    """
    for entry in path.iterdir():
        if entry.is_file() and not (previous is not None and _same_file(entry, previous / entry.name)):
            fd = os.open(entry, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    store.fsync_dir(path)


def _same_file(path: Path, other: Path) -> bool:
    """Whether other is the very file path is (the same inode: a hard link)."""
    try:
        return os.path.samestat(path.stat(), other.stat())
    except OSError:
        return False


def _ensure_segment_files(path: Path) -> None:
    """Give every segment of the generation at path its gram file and document table."""
    ix = whoosh_index.open_dir(str(path))
    try:
        ensure_gram_files(ix, path)
        ensure_tables(ix, path)
    finally:
        ix.close()


FORKED_DELETIONS = 1000  # deleted ids from which their documents are looked up in a second process


def _deleted_documents(storage: Any, schema: Any, segments: Sequence[Any], ids: Sequence[str]) -> list[list[int]]:
    """The document numbers of ids in each of segments."""
    found: list[list[int]] = []
    encoded = [schema["id"].to_bytes(i) for i in ids]
    for segment in segments:
        numbers: list[int] = []
        if encoded:
            reader = segment.codec().terms_reader(storage, segment)
            try:
                for term in encoded:
                    if ("id", term) in reader:
                        numbers.extend(reader.matcher("id", term, schema["id"].format).all_ids())
            finally:
                reader.close()
        found.append(numbers)
    return found


def _delete(segments: Sequence[Any], numbers: Sequence[Sequence[int]]) -> list[Any]:
    """Mark documents deleted in segments (numbers: per segment); the segments that keep a live document."""
    for segment, deleted in zip(segments, numbers):
        for docnum in deleted:
            segment.delete_document(docnum)
    return [s for s in segments if s.deleted_count() < s.doc_count_all()]


LOOKUP_BATCH = 1024  # articles looked up in the ledgers together (at most)
LOOKUP_WAIT_S = 0.5  # nor longer than this after a batch's first article was read (a slow reader's progress is told)


def _batches(articles: Iterable[Article]) -> Iterator[list[Article]]:
    """The articles in lists of at most LOOKUP_BATCH, each closed LOOKUP_WAIT_S after its first article came."""
    batch: list[Article] = []
    opened = 0.0
    for article in articles:
        if not batch:
            opened = time.monotonic()
        batch.append(article)
        if len(batch) >= LOOKUP_BATCH or time.monotonic() - opened >= LOOKUP_WAIT_S:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(slots=True)
class _Counts:
    """Articles added, and articles unchanged, so far in a run."""

    added: int = 0
    unchanged: int = 0


def _take(looked: Looked, written: LedgerWriter, ledger: Ledger | None, generation: _NewGeneration,
          reason: str, duplicates: list[Skipped], replaced: list[str], counts: _Counts) -> None:
    """Enter a batch of looked-up articles in the run's ledger, and write those to be written.

    A repeated id is skipped; an article is written when it is new, when its checksum differs from
    the live one (its id goes to replaced), or when everything is rewritten (reason). The same
    decisions as taking the articles one at a time, made with a few array operations per batch.
    """
    fresh = written.add_many(looked.ids, looked.hashes, looked.digests,
                             None if ledger is None else (looked.entries, ledger.seen), looked.records)
    entries = np.where(fresh, looked.entries, -1)
    known = np.flatnonzero(entries >= 0)
    if len(known):
        assert ledger is not None
        ledger.seen[entries[known]] = True
    new = fresh & (entries < 0)
    differs = (entries >= 0) & looked.changed
    same = (entries >= 0) & ~looked.changed
    counts.added += int(np.count_nonzero(new))
    counts.unchanged += int(np.count_nonzero(same))
    for i in np.flatnonzero(~fresh).tolist():
        duplicates.append(Skipped(looked.origins[i], f"duplicate article id {looked.ids[i]}"))
    wanted = new | differs | same if reason else new | differs
    for i in np.flatnonzero(wanted).tolist():
        if differs[i]:
            replaced.append(looked.ids[i])
        article = looked.articles[i]
        assert article is not None, "an article to be written was not kept"
        if not isinstance(article, Article):
            # (The loader passes a record over only when the live ledger holds every article read from it.)
            raise IndexStateError(
                f"article {article.id} of {article.origin} was not read again, but the index does not hold it")
        generation.write(article)


def _lookups(articles: Iterable[Article | Unchanged], ledger: Ledger | None, reason: str,
             records: bool = False) -> Generator[Looked, None, None]:
    """The run's articles looked up a batch at a time, in the order they come: read by several
    processes when the source can be shared (indexer.lookup), else here (keeping where each was
    read from, with records)."""
    readers = readers_for(articles, ledger, bool(reason))
    if readers > 1:
        assert ledger is not None and isinstance(articles, Shareable)
        log.info("articles read and looked up by %d processes", readers)
        yield from shared_lookups(articles, ledger, readers)
    else:
        for batch in _batches(articles):
            yield look_up(batch, ledger, records=records)


def update_index(
    articles: Iterable[Article | Unchanged],
    index_dir: Path | str | None = None,
    *,
    skipped: Sequence[Skipped] = (),
    rebuild: bool = False,
    progress: Progress | None = None,
    corpus_label: str = "",
    workers: int | None = None,
    settings: BuildSettings | None = None,
    known: LiveRecords | None = None,
) -> IndexReport:
    """Bring the index in line with articles (read once, as a stream): incremental by checksum, or a full rebuild.

    skipped is read once the articles are (a loader may add to it as it reads). workers is the number of writer processes (None: settings.workers, by default one per core
    for large runs); settings bound the memory of the run (indexer.pipeline.BuildSettings).
    known is what the source (corpus.loader) asks what the live index read from a record: given,
    the run tells it (unless everything is written again), and keeps where each article was read
    from in the new generation's ledger.
    """
    started = time.perf_counter()
    index_dir = resolve_index_dir(index_dir)
    settings = settings or BuildSettings()
    if workers is not None:
        settings = replace(settings, workers=workers)
    total = len(articles) if isinstance(articles, Sized) else None
    step = max(1, total // 100) if total else PROGRESS_EVERY
    signature = analysis_signature()
    with store.reindex_lock(index_dir):
        live, meta, ledger = _live_state(index_dir)
        # Leftovers of killed runs are newer than the live generation and never became live.
        _remove_stale(index_dir, {n for n in store.generations(index_dir) if live is not None and n <= live})
        reason = _rebuild_reason(rebuild, live, meta, ledger, signature)
        if known is not None:
            known.ledger = None if reason else ledger
        generation = _NewGeneration(index_dir, live, bool(reason), settings)
        written = LedgerWriter()
        duplicates: list[Skipped] = []
        counts = _Counts()
        replaced: list[str] = []  # ids whose article changed: their old documents are deleted
        done = 0
        lookups = _lookups(articles, ledger, reason, records=known is not None)
        try:
            for batch in lookups:
                _take(batch, written, ledger, generation, reason, duplicates, replaced, counts)
                if progress is not None:
                    # Told after each step of articles, as if they were taken one at a time.
                    for told in range(done + step - done % step, done + len(batch) + 1, step):
                        progress(told, total)
                done += len(batch)
            if progress is not None and done % step:
                progress(done, total)
            added, unchanged = counts.added, counts.unchanged
            # The diff is reported relative to the live index even when everything is rewritten.
            deleted = list(ledger.unseen()) if ledger is not None else []
            all_skipped = tuple(skipped) + tuple(duplicates)
            if not reason and not generation.started and not deleted:
                assert live is not None
                return IndexReport(str(index_dir), live, 0, 0, 0, unchanged, all_skipped, False, "",
                                   time.perf_counter() - started)
            generation.finish([] if reason else replaced + deleted, written, {
                "analysis_version": ANALYSIS_VERSION,
                "signature": signature,
                "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "build_seconds": round(time.perf_counter() - started, 3),
                "articles": len(written),
                "corpus": corpus_label,
            })
        except BaseException:
            generation.abandon()
            raise
        finally:
            lookups.close()  # stops the reading processes, should the run end before the stream
        store.write_current(index_dir, generation.number)
        # Keep the previous generation: a searcher that opened it just before the swap may
        # still be reading its files.
        _remove_stale(index_dir, {generation.number} | ({live} if live is not None else set()))
        log.info("index generation %d written to %s", generation.number, generation.path)
        return IndexReport(
            str(index_dir), generation.number, added, len(replaced), len(deleted), unchanged,
            all_skipped, bool(reason), reason, time.perf_counter() - started,
        )


def index_corpus(
    corpus_path: Path | str | None = None,
    index_dir: Path | str | None = None,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IndexReport:
    """Read a corpus (the bundled one by default) as a stream and update the index from it."""
    from corpus.loader import iter_corpus

    # Filled as the stream is read; update_index reports it once the stream is done.
    skipped: list[Skipped] = []
    index_dir = resolve_index_dir(index_dir)
    # A record the live index read before, the same, is not read again (corpus.loader).
    known = LiveRecords()
    return update_index(
        # An index kept inside the corpus folder is not read as part of it while it is written.
        iter_corpus(Path(corpus_path) if corpus_path else None, skipped, leave_out=index_dir, known=known),
        index_dir,
        skipped=skipped,
        rebuild=rebuild,
        progress=progress,
        corpus_label=str(corpus_path) if corpus_path else "bundled",
        known=known,
    )


def bundled_build_reason(index_dir: Path) -> str | None:
    """Why the bundled corpus must be indexed into index_dir before serving, or None.

    An index is built when there is none, and rebuilt when it was built from the bundled corpus by
    an older analysis (an upgrade). An older index of another corpus is left for its owner to
    rebuild from that corpus: the server then says so.
    """
    live = store.read_current(index_dir)
    if live is None:
        return f"no index at {index_dir} yet"
    try:
        meta = store.read_json(index_dir / store.generation_name(live) / store.META)
    except (OSError, ValueError):
        return None  # the server says what is wrong with it
    if meta.get("corpus") == "bundled" and meta.get("analysis_version") != ANALYSIS_VERSION:
        return f"the index at {index_dir} was built by an older xjsearch (analysis version {meta.get('analysis_version')})"
    return None


def ensure_index(index_dir: Path | str | None = None, progress: Progress | None = None) -> IndexReport | None:
    """Build the index from the bundled corpus if bundled_build_reason says so; else None."""
    index_dir = resolve_index_dir(index_dir)
    if bundled_build_reason(index_dir) is None:
        return None
    try:
        return index_corpus(None, index_dir, progress=progress)
    except IndexStateError:
        # Another process is building it right now; its swap will make the index appear.
        if store.read_current(index_dir) is None:
            raise
        return None
