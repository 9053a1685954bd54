"""The search service: one entry point for the CLI and the web, safe for concurrent threads.

A facade: it keeps the live index generation and hands each request to the module holding its
role —

* search.generation — one opened generation: gram segments, facet columns, dates, caches, the
  vocabulary and titles (read when first needed, or ahead in the background once warm() was called);
* search.pool — the generation's pool of Whoosh searchers that requests borrow;
* search.checks — validating a request; search.selection — its filtered matches, facets and the
  window of its first results; search.ordering — putting them in order as far as a page needs;
* search.caching — the bounded caches of postings, matches and windows each generation keeps;
* search.facets — facet counting; search.hits — hits with their snippets, and export streams;
* search.corrections — did you mean; search.completions — completions;
* search.articles — the article view and related articles; search.statistics — what the index holds.

Before it runs, a query is expanded (search.expansion: aliases, pinyin readings). A new index
generation is noticed by a stat() of the index's CURRENT file, once per call.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.searching import Searcher

from indexer import store
from indexer.analysis import build_folding, words
from indexer.errors import IndexMissing
from indexer.paths import resolve_index_dir
from search.checks import check_request
from search.completions import SUGGESTIONS, suggest
from search.corrections import FEW_RESULTS, did_you_mean
from search.facets import ENTITY_FACET_SIZE
from search.generation import Generation
from search.hits import HitStream, make_hit
from search.jsonshape import result_to_json
from search.model import (
    DEFAULT_WIDTH,
    MAX_PAGE,
    MAX_PER_PAGE,
    ArticleView,
    Hit,
    IndexStats,
    SearchRequest,
    SearchResult,
)
from search.notices import NOTICE_FACETS, notices
from search.selection import ordered, select, window

# The article view, the statistics and the research views (search.articles, search.statistics,
# search.concordance, search.trends) are imported by the methods that answer them: a search does
# not wait for them.
if TYPE_CHECKING:
    from search.concordance import Concordance, Line
    from search.trends import Trends

__all__ = [
    "ENTITY_FACET_SIZE",
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "SearchService",
    "check_request",
    "result_to_json",
    "search",
    "service_for",
]

READ_AHEAD_WAIT_S = 5.0  # how long a started server waits for a first search before reading its vocabulary


class SearchService:
    """Searches one index directory; safe to share between threads."""

    def __init__(self, index_dir: Path | str | None = None) -> None:
        self.index_dir = resolve_index_dir(index_dir)
        self._lock = threading.Lock()
        self._generation: Generation | None = None
        self._warm = False  # whether each new generation's vocabulary is read ahead (see warm)
        self._answered = threading.Event()  # set once a search has been answered
        self._searches = 0  # searches being answered now, which exports give way to (search.hits)
        self._searches_lock = threading.Lock()

    # -- generations -------------------------------------------------------------------------

    def _current(self) -> Generation:
        """The live generation, reopened if CURRENT changed since it was opened."""
        stamp = store.stamp(self.index_dir)
        gen = self._generation
        if gen is not None and gen.stamp == stamp and stamp is not None:
            return gen
        with self._lock:
            gen = self._generation
            if gen is not None and gen.stamp == stamp and stamp is not None:
                return gen
            if stamp is None:
                raise IndexMissing(self.index_dir)
            live = store.open_live(self.index_dir)
            if gen is not None and gen.number == live.generation:
                live.ix.close()
                gen.stamp = stamp
                return gen
            self._generation = Generation(live, stamp)
            self._generation.busy = self.searching
            if self._warm:
                self._read_vocabulary_soon(self._generation)
            if gen is not None:
                # Searchers of the old generation still in use close when given back.
                gen.pool.retire()
            return self._generation

    @contextlib.contextmanager
    def _searcher(self, gen: Generation) -> Iterator[Searcher]:
        """Borrow one of gen's pooled Whoosh searchers for one request (waits while all are busy)."""
        with gen.pool.borrow() as searcher:
            yield searcher

    def warm(self) -> None:
        """Open the live generation and load the analysis now, so the first search is fast.

        The facets' value sets (for requests over a large part of the archive), the vocabulary and
        titles (completion, pinyin, corrections) are made and read in the background for this and
        every later generation, so that no request or keystroke waits for them; the first time only
        once a first request was answered (or READ_AHEAD_WAIT_S passed), so the reading does not
        slow that answer down.
        """
        started = self._generation
        self._warm = True
        gen = self._current()
        load_analysis()
        if gen is started:  # a generation opened just now has its reading started already
            self._read_vocabulary_soon(gen)

    def _read_vocabulary_soon(self, gen: Generation) -> None:
        """Make a generation's facet value sets and read its vocabulary and titles in a background thread."""

        def read() -> None:
            self._answered.wait(READ_AHEAD_WAIT_S)
            gen.value_sets()
            gen.vocabulary(ahead=True)
            gen.titles(ahead=True)

        threading.Thread(target=read, name="xjsearch-vocabulary", daemon=True).start()

    @property
    def generation(self) -> int:
        """The number of the live generation."""
        return self._current().number

    # -- searching ---------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search: one page of highlighted hits, the total and the facet counts."""
        with self._searches_lock:
            self._searches += 1
        try:
            return self._search(request)
        finally:
            with self._searches_lock:
                self._searches -= 1

    def searching(self) -> bool:
        """Whether a search is being answered now (by another thread)."""
        return self._searches > 0

    def _search(self, request: SearchRequest) -> SearchResult:
        """search() itself."""
        started = time.perf_counter()
        checked = check_request(request)
        gen = self._current()
        expansion = gen.expand(checked.parsed)
        checked = replace(checked, parsed=expansion.parsed)
        with self._searcher(gen) as searcher:
            end = request.page * request.per_page
            found = window(gen, searcher, request, checked, end)
            articles, total = found.articles, found.total
            start = end - request.per_page
            page = zip(found.docs[start:end].tolist(), found.scores[start:end].tolist())
            hits = tuple(make_hit(gen, searcher, docnum, score, checked.parsed) for docnum, score in page)
            correction = (
                did_you_mean(gen, searcher, request, checked, articles, wait=not self._warm)
                if articles < FEW_RESULTS else None
            )
            explanations = tuple(gen.explanations(expansion))
            hints = notices(request, {facet: gen.columns[facet].values for facet in NOTICE_FACETS})
            took_ms = (time.perf_counter() - started) * 1000
            self._answered.set()
            return SearchResult(request, total, round(took_ms, 2), hits, found.facets, correction, explanations, hints,
                                articles)

    def iter_hits(self, request: SearchRequest) -> tuple[int, Iterator[Hit]]:
        """Every hit of a search in order, all pages (page and per_page are ignored), for export.

        The request is checked and the matches found before this returns, so a bad query raises
        here and not half-way through a stream. The hits are made one at a time as the iterator
        is read, from a searcher of their own: a slow reader holds none of the pooled searchers,
        and a new index generation appearing meanwhile does not change what is exported.
        """
        checked = check_request(replace(request, page=1))
        gen = self._current()
        checked = replace(checked, parsed=gen.expand(checked.parsed).parsed)
        searcher = gen.live.ix.searcher()
        try:
            chosen = select(gen, searcher, request, checked, with_facets=False)
            docs, scores, total = ordered(gen, chosen, request.sort, request.collapse)
            page = zip(docs.tolist(), scores.tolist())
        except BaseException:
            searcher.close()
            raise
        return total, HitStream(page, lambda d, s: make_hit(gen, searcher, d, s, checked.parsed), searcher,
                                self.searching)

    # -- research ----------------------------------------------------------------------------

    def concordance(self, request: SearchRequest, width: int = DEFAULT_WIDTH, sort: str = "date") -> Concordance:
        """One page of the search's keyword-in-context lines (search.concordance); page and per_page count lines."""
        from search.concordance import check_concordance, concordance_page

        checked = check_concordance(request, width, sort)
        gen = self._current()
        checked = replace(checked, parsed=gen.expand(checked.parsed).parsed)
        with self._searcher(gen) as searcher:
            return concordance_page(gen, searcher, request, checked, width, sort)

    def iter_concordance(self, request: SearchRequest, width: int = DEFAULT_WIDTH,
                         sort: str = "date") -> tuple[int, Iterator[Line]]:
        """Every keyword-in-context line of a search, for export: (articles matched, lines).

        Checked before it returns, like iter_hits; the lines come from a searcher of their own.
        """
        from search.concordance import check_concordance, line_stream, matching

        checked = check_concordance(request, width, sort)
        gen = self._current()
        checked = replace(checked, parsed=gen.expand(checked.parsed).parsed)
        searcher = gen.live.ix.searcher()
        try:
            docs = matching(gen, searcher, request, checked)
        except BaseException:
            searcher.close()
            raise
        return len(docs), line_stream(searcher, docs, checked.parsed, width, sort)

    def trends(self, request: SearchRequest, queries: tuple[str, ...], interval: str = "year") -> Trends:
        """Each query's articles per year or month under the request's filters, beside all articles then."""
        from search.trends import check_trends, trends

        base, checked = check_trends(request, queries, interval)
        gen = self._current()
        checked = [replace(c, parsed=gen.expand(c.parsed).parsed) for c in checked]
        with self._searcher(gen) as searcher:
            return trends(gen, searcher, request, base, checked, interval)

    # -- reading -----------------------------------------------------------------------------

    def article(self, id: str, query: str = "") -> ArticleView | None:
        """One whole article with every match of query marked, and related articles; None if absent."""
        from search.articles import article_view

        gen = self._current()
        with self._searcher(gen) as searcher:
            return article_view(gen, searcher, id, query)

    def suggest(self, prefix: str, limit: int = SUGGESTIONS) -> tuple[str, ...]:
        """Up to limit completions of a prefix typed in characters or pinyin: entities, frequent words, titles."""
        return suggest(self._current, prefix, limit)

    def stats(self) -> IndexStats:
        """What the index holds: article count, size, generation, build time, facet value counts."""
        from search.statistics import index_stats

        return index_stats(self._current())

    def close(self) -> None:
        """Release the open generation and its idle searchers."""
        with self._lock:
            if self._generation is not None:
                self._generation.close()
                self._generation = None


def load_analysis() -> None:
    """Load the segmenter and build the folding table now, not during a first search.

    A server does so before it starts its worker processes, which then share them.
    """
    build_folding()
    words("援疆")


_services: dict[Path, SearchService] = {}
_services_lock = threading.Lock()


def service_for(index_dir: Path | str | None = None) -> SearchService:
    """The shared SearchService of an index directory (one per process)."""
    path = resolve_index_dir(index_dir).resolve()
    with _services_lock:
        if path not in _services:
            _services[path] = SearchService(path)
        return _services[path]


def search(request: SearchRequest, index_dir: Path | str | None = None) -> SearchResult:
    """Run a search against an index directory (the default one when None)."""
    return service_for(index_dir).search(request)
