"""Export every indexed article as JSONL or CSV, from the stored fields of the live index."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from indexer.schema import stored_metadata
from indexer.store import Live, open_live

FORMATS = ("jsonl", "csv")
COLUMNS = ("id", "title", "date", "date_precision", "source", "regions", "sectors", "aid_from", "text")
# Multi-valued fields in CSV cells are joined with this separator (no region name contains it).
CSV_SEPARATOR = "|"


def _rows(live: Live) -> Iterator[dict[str, Any]]:
    """Every live article of an opened index as a dict of the export columns, in id order."""
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
    live = open_live(index_dir)
    count = 0
    try:
        if fmt == "jsonl":
            for row in _rows(live):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
            return count
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in _rows(live):
            writer.writerow(
                [CSV_SEPARATOR.join(row[c]) if isinstance(row[c], list) else row[c] for c in COLUMNS]
            )
            count += 1
        return count
    finally:
        live.ix.close()
