"""Postings in bulk: a compact buffer of a segment's postings, and Whoosh posting lists written and
read as arrays.

Whoosh's own writer keeps every posting as a Python tuple in a sorting pool (about 200 bytes each,
so 2.8 GB per writer process at 100,000 articles), sorts the pool, and hands each posting to its
codec one call at a time; that was most of the memory of a build and half its time. Here a segment's
postings are three flat arrays per field (term number, document, frequency: 12 bytes a posting)
with a dict of the field's terms, and each term's posting list is written as whole blocks of
Whoosh 3's format (``whoosh.codec.whoosh3``: delta-coded ids, weights, values, pickled and
compressed per block of ``blocklimit`` postings), readable by Whoosh's own readers. Merging
segments reads and writes posting lists the same way, a term at a time.

Only what xjsearch's schema uses is supported: Existence and Frequency formats with a field boost
of 1, no lengths (no scorable field), no vectors (build_schema is checked by supported()).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import W3FieldWriter, W3LeafMatcher, W3PostingsWriter, W3TermInfo
from whoosh.fields import Schema
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import pack_uint

from indexer import longlists

_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_WEIGHTS = np.zeros(0, dtype=np.float64)
# What the buffer is charged per distinct term: the dict entry, the str and its number.
_TERM_BYTES = 160
_POSTING_BYTES = 12
_SMALL = 8  # posting lists this short are written a posting at a time


def supported(schema: Schema) -> None:
    """Raise ValueError unless every indexed field of schema is one the bulk writer writes exactly."""
    for name, field in schema.items():
        if not field.indexed:
            continue
        fmt = field.format
        if type(fmt) is not formats.Existence and not isinstance(fmt, formats.Frequency):
            raise ValueError(f"field {name!r}: format {type(fmt).__name__} is not supported by the bulk writer")
        if fmt.field_boost != 1.0 or field.scorable or field.vector or field.separate_spelling():
            raise ValueError(f"field {name!r}: boosts, lengths, vectors and spelling are not supported")


def term_counts(field: Any, value: Any) -> Mapping[str, int]:
    """The terms of a field value and their frequencies, as Whoosh would index them.

    A list or tuple is taken as the field's tokens (as Whoosh does); a string goes through the
    field's analyzer. Existence fields count each term once.
    """
    texts = value if isinstance(value, (list, tuple)) else [t.text for t in field.analyzer(value, mode="index")]
    if isinstance(field.format, formats.Frequency):
        return Counter(texts)
    return dict.fromkeys(texts, 1)


class _FieldPostings:
    """One field's postings in a buffer: its terms by number, and (term, document, frequency) arrays."""

    __slots__ = ("terms", "codes", "docs", "freqs")

    def __init__(self) -> None:
        self.terms: dict[str, int] = {}
        self.codes = array("I")
        self.docs = array("I")
        self.freqs = array("I")


class PostingBuffer:
    """The postings of one segment being written, in the order documents are added."""

    def __init__(self) -> None:
        self._fields: dict[str, _FieldPostings] = {}
        self._postings = 0
        self._terms = 0

    def add(self, fieldname: str, docnum: int, counts: Mapping[str, int]) -> None:
        """Add a document's terms (term → frequency) in one field; documents come in ascending order."""
        if not counts:
            return
        field = self._fields.get(fieldname)
        if field is None:
            field = self._fields[fieldname] = _FieldPostings()
        terms = field.terms
        # (Not counts.keys() - terms.keys(): a set difference walks all of terms.)
        for term in [t for t in counts if t not in terms]:
            terms[term] = len(terms)
            self._terms += 1
        field.codes.extend(map(terms.__getitem__, counts))
        field.docs.extend(repeat(docnum, len(counts)))
        field.freqs.extend(counts.values())
        self._postings += len(counts)

    @property
    def nbytes(self) -> int:
        """About how much memory the buffer holds."""
        return self._postings * _POSTING_BYTES + self._terms * _TERM_BYTES

    def write(self, writer: BulkFieldWriter, schema: Schema) -> None:
        """Write every field's posting lists, fields and terms in order (emptying the buffer)."""
        for fieldname in sorted(self._fields):
            field = self._fields.pop(fieldname)
            texts = list(field.terms)
            field.terms.clear()
            by_text = sorted(range(len(texts)), key=texts.__getitem__)
            rank = np.empty(len(texts), dtype=np.int64)
            rank[by_text] = np.arange(len(texts))
            counts = np.bincount(rank[np.frombuffer(field.codes, dtype=np.uint32)], minlength=len(texts))
            bounds = np.concatenate(([0], np.cumsum(counts))).tolist()
            docs, freqs = _grouped(rank, field)
            writer.start_field(fieldname, schema[fieldname])
            for r, code in enumerate(by_text):
                if bounds[r] < bounds[r + 1]:
                    writer.write_term(texts[code].encode("utf-8"), docs[bounds[r] : bounds[r + 1]],
                                      freqs[bounds[r] : bounds[r + 1]])
            writer.finish_field()
        self._postings = self._terms = 0


