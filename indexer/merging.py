"""Merging segments: which to merge (a tiered policy), and merging them with their gram files.

A build flushes a segment whenever a writer's buffer is full, so a large archive makes many
segments, and every query pays a little for each. They are merged, while the build goes on, by a
tiered policy (as Lucene's TieredMergePolicy does): segments are grouped in tiers by size, each
tier `factor` times larger than the one below, and `factor` segments of one tier become one of
the next, so each document is rewritten about log_factor(N / flush size) times. No merge makes a
segment of more than `max_docs` documents, and a segment whose share of deleted documents reaches
`reclaim` is rewritten without them.

A merge never holds its inputs: stored fields and columns are copied a document at a time,
posting lists a term at a time (read and written as arrays, indexer.postings), and gram files a
range of keys at a time (indexer.grams.merge_grams); document tables (a few bytes a document)
are merged whole. Documents keep their order, the deleted ones left out, so the merged gram file
and table match the merged Whoosh segment document for document.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import columns
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from indexer import doctable, longlists
from indexer.grams import GramFile, file_name, merge_grams
from indexer.longlists import ListFile, open_lists
from indexer.postings import BulkFieldWriter, field_terms, matcher_postings
from indexer.segments import INDEX_NAME, Written, codec, failure

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MergePolicy:
    """When segments are merged (see the module docstring)."""

    factor: int = 10
    floor_docs: int = 1000  # segments smaller than floor_docs × factor are the lowest tier
    max_docs: int = 250_000
    reclaim: float = 0.3

    def tier(self, documents: int) -> int:
        """The tier of a segment of this many live documents."""
        return int(math.log(max(documents, self.floor_docs) / self.floor_docs, self.factor) + 1e-9)


@dataclass(frozen=True, slots=True)
class Size:
    """What the policy knows of a segment."""

    documents: int
    deleted: int = 0

    @property
    def live(self) -> int:
        """Documents not deleted."""
        return self.documents - self.deleted


def plan_merges(sizes: Sequence[Size], policy: MergePolicy) -> list[list[int]]:
    """Groups of segments (indexes into sizes) to merge, each into one segment."""
    groups: list[list[int]] = []
    tiers: dict[int, list[int]] = {}
    for i, size in enumerate(sizes):
        if size.live * 2 <= policy.max_docs:
            tiers.setdefault(policy.tier(size.live), []).append(i)
    for members in tiers.values():
        members.sort(key=lambda i: (sizes[i].live, i))
        while len(members) >= policy.factor:
            group, total = [], 0
            for i in members:
                if len(group) == policy.factor or total + sizes[i].live > policy.max_docs:
                    break
                group.append(i)
                total += sizes[i].live
            if len(group) < 2:
                break
            groups.append(group)
            members = [i for i in members if i not in group]
    grouped = {i for group in groups for i in group}
    for i, size in enumerate(sizes):
        if i not in grouped and size.documents and size.deleted >= policy.reclaim * size.documents:
            groups.append([i])
    return groups


def size_of(segment: Any) -> Size:
    """The policy's view of a Whoosh segment."""
    return Size(segment.doc_count_all(), segment.deleted_count())


def _live_mask(segment: Any) -> np.ndarray:
    """A bool per document of a segment: not deleted."""
    live = np.ones(segment.doc_count_all(), dtype=bool)
    deleted = list(segment.deleted_docs())
    if deleted:
        live[np.asarray(deleted, dtype=np.int64)] = False
    return live


def _docmaps(segments: Sequence[Any]) -> tuple[list[np.ndarray], list[np.ndarray], int]:
    """Per input: live mask and new document numbers (-1 where deleted); the output's document count."""
    masks, maps, total = [], [], 0
    for segment in segments:
        live = _live_mask(segment)
        numbers = np.where(live, np.cumsum(live) - 1 + total, -1)
        masks.append(live)
        maps.append(numbers)
        total += int(live.sum())
    return masks, maps, total


# The stored fields column as it is on disk: each document's pickled, compressed fields, copied
# as they are (unpickling and compressing them again was a third of a merge).
_RAW_STORED = columns.VarBytesColumn()


def _copy_documents(storage: Any, schema: Schema, segments: Sequence[Any], masks: Sequence[np.ndarray], out: Any,
                    merged_codec: W3Codec) -> None:
    """Copy the stored fields and columns of the live documents of segments into out, in order."""
    writer = merged_codec.per_document_writer(storage, out)
    # Whoosh's stored fields writer pickles and compresses; under it, the writer of raw values.
    stored = writer._colwriters["_stored"]._child
    fields = [(name, field.column_type) for name, field in schema.items() if field.column_type]
    docnum = 0
    try:
        for segment, live in zip(segments, masks):
            reader = segment.codec().per_document_reader(storage, segment)
            try:
                readers = {name: reader.column_reader(name, column) for name, column in fields
                           if reader.has_column(name)}
                raw = reader.column_reader("_stored", _RAW_STORED) if reader.has_column("_stored") else None
                for old in np.flatnonzero(live).tolist():
                    writer.start_doc(docnum)
                    for name, column in fields:
                        if name in readers:
                            writer.add_column_value(name, column, readers[name][old])
                    writer.finish_doc()
                    if raw is not None and (value := raw[old]):
                        columns.VarBytesColumn.Writer.add(stored, docnum, value)
                    docnum += 1
            finally:
                reader.close()
    finally:
        writer.close()


