"""The searcher pool of one index generation.

Whoosh searchers are not safe to use from two threads at once, and each one holds its own caches
of the segments, so a generation keeps a small pool of them (as many as the machine has cores)
that requests borrow and give back: more threads than cores would only wait for the interpreter
anyway, and a searcher per server thread multiplied the server's memory.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Iterator

from whoosh.index import Index
from whoosh.searching import Searcher

SEARCHER_POOL = max(2, os.cpu_count() or 2)


class SearcherPool:
    """Up to SEARCHER_POOL searchers of one Whoosh index, lent to one request at a time."""

    def __init__(self, ix: Index, size: int = SEARCHER_POOL) -> None:
        self._ix = ix
        self._idle: queue.SimpleQueue[Searcher] = queue.SimpleQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._retired = False

    @contextlib.contextmanager
    def borrow(self) -> Iterator[Searcher]:
        """Lend a searcher for one request (waits while all are busy); it comes back when done."""
        with self._slots:
            try:
                searcher = self._idle.get_nowait()
            except queue.Empty:
                searcher = self._ix.searcher()
            try:
                yield searcher
            finally:
                if self._retired:
                    searcher.close()
                else:
                    self._idle.put(searcher)

    def retire(self) -> None:
        """A newer generation took over: close the idle searchers, and the others when given back."""
        self._retired = True
        self.close_idle()

    def close_idle(self) -> None:
        """Close the searchers no request is using."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