def _grouped(rank: np.ndarray, field: _FieldPostings) -> tuple[np.ndarray, np.ndarray]:
    """A buffered field's documents and frequencies sorted by (term rank, document); its arrays are emptied.

    Rank, document and frequency are packed into one uint64 per posting and sorted in place:
    sorting an index array (argsort) and gathering three arrays by it held three times the
    memory of the postings at each flush. Numbers too large to pack fall back to that.
    """
    codes = np.frombuffer(field.codes, dtype=np.uint32)
    docs = np.frombuffer(field.docs, dtype=np.uint32)
    freqs = np.frombuffer(field.freqs, dtype=np.uint32)
    doc_bits = int(docs.max()).bit_length() if len(docs) else 1
    freq_bits = int(freqs.max()).bit_length() if len(freqs) else 1
    if len(rank).bit_length() + doc_bits + freq_bits > 64:
        order = np.argsort(rank[codes], kind="stable")  # each term's documents stay ascending
        return docs[order], freqs[order]
    keys = rank.astype(np.uint64)[codes]
    keys <<= np.uint64(doc_bits + freq_bits)
    part = docs.astype(np.uint64)
    part <<= np.uint64(freq_bits)
    keys |= part
    part[:] = freqs
    keys |= part
    del part, codes, docs, freqs
    for name in ("codes", "docs", "freqs"):
        setattr(field, name, array("I"))
    keys.sort()
    sorted_docs = ((keys >> np.uint64(freq_bits)) & np.uint64((1 << doc_bits) - 1)).astype(np.uint32)
    keys &= np.uint64((1 << freq_bits) - 1)
    return sorted_docs, keys.astype(np.uint32)


class BulkPostingsWriter(W3PostingsWriter):
    """Whoosh 3's posting list writer, given whole arrays instead of one posting at a time."""

    def add_arrays(self, ids: np.ndarray, freqs: np.ndarray) -> None:
        """Write the postings of the current term: ascending document numbers and their frequencies."""
        fixed = self._format.fixed_value_size()
        frequencies = isinstance(self._format, formats.Frequency)
        limit = self._blocklimit
        if len(ids) <= _SMALL:
            # Most terms (ids, titles, dates) have a posting or two, where NumPy's calls cost more
            # than the work: the one block is made as Whoosh's own writer makes it.
            weights = [float(f) for f in freqs.tolist()] if frequencies else [1.0] * len(ids)
            for docnum, weight, freq in zip(ids.tolist(), weights, freqs.tolist()):
                self.add_posting(docnum, weight, pack_uint(freq) if fixed else b"")
            self._write_block(last=True)
            return
        for start in range(0, len(ids), limit):
            block_ids = np.ascontiguousarray(ids[start : start + limit], dtype=np.uint32)
            self._ids = array("I", block_ids.tobytes())
            if frequencies:
                block_freqs = np.ascontiguousarray(freqs[start : start + limit])
                weights = block_freqs.astype(np.float32)
                # Frequency values are each frequency as a big-endian unsigned int (whoosh.system.pack_uint).
                self._values = [block_freqs.astype(">u4").tobytes()] if fixed else []
            else:
                weights = np.ones(len(block_ids), dtype=np.float32)
            self._weights = array("f", weights.tobytes())
            self._maxweight = float(weights.max())
            self._write_block(last=start + limit >= len(ids))

    def _mini_ids(self) -> tuple[int, ...]:
        """The block's ids delta-coded (as whoosh.util.numlists.delta_encode does)."""
        if len(self._ids) <= _SMALL:
            return super()._mini_ids()
        ids = np.frombuffer(self._ids, dtype=np.uint32).astype(np.int64)
        return tuple(np.diff(ids, prepend=0).tolist())

    def _mini_weights(self) -> Any:
        """None when every weight is 1, the one weight when all are equal, else all of them."""
        if len(self._weights) <= _SMALL:
            return super()._mini_weights()
        weights = np.frombuffer(self._weights, dtype=np.float32)
        if bool((weights == 1.0).all()):
            return None
        if bool((weights == weights[0]).all()):
            return float(weights[0])
        return tuple(weights.tolist())


