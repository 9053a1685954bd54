"""The search service: one entry point for the CLI and the web, safe for concurrent threads.

When a generation is opened, its gram files are mapped (search.execution.Collection) and every
facet value's documents are read once from Whoosh's inverted index into a bitset (a Python int,
bit n = document number n), instead of going through Whoosh's generic grouping. A search ranks the
documents matching the typed query (search.execution); filters and facet counts are bitwise ANDs
and popcounts over the bitsets, each facet counted with the query and every *other* facet's
selection applied. The per-generation data is shared by all threads. Whoosh searchers are not
safe to use from two threads at once, and each one holds its own caches of the segments, so a
generation keeps a small pool of them (as many as the machine has cores) that requests borrow
and give back: more threads than cores would only wait for the interpreter anyway, and a
searcher per server thread multiplied the server's memory. The people and organisations facets,
which may have thousands of values, are counted from (document, value) arrays instead
(search.facets).

Before it runs, a query is expanded (search.expansion: aliases, pinyin readings); a query finding
few articles is offered a correction from the generation's vocabulary (search.vocabulary), which
also answers completions. The vocabulary is read when first needed, or ahead in the background
once warm() was called (the server does).

A new index generation is noticed by a stat() of the index's CURRENT file, once per call.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import queue
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from corpus import datafiles
from indexer import store
from indexer.grams import file_name, read_arrays
from indexer.analysis import fold, in_dictionary, stream, words
from indexer.errors import IndexMissing
from indexer.paths import resolve_index_dir
from indexer.schema import HEADING, TEXT, TITLE, stored_metadata
from search.errors import BadQuery
from search.execution import Collection, Ranked
from search.grams import GramSegment
from search.highlight import article_html, mark, match_spans, snippet
from search.expansion import Expansion, expand, shown_terms
from search.facets import PairFacet
from search.model import (
    FACETS,
    SORTS,
    ArticleView,
    FacetValue,
    Hit,
    IndexStats,
    Related,
    SearchRequest,
    SearchResult,
    selected,
)
from search.query import ParsedQuery, parse_query, positive_terms
from search.vocabulary import WORD_SHAPE, Vocabulary, is_pinyin_text

MAX_PER_PAGE = 100
SEARCHER_POOL = max(2, os.cpu_count() or 2)
MAX_PAGE = 1000
RELATED_COUNT = 5
MATCH_CACHE_SIZE = 64
MATCH_CACHE_DOCS = 2_000_000  # ranked documents held: 16 bytes each (number and score), about 32 MB
_KEY_TERMS = 12  # distinctive words of an article that related articles are found by
KEY_TERMS_SHOWN = 8  # of them, shown as tags on the article
FEW_RESULTS = 3  # a query finding fewer articles than this is offered a correction
MAX_CORRECTED_TERMS = 5  # words of a query looked at for a correction (each try is a search)
SUGGESTIONS = 10
SUGGEST_TITLES = 3  # of the suggestions, kept for article titles when titles start with the prefix
MAX_SUGGEST_PREFIX = 50
READ_AHEAD_WAIT_S = 5.0  # how long a started server waits for a first search before reading its vocabulary
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")

ENTITY_FACETS = ("person", "org")
ENTITY_FACET_SIZE = 30  # values of the person and org facets listed at most (the most frequent)


def _bits_of_mask(mask: np.ndarray) -> int:
    """A bitset (int) with bit n set where mask[n] is true."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def _alive(reader: Any, doc_count_all: int) -> np.ndarray:
    """A bool per document number: not deleted. Read from each segment's deletions, not per document."""
    alive = np.ones(doc_count_all, dtype=bool)
    for sub, base in reader.leaf_readers():
        segment = sub.segment()
        count = sub.doc_count_all()
        if segment is None:
            alive[base : base + count] = False
            alive[np.fromiter(sub.all_doc_ids(), dtype=np.int64) + base] = True
        elif segment.has_deletions():
            alive[np.fromiter(segment.deleted_docs(), dtype=np.int64) + base] = False
    return alive


