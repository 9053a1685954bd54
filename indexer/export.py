"""Export every indexed article as JSONL or CSV, from the stored fields of the live index.

The writing of rows as JSON Lines or CSV (lines) is shared with the exports of a search (search.export).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # whoosh is imported only when an index is read, not by `xjsearch --help`
    from indexer.store import Live

FORMATS = ("jsonl", "csv")
COLUMNS = ("id", "title", "date", "date_precision", "source", "regions", "sectors", "aid_from", "text")
# Multi-valued fields in CSV cells are joined with this separator (no region name contains it).
CSV_SEPARATOR = "|"


class _Echo:
    """A file that hands back what is written to it, so csv.writer.writerow returns its line."""

    def write(self, text: str) -> str:
        """The text, unchanged."""
        return text


def _cell(value: Any) -> Any:
    """One CSV cell: a list or tuple joined with CSV_SEPARATOR, anything else as it is."""
    return CSV_SEPARATOR.join(value) if isinstance(value, (list, tuple)) else value


def lines(rows: Iterable[Mapping[str, Any]], fmt: str, columns: Sequence[str]) -> Iterator[str]:
    """rows as text, a line at a time: JSON objects (fmt "jsonl"), or CSV with a header row of columns first.

    Nothing is held but the line being written, so a caller can stream any number of rows.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "jsonl":
        return (json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return _csv_lines(rows, columns)


def _csv_lines(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    """rows as CSV lines, after a header row of columns."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([_cell(row[c]) for c in columns])


def _rows(live: Live) -> Iterator[dict[str, Any]]:
    """Every live article of an opened index as a dict of the export columns, in id order."""
    from indexer.schema import stored_metadata

    with live.ix.searcher() as searcher:
        # The id lexicon is sorted, so articles stream out in id order without being held.
        for article_id in searcher.reader().field_terms("id"):
            docnum = searcher.document_number(id=article_id)
            if docnum is None:
                continue  # a deleted document's term lingers until segments merge
            fields = searcher.stored_fields(docnum)
            row = {k: list(v) if isinstance(v, tuple) else v for k, v in stored_metadata(fields).items()}
            yield {**row, "text": fields.get("text", "")}


def iter_articles(index_dir: Path) -> Iterator[dict[str, Any]]:
    """Every live article of the index as a dict of the export columns, in id order."""
    from indexer.store import open_live

    live = open_live(index_dir)
    try:
        yield from _rows(live)
    finally:
        live.ix.close()


def export_articles(index_dir: Path, fmt: str, out: TextIO) -> int:
    """Write every article of the index to out as JSONL or CSV; returns how many were written.

    The index is opened before anything is written, so a missing or unreadable one leaves out empty.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    from indexer.store import open_live

    live = open_live(index_dir)
    count = 0
    try:
        for line in lines(_rows(live), fmt, COLUMNS):
            out.write(line)
            count += 1
        return count - (fmt == "csv")  # the header row is no article
    finally:
        live.ix.close()
