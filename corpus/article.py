"""The records a corpus becomes: articles, and the files that were skipped."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

_POSITION = re.compile(r"(#\d+|:\d+)$")


def origin_file(origin: str) -> str:
    """The corpus file of an origin: "a/page.txt#3" → "a/page.txt", "ready.jsonl:12" → "ready.jsonl"."""
    return _POSITION.sub("", origin)


@dataclass(frozen=True, slots=True)
class Article:
    """One clean article with its metadata; the only shape text has past corpus/."""

    id: str
    title: str
    text: str  # clean text, paragraphs separated by a single "\n"
    date: str  # YYYY-MM-DD; month/year precision dates use the first day
    date_precision: str  # "day" | "month" | "year"
    source: str
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    aid_from: tuple[str, ...]
    origin: str  # where in the corpus: "<file path>#<n>" (its n-th article) or "<file path>:<line>"
    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    url: str = ""  # the address it was published at (a web page's canonical URL, a WARC record's)
    page: int | None = None  # the page of a PDF or scan it was printed on, from 1

    @property
    def origin_file(self) -> str:
        """The corpus file it came from (origin without the article number or line)."""
        return origin_file(self.origin)

    @property
    def where(self) -> dict[str, Any]:
        """Where it came from, as the index stores it and the API shows it: file, page, URL."""
        return {"file": self.origin_file, "page": self.page, "url": self.url or None}

    @property
    def checksum(self) -> str:
        """A hash of everything indexed about the article, to detect changes."""
        parts = (
            self.title,
            self.text,
            self.date,
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
