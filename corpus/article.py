"""The records a corpus becomes: articles, and the files that were skipped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


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
    origin: str  # where it came from: "<file name>#<n>" or "<file name>:<line>"
    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()

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
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


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
