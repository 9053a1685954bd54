"""Each segment's document table: every document's date and facet values, as arrays (<segment>.docs).

Search filters by date and counts facet values over the documents a query matched. Reading those
values back from Whoosh's inverted index when a generation is opened (a bitset per facet value,
the dates from a column as strings) took time and memory in proportion to the archive, and a
request paid for a bitset the size of the archive per value. So each segment gets, beside its
gram file, a table written with it (by the segment writer, from the documents it writes; by a
merge, from its inputs' tables): per document its date as a number (YYYYMMDD, 0 when undated)
and, for each facet field, its values as codes into the segment's sorted list of values (rows of
a compressed sparse layout: offsets per document, codes). The year and month facets are the
date's first digits.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.arrayfile import map_arrays, write_arrays

log = logging.getLogger(__name__)

SUFFIX = ".docs"
_MAGIC = b"XJDOCS01"
FACET_FIELDS = ("source", "region", "sector", "aid_from", "person", "org")


def file_name(segment_id: str) -> str:
    """The document table file name of a Whoosh segment."""
    return segment_id + SUFFIX


def date_number(date: str | None) -> int:
    """A YYYY-MM-DD date as the number YYYYMMDD; 0 for no date."""
    return int(date.replace("-", "")) if date else 0


@dataclass(frozen=True, slots=True)
class Rows:
    """One facet field of a table: the values (sorted), and each document's codes into them."""

    values: tuple[str, ...]
    offsets: np.ndarray  # documents + 1: document d's codes are codes[offsets[d]:offsets[d + 1]]
    codes: np.ndarray  # int32

    def lengths(self) -> np.ndarray:
        """How many values each document has."""
        return np.diff(self.offsets)


@dataclass(frozen=True, slots=True)
class DocTable:
    """The dates and facet values of a segment's documents (deleted ones included)."""

    dates: np.ndarray  # int32, YYYYMMDD or 0
    facets: Mapping[str, Rows]

    @property
    def documents(self) -> int:
        """How many documents the table holds."""
        return len(self.dates)


def write_table(path: Path, table: DocTable) -> None:
    """Write a document table file."""
    arrays: dict[str, np.ndarray] = {"dates": table.dates.astype(np.int32)}
    for field, rows in table.facets.items():
        arrays[f"{field}.offsets"] = rows.offsets.astype(np.int64)
        arrays[f"{field}.codes"] = rows.codes.astype(np.int32)
    write_arrays(path, _MAGIC, arrays, {"values": {field: list(rows.values) for field, rows in table.facets.items()}})


def read_table(path: Path) -> DocTable:
    """Map a document table file (IndexCorrupt if it cannot be read)."""
    names = ("dates", *(f"{f}.{part}" for f in FACET_FIELDS for part in ("offsets", "codes")))
    arrays, meta = map_arrays(path, _MAGIC, names, "document table")
    facets = {f: Rows(tuple(meta["values"][f]), arrays[f"{f}.offsets"], arrays[f"{f}.codes"]) for f in FACET_FIELDS}
    return DocTable(arrays["dates"], facets)


class _RowsWriter:
    """One facet field's rows, a document at a time."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}
        self.codes = array("i")
        self.offsets = array("q", [0])

    def add(self, values: Sequence[str]) -> None:
        for value in values:
            code = self.values.get(value)
            if code is None:
                code = self.values[value] = len(self.values)
            self.codes.append(code)
        self.offsets.append(len(self.codes))

    def rows(self) -> Rows:
        ordered = sorted(self.values)
        rank = np.empty(len(ordered), dtype=np.int32)
        rank[[self.values[v] for v in ordered]] = np.arange(len(ordered), dtype=np.int32)
        codes = rank[np.frombuffer(self.codes, dtype=np.int32)] if len(self.codes) else np.zeros(0, dtype=np.int32)
        return Rows(tuple(ordered), np.frombuffer(self.offsets, dtype=np.int64).copy(), codes)


class TableWriter:
    """Builds a segment's document table from the Whoosh documents it is written from."""

    def __init__(self) -> None:
        self._dates = array("i")
        self._rows = {field: _RowsWriter() for field in FACET_FIELDS}

    def add(self, fields: Mapping[str, Any]) -> None:
        """Add the next document (the dict of indexer.schema.to_document)."""
        self._dates.append(date_number(fields.get("date")))
        for field, rows in self._rows.items():
            rows.add(fields.get(field) or ())

    def table(self) -> DocTable:
        """The table of the documents added."""
        dates = np.frombuffer(self._dates, dtype=np.int32).copy() if len(self._dates) else np.zeros(0, np.int32)
        return DocTable(dates, {field: rows.rows() for field, rows in self._rows.items()})