def _parse_date(text: str | None, end: bool, label: str) -> str | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD bound as YYYY-MM-DD (first or last day); BadQuery if invalid."""
    if text is None or not text.strip():
        return None
    match = _DATE_RE.match(text.strip())
    try:
        if not match:
            raise ValueError(text)
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else (12 if end else 1)
        if match.group(3):
            day = int(match.group(3))
        elif end:
            day = (date(year + month // 12, month % 12 + 1, 1) - date.resolution).day if month < 12 else 31
        else:
            day = 1
        return date(year, month, day).isoformat()
    except ValueError:
        raise BadQuery(f"{label}无法识别（收到：{text.strip()}）：请写成 YYYY-MM-DD、YYYY-MM 或 YYYY，例如 2023-08-27") from None


@dataclass(frozen=True, slots=True)
class _Chosen:
    """What a request chooses: the ranked matches (None: no query), their bitset, the filtered bitset."""

    ranked: Ranked | None
    match_bits: int
    final: int
    facets: dict[str, tuple[FacetValue, ...]]


@dataclass(frozen=True, slots=True)
class _Checked:
    """A validated request: the parsed query and normalised date bounds."""

    parsed: ParsedQuery
    date_from: str | None
    date_to: str | None


def check_request(request: SearchRequest) -> _Checked:
    """Validate a request, raising BadQuery with a message a user can act on."""
    if request.sort not in SORTS:
        raise BadQuery(f"sort 只能是 {' 或 '.join(SORTS)}（收到：{request.sort}）")
    if not 1 <= request.per_page <= MAX_PER_PAGE:
        raise BadQuery(f"per_page 必须是 1 到 {MAX_PER_PAGE} 之间的整数（收到：{request.per_page}）")
    if not 1 <= request.page <= MAX_PAGE:
        raise BadQuery(f"page 必须是 1 到 {MAX_PAGE} 之间的整数（收到：{request.page}）")
    date_from = _parse_date(request.date_from, False, "起始日期")
    date_to = _parse_date(request.date_to, True, "结束日期")
    if date_from and date_to and date_from > date_to:
        raise BadQuery(f"起始日期 {date_from} 晚于结束日期 {date_to}")
    for value in request.years:
        if not re.fullmatch(r"\d{4}", value):
            raise BadQuery(f"年份无法识别（收到：{value}）：请写成 YYYY，例如 2023")
    for value in request.months:
        if not re.fullmatch(r"\d{4}-\d{2}", value):
            raise BadQuery(f"月份无法识别（收到：{value}）：请写成 YYYY-MM，例如 2023-08")
    return _Checked(parse_query(request.query), date_from, date_to)


class _Generation:
    """One opened index generation: its gram segments, facet bitsets and caches, shared by every thread."""

    def __init__(self, live: store.Live, stamp: int | None) -> None:
        self.live = live
        self.stamp = stamp
        self.number = live.generation
        self.idle: queue.SimpleQueue[Searcher] = queue.SimpleQueue()
        self.slots = threading.BoundedSemaphore(SEARCHER_POOL)
        with live.ix.searcher() as searcher:
            reader = searcher.reader()
            self.doc_count_all = reader.doc_count_all()
            self.nbytes = (self.doc_count_all + 7) // 8 or 1
            alive = _alive(reader, self.doc_count_all)
            self.all_bits = _bits_of_mask(alive)
            segments = []
            for sub, base in reader.leaf_readers():
                segment = sub.segment()
                if segment is None:
                    continue
                segments.append(GramSegment(read_arrays(live.path / file_name(segment.segment_id())), base))
            self.collection = Collection(segments, self.doc_count_all, alive)
            self.facet_bits: dict[str, dict[str, int]] = {}
            for facet in FACETS:
                if facet not in ENTITY_FACETS:
                    self.facet_bits[facet] = {
                        value: self.bits_of_docs(self.collection.read_postings(reader, facet, value)[0])
                        for value in reader.field_terms(facet)
                    }
            # People and organisations: many values, counted from (document, value) pairs; they
            # also give each document's names, which the index does not store.
            self.entities = {
                facet: PairFacet((value, self.collection.read_postings(reader, facet, value)[0])
                                 for value in reader.field_terms(facet))
                for facet in ENTITY_FACETS
            }
            # One date per document number, "" where there is none, read from the date column.
            dates = list(reader.column_reader("date")) if self.doc_count_all else []
            column = np.array(dates, dtype="U10")
        dated = np.flatnonzero(alive & (column != ""))
        self.by_date = dated[np.argsort(column[dated], kind="stable")]  # oldest first, then index order
        self.dates = column[self.by_date]
        # day_rank[docnum]: how many documents are dated before it (same-day documents tie).
        _, first, group = np.unique(self.dates, return_index=True, return_inverse=True)
        self.day_rank = np.zeros(self.doc_count_all, dtype=np.int64)
        self.day_rank[self.by_date] = first[group]
        # Newest first; same-day articles keep their index order; undated ones come last.
        undated = np.flatnonzero(alive & (column == ""))
        by_date = self.by_date
        self.newest_first = np.concatenate([by_date[np.lexsort((by_date, -self.day_rank[by_date]))], undated])
        self._range_cache: dict[tuple[str | None, str | None], int] = {}
        # Ranked matches of recent queries: choosing facets, dates or pages re-runs none of them.
        self._matches: OrderedDict[str, tuple[Ranked, int]] = OrderedDict()
        self._cached_docs = 0
        self._lock = threading.Lock()
        self._occurs: dict[str, bool] = {}
        self._vocabulary: Vocabulary | None = None
        self._titles: list[tuple[str, str]] | None = None  # (title's stream, title), sorted
        self._vocabulary_lock = threading.Lock()

    def vocabulary(self) -> Vocabulary:
        """The generation's words and entities by sound and spelling (read once, when first needed)."""
        if self._vocabulary is None:
            with self._vocabulary_lock:
                if self._vocabulary is None:
                    self._read_vocabulary()
        assert self._vocabulary is not None
        return self._vocabulary

    def unread_vocabulary(self) -> bool:
        """Whether the vocabulary has not been read yet."""
        return self._vocabulary is None

    def titles(self) -> list[tuple[str, str]]:
        """Every live article's title with its folded stream, sorted by the stream (read once)."""
        if self._titles is None:
            with self._vocabulary_lock:
                if self._titles is None:
                    with self.live.ix.searcher() as searcher:
                        reader = searcher.reader()
                        headings = list(reader.column_reader(HEADING)) if self.doc_count_all else []
                    live = self.collection.live
                    found = {stream(t): t for docnum, t in enumerate(headings) if t and live[docnum]}
                    self._titles = sorted(found.items())
        return self._titles

    def _read_vocabulary(self) -> None:
        """Read the words of the index with their document frequencies, and the entities."""
        frequencies: Counter[str] = Counter()
        with self.live.ix.searcher() as searcher:
            reader = searcher.reader()
            for field in (TEXT, TITLE):
                for word in reader.lexicon(field):
                    text = word.decode("utf-8")
                    if WORD_SHAPE.match(text):
                        frequencies[text] = max(frequencies[text], reader.doc_frequency(field, word))
        entities: set[str] = set()
        for facet in ("region", "aid_from"):
            for value, bits in self.facet_bits[facet].items():
                frequencies[value] = max(frequencies[value], (bits & self.all_bits).bit_count())
                entities.add(value)
        for facet in ENTITY_FACETS:
            pairs = self.entities[facet]
            for value, count in zip(pairs.values, pairs.counts(self.collection.live).tolist()):
                frequencies[value] = max(frequencies[value], count)
                entities.add(value)
        # Places of the gazetteer and names of the names file that the articles use are entities
        # too (found by their initials, klmy, and suggested first).
        named = [place for place, region in datafiles.gazetteer().items() if region != "-"]
        entities.update(name for name in (*named, *datafiles.names()) if frequencies.get(name, 0) > 0)
        # Whoosh's frequencies count deleted documents until their segment is merged away.
        present = self.occurs if not bool(self.collection.live.all()) else None
        self._vocabulary = Vocabulary(frequencies, entities, in_dictionary, present)

    def matches(self, searcher: Searcher, parsed: ParsedQuery) -> tuple[Ranked, int]:
        """A query's matches, best first, and their bitset (cached per query)."""
        key = repr(parsed.root)
        with self._lock:
            cached = self._matches.get(key)
            if cached is not None:
                self._matches.move_to_end(key)
                return cached
        ranked = self.collection.rank(searcher.reader(), parsed)
        entry = (ranked, self.bits_of_docs(ranked.docs))
        with self._lock:
            if key not in self._matches:
                self._matches[key] = entry
                self._cached_docs += len(ranked.docs)
            # Bounded by entries and by documents held, so huge result lists cannot pile up.
            while len(self._matches) > MATCH_CACHE_SIZE or (
                self._cached_docs > MATCH_CACHE_DOCS and len(self._matches) > 1
            ):
                _, (old, _) = self._matches.popitem(last=False)
                self._cached_docs -= len(old.docs)
        return entry

    def occurs(self, text: str) -> bool:
        """Whether a live article holds text (remembered: the aliases of a query are asked on every page)."""
        with self._lock:
            known = self._occurs.get(text)
        if known is None:
            fields = self.collection.field_counts(stream(text))[0]
            known = bool(self.collection.live[fields >> 1].any()) if len(fields) else False
            with self._lock:
                if len(self._occurs) > 4096:
                    self._occurs.clear()
                self._occurs[text] = known
        return known

    def entities_of(self, facet: str, docnum: int, text: str) -> tuple[str, ...]:
        """A document's people or organisations (facet "person" or "org"), in order of appearance in text."""
        values = self.entities[facet].of_document(docnum)
        return tuple(sorted(values, key=lambda v: (p if (p := text.find(v)) >= 0 else len(text), v)))

    def bits_of_docs(self, docs: np.ndarray) -> int:
        """The bitset of an array of document numbers."""
        mask = np.zeros(self.doc_count_all, dtype=bool)
        mask[docs] = True
        return _bits_of_mask(mask)

    def mask_of_bits(self, bits: int) -> np.ndarray:
        """A bool per document number: whether its bit is set."""
        raw = np.frombuffer(bits.to_bytes(self.nbytes, "little"), dtype=np.uint8)
        return np.unpackbits(raw, bitorder="little")[: self.doc_count_all].astype(bool)

    def range_bits(self, date_from: str | None, date_to: str | None) -> int:
        """The bitset of documents dated within [date_from, date_to]."""
        key = (date_from, date_to)
        with self._lock:
            if key in self._range_cache:
                return self._range_cache[key]
        lo = int(np.searchsorted(self.dates, date_from, side="left")) if date_from else 0
        hi = int(np.searchsorted(self.dates, date_to, side="right")) if date_to else len(self.dates)
        bits = self.bits_of_docs(self.by_date[lo:hi])
        with self._lock:
            if len(self._range_cache) > 256:
                self._range_cache.clear()
            self._range_cache[key] = bits
        return bits

    def selection_bits(self, facet: str, values: Sequence[str]) -> int | None:
        """The documents having any of values in facet, or None when nothing is selected."""
        if not values:
            return None
        if facet in self.entities:
            return self.bits_of_docs(self.entities[facet].documents(values))
        table = self.facet_bits[facet]
        bits = 0
        for value in values:
            bits |= table.get(value, 0)
        return bits

    def close_idle(self) -> None:
        """Close the searchers no request is using."""
        while True:
            try:
                self.idle.get_nowait().close()
            except queue.Empty:
                return

    def close(self) -> None:
        """Close the idle searchers and the Whoosh index object."""
        self.close_idle()
        self.live.ix.close()


