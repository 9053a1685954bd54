"""Facets: each generation's facet values per document, and counting them under a request.

Every facet is a FacetColumn: its values (sorted) and, for each document number, the codes of the
values it has (offsets and codes, as in a compressed sparse row matrix). They are put together
when a generation is opened from its segments' document tables (indexer.doctable: written with
each segment), the year and month from the dates. A request counts a facet with one bincount
over the codes of the documents it chose, and tests a selection by looking those documents' codes
up — work in proportion to the documents matched, not to the archive. (A bitset of the whole
archive per value cost every request a pass over the archive per value, and reading them from the
postings made opening a generation as slow as the archive is large.)

Only documents that are a large part of the archive (a common word's hundreds of thousands) are
counted the other way round, for a facet of several values per document: from each value's
documents (ValueSets, made from the columns once per generation), a bitset of the archive for a
common value, among the chosen documents marked as bits — there a pass over the archive per value
costs less than going through each chosen document's codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from indexer.doctable import FACET_FIELDS, DocTable
from search.grams import runs
from search.model import FACETS, UNDATED, FacetValue, SearchRequest, selected

ENTITY_FACETS = ("person", "org")
ENTITY_FACET_SIZE = 30  # values of the person and org facets listed at most (the most frequent)
# A many-valued facet is counted over documents that are at least one in MARK_SHARE of the archive
# from its values' documents (ValueSets) rather than from theirs. A value of at least one document
# in COMMON_SHARE keeps them as a bitset: at most 16 bytes per document listed (a list of their
# numbers takes 4), and counted from it several times faster.
MARK_SHARE = 16
COMMON_SHARE = 128


@dataclass(frozen=True, slots=True)
class Archive:
    """What counting a facet over part of the archive may start from: the whole of it."""

    live: np.ndarray  # a bool per document: not deleted
    count: int  # live documents
    counts: Mapping[str, np.ndarray]  # each facet's counts over every live document


@dataclass(frozen=True, slots=True)
class Marks:
    """Some documents as a bool per document number and as the same bits packed 64 to a word."""

    bools: np.ndarray
    words: np.ndarray

    @classmethod
    def of(cls, docs: np.ndarray, documents: int) -> Marks:
        """The marks of docs among documents numbered from 0."""
        bools = np.zeros(-(-documents // 64) * 64, dtype=bool)
        bools[docs] = True
        return cls(bools, np.packbits(bools).view(np.uint64))


class ValueSets:
    """The documents of each value of a many-valued facet, for counting many documents at once: a
    common value's as a bitset (their count among marked documents is a population count of an AND),
    the others' as ascending lists (looked up among the marks). The column the other way round.
    """

    def __init__(self, offsets: np.ndarray, codes: np.ndarray, values: int) -> None:
        documents = len(offsets) - 1
        owner = np.repeat(np.arange(documents, dtype=np.int32), np.diff(offsets))
        # Stable, so each value's documents stay ascending: a radix sort when codes fit a byte.
        order = np.argsort(codes.astype(np.uint8) if values <= 1 << 8 else codes, kind="stable")
        members, sorted_codes = owner[order], codes[order]
        # A document listing a value twice counts twice per document, once here: such a column is
        # counted the other way.
        self.distinct = not bool(np.any((members[1:] == members[:-1]) & (sorted_codes[1:] == sorted_codes[:-1])))
        sizes = np.bincount(codes, minlength=values)
        bounds = np.concatenate(([0], np.cumsum(sizes)))
        common = (sizes > 0) & (sizes * COMMON_SHARE >= documents)
        self.values = values
        self.common = np.flatnonzero(common)
        self.bits = np.zeros((len(self.common), -(-documents // 64)), dtype=np.uint64)
        for row, value in enumerate(self.common.tolist()):
            self.bits[row] = Marks.of(members[bounds[value] : bounds[value + 1]], documents).words
        self.rare = np.flatnonzero(~common)
        self.rare_members = members[np.repeat(~common, sizes)]
        self.rare_bounds = np.concatenate(([0], np.cumsum(sizes[self.rare])))
        self._place = {value: (True, row) for row, value in enumerate(self.common.tolist())}
        self._place.update({value: (False, at) for at, value in enumerate(self.rare.tolist())})

    def holding(self, codes: Sequence[int]) -> np.ndarray:
        """A bool per document (and a few more, up to a whole word): whether it has any of the
        values coded (the bitsets of the common ones ORed, the others' documents marked)."""
        words = np.zeros(self.bits.shape[1], dtype=np.uint64)
        rare = []
        for code in codes:
            if code in self._place:
                common, at = self._place[code]
                if common:
                    words |= self.bits[at]
                else:
                    rare.append(at)
        held = np.unpackbits(words.view(np.uint8)).view(bool)
        for at in rare:
            held[self.rare_members[self.rare_bounds[at] : self.rare_bounds[at + 1]]] = True
        return held

    def counts(self, marks: Marks) -> np.ndarray:
        """How many of the marked documents have each value."""
        out = np.zeros(self.values, dtype=np.int64)
        if len(self.common):
            out[self.common] = np.bitwise_count(self.bits & marks.words).sum(axis=1, dtype=np.int64)
        if len(self.rare_members):
            held = np.zeros(len(self.rare_members) + 1, dtype=np.int64)
            np.cumsum(marks.bools[self.rare_members], out=held[1:])
            out[self.rare] = held[self.rare_bounds[1:]] - held[self.rare_bounds[:-1]]
        return out


class FacetColumn:
    """One facet: its sorted values and each document's value codes."""

    def __init__(self, values: Sequence[str], offsets: np.ndarray, codes: np.ndarray) -> None:
        self.values = list(values)
        self.index = {value: i for i, value in enumerate(self.values)}
        self.offsets = offsets  # documents + 1
        self.codes = codes
        lengths = np.diff(offsets)
        # A facet of at most one value per document (a year, a month, a source) also keeps its
        # code per document, -1 for none: counting it is one lookup per document.
        self.single: np.ndarray | None = None
        if not len(lengths) or int(lengths.max()) <= 1:
            self.single = np.full(len(lengths), -1, dtype=np.int32)
            self.single[lengths == 1] = codes
        self._sets: ValueSets | None = None

    @classmethod
    def single_valued(cls, values: Sequence[str], codes: np.ndarray) -> FacetColumn:
        """A facet of at most one value per document (codes: one per document, -1 for none)."""
        has = codes >= 0
        offsets = np.zeros(len(codes) + 1, dtype=np.int64)
        np.cumsum(has, out=offsets[1:])
        return cls(values, offsets, codes[has].astype(np.int32))

    def _places(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The positions in docs of the documents having values, how many each has, and the place in
        codes of every value of them, document by document.

        The places are the documents' ranges of codes laid end to end: a run of ones (each next
        place) restarted at each document's start, summed up — one pass, not one per document.
        """
        starts = self.offsets[docs]
        lengths = self.offsets[docs + 1] - starts
        rows = np.flatnonzero(lengths)
        starts, lengths = starts[rows], lengths[rows]
        if not len(rows):
            return rows, lengths, rows
        ends = np.cumsum(lengths)
        step = np.ones(int(ends[-1]), dtype=np.int64)
        step[0] = starts[0]
        # Where a document's codes begin, jump from the previous document's last place to its first.
        step[ends[:-1]] = starts[1:] - (starts[:-1] + lengths[:-1]) + 1
        return rows, lengths, np.cumsum(step)

    def codes_of(self, docs: np.ndarray) -> np.ndarray:
        """The codes of every value of the documents docs (a document's in its order, documents in docs' order)."""
        if self.single is not None:
            found = self.single[docs]
            return found[found >= 0]
        return self.codes[self._places(docs)[2]]

    def counts(self, docs: np.ndarray) -> np.ndarray:
        """How many of docs have each value."""
        return np.bincount(self.codes_of(docs), minlength=len(self.values))

    def value_sets(self) -> ValueSets | None:
        """The documents of each value (made when first asked; computed twice in a race: the same),
        for a many-valued facet whose documents list each value once; else None."""
        if self.single is not None:
            return None
        if self._sets is None:
            self._sets = ValueSets(self.offsets, self.codes, len(self.values))
        return self._sets if self._sets.distinct else None

    def having(self, docs: np.ndarray, values: Sequence[str]) -> np.ndarray:
        """A bool per document of docs: whether it has any of values."""
        wanted = [self.index[v] for v in values if v in self.index]
        if not wanted:
            return np.zeros(len(docs), dtype=bool)
        if self.single is not None:
            return np.isin(self.single[docs], wanted)
        if MARK_SHARE * len(docs) >= len(self.offsets) - 1 and (sets := self.value_sets()) is not None:
            return sets.holding(wanted)[docs]
        rows, lengths, places = self._places(docs)
        found = np.zeros(len(docs), dtype=bool)
        found[np.repeat(rows, lengths)[np.isin(self.codes[places], wanted)]] = True
        return found

    def of_document(self, docnum: int) -> list[str]:
        """The values one document has."""
        return [self.values[c] for c in self.codes[self.offsets[docnum] : self.offsets[docnum + 1]].tolist()]

    def top(self, counts: np.ndarray, limit: int) -> list[tuple[str, int]]:
        """The values with the highest non-zero counts, most first (ties in value order), at most limit."""
        found = np.flatnonzero(counts)
        best = found[np.lexsort((found, -counts[found]))][:limit]
        return [(self.values[i], int(counts[i])) for i in best.tolist()]


def combine(tables: Sequence[DocTable], documents: int) -> tuple[np.ndarray, dict[str, FacetColumn]]:
    """The dates and facet columns of a generation whose segments have tables, in document order."""
    dates = np.concatenate([t.dates for t in tables]).astype(np.int32) if tables else np.zeros(0, np.int32)
    if len(dates) != documents:
        raise ValueError(f"document tables hold {len(dates)} documents, the index {documents}")
    columns: dict[str, FacetColumn] = {}
    for field in FACET_FIELDS:
        values = sorted(set().union(*(t.facets[field].values for t in tables)))
        lookup = np.asarray(values, dtype=object)
        codes, lengths = [], []
        for table in tables:
            rows = table.facets[field]
            recode = np.searchsorted(lookup, np.asarray(rows.values, dtype=object)).astype(np.int32) \
                if rows.values else np.zeros(0, dtype=np.int32)
            codes.append(recode[rows.codes] if len(rows.codes) else np.zeros(0, np.int32))
            lengths.append(rows.lengths())
        offsets = np.zeros(documents + 1, dtype=np.int64)
        if lengths:
            np.cumsum(np.concatenate(lengths), out=offsets[1:])
        columns[field] = FacetColumn(values, offsets, np.concatenate(codes) if codes else np.zeros(0, np.int32))
    for facet, digits, shown in (("year", 10000, _year), ("month", 100, _month)):
        numbers = np.where(dates > 0, dates // digits, -1)
        # Not np.unique, whose first call imports numpy.ma (about 15 ms of a terminal search).
        found = runs(np.sort(numbers[numbers >= 0]))[0]
        codes = np.where(numbers >= 0, np.searchsorted(found, numbers), -1)
        values = [shown(int(n)) for n in found.tolist()]
        if facet == "year" and (dates == 0).any():
            # An undated article is counted in the year facet's 日期不详 bucket (and in no month).
            codes = np.where(dates == 0, len(values), codes)
            values.append(UNDATED)
        columns[facet] = FacetColumn.single_valued(values, codes)
    return dates, columns


def _year(number: int) -> str:
    return f"{number:04d}"


def _month(number: int) -> str:
    return f"{number // 100:04d}-{number % 100:02d}"


def count_facets(
    columns: Mapping[str, FacetColumn],
    request: SearchRequest,
    counted: Mapping[str, np.ndarray | None],
    archive: Archive,
) -> dict[str, tuple[FacetValue, ...]]:
    """Each facet's values and counts; counted[facet] holds the (distinct, live) documents it is
    counted over, None for every live document.

    Documents that are most of the archive (a word in most articles) are counted as the archive's
    counts less those of the live documents left out, which are fewer; a many-valued facet is
    counted over a large part of it from its values' documents (ValueSets), among the marked ones.
    """
    out: dict[str, tuple[FacetValue, ...]] = {}
    left_out: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # id of counted docs → (them, the others)
    marked: dict[int, tuple[np.ndarray, Marks]] = {}  # id of counted docs → (them, their marks)

    def count_of(column: FacetColumn, facet: str, docs: np.ndarray | None) -> np.ndarray:
        if docs is None:
            return archive.counts[facet]
        if MARK_SHARE * len(docs) >= len(archive.live) and (sets := column.value_sets()) is not None:
            if id(docs) not in marked:
                marked[id(docs)] = (docs, Marks.of(docs, len(archive.live)))
            return sets.counts(marked[id(docs)][1])
        if 2 * len(docs) <= archive.count:
            return column.counts(docs)
        if id(docs) not in left_out:
            others = archive.live.copy()
            others[docs] = False
            left_out[id(docs)] = (docs, np.flatnonzero(others))
        return archive.counts[facet] - column.counts(left_out[id(docs)][1])

    for facet in FACETS:
        column = columns[facet]
        counts = count_of(column, facet, counted[facet])
        chosen = set(selected(request, facet))
        if facet in ENTITY_FACETS:
            out[facet] = _top_values(column, counts, chosen)
            continue
        shown = range(len(column.values))
        if facet == "month":
            years = set(request.years) | {m[:4] for m in request.months}
            if not years:
                # With no year or month chosen the year facet was counted under this very set, so
                # when every dated result is of one year its months are shown straight away.
                found = [fv.value for fv in out["year"] if fv.count]
                years = set(found) if len(found) == 1 else set()
            if not years:
                out[facet] = tuple(FacetValue(v, 0, True) for v in sorted(chosen))
                continue
            shown = [i for i, v in enumerate(column.values) if v[:4] in years]
        values = [FacetValue(column.values[i], int(counts[i]), column.values[i] in chosen)
                  for i in shown if counts[i] or column.values[i] in chosen]
        values.extend(FacetValue(v, 0, True) for v in chosen if v not in column.index)
        if facet == "year":
            # Newest first; the 日期不详 bucket last.
            values.sort(key=lambda fv: (fv.value != UNDATED, fv.value), reverse=True)
        elif facet == "month":
            values.sort(key=lambda fv: fv.value)
        else:
            values.sort(key=lambda fv: (-fv.count, fv.value))
        out[facet] = tuple(values)
    return out


def _top_values(column: FacetColumn, counts: np.ndarray, chosen: set[str]) -> tuple[FacetValue, ...]:
    """The most frequent values of a many-valued facet, and every chosen one."""
    values = [FacetValue(v, n, v in chosen) for v, n in column.top(counts, ENTITY_FACET_SIZE)]
    listed = {fv.value for fv in values}
    for value in sorted(chosen - listed):
        at = column.index.get(value)
        values.append(FacetValue(value, int(counts[at]) if at is not None else 0, True))
    return tuple(values)