def merge_tables(tables: Sequence[DocTable], keep: Sequence[np.ndarray | None]) -> DocTable:
    """The table of the kept documents of tables laid end to end (keep[i]: a bool per document, None: all)."""
    masks = [np.ones(t.documents, dtype=bool) if k is None else np.asarray(k, dtype=bool) for t, k in zip(tables, keep)]
    dates = np.concatenate([t.dates[m] for t, m in zip(tables, masks)]) if tables else np.zeros(0, np.int32)
    facets = {}
    for field in FACET_FIELDS:
        values = tuple(sorted(set().union(*(t.facets[field].values for t in tables))))
        lengths, codes = [], []
        for table, mask in zip(tables, masks):
            rows = table.facets[field]
            recode = np.searchsorted(np.asarray(values, dtype=object), np.asarray(rows.values, dtype=object)) \
                if rows.values else np.zeros(0, dtype=np.int64)
            row_lengths = rows.lengths()
            kept = np.repeat(mask, row_lengths)
            lengths.append(row_lengths[mask])
            codes.append(recode[rows.codes[kept]].astype(np.int32) if kept.any() else np.zeros(0, np.int32))
        all_lengths = np.concatenate(lengths) if lengths else np.zeros(0, np.int64)
        offsets = np.concatenate(([0], np.cumsum(all_lengths))).astype(np.int64)
        facets[field] = Rows(values, offsets, np.concatenate(codes) if codes else np.zeros(0, np.int32))
    return DocTable(dates.astype(np.int32), facets)


def table_from_reader(sub: Any) -> DocTable:
    """The table of a Whoosh segment reader's documents, read from its date column and facet postings.

    For segments written without one (an index written otherwise); deleted documents included.
    """
    count = sub.doc_count_all()
    dates = np.array([date_number(d) for d in sub.column_reader("date")], dtype=np.int32) if count else np.zeros(0, np.int32)
    facets = {}
    for field in FACET_FIELDS:
        values = [term.decode("utf-8") for term in sub.lexicon(field)] if field in sub.indexed_field_names() else []
        docs, codes = [], []
        for code, value in enumerate(values):
            ids = np.fromiter(sub.postings(field, value.encode("utf-8")).all_ids(), dtype=np.int64)
            docs.append(ids)
            codes.append(np.full(len(ids), code, dtype=np.int32))
        all_docs = np.concatenate(docs) if docs else np.zeros(0, np.int64)
        all_codes = np.concatenate(codes) if codes else np.zeros(0, np.int32)
        order = np.lexsort((all_codes, all_docs))
        offsets = np.concatenate(([0], np.cumsum(np.bincount(all_docs, minlength=count)))).astype(np.int64)
        facets[field] = Rows(tuple(values), offsets, all_codes[order])
    return DocTable(dates, facets)


def ensure_tables(ix: Any, directory: Path) -> int:
    """Give every segment of ix a document table (from its postings where it has none); how many were made."""
    made = 0
    with ix.reader() as reader:
        for sub, _ in reader.leaf_readers():
            segment = sub.segment()
            if segment is None or (directory / file_name(segment.segment_id())).exists():
                continue
            write_table(directory / file_name(segment.segment_id()), table_from_reader(sub))
            made += 1
    if made:
        log.info("document tables: %d made from postings", made)
    return made
