"""Hits: one matching document as a record with its snippet, one page at a time or streamed for export."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.searching import Searcher

from indexer.schema import stored_metadata
from search.expansion import shown_terms
from search.generation import Generation
from search.highlight import mark, match_spans, snippet
from search.model import Hit
from search.query import ParsedQuery


def make_hit(gen: Generation, searcher: Searcher, docnum: int, score: float, parsed: ParsedQuery) -> Hit:
    """A Hit for one document, with its snippet and marked title."""
    fields = searcher.stored_fields(docnum)
    text = fields.get("text", "")
    title = fields.get("title", "")
    terms = shown_terms(parsed.highlight_terms, title, text)
    whole = title + "\n" + text
    return Hit(
        **stored_metadata(fields),
        score=round(float(score), 4),
        snippet=snippet(text, match_spans(text, terms, "text")),
        title_html=mark(title, match_spans(title, terms, "title")),
        people=gen.entities_of("person", docnum, whole),
        orgs=gen.entities_of("org", docnum, whole),
        **reprints_of(gen, docnum),
    )


REPRINTS_LISTED = 20  # copies listed with a hit at most (a notice printed everywhere is still counted)


def reprints_of(gen: Generation, docnum: int) -> dict[str, Any]:
    """The other copies of a document's story, earliest first (reprints, reprint_count of its Hit)."""
    copies, count = gen.reprints.copies(docnum, REPRINTS_LISTED)
    return {"reprints": tuple(gen.reprints.listing(other) for other in copies), "reprint_count": count}


# While a search is being answered in the same process, an export pauses this many times as long
# as each hit took to make: it then takes at most a quarter of the time searches could use.
YIELD_TO_SEARCHES = 3.0


class HitStream(Iterator[Hit]):
    """Hits made one at a time from ranked documents; the searcher closes when done or closed.

    A class, not a generator: a generator closed before its first item never runs its finally, so
    an export abandoned before it started would keep its searcher open. An export is long and a
    search is short, so while searching() says a search is in progress the stream gives way to it.
    """

    def __init__(self, page: Iterator[tuple[int, float]], make: Callable[[int, float], Hit], searcher: Searcher,
                 searching: Callable[[], bool] = lambda: False) -> None:
        self._page = page
        self._make = make
        self._searcher: Searcher | None = searcher
        self._searching = searching

    def __next__(self) -> Hit:
        if self._searcher is None:
            raise StopIteration
        try:
            docnum, score = next(self._page)
            started = time.perf_counter()
            hit = self._make(docnum, score)
            if self._searching():
                time.sleep((time.perf_counter() - started) * YIELD_TO_SEARCHES)
            return hit
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the searcher (again is harmless)."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __del__(self) -> None:
        self.close()
