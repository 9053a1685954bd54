"""The errors of index building and opening; each message names the next step."""

from __future__ import annotations

import errno
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


class IndexUnwritable(XjsearchError):
    """The disk refuses to write the index: a read-only file system, no permission, or no space left."""

    def __init__(self, path: Path, code: int, live: bool) -> None:
        self.path = path
        self.errno = code
        reasons = {errno.EROFS: "the file system is read-only", errno.ENOSPC: "no space left on the device",
                   errno.EDQUOT: "the disk quota is used up"}
        if code in (errno.ENOSPC, errno.EDQUOT):
            step = "free space on its disk, or give a directory on another disk with --index"
        else:
            step = "give a directory you can write to with --index (or $XJSEARCH_INDEX)"
        kept = "; the live index there is unchanged" if live else ""
        super().__init__(f"cannot write the index at {path} ({reasons.get(code, 'permission denied')}) — {step}{kept}")