def _terms(segment: Any, storage: Any, number: int, fieldname: str) -> Iterator[tuple[bytes, int, Any, Any]]:
    """(term, input number, term info, terms reader) of one field of one input, in term order."""
    reader = segment.codec().terms_reader(storage, segment)
    try:
        for btext, info in field_terms(reader, fieldname):
            yield btext, number, info, reader
    finally:
        reader.close()


def _copy_postings(storage: Any, schema: Schema, segments: Sequence[Any], maps: Sequence[np.ndarray], out: Any,
                   merged_codec: W3Codec) -> None:
    """Merge the posting lists of segments into out, renumbered, deleted documents left out.

    A list an input keeps as plain arrays (indexer.longlists) is read from there, others from Whoosh's blocks.
    """
    writer = BulkFieldWriter(merged_codec, storage, out)
    lists: list[ListFile | None] = []
    try:
        lists.extend(open_lists(Path(storage.folder) / longlists.file_name(s.segment_id())) for s in segments)
        names: set[str] = set()
        for segment in segments:
            reader = segment.codec().terms_reader(storage, segment)
            names.update(reader.indexed_field_names())
            reader.close()
        for fieldname in sorted(n for n in names if n in schema):
            field = schema[fieldname]
            streams = [_terms(segment, storage, i, fieldname) for i, segment in enumerate(segments)]
            started = False
            for btext, group in itertools.groupby(heapq.merge(*streams, key=lambda t: t[0]), key=lambda t: t[0]):
                ids, freqs = [], []
                # Inputs come in order (heapq.merge is stable), and each holds later documents.
                for _, number, info, reader in group:
                    found = lists[number].read(fieldname, btext) if lists[number] is not None else None
                    if found is None:
                        matcher = segments[number].codec().postings_reader(reader._postfile, info, field.format)
                        found = matcher_postings(matcher)
                    docs = maps[number][found[0]]
                    kept = docs >= 0
                    ids.append(docs[kept])
                    freqs.append(found[1][kept].astype(np.uint32))
                merged = np.concatenate(ids)
                if not len(merged):
                    continue
                if not started:
                    writer.start_field(fieldname, field)
                    started = True
                writer.write_term(btext, merged, np.concatenate(freqs))
            if started:
                writer.finish_field()
    finally:
        writer.close()
        for opened in lists:
            if opened is not None:
                opened.close()


def merge_segments(directory: Path, schema: Schema, segments: Sequence[Any]) -> Written:
    """Merge segments of a generation directory into a new segment (with its gram file), in order.

    The inputs' files are left in place: the caller removes them once no table of contents needs them.
    """
    storage = FileStorage(str(directory))
    merged_codec = codec()
    out = merged_codec.new_segment(storage, INDEX_NAME)
    masks, maps, total = _docmaps(segments)
    _copy_documents(storage, schema, segments, masks, out, merged_codec)
    _copy_postings(storage, schema, segments, maps, out, merged_codec)
    out.set_doc_count(total)
    keep = [None if s.deleted_count() == 0 else m for s, m in zip(segments, masks)]
    sources = [GramFile(directory / file_name(s.segment_id())) for s in segments]
    try:
        merge_grams(sources, keep, directory / file_name(out.segment_id()))
    finally:
        for source in sources:
            source.close()
    tables = [doctable.read_table(directory / doctable.file_name(s.segment_id())) for s in segments]
    doctable.write_table(directory / doctable.file_name(out.segment_id()), doctable.merge_tables(tables, keep))
    log.debug("merged %d segments into %s: %d documents", len(segments), out.segment_id(), total)
    return Written(out, total)


def merge_loop(directory: Path, schema: Schema, jobs: Any, results: Any) -> None:
    """A merging process: merge each group of segments taken from jobs until None comes.

    Sends ("merged", (job number, Written)) for each, or ("error", failure(...)) if one failed.
    """
    try:
        while True:
            job = jobs.get()
            if job is None:
                return
            number, segments = job
            results.put(("merged", (number, merge_segments(directory, schema, segments))))
    except BaseException as error:  # reported to the parent, which raises it
        results.put(("error", failure(error)))