class _HitStream(Iterator[Hit]):
    """Hits made one at a time from ranked documents; the searcher closes when done or closed.

    A class, not a generator: a generator closed before its first item never runs its finally, so
    an export abandoned before it started would keep its searcher open.
    """

    def __init__(self, page: Iterator[tuple[int, float]], make: Callable[[int, float], Hit], searcher: Searcher) -> None:
        self._page = page
        self._make = make
        self._searcher: Searcher | None = searcher

    def __next__(self) -> Hit:
        if self._searcher is None:
            raise StopIteration
        try:
            docnum, score = next(self._page)
            return self._make(docnum, score)
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


class SearchService:
    """Searches one index directory; safe to share between threads."""

    def __init__(self, index_dir: Path | str | None = None) -> None:
        self.index_dir = resolve_index_dir(index_dir)
        self._lock = threading.Lock()
        self._generation: _Generation | None = None
        self._warm = False  # whether each new generation's vocabulary is read ahead (see warm)
        self._answered = threading.Event()  # set once a search has been answered

    # -- generations -------------------------------------------------------------------------

    def _current(self) -> _Generation:
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
            self._generation = _Generation(live, stamp)
            if self._warm:
                self._read_vocabulary_soon(self._generation)
            if gen is not None:
                # Searchers of the old generation still in use close when given back (_searcher).
                gen.close_idle()
            return self._generation

    @contextlib.contextmanager
    def _searcher(self, gen: _Generation) -> Iterator[Searcher]:
        """Borrow one of gen's pooled Whoosh searchers for one request (waits while all are busy)."""
        with gen.slots:
            try:
                searcher = gen.idle.get_nowait()
            except queue.Empty:
                searcher = gen.live.ix.searcher()
            try:
                yield searcher
            finally:
                if self._generation is gen:
                    gen.idle.put(searcher)
                else:
                    searcher.close()

    def warm(self) -> None:
        """Open the live generation and load the segmenter now, so the first search is fast.

        The vocabulary and titles (completion, pinyin, corrections) are read in the background for
        this and every later generation, so that no keystroke waits for them; the first time only
        once a first request was answered (or READ_AHEAD_WAIT_S passed), so the reading does not
        slow that answer down.
        """
        started = self._generation
        self._warm = True
        gen = self._current()
        words("援疆")
        if gen is started:  # a generation opened just now has its reading started already
            self._read_vocabulary_soon(gen)

    def _read_vocabulary_soon(self, gen: _Generation) -> None:
        """Read a generation's vocabulary and titles in a background thread."""

        def read() -> None:
            self._answered.wait(READ_AHEAD_WAIT_S)
            gen.vocabulary()
            gen.titles()

        threading.Thread(target=read, name="xjsearch-vocabulary", daemon=True).start()

    @property
    def generation(self) -> int:
        """The number of the live generation."""
        return self._current().number

    # -- searching ---------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search: one page of highlighted hits, the total and the facet counts."""
        started = time.perf_counter()
        checked = check_request(request)
        gen = self._current()
        expansion = self._expand(gen, checked.parsed)
        checked = replace(checked, parsed=expansion.parsed)
        with self._searcher(gen) as searcher:
            chosen = self._select(gen, searcher, request, checked, with_facets=True)
            total = chosen.final.bit_count()
            start = (request.page - 1) * request.per_page
            page = self._page(gen, chosen, request.sort, start, start + request.per_page)
            hits = tuple(self._hit(gen, searcher, docnum, score, checked.parsed) for docnum, score in page)
            correction = self._did_you_mean(gen, searcher, request, checked, total) if total < FEW_RESULTS else None
            explanations = tuple(self._explanations(gen, expansion))
            took_ms = (time.perf_counter() - started) * 1000
            self._answered.set()
            return SearchResult(request, total, round(took_ms, 2), hits, chosen.facets, correction, explanations)

    def _expand(self, gen: _Generation, parsed: ParsedQuery) -> Expansion:
        """The query with aliases and pinyin readings added (search.expansion)."""
        return expand(parsed, gen.vocabulary)

    def _explanations(self, gen: _Generation, expansion: Expansion) -> Iterator[str]:
        """How the query's terms were read, naming only the aliases some article uses."""
        for reading in expansion.readings:
            if reading.kind == "alias":
                used = tuple(a for a in reading.found if gen.occurs(a))
                if not used:
                    continue
                reading = replace(reading, found=used)
            yield reading.explain()

    def _did_you_mean(
        self, gen: _Generation, searcher: Searcher, request: SearchRequest, checked: _Checked, total: int
    ) -> str | None:
        """The query with its words corrected (same or near pinyin, one character off), if it finds more."""
        if self._warm and gen.unread_vocabulary():
            # A server reads it in the background: waiting here would hold a pooled searcher.
            return None
        vocabulary = gen.vocabulary()
        text = checked.parsed.text
        fixes: list[tuple[str, str]] = []
        for term in positive_terms(checked.parsed.root)[:MAX_CORRECTED_TERMS]:
            typed = term.text.strip()
            if is_pinyin_text(typed):
                continue
            right = vocabulary.correction(typed)
            if right is not None:
                fixes.append((typed, right))
            else:
                fixes.extend((w, r) for w in words(typed) if len(w) > 1 and (r := vocabulary.correction(w)) is not None)
        fixes = [(wrong, right) for wrong, right in fixes if wrong in text]
        # Every word corrected at once first (和天 干布 → 和田 干部), then each alone.
        tries = ([fixes] if len(fixes) > 1 else []) + [[fix] for fix in fixes]
        for attempt in tries:
            fixed = text
            for wrong, right in attempt:
                fixed = fixed.replace(wrong, right, 1)
            try:
                again = check_request(replace(request, query=fixed, page=1))
            except BadQuery:
                continue
            again = replace(again, parsed=self._expand(gen, again.parsed).parsed)
            if self._select(gen, searcher, request, again, with_facets=False).final.bit_count() > total:
                return fixed
        return None

    def iter_hits(self, request: SearchRequest) -> tuple[int, Iterator[Hit]]:
        """Every hit of a search in order, all pages (page and per_page are ignored), for export.

        The request is checked and the matches found before this returns, so a bad query raises
        here and not half-way through a stream. The hits are made one at a time as the iterator
        is read, from a searcher of their own: a slow reader holds none of the pooled searchers,
        and a new index generation appearing meanwhile does not change what is exported.
        """
        checked = check_request(replace(request, page=1))
        gen = self._current()
        checked = replace(checked, parsed=self._expand(gen, checked.parsed).parsed)
        searcher = gen.live.ix.searcher()
        try:
            chosen = self._select(gen, searcher, request, checked, with_facets=False)
            total = chosen.final.bit_count()
            page = self._page(gen, chosen, request.sort, 0, total)
        except BaseException:
            searcher.close()
            raise
        return total, _HitStream(iter(page), lambda d, s: self._hit(gen, searcher, d, s, checked.parsed), searcher)

    def _select(
        self, gen: _Generation, searcher: Searcher, request: SearchRequest, checked: _Checked, with_facets: bool
    ) -> _Chosen:
        """The documents a request chooses: the query's ranked matches, filtered, with facet counts."""
        ranked: Ranked | None = None
        if checked.parsed.is_empty:
            match_bits = gen.all_bits
        else:
            ranked, match_bits = gen.matches(searcher, checked.parsed)
        base = match_bits
        if checked.date_from or checked.date_to:
            base &= gen.range_bits(checked.date_from, checked.date_to)
        selections = {facet: gen.selection_bits(facet, selected(request, facet)) for facet in FACETS}
        facets = self._facet_counts(gen, request, base, selections) if with_facets else {}
        final = base
        for bits in selections.values():
            if bits is not None:
                final &= bits
        return _Chosen(ranked, match_bits, final, facets)

    def _page(self, gen: _Generation, chosen: _Chosen, sort: str, start: int, stop: int) -> list[tuple[int, float]]:
        """The docnums and scores of one page of the chosen documents, in the requested order."""
        ranked, final = chosen.ranked, chosen.final
        if ranked is None:
            order = gen.newest_first
            docs = order[gen.mask_of_bits(final)[order]]
            return [(d, 0.0) for d in docs[start:stop].tolist()]
        docs, scores = ranked.docs, ranked.scores
        if final != chosen.match_bits:
            keep = gen.mask_of_bits(final)[docs]
            docs, scores = docs[keep], scores[keep]
        if sort == "date":
            order = np.lexsort((docs, -scores, -gen.day_rank[docs]))[start:stop]
            docs, scores = docs[order], scores[order]
        else:
            docs, scores = docs[start:stop], scores[start:stop]
        return list(zip(docs.tolist(), scores.tolist()))

    def _facet_counts(
        self,
        gen: _Generation,
        request: SearchRequest,
        base: int,
        selections: dict[str, int | None],
    ) -> dict[str, tuple[FacetValue, ...]]:
        """Each facet's counts under the query and every other facet's selection."""
        out: dict[str, tuple[FacetValue, ...]] = {}
        for facet in FACETS:
            mask = base
            for other, bits in selections.items():
                if other != facet and bits is not None:
                    mask &= bits
            chosen = set(selected(request, facet))
            if facet in gen.entities:
                out[facet] = self._pair_counts(gen.entities[facet], gen.mask_of_bits(mask), chosen)
                continue
            table = gen.facet_bits[facet]
            if facet == "month":
                years = set(request.years) | {m[:4] for m in request.months}
                if not years:
                    # With no year or month chosen the year facet was counted under this very mask,
                    # so when every dated result is of one year its months are shown straight away.
                    found = [fv.value for fv in out["year"] if fv.count]
                    years = set(found) if len(found) == 1 else set()
                if not years:
                    out[facet] = tuple(FacetValue(v, 0, True) for v in sorted(chosen))
                    continue
                table = {v: b for v, b in table.items() if v[:4] in years}
            values = []
            for value, bits in table.items():
                count = (mask & bits).bit_count()
                if count or value in chosen:
                    values.append(FacetValue(value, count, value in chosen))
            values.extend(FacetValue(v, 0, True) for v in chosen if v not in table)
            if facet == "year":
                values.sort(key=lambda fv: fv.value, reverse=True)
            elif facet == "month":
                values.sort(key=lambda fv: fv.value)
            else:
                values.sort(key=lambda fv: (-fv.count, fv.value))
            out[facet] = tuple(values)
        return out

    @staticmethod
    def _pair_counts(pairs: PairFacet, mask: np.ndarray, chosen: set[str]) -> tuple[FacetValue, ...]:
        """The most frequent values of a many-valued facet under mask, and every chosen one."""
        counts = pairs.counts(mask)
        values = [FacetValue(v, n, v in chosen) for v, n in pairs.top(counts, ENTITY_FACET_SIZE)]
        listed = {fv.value for fv in values}
        for value in sorted(chosen - listed):
            at = pairs.index.get(value)
            values.append(FacetValue(value, int(counts[at]) if at is not None else 0, True))
        return tuple(values)

    def _hit(self, gen: _Generation, searcher: Searcher, docnum: int, score: float, parsed: ParsedQuery) -> Hit:
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
        )

    # -- reading -----------------------------------------------------------------------------

    def article(self, id: str, query: str = "") -> ArticleView | None:
        """One whole article with every match of query marked, and related articles; None if absent."""
        gen = self._current()
        with self._searcher(gen) as searcher:
            return self._article(gen, searcher, id, query)

    def _article(self, gen: _Generation, searcher: Searcher, id: str, query: str) -> ArticleView | None:
        """article() with a borrowed searcher."""
        docnum = searcher.document_number(id=id)
        if docnum is None:
            return None
        fields = searcher.stored_fields(docnum)
        try:
            typed = self._expand(gen, parse_query(query)).parsed.highlight_terms if query else ()
        except BadQuery:
            typed = ()
        text, title = fields.get("text", ""), fields.get("title", "")
        terms = shown_terms(typed, title, text)
        body, count = article_html(text, match_spans(text, terms, "text"))
        whole = title + "\n" + text
        weighted = self._key_terms(searcher, whole)
        return ArticleView(
            **stored_metadata(fields),
            text=text,
            html=body,
            title_html=mark(title, match_spans(title, terms, "title")),
            matches=count,
            related=self._related(gen, searcher, docnum, weighted),
            people=gen.entities_of("person", docnum, whole),
            orgs=gen.entities_of("org", docnum, whole),
            key_terms=tuple(w for _, w in weighted[:KEY_TERMS_SHOWN]),
        )

    @staticmethod
    def _key_terms(searcher: Searcher, text: str) -> list[tuple[float, str]]:
        """The most distinctive words of text, by tf-idf over the index, best first, with their weights."""
        general = datafiles.stop_words()
        counts = Counter(w for w in words(text) if len(w) > 1 and not w.isdigit() and w not in general)
        weighted = ((tf * searcher.idf(TEXT, w), w) for w, tf in counts.items())
        # Ties (equal weights) go to the earlier word of the text: counts keep first-seen order.
        order = {w: i for i, w in enumerate(counts)}
        return sorted(weighted, key=lambda pair: (-pair[0], order[pair[1]]))[:_KEY_TERMS]

    def _related(
        self, gen: _Generation, searcher: Searcher, docnum: int, weighted: list[tuple[float, str]]
    ) -> tuple[Related, ...]:
        """Articles sharing the most of an article's key terms (weighted), best first."""
        if not weighted:
            return ()
        reader = searcher.reader()
        top = weighted[0][0] or 1.0
        found = gen.collection.related(reader, [(w, max(weight / top, 0.01)) for weight, w in weighted],
                                       docnum, RELATED_COUNT)
        out = []
        for other in found:
            fields = searcher.stored_fields(other)
            out.append(Related(fields["id"], fields.get("title", ""), fields.get("date", ""),
                               fields.get("date_precision", "day")))
        return tuple(out)

    def suggest(self, prefix: str, limit: int = SUGGESTIONS) -> tuple[str, ...]:
        """Up to limit completions of a prefix typed in characters or pinyin: entities, frequent words, titles."""
        prefix = fold(prefix).strip()[:MAX_SUGGEST_PREFIX]
        if not prefix or limit < 1:
            return ()
        # The last word of the query is completed, the words before it kept (上海 援 → 上海 援疆);
        # Latin letters apart are syllables of one word (ke la → 克拉玛依).
        head, _, prefix = ("", "", prefix) if is_pinyin_text(prefix) else prefix.rpartition(" ")
        if head:
            return tuple(f"{head} {s}" for s in self.suggest(prefix, limit))
        gen = self._current()
        found = gen.vocabulary().complete(prefix, limit)
        titles: list[str] = []
        key = stream(prefix)
        if key and not is_pinyin_text(prefix):
            ordered = gen.titles()
            at = bisect.bisect_left(ordered, (key, ""))
            # Titles take at most a third of the places, the rest go to words and names.
            for folded, title in ordered[at : at + min(SUGGEST_TITLES, limit // 3)]:
                if not folded.startswith(key):
                    break
                titles.append(title)
        kept = found[: limit - len(titles)] if len(found) + len(titles) > limit else found
        return tuple(dict.fromkeys([*kept, *titles]))[:limit]

    def stats(self) -> IndexStats:
        """What the index holds: article count, size, generation, build time, facet value counts."""
        gen = self._current()
        meta = gen.live.meta
        facets = {
            facet: tuple(
                sorted(
                    (FacetValue(v, (b & gen.all_bits).bit_count()) for v, b in gen.facet_bits[facet].items()),
                    key=lambda fv: (-fv.count, fv.value),
                )
            )
            for facet in ("region", "sector", "aid_from", "source", "year")
        }
        return IndexStats(
            articles=gen.all_bits.bit_count(),
            size_bytes=store.directory_size(gen.live.path),
            generation=gen.number,
            built_at=str(meta.get("built_at", "")),
            build_seconds=float(meta.get("build_seconds", 0.0)),
            date_min=str(gen.dates[0]) if len(gen.dates) else None,
            date_max=str(gen.dates[-1]) if len(gen.dates) else None,
            facets={k: tuple(fv for fv in v if fv.count) for k, v in facets.items()},
        )

    def close(self) -> None:
        """Release the open generation and its idle searchers."""
        with self._lock:
            if self._generation is not None:
                self._generation.close()
                self._generation = None


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


def result_to_json(result: SearchResult) -> dict[str, Any]:
    """The JSON shape of a result, shared by `xjsearch search --json` and the web API."""
    return {
        "query": result.request.query,
        "total": result.total,
        "took_ms": result.took_ms,
        "page": result.request.page,
        "per_page": result.request.per_page,
        "hits": [
            {
                "id": h.id,
                "title": h.title,
                "date": h.date,
                "date_precision": h.date_precision,
                "source": h.source,
                "regions": list(h.regions),
                "sectors": list(h.sectors),
                "aid_from": list(h.aid_from),
                "people": list(h.people),
                "orgs": list(h.orgs),
                "score": h.score,
                "snippet": h.snippet,
            }
            for h in result.hits
        ],
        "facets": {
            facet: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
            for facet, values in result.facets.items()
        },
        "did_you_mean": result.did_you_mean,
        "explanations": list(result.explanations),
    }
