"""Exports of a search for research: every hit, one row each, as CSV or JSON Lines, a line at a time.

A row holds a hit's id, title and metadata, its score and its snippet as plain text; the snippet
comes a second time with each match in 【】 (snippet_marked), so the matched characters survive in
a spreadsheet. The two exports share one writer (indexer.export.lines), which makes every CSV alike:
a byte order mark first, multi-valued cells joined with | (a | or \\ inside a value escaped as \\| or
\\\\), and a cell that starts like a spreadsheet formula (= + - @, tab, CR) made text with a leading '.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

# FORMATS ("jsonl", "csv") are the whole-index export's; the CLI and the web take them from here.
from indexer.export import FORMATS, lines
from search.model import Hit

# The export columns, in the order CSV writes them and JSON Lines objects hold them.
COLUMNS = (
    "id",
    "title",
    "date",
    "date_precision",
    "source",
    "regions",
    "sectors",
    "aid_from",
    "people",
    "orgs",
    "score",
    "snippet",
    "snippet_marked",
    "origin",
    "reprints",
)
# What stands around a match in snippet_marked (the text may hold these brackets itself).
MATCH_OPEN, MATCH_CLOSE = "【", "】"
CHUNK_SIZE = 64 * 1024  # characters a streamed chunk gathers before it is sent

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def fragment_parts(fragment: str) -> Iterator[tuple[str, bool]]:
    """The text of a highlighted HTML fragment (search.highlight), unescaped, in parts: (text, is a match)."""
    # With one group, split() alternates the text outside marks (even) and inside them (odd).
    for i, part in enumerate(_MARK.split(fragment)):
        if part:
            yield html.unescape(part), i % 2 == 1


def plain_text(fragment: str, before: str = "", after: str = "") -> str:
    """A highlighted HTML fragment as plain text, each match between before and after."""
    return "".join(f"{before}{text}{after}" if matched else text for text, matched in fragment_parts(fragment))


def hit_row(hit: Hit) -> dict[str, Any]:
    """One hit as a row of the export columns (multi-valued ones as lists)."""
    return {
        "id": hit.id,
        "title": hit.title,
        "date": hit.date,
        "date_precision": hit.date_precision,
        "source": hit.source,
        "regions": list(hit.regions),
        "sectors": list(hit.sectors),
        "aid_from": list(hit.aid_from),
        "people": list(hit.people),
        "orgs": list(hit.orgs),
        "score": hit.score,
        "snippet": plain_text(hit.snippet),
        "snippet_marked": plain_text(hit.snippet, MATCH_OPEN, MATCH_CLOSE),
        # As the API gives it in JSON Lines; CSV writes its label (the URL, or the file and page).
        "origin": hit.origin.to_json() if hit.origin else None,
        "reprints": [r.id for r in hit.reprints],
    }


class _Stream(Iterator[str]):
    """Text read from items that closes what it comes from when it ends, fails or is closed (even unread).

    A generator closed before its first item never runs its finally, which would leave the
    search's searcher open when a client goes away before the first line is sent.
    """

    def __init__(self, items: Iterator[str], *sources: object) -> None:
        self._items = items
        self._sources = (items, *sources)

    def __next__(self) -> str:
        try:
            return next(self._items)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the items and every source they are read from."""
        for source in self._sources:
            close = getattr(source, "close", None)
            if close is not None:
                close()


def export_lines(hits: Iterator[Hit], fmt: str) -> Iterator[str]:
    """Every hit as a line of fmt ("csv": after a header row; "jsonl": one JSON object a line).

    Closing the lines (or reading them to the end) closes hits, which frees the search's searcher.
    """
    return export_rows((hit_row(hit) for hit in hits), fmt, COLUMNS, hits)


def export_rows(rows: Iterator[Mapping[str, Any]], fmt: str, columns: Sequence[str], *sources: object) -> Iterator[str]:
    """Rows of columns as lines of fmt, as export_lines writes hits; closing them closes every source."""
    return _Stream(lines(rows, fmt, columns), *sources)


def _gather(texts: Iterator[str], size: int) -> Iterator[str]:
    """texts joined into pieces of at least size characters (the last one shorter)."""
    held: list[str] = []
    length = 0
    for text in texts:
        held.append(text)
        length += len(text)
        if length >= size:
            yield "".join(held)
            held, length = [], 0
    if held:
        yield "".join(held)


def chunks(texts: Iterator[str], size: int = CHUNK_SIZE) -> Iterator[str]:
    """texts gathered into pieces of about size characters, so a stream is not sent a line at a time."""
    return _Stream(_gather(texts, size), texts)
