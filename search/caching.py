"""A cache of recent answers bounded by entries and by the documents they hold, shared by threads.

A generation keeps three: the postings of words (search.execution), the matches of queries and
the first pages of requests (search.generation). Each entry weighs the documents it holds; the
least recently used go first when either bound is passed, but the newest entry always stays.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class BoundedCache(Generic[V]):
    """Least recently used entries, at most size of them and about weight documents in all."""

    def __init__(self, size: int, weight: int, weigh: Callable[[V], int]) -> None:
        self.size = size
        self.weight = weight
        self._weigh = weigh
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The entry of key (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V, replace: bool = False) -> V:
        """Keep value under key, evicting the least recently used; a value already kept there stays
        (and is returned) unless replace."""
        with self._lock:
            kept = self._entries.pop(key, None)
            if kept is not None:
                self._held -= self._weigh(kept)
                if not replace:
                    value = kept
            self._entries[key] = value
            self._held += self._weigh(value)
            while len(self._entries) > 1 and (len(self._entries) > self.size or self._held > self.weight):
                _, old = self._entries.popitem(last=False)
                self._held -= self._weigh(old)
            return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self._held = 0

    def __len__(self) -> int:
        return len(self._entries)
