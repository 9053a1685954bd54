"""The errors of index building and opening; each message names the next step."""

from __future__ import annotations

from pathlib import Path

from corpus.errors import XjsearchError


class IndexStateError(XjsearchError):
    """Base class of the index errors."""


class IndexMissing(IndexStateError):
    """There is no index where one was expected."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"no index at {path} — run: xjsearch index --index {path}")


class IndexLocked(IndexStateError):
    """Another process is already (re)building this index."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"another reindex is running on {path} — wait for it to finish, then run the command again"
        )


class IndexOutdated(IndexStateError):
    """The index was built by another analysis version and must be rebuilt."""

    def __init__(self, path: Path, found: object, wanted: object) -> None:
        self.path = path
        super().__init__(
            f"the index at {path} was built with analysis version {found}, this xjsearch uses "
            f"version {wanted} — run: xjsearch index --rebuild --index {path}"
        )


class IndexCorrupt(IndexStateError):
    """The index directory exists but cannot be read."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"cannot read the index at {path} ({reason}) — run: xjsearch index --rebuild --index {path}")
