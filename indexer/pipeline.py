"""The writing side of an index run: writer processes fed batches of articles, and a merging process.

Articles come one at a time (update_index reads them as a stream). A run with fewer than BATCH
articles to write writes them in this process. Past that, one writer process is forked and takes
batches from a bounded queue, so that writing goes on while the rest is read (an update that
changes 1% of a large corpus writes as it reads, instead of after it); past PARALLEL_MIN_DOCS,
one writer per core (or, from the start, as many as the caller asks for). Reading never runs far
ahead of writing: the queue is bounded. Each writer flushes a segment whenever
its buffer is full (indexer.segments). Finished segments come back here; the tiered policy
(indexer.merging) picks groups of them, which a single merging process merges while the writers
go on. finish() waits for all of them and returns the segments written and merged.

Memory is therefore set by the settings: the writers' buffers, the queue of batches and the
merges' bounded rounds — not by the number of articles.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.fields import Schema

from corpus.article import Article
from indexer.merging import MergePolicy, merge_loop, merge_segments, plan_merges, size_of
from indexer.segments import SegmentBuilder, WriterFailed, Written, raise_failure, segment_files, write_segments

log = logging.getLogger(__name__)

MAX_WORKERS = 4
BATCH = 50  # articles sent to a writer at once; a run with fewer to write writes them in this process
PARALLEL_MIN_DOCS = 1000  # a run with more to write uses one writer per core, a run with fewer one writer
QUEUED_BATCHES = 2  # per writer: how far reading may run ahead of writing


@dataclass(frozen=True, slots=True)
class BuildSettings:
    """What bounds an index run's memory: writer processes, each one's buffer, and the merge policy.

    The peak memory of the whole run is about workers × (the process itself + 2 × buffer_mb) plus
    a merging process, whatever the number of articles.
    """

    workers: int | None = None  # writer processes; None: up to one per core (MAX_WORKERS at most), as needed
    buffer_mb: int = 64  # a writer flushes a segment when its postings and pending grams reach this
    merge: MergePolicy = field(default_factory=MergePolicy)

    def processes(self) -> int:
        """How many writer processes a run may use."""
        if self.workers is not None:
            return max(1, self.workers)
        return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


class Pipeline:
    """Articles in, segments out: see the module docstring."""

    def __init__(self, directory: Path, schema: Schema, settings: BuildSettings) -> None:
        self.directory = directory
        self.schema = schema
        self.settings = settings
        self._buffer_bytes = settings.buffer_mb * 2**20
        self._pending: list[Article] = []  # articles not yet handed to a writer
        self._taken = 0  # articles given to add()
        self._local: SegmentBuilder | None = None
        self._context = multiprocessing.get_context("fork")
        self._writers: list[Any] = []
        self._jobs: Any = None
        self._results: Any = None
        self._merger: Any = None
        self._merge_jobs: Any = None
        self._done = 0  # writers finished
        self._segments: list[Written] = []  # finished, not being merged
        self._merging: dict[int, list[Written]] = {}  # job number → inputs
        self._jobs_sent = 0
        self._parallel = settings.workers is not None and settings.workers > 1
        self._ended = False  # end_input() was called: no article may be added

    # -- feeding ---------------------------------------------------------------------------------

    def add(self, article: Article) -> None:
        """Write one article (in a writer process or here)."""
        if self._ended:
            raise RuntimeError("an article was added after end_input()")
        self._pending.append(article)
        self._taken += 1
        if not self._writers:
            if not self._parallel and len(self._pending) < BATCH:
                return
            if self.settings.processes() == 1:
                self._write_here(self._pending)
                self._pending = []
                return
            self._start_writers(self.settings.processes() if self._parallel else 1)
        elif self._taken > PARALLEL_MIN_DOCS and len(self._writers) < self.settings.processes():
            self._start_writers(self.settings.processes() - len(self._writers))
        while len(self._pending) >= BATCH:
            self._send(self._pending[:BATCH])
            del self._pending[:BATCH]

    def _write_here(self, articles: Sequence[Article]) -> None:
        if self._local is None:
            self._local = SegmentBuilder(self.directory, self.schema, self._buffer_bytes)
        for article in articles:
            written = self._local.add(article)
            if written is not None:
                self._finished(written)
                self._merge_here()

    def _start_writers(self, count: int) -> None:
        if self._jobs is None:
            self._jobs = self._context.Queue(QUEUED_BATCHES * self.settings.processes())
            self._results = self._context.Queue()
        for _ in range(count):
            process = self._context.Process(
                target=write_segments, args=(self.directory, self.schema, self._buffer_bytes, self._jobs, self._results),
                daemon=True)
            process.start()
            self._writers.append(process)
        log.info("%d writer processes", len(self._writers))

    def _send(self, batch: list[Article]) -> None:
        """Queue a batch for the writers, handling their news while the queue is full."""
        while True:
            try:
                self._jobs.put(batch, timeout=0.2)
                break
            except queue.Full:
                self._check_alive()
            finally:
                self._collect(block=False)
        self._collect(block=False)

    # -- news from the processes -----------------------------------------------------------------

    def _collect(self, block: bool) -> bool:
        """Handle the messages of writers and merger; whether any came."""
        got = False
        while True:
            try:
                kind, payload = self._results.get(timeout=0.2) if block and not got else self._results.get_nowait()
            except queue.Empty:
                if block and not got:
                    self._check_alive()
                return got
            got = True
            if kind == "error":
                raise_failure(payload)
            if kind == "segment":
                self._finished(payload)
            elif kind == "merged":
                number, written = payload
                self._merged(self._merging.pop(number), written)
            elif kind == "done":
                self._done += 1
            self._plan()

    def _check_alive(self) -> None:
        for process in [*self._writers, *([self._merger] if self._merger else [])]:
            if process.exitcode not in (None, 0):
                raise WriterFailed(f"a writing process died (exit status {process.exitcode})")

    def _finished(self, written: Written) -> None:
        self._segments.append(written)

    def _merged(self, inputs: list[Written], written: Written) -> None:
        for old in inputs:
            for path in segment_files(self.directory, old.segment):
                path.unlink(missing_ok=True)
        self._segments.append(written)

    # -- merging ---------------------------------------------------------------------------------

    def _groups(self, segments: Sequence[Written]) -> list[list[Written]]:
        plan = plan_merges([size_of(w.segment) for w in segments], self.settings.merge)
        return [[segments[i] for i in group] for group in plan]

    def _plan(self) -> None:
        """Send the merges the policy asks for to the merging process."""
        if not self._writers:
            return
        for group in self._groups(self._segments):
            if self._merger is None:
                self._merge_jobs = self._context.Queue()
                self._merger = self._context.Process(
                    target=merge_loop, args=(self.directory, self.schema, self._merge_jobs, self._results), daemon=True)
                self._merger.start()
            self._jobs_sent += 1
            self._merging[self._jobs_sent] = group
            self._segments = _without(self._segments, group)
            self._merge_jobs.put((self._jobs_sent, [w.segment for w in group]))

    def _merge_here(self) -> None:
        """Run the merges the policy asks for in this process."""
        while groups := self._groups(self._segments):
            for group in groups:
                written = merge_segments(self.directory, self.schema, [w.segment for w in group])
                self._segments = _without(self._segments, group)
                self._merged(group, written)

    # -- finishing -------------------------------------------------------------------------------

    @property
    def in_processes(self) -> bool:
        """Whether articles are written by writer processes (not in this one)."""
        return bool(self._writers)

    def end_input(self) -> None:
        """No more articles: the writers are sent what is left and told to finish their segments,
        which they do while the caller does other work before finish(). Called by finish() if not before."""
        if self._writers and not self._ended:
            if self._pending:
                self._send(self._pending)
                self._pending = []
            for _ in self._writers:
                self._send(None)  # type: ignore[arg-type]
        self._ended = True

    def finish(self, existing: Sequence[Any] = ()) -> tuple[list[Any], list[Any]]:
        """Write what is left, wait for every writer and merge; (segments kept of existing, new segments).

        existing are the segments of the index being updated (with their deletions): the final
        merges may take them too, once every new segment is written.
        """
        self.end_input()
        if self._writers:
            while self._done < len(self._writers) or self._merging:
                self._collect(block=True)
            for process in self._writers:
                process.join()
        else:
            self._write_here(self._pending)
            self._pending = []
            if self._local is not None and (written := self._local.flush()) is not None:
                self._finished(written)
        old = [Written(segment, segment.doc_count_all()) for segment in existing]
        self._segments = old + self._segments
        # The last merges, which may take existing segments too, run here: nothing else is left to do.
        self._merge_here()
        self.close()
        new = _without(self._segments, old)
        return [w.segment for w in _without(self._segments, new)], [w.segment for w in new]

    def close(self) -> None:
        """Stop every process (after finish, or to abandon the run)."""
        if self._merger is not None and self._merger.is_alive():
            self._merge_jobs.put(None)
            self._merger.join(timeout=5)
        for process in [*self._writers, *([self._merger] if self._merger else [])]:
            if process.is_alive():
                process.kill()
            process.join()
        self._writers = []
        self._merger = None


def _without(segments: Sequence[Written], leaving: Sequence[Written]) -> list[Written]:
    """segments except those (the very objects) of leaving."""
    gone = {id(w) for w in leaving}
    return [w for w in segments if id(w) not in gone]
