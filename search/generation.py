"""One opened index generation: what every request of that generation shares.

When a generation is opened, its gram files are mapped (search.execution.Collection) and its
segments' document tables put together into facet columns and dates (search.facets), from which
it keeps the live documents newest first and the dated ones in date order. The generation also
holds a cache of recent queries' ranked matches, its searcher pool (search.pool), and its
vocabulary and titles, read when first needed (search.vocabulary).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

import numpy as np
from whoosh.searching import Searcher

from corpus import datafiles
from indexer import doctable, longlists, store
from indexer.analysis import in_dictionary, stream
from indexer.doctable import date_number
from indexer.grams import file_name, read_arrays
from indexer.longlists import open_lists
from indexer.reprints import live_mask, read_groups
from indexer.schema import HEADING, TEXT, TITLE
from search.execution import Collection, Ranked
from search.caching import BoundedCache
from search.expansion import Expansion, expand
from search.facets import ENTITY_FACETS, Archive, combine
from search.grams import GramSegment
from search.limits import check_reads
from search.model import FACETS
from search.pool import SearcherPool
from search.query import ParsedQuery
from search.reprints import Groups
from search.vocabulary import Vocabulary, shape

MATCH_CACHE_SIZE = 64
# Matched documents held: 12 bytes each (number and score), about 144 MB — the queries of a
# session over a million articles, where one common word matches most of them.
MATCH_CACHE_DOCS = 12_000_000
WINDOW_CACHE_SIZE = 256  # requests whose first results, totals and facets are kept
OCCURS_REMEMBERED = 4096  # answers of occurs() kept, for the aliases asked on every page
PACE_EVERY = 256  # words or titles read between two looks at whether searches are being answered
PAUSE_S = 0.005  # how often a paused reading ahead looks again
STARVED_S = 10.0  # a reading ahead kept waiting this long by searches reads one stretch anyway

T = TypeVar("T")


def shown_date(number: int) -> str:
    """A YYYYMMDD date number as YYYY-MM-DD."""
    return f"{number // 10000:04d}-{number // 100 % 100:02d}-{number % 100:02d}"


class Generation:
    """One opened index generation: its gram segments, facet columns and caches, shared by every thread."""

    def __init__(self, live: store.Live, stamp: int | None) -> None:
        self.live = live
        self.stamp = stamp
        self.number = live.generation
        self.pool = SearcherPool(live.ix)
        with live.ix.searcher() as searcher:
            reader = searcher.reader()
            self.doc_count_all = reader.doc_count_all()
            alive = live_mask(reader)
            segments, tables, segment_ids, lists = [], [], [], {}
            for sub, base in reader.leaf_readers():
                segment = sub.segment()
                if segment is None:
                    continue
                segment_ids.append(segment.segment_id())
                segments.append(GramSegment(read_arrays(live.path / file_name(segment.segment_id())), base))
                found = open_lists(live.path / longlists.file_name(segment.segment_id()))
                if found is not None:
                    lists[base] = found
                path = live.path / doctable.file_name(segment.segment_id())
                # A segment written before document tables existed gets one made here, from its postings.
                tables.append(doctable.read_table(path) if path.exists() else doctable.table_from_reader(sub))
            self.collection = Collection(segments, self.doc_count_all, alive, lists)
        self.dates, self.columns = combine(tables, self.doc_count_all)
        self.live_docs = np.flatnonzero(alive)
        dated = self.live_docs[self.dates[self.live_docs] > 0]
        self.by_date = dated[np.argsort(self.dates[dated], kind="stable")]  # oldest first, then index order
        self.sorted_dates = self.dates[self.by_date]
        # Newest first; same-day articles keep their index order; undated ones come last.
        newest = np.lexsort((dated, -self.dates[dated].astype(np.int64)))
        self.newest_first = np.concatenate([dated[newest], self.live_docs[self.dates[self.live_docs] == 0]])
        self._archive: Archive | None = None
        self._newest_collapsed: np.ndarray | None = None
        self.dated = alive & (self.dates > 0)  # a bool per document: live and dated
        # Reprint groups (indexer.reprints), found when the generation was written; date numbers
        # order documents as their days do.
        self.reprints = Groups(read_groups(live.path, segment_ids, self.doc_count_all), alive, self.dates,
                               self.dated)
        # Ranked matches of recent queries: choosing facets, dates or pages re-runs none of them.
        self._matches: BoundedCache[Ranked] = BoundedCache(MATCH_CACHE_SIZE, MATCH_CACHE_DOCS,
                                                            lambda ranked: len(ranked.docs))
        # The first results in order, the totals and the facets of recent requests: paging back and
        # forth, or asking again, finds them here (search.selection.window).
        self.windows: BoundedCache[Any] = BoundedCache(WINDOW_CACHE_SIZE, WINDOW_CACHE_SIZE * 1000,
                                                       lambda window: len(window.docs))
        self._lock = threading.Lock()
        self._occurs: dict[str, bool] = {}
        self._vocabulary: Vocabulary | None = None
        self._titles: list[tuple[str, str]] | None = None  # (title's stream, title), sorted
        self._vocabulary_lock = threading.Lock()
        self.busy: Callable[[], bool] = lambda: False  # whether searches are being answered (set by the service)
        self._wanted = False  # whether a request waits for the vocabulary or titles (reading them is not paced then)

    @property
    def live_count(self) -> int:
        """How many articles the generation holds."""
        return len(self.live_docs)

    def newest_collapsed(self) -> np.ndarray:
        """Every live document newest first, each reprint group once (computed once)."""
        if self._newest_collapsed is None:
            kept, _ = self.reprints.standing(self.newest_first, np.zeros(len(self.newest_first)), None, by_date=True)
            self._newest_collapsed = self.newest_first[kept]
        return self._newest_collapsed

    def archive(self) -> Archive:
        """The live documents and every facet's counts over them (counted once)."""
        if self._archive is None:
            counts = {facet: self.columns[facet].counts(self.live_docs) for facet in FACETS}
            self._archive = Archive(self.collection.live, self.live_count, counts)
        return self._archive

    def date_range(self, date_from: str | None, date_to: str | None) -> tuple[int, int]:
        """The bounds of [date_from, date_to] in by_date (inclusive dates, YYYY-MM-DD)."""
        lo = int(np.searchsorted(self.sorted_dates, date_number(date_from), side="left")) if date_from else 0
        hi = int(np.searchsorted(self.sorted_dates, date_number(date_to), side="right")) if date_to \
            else len(self.sorted_dates)
        return lo, max(lo, hi)

    # -- words and titles, read when first needed --------------------------------------------

    def _paced(self, items: Iterable[T], paced: bool) -> Iterable[T]:
        """items; when paced (a reading ahead in the background), read in stretches of PACE_EVERY
        only while no search is being answered (busy()), unless a request waits for what is read.

        Reading the vocabulary and titles of a large archive is seconds of Python (about 15 at a
        million articles); run beside a search, it slowed the search far more than its own share,
        as each of the search's NumPy calls let the interpreter go to it and waited to be given it
        back. So it reads between searches; under searches without pause it reads one stretch every
        STARVED_S, and the first request that needs the words reads the rest at once."""
        if not paced:
            return items
        return self._pacing(items)

    def _pacing(self, items: Iterable[T]) -> Iterator[T]:
        for count, item in enumerate(items, 1):
            yield item
            if count % PACE_EVERY == 0:
                waited = 0.0
                while waited < STARVED_S and self.busy() and not self._wanted:
                    time.sleep(PAUSE_S)
                    waited += PAUSE_S

    def value_sets(self) -> None:
        """Make each facet's documents per value (FacetColumn.value_sets), which counting a large
        part of the archive needs: ahead, so that the first such request does not wait for them."""
        for facet in FACETS:
            self.columns[facet].value_sets()

    def vocabulary(self, ahead: bool = False) -> Vocabulary:
        """The generation's words and entities by sound and spelling (read once, when first needed;
        ahead: read in the background before anyone asks, paced)."""
        if self._vocabulary is None:
            self._wanted = self._wanted or not ahead
            with self._vocabulary_lock:
                if self._vocabulary is None:
                    self._read_vocabulary(ahead)
        assert self._vocabulary is not None
        return self._vocabulary

    def unread_vocabulary(self) -> bool:
        """Whether the vocabulary has not been read yet."""
        return self._vocabulary is None

    def titles(self, ahead: bool = False) -> list[tuple[str, str]]:
        """Every live article's title with its folded stream, sorted by the stream (read once; ahead
        as for vocabulary)."""
        if self._titles is None:
            self._wanted = self._wanted or not ahead
            with self._vocabulary_lock:
                if self._titles is None:
                    with self.live.ix.searcher() as searcher:
                        reader = searcher.reader()
                        headings = list(self._paced(reader.column_reader(HEADING), ahead)) if self.doc_count_all else []
                    live = self.collection.live
                    streams: dict[str, str] = {}  # each title's stream made once (reprints share titles)
                    found = {streams.get(t) or streams.setdefault(t, stream(t)): t
                             for docnum, t in enumerate(self._paced(headings, ahead)) if t and live[docnum]}
                    self._titles = sorted(found.items())
        return self._titles

    def _read_vocabulary(self, ahead: bool) -> None:
        """Read the words of the index with their document frequencies, and the entities."""
        word_shape = shape("WORD_SHAPE").match  # compiled when first asked for
        frequencies: Counter[str] = Counter()
        with self.live.ix.searcher() as searcher:
            reader = searcher.reader()
            for field in (TEXT, TITLE):
                # Each segment's terms with their document counts in one pass (looking each word
                # up in every segment took twice as long).
                in_field: Counter[bytes] = Counter()
                for sub, _ in reader.leaf_readers():
                    for word, info in self._paced(sub.iter_field(field), ahead):
                        in_field[word] += info.doc_frequency()
                for word, count in in_field.items():
                    text = word.decode("utf-8")
                    if word_shape(text):
                        frequencies[text] = max(frequencies[text], count)
        entities: set[str] = set()
        counts = self.archive().counts
        for facet in ("region", "aid_from", *ENTITY_FACETS):
            for value, count in zip(self.columns[facet].values, counts[facet].tolist()):
                frequencies[value] = max(frequencies[value], count)
                entities.add(value)
        # Places of the gazetteer and names of the names file that the articles use are entities
        # too (found by their initials, klmy, and suggested first).
        named = [place for place, region in datafiles.gazetteer().items() if region != "-"]
        entities.update(name for name in (*named, *datafiles.names()) if frequencies.get(name, 0) > 0)
        # Whoosh's frequencies count deleted documents until their segment is merged away.
        present = self.word_occurs if not bool(self.collection.live.all()) else None
        deleted = int(self.collection.doc_count_all - self.collection.live_count)
        self._vocabulary = Vocabulary(frequencies, entities, in_dictionary, present, deleted)

    # -- reading a query ---------------------------------------------------------------------

    def expand(self, parsed: ParsedQuery) -> Expansion:
        """The query with aliases and pinyin readings added (search.expansion)."""
        return expand(parsed, self.vocabulary)

    def explanations(self, expansion: Expansion) -> Iterator[str]:
        """How the query's terms were read, naming only the aliases some article uses."""
        for reading in expansion.readings:
            if reading.kind == "alias":
                used = tuple(a for a in reading.found if self.occurs(a))
                if not used:
                    continue
                reading = replace(reading, found=used)
            yield reading.explain()

    def matches(self, searcher: Searcher, parsed: ParsedQuery) -> Ranked:
        """A query's matches (cached per query); BadQuery if it would read too much."""
        key = repr(parsed.root)
        cached = self._matches.get(key)
        if cached is not None:
            return cached
        reader = searcher.reader()
        check_reads(self.collection, reader, parsed)  # BadQuery when it would read too much
        try:
            ranked = self.collection.rank(reader, parsed)
        finally:
            self.collection.release()
        return self._matches.put(key, ranked)

    def occurs(self, text: str) -> bool:
        """Whether a live article holds text (remembered: the aliases of a query are asked on every page)."""
        known = self._remembered(text)
        if known is None:
            try:
                known = self._remember(text, self.collection.holds(stream(text)))
            finally:
                self.collection.release()
        return known

    def word_occurs(self, word: str) -> bool:
        """Whether a live article holds a vocabulary word, from its postings, which skip deleted
        articles: only the first posting is read, so a completion checking a word used by most of
        a large archive does not read where it stands. A word no field indexes (an entity) is looked
        for by occurs()."""
        known = self._remembered(word)
        if known is not None:
            return known
        with self.pool.borrow() as searcher:
            reader = searcher.reader()
            indexed = [field for field in (TEXT, TITLE) if (field, word) in reader]
            if any(reader.postings(field, word).is_active() for field in indexed):
                return self._remember(word, True)
        return self.occurs(word)

    def _remembered(self, text: str) -> bool | None:
        """What occurs() or word_occurs() found for text, if remembered."""
        with self._lock:
            return self._occurs.get(text)

    def _remember(self, text: str, known: bool) -> bool:
        """Remember whether a live article holds text (at most OCCURS_REMEMBERED answers; then anew)."""
        with self._lock:
            if len(self._occurs) > OCCURS_REMEMBERED:
                self._occurs.clear()
            self._occurs[text] = known
        return known

    # -- documents -----------------------------------------------------------------------------

    def entities_of(self, facet: str, docnum: int, text: str) -> tuple[str, ...]:
        """A document's people or organisations (facet "person" or "org"), in order of appearance in text."""
        values = self.columns[facet].of_document(docnum)
        return tuple(sorted(values, key=lambda v: (p if (p := text.find(v)) >= 0 else len(text), v)))

    def close(self) -> None:
        """Close the idle searchers (the others when given back) and the Whoosh index object."""
        self.pool.retire()
        self.live.ix.close()
