"""What every reader shares: the opened file it reads (Source), what it finds (RawDocument), its limits."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from corpus.article import Skipped
from corpus.errors import CorpusError

# A file larger than this is skipped unread: a real page, scan or e-paper PDF is a few MB at most,
# and a FIFO, a device or a runaway file must not be read into memory. JSON Lines and WARC files are
# read a line or a record at a time, so for them the cap is per line or record.
MAX_FILE_MB_DEFAULT = 100
MAX_FILE_MB_ENV = "XJSEARCH_MAX_FILE_MB"
# An article longer than this (characters) is cut into parts at paragraph or sentence ends: the
# longest real newspaper features are a few tens of thousands of characters, and one huge article
# makes every search that meets it slow and its page unusable.
MAX_ARTICLE_CHARS = 200_000


def megabytes(size: int) -> str:
    """A size in MB as a report shows it: 100, 0.04."""
    return f"{size / 2**20:.2f}".rstrip("0").rstrip(".")


class Unreadable(Exception):
    """A file (or one line or record of it) that cannot be used, with the reason a user reads."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of a corpus xjsearch reads at once."""

    max_file_bytes: int = MAX_FILE_MB_DEFAULT * 2**20
    max_article_chars: int = MAX_ARTICLE_CHARS

    @classmethod
    def from_env(cls) -> Limits:
        """The limits, with the file size cap from $XJSEARCH_MAX_FILE_MB (megabytes) if set."""
        value = os.environ.get(MAX_FILE_MB_ENV, "").strip()
        if not value:
            return cls()
        try:
            megabytes = float(value)
            if megabytes <= 0:
                raise ValueError
        except ValueError:
            raise CorpusError(f"${MAX_FILE_MB_ENV} is {value!r}, not a positive number of megabytes") from None
        return cls(max_file_bytes=int(megabytes * 2**20))


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader found in a file: a page to split into articles, or one article (title given).

    The fields a file states (a web page's date, site name, author and URL; a JSON line's
    metadata) are kept; the shared steps after the reader infer the rest from the text.
    """

    text: str
    title: str | None = None  # None: a page, which corpus.page splits into its articles
    page: int | None = None  # the page of a PDF or scan, from 1
    line: int | None = None  # the line of a JSON Lines file
    url: str = ""
    id: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    regions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    aid_from: tuple[str, ...] | None = None
    record: str = ""  # the key of the raw record it was read from, where the reader keys its records
    # The (id, stored checksum) of each article an index read from this very record before: the
    # record was passed over, and text and title are empty.
    known: tuple[tuple[str, str], ...] | None = None


# The articles read from a record before (its key → (id, stored checksum) of each), or None.
KnownRecords = Callable[[str], "tuple[tuple[str, str], ...] | None"]


@dataclass(slots=True)
class Source:
    """One regular file opened for a reader, with its name in the corpus and what the reader found."""

    path: Path
    name: str  # the file's path inside the corpus, as origins and reports name it
    file: BinaryIO
    size: int
    limits: Limits
    skipped: list[Skipped]
    found: Counter[str] = field(default_factory=Counter)  # what the reader saw: pages, records …
    shown_path: str = ""  # the path as reports show it (readable even when the name is not UTF-8)
    # Where a reader keys its records (JSON lines): a hash of everything but the record that what is
    # read from it depends on (record_key), and what an index read from each record before.
    record_hash: Any = None
    known: KnownRecords | None = None

    def record_key(self, data: bytes) -> str:
        """A record's key: its bytes with the file's name, the loader's code and data, the limits and
        the year ("" where records are not keyed)."""
        if self.record_hash is None:
            return ""
        digest = self.record_hash.copy()
        digest.update(data)
        return str(digest.hexdigest())

    def read_all(self) -> bytes:
        """The whole file (the loader checked its size against the cap before a reader runs)."""
        self.file.seek(0)
        data = self.file.read(self.limits.max_file_bytes + 1)
        if len(data) > self.limits.max_file_bytes:
            raise Unreadable(f"grew past the size cap of {megabytes(self.limits.max_file_bytes)} MB while read")
        return data

    def skip(self, reason: str, line: int | None = None) -> None:
        """Report a part of the file (a line, a record) that was not used."""
        self.skipped.append(Skipped(self.shown_path or str(self.path), reason, line))