class BulkFieldWriter(W3FieldWriter):
    """Whoosh 3's field writer (terms and postings files of a segment) that writes whole posting lists,
    the long ones also as plain arrays (indexer.longlists) in a file of the segment's own."""

    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        super().__init__(codec, storage, segment)
        self._lists = longlists.ListWriter(Path(storage.folder) / longlists.file_name(segment.segment_id()))

    def start_field(self, fieldname: str, fieldobj: Any) -> None:
        """Start a field, with a bulk postings writer."""
        super().start_field(fieldname, fieldobj)
        codec = self._codec
        self._postwriter = BulkPostingsWriter(self._postfile, blocklimit=codec._blocklimit, byteids=False,
                                              compression=codec._compression, inlinelimit=codec._inlinelimit)

    def write_term(self, btext: bytes, ids: np.ndarray, freqs: np.ndarray) -> None:
        """Write one term's posting list (documents ascending, their frequencies)."""
        self._btext = btext
        self._postwriter.start_postings(self._format, W3TermInfo())
        self._postwriter.add_arrays(ids, freqs)
        self.finish_term()
        self._lists.add(self._fieldname, btext, ids, freqs)

    def close(self) -> None:
        """Close Whoosh's files and finish the long lists file."""
        super().close()
        self._lists.close()


def matcher_postings(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """The document numbers and weights of a Whoosh term matcher, as arrays.

    Reads whole posting blocks where the matcher is Whoosh 3's on-disk one (a test checks this
    against the public per-posting interface, used for every other kind of matcher).
    """
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deleted documents are removed by the caller
    if isinstance(matcher, W3LeafMatcher):
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        while matcher.is_active():
            # A block's data is (ids, weights, values): ids delta-encoded unless they are bytes,
            # weights None for all 1.0, one float for all equal, or one per posting.
            matcher._read_data()
            block_ids, block_weights = matcher._data[0], matcher._data[1]
            # Through array.array: a tuple of numbers becomes an array twice as fast as by np.asarray.
            block = np.frombuffer(array("q", block_ids), dtype=np.int64)
            ids.append(block if matcher._byteids else np.cumsum(block))
            if block_weights is None or isinstance(block_weights, float):
                weights.append(np.full(len(block), 1.0 if block_weights is None else block_weights))
            else:
                weights.append(np.frombuffer(array("d", block_weights), dtype=np.float64))
            matcher._next_block()
        if not ids:
            return _NO_IDS, _NO_WEIGHTS
        return np.concatenate(ids), np.concatenate(weights)
    return generic_postings(matcher)


def generic_postings(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """The document numbers and weights of any matcher, one posting at a time."""
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)


def field_terms(terms_reader: Any, fieldname: str) -> Iterable[tuple[bytes, Any]]:
    """(term bytes, term info) of one field of a segment's terms reader, in term order."""
    for (name, btext), info in terms_reader.items_from(fieldname, b""):
        if name != fieldname:
            return
        yield btext, info
