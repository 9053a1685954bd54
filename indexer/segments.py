"""Writing segments: articles analysed, buffered, and flushed as a Whoosh segment with its gram file
whenever the buffer reaches a fixed size.

A SegmentBuilder writes one segment at a time into a generation directory: each document's
stored fields and columns go straight to Whoosh's per-document writer (on disk), its postings to
a PostingBuffer, its title and text to a GramWriter and its date and facet values to a document
table (indexer.doctable). When they hold buffer_bytes, the segment is finished — posting lists
written in bulk, the gram file merged from its parts, the table written — and the next one
begins, so a writer's memory is set by buffer_bytes, whatever the number of articles.
The segment is not yet part of any index: whoever builds the generation lists it in the table of
contents (indexer.build).

write_segments is the loop of a writer process: batches of articles from a queue, each finished
segment sent back on another.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from corpus.article import Article
from indexer import doctable
from indexer.grams import GramWriter, file_name
from indexer.postings import BulkFieldWriter, PostingBuffer, supported, term_counts
from indexer.schema import to_document

log = logging.getLogger(__name__)

INDEX_NAME = "MAIN"  # Whoosh's default index name, which every xjsearch generation uses
BLOCK_POSTINGS = 1024
# Separate files are read from the page cache; Whoosh read compound segments through in-memory
# copies, one per searcher (+190 MB at 100,000 articles).
COMPOUND = False


def codec() -> W3Codec:
    """Whoosh's codec with posting blocks of BLOCK_POSTINGS instead of 128.

    Queries read whole posting lists (search.execution), where each block costs a file read, an
    unpickling and a decompression: larger blocks read a common word's postings several times
    faster, and nothing skips within a list any more.
    """
    return W3Codec(blocklimit=BLOCK_POSTINGS)


@dataclass(frozen=True, slots=True)
class Written:
    """A finished segment: Whoosh's segment object (for the table of contents) and its documents."""

    segment: Any  # whoosh.codec.whoosh3.W3Segment
    documents: int


def segment_files(directory: Path, segment: Any) -> list[Path]:
    """Every file of a segment in directory (Whoosh's files and its gram file)."""
    prefix = segment.segment_id() + "."
    return [p for p in directory.iterdir() if p.name.startswith(prefix)]


class SegmentBuilder:
    """Writes articles into successive segments of one generation directory."""

    def __init__(self, directory: Path, schema: Schema, buffer_bytes: int) -> None:
        supported(schema)
        self.directory = directory
        self.schema = schema
        self.buffer_bytes = buffer_bytes
        self.storage = FileStorage(str(directory))
        self.codec = codec()
        self._segment: Any = None
        self._docnum = 0

    def _start(self) -> None:
        self._segment = self.codec.new_segment(self.storage, INDEX_NAME)
        self._perdoc = self.codec.per_document_writer(self.storage, self._segment)
        self._postings = PostingBuffer()
        self._grams = GramWriter(self.directory / file_name(self._segment.segment_id()))
        self._table = doctable.TableWriter()
        self._docnum = 0

    @property
    def nbytes(self) -> int:
        """About how much memory the segment being written holds."""
        return self._postings.nbytes + self._grams.nbytes if self._segment is not None else 0

    def add(self, article: Article) -> Written | None:
        """Analyse and add one article; the segment it finished, if the buffer became full."""
        if self._segment is None:
            self._start()
        fields = to_document(article)
        self._add_fields(fields)
        self._table.add(fields)
        self._grams.add(article.title, article.text)
        if self.nbytes >= self.buffer_bytes:
            return self.flush()
        return None

    def _add_fields(self, fields: dict[str, Any]) -> None:
        """Add a Whoosh document (as IndexWriter.add_document takes it) to the segment being written."""
        perdoc, schema, docnum = self._perdoc, self.schema, self._docnum
        perdoc.start_doc(docnum)
        for name in sorted(k for k in fields if not k.startswith("_")):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            if field.indexed:
                self._postings.add(name, docnum, term_counts(field, value))
            stored = fields.get(f"_stored_{name}", value)
            perdoc.add_field(name, field, stored if field.stored else None, 0)
            if field.column_type and stored is not None:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        perdoc.finish_doc()
        self._docnum += 1

    def flush(self) -> Written | None:
        """Finish the segment being written (None if it has no document)."""
        if self._segment is None:
            return None
        segment, documents = self._segment, self._docnum
        self._segment = None
        self._perdoc.close()
        writer = BulkFieldWriter(self.codec, self.storage, segment)
        self._postings.write(writer, self.schema)
        writer.close()
        segment.set_doc_count(documents)
        self._grams.finish()
        doctable.write_table(self.directory / doctable.file_name(segment.segment_id()), self._table.table())
        del self._perdoc, self._postings, self._grams, self._table
        log.debug("segment %s: %d documents", segment.segment_id(), documents)
        return Written(segment, documents)

    def discard(self) -> None:
        """Drop the segment being written (its files are left for the generation's cleanup)."""
        if self._segment is not None:
            self._grams.discard()
            self._segment = None


def write_segments(directory: Path, schema: Schema, buffer_bytes: int, jobs: Any, results: Any) -> None:
    """A writer process: write the batches of articles taken from jobs until None comes.

    Sends ("segment", Written) for each finished segment, ("read", n) after each batch, then
    ("done", None); or ("error", failure(...)) if anything failed.
    """
    try:
        builder = SegmentBuilder(directory, schema, buffer_bytes)
        while True:
            batch: Sequence[Article] | None = jobs.get()
            if batch is None:
                break
            for article in batch:
                written = builder.add(article)
                if written is not None:
                    results.put(("segment", written))
            results.put(("read", len(batch)))
        written = builder.flush()
        if written is not None:
            results.put(("segment", written))
        results.put(("done", None))
    except BaseException as error:  # reported to the parent, which raises it
        results.put(("error", failure(error)))


def failure(error: BaseException) -> tuple[Any, ...]:
    """What a writing process reports of its failure: an OSError's parts (a full or read-only disk is
    the user's to fix, and is said so), else the traceback."""
    if isinstance(error, OSError):
        return ("oserror", error.errno, error.strerror, error.filename)
    return ("traceback", traceback.format_exc())


def raise_failure(report: tuple[Any, ...]) -> None:
    """Raise in the parent what failure() reported: the OSError again, else WriterFailed."""
    if report[0] == "oserror":
        raise OSError(*report[1:3], *([report[3]] if report[3] is not None else []))
    raise WriterFailed(report[1])


class WriterFailed(RuntimeError):
    """A writer or merging process failed (its traceback is the message)."""
