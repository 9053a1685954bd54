"""One opened index generation: what every request of that generation shares.

When a generation is opened, its gram files are mapped (search.execution.Collection) and every
facet value's documents are read once from Whoosh's inverted index into a bitset (a Python int,
bit n = document number n), instead of going through Whoosh's generic grouping; filters and facet
counts are then bitwise ANDs and popcounts (search.facets). The people and organisations facets,
which may have thousands of values, are kept as (document, value) arrays instead. The generation
also holds the dates in order, a cache of recent queries' ranked matches, its searcher pool
(search.pool), and its vocabulary and titles, read when first needed (search.vocabulary).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import replace

import numpy as np
from whoosh.searching import Searcher

from corpus import datafiles
from indexer import store
from indexer.analysis import in_dictionary, stream
from indexer.grams import file_name, read_arrays
from indexer.reprints import live_mask, read_groups
from indexer.schema import HEADING, TEXT, TITLE
from search.execution import Collection, Ranked
from search.expansion import Expansion, expand
from search.facets import PairFacet
from search.grams import GramSegment
from search.limits import check_reads
from search.model import FACETS
from search.pool import SearcherPool
from search.query import ParsedQuery
from search.reprints import Groups
from search.vocabulary import WORD_SHAPE, Vocabulary

MATCH_CACHE_SIZE = 64
MATCH_CACHE_DOCS = 2_000_000  # ranked documents held: 16 bytes each (number and score), about 32 MB
ENTITY_FACETS = ("person", "org")


def bits_of_mask(mask: np.ndarray) -> int:
    """A bitset (int) with bit n set where mask[n] is true."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


class Generation:
    """One opened index generation: its gram segments, facet bitsets and caches, shared by every thread."""

    def __init__(self, live: store.Live, stamp: int | None) -> None:
        self.live = live
        self.stamp = stamp
        self.number = live.generation
        self.pool = SearcherPool(live.ix)
        with live.ix.searcher() as searcher:
            reader = searcher.reader()
            self.doc_count_all = reader.doc_count_all()
            self.nbytes = (self.doc_count_all + 7) // 8 or 1
            alive = live_mask(reader)
            self.all_bits = bits_of_mask(alive)
            segments = []
            segment_ids = []
            for sub, base in reader.leaf_readers():
                segment = sub.segment()
                if segment is None:
                    continue
                segment_ids.append(segment.segment_id())
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
        self.dated = alive & (column != "")  # a bool per document: live and dated
        # Reprint groups (indexer.reprints), found when the generation was written.
        self.reprints = Groups(read_groups(live.path, segment_ids, self.doc_count_all), alive, self.day_rank,
                               self.dated)
        self._range_cache: dict[tuple[str | None, str | None], int] = {}
        # Ranked matches of recent queries: choosing facets, dates or pages re-runs none of them.
        self._matches: OrderedDict[str, tuple[Ranked, int]] = OrderedDict()
        self._cached_docs = 0
        self._lock = threading.Lock()
        self._occurs: dict[str, bool] = {}
        self._vocabulary: Vocabulary | None = None
        self._titles: list[tuple[str, str]] | None = None  # (title's stream, title), sorted
        self._vocabulary_lock = threading.Lock()

    # -- words and titles, read when first needed --------------------------------------------

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

    def matches(self, searcher: Searcher, parsed: ParsedQuery) -> tuple[Ranked, int]:
        """A query's matches, best first, and their bitset (cached per query); BadQuery if it reads too much."""
        key = repr(parsed.root)
        with self._lock:
            cached = self._matches.get(key)
            if cached is not None:
                self._matches.move_to_end(key)
                return cached
        reader = searcher.reader()
        check_reads(self.collection, reader, parsed)  # BadQuery when it would read too much
        ranked = self.collection.rank(reader, parsed)
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

    # -- documents as bitsets ----------------------------------------------------------------

    def entities_of(self, facet: str, docnum: int, text: str) -> tuple[str, ...]:
        """A document's people or organisations (facet "person" or "org"), in order of appearance in text."""
        values = self.entities[facet].of_document(docnum)
        return tuple(sorted(values, key=lambda v: (p if (p := text.find(v)) >= 0 else len(text), v)))

    def bits_of_docs(self, docs: np.ndarray) -> int:
        """The bitset of an array of document numbers."""
        mask = np.zeros(self.doc_count_all, dtype=bool)
        mask[docs] = True
        return bits_of_mask(mask)

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

    def close(self) -> None:
        """Close the idle searchers (the others when given back) and the Whoosh index object."""
        self.pool.retire()
        self.live.ix.close()
