"""The records a corpus becomes: articles, and the files that were skipped."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

# An article's date_precision when its date is not known.
UNKNOWN = "unknown"
# The year facet's value for articles whose date is unknown.
UNDATED = "日期不详"

_POSITION = re.compile(r"(#\d+|:\d+)$")
WEB_ADDRESS = re.compile(r"^https?://\S+$", re.I)


def origin_file(origin: str) -> str:
    """The corpus file of an origin: "a/page.txt#3" → "a/page.txt", "ready.jsonl:12" → "ready.jsonl"."""
    return _POSITION.sub("", origin)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an article came from: its corpus file, the page it was printed on, the address it was published at."""

    file: str
    page: int | None = None
    url: str | None = None

    @property
    def link(self) -> str | None:
        """The URL a page may link to: only a web address (a page's canonical link could be javascript:…)."""
        return self.url if self.url and WEB_ADDRESS.match(self.url) else None

    @property
    def label(self) -> str:
        """One string for exports: the URL, else the file with its page (epaper.pdf#page=2, as PDF links say)."""
        if self.url:
            return self.url
        return f"{self.file}#page={self.page}" if self.page is not None else self.file

    def to_json(self) -> dict[str, Any]:
        """The JSON shape the API gives: {"file", "page", "url"}, page and url null when unknown."""
        return {"file": self.file, "page": self.page, "url": self.url}


@dataclass(frozen=True, slots=True)
class Article:
    """One clean article with its metadata; the only shape text has past corpus/."""

    id: str
    title: str
    text: str  # clean text, paragraphs separated by a single "\n"
    date: str | None  # YYYY-MM-DD (month/year precision dates use the first day); None when unknown
    date_precision: str  # "day" | "month" | "year" | "unknown"
    source: str
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    aid_from: tuple[str, ...]
    origin: str  # where in the corpus: "<file path>#<n>" (its n-th article) or "<file path>:<line>"
    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    url: str = ""  # the address it was published at (a web page's canonical URL, a WARC record's)
    page: int | None = None  # the page of a PDF or scan it was printed on, from 1
    # The raw record it was read from, when the loader may pass that record over next time it is
    # unchanged (Unchanged): its key, and which of the record's articles this is ("<key>/1/2").
    record: str = field(default="", compare=False)

    def __reduce__(self) -> tuple[type[Article], tuple[Any, ...]]:
        """Pickled as its values, made again by its constructor: batches of articles go to writer
        processes, and a frozen dataclass's own state (a dict set field by field) unpickles several
        times slower."""
        return Article, _article_values(self)

    @property
    def origin_file(self) -> str:
        """The corpus file it came from (origin without the article number or line)."""
        return origin_file(self.origin)

    @property
    def where(self) -> Origin:
        """Where it came from: its corpus file, page and URL."""
        return Origin(self.origin_file, self.page, self.url or None)

    @property
    def checksum(self) -> str:
        """A hash of everything indexed about the article, to detect changes."""
        parts = (
            self.title,
            self.text,
            self.date or "",
            self.date_precision,
            self.source,
            "|".join(self.regions),
            "|".join(self.sectors),
            "|".join(self.aid_from),
            "|".join(self.people),
            "|".join(self.orgs),
        )
        # Where it came from counts only when known, so that older articles keep their checksums.
        if self.url or self.page is not None:
            parts += (self.url, str(self.page or ""))
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


_article_values = attrgetter(*(f.name for f in fields(Article)))


def record_part(key: str, part: int, parts: int) -> str:
    """An Article.record: the key of the record an article was read from, and which of the
    record's parts (from 1) it is."""
    return f"{key}/{part}/{parts}"


def split_record(record: str) -> tuple[str, int, int]:
    """An Article.record's key, part and parts (record_part's)."""
    key, part, parts = record.split("/")
    return key, int(part), int(parts)


@dataclass(frozen=True, slots=True)
class Unchanged:
    """An article the loader did not read again: its raw record is the one an index's ledger holds
    (corpus.loader's known records), so it is the article read then, known by its id and checksum.

    An index run looks it up as it looks up an Article, and finds it unchanged; it is never written.
    """

    id: str
    origin: str
    checksum: str  # the stored part of the article's checksum (hexadecimal)
    record: str = ""


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What a manifest says of a page: its paper, publication date (ISO, with its precision) and home region."""

    source: str
    date: str
    precision: str
    home_region: str | None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A corpus file (or one line of it) that could not be used, and why."""

    path: str
    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The articles read from a corpus and what was skipped on the way."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
