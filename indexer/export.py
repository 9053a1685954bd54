"""Export every indexed article as JSONL or CSV, from the stored fields of the live index.

The writing of rows as JSON Lines or CSV (lines) is shared with the exports of a search (search.export),
so every CSV xjsearch writes is made here: it starts with a UTF-8 byte order mark (so that spreadsheets
read the Chinese as UTF-8), a cell a spreadsheet would take for a formula is neutralised, and the values
of a multi-valued cell are joined so that they split back exactly. JSON Lines carry every value as it is.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from corpus.article import Origin

if TYPE_CHECKING:  # whoosh is imported only when an index is read, not by `xjsearch --help`
    from indexer.store import Live

FORMATS = ("jsonl", "csv")
COLUMNS = ("id", "title", "date", "date_precision", "source", "regions", "sectors", "aid_from", "text", "origin")
# Multi-valued fields in CSV cells are joined with this separator; a separator or an escape inside a
# value is written after an escape (\| and \\), so splitting at the other separators gives the values back.
CSV_SEPARATOR = "|"
CSV_ESCAPE = "\\"
# A cell starting with one of these is a formula (or the start of one) to a spreadsheet: an article
# titled =HYPERLINK(...) would run. OWASP's advice is to make such a cell text with a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"
# Written first in a CSV, so that spreadsheets read it as UTF-8 rather than the locale's code page.
BYTE_ORDER_MARK = "\ufeff"


class _Echo:
    """A file that hands back what is written to it, so csv.writer.writerow returns its line."""

    def write(self, text: str) -> str:
        """The text, unchanged."""
        return text


def join_values(values: Iterable[str]) -> str:
    """Several values as one CSV cell: joined with CSV_SEPARATOR, each separator or escape in them escaped."""
    return CSV_SEPARATOR.join(
        value.replace(CSV_ESCAPE, CSV_ESCAPE * 2).replace(CSV_SEPARATOR, CSV_ESCAPE + CSV_SEPARATOR)
        for value in values)


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading FORMULA_GUARD if it starts like a formula."""
    return FORMULA_GUARD + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> Any:
    """One CSV cell: a list or tuple joined (join_values), an origin ({"file", "page", "url"}) as its
    label, text neutralised, numbers and None as they are."""
    if isinstance(value, dict):
        value = Origin(**value).label
    if isinstance(value, (list, tuple)):
        value = join_values(value)
    return neutralise(value) if isinstance(value, str) else value


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
    """rows as CSV lines, after a byte order mark and a header row of columns.

    Lines end with CRLF, as RFC 4180 has them: Python's writer quotes a cell holding a line
    terminator's characters, and with LF alone a lone CR in a cell would be written bare and end
    the row early in every reader.
    """
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BYTE_ORDER_MARK + writer.writerow(columns)
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
            origin = row.pop("origin")
            yield {**row, "text": fields.get("text", ""), "origin": origin.to_json()}


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
