"""Running a parsed query over one index generation: exact matches, scores, the ranked list.

Which documents match is decided by the gram index alone (search.grams): a term matches every
document whose title or text contains its folded stream, so nothing that contains what was typed
is ever missed. Scores add, per term and field:

* a **word** part — BM25 of the term's jieba words over Whoosh's word fields, counted only where
  every word of the term occurs, so whole-word matches rank first (克拉玛依 above 克拉玛依市);
* a **substring** part — damped frequency of the exact string, 1 + ln(occurrences), times the
  number of its bigrams (longer exact matches weigh more); a single character scores a constant.

Titles weigh TITLE_BOOST times the text. Lengths for BM25 are the fields' stream lengths (word
characters), which the gram index holds for every document. Everything is whole-array arithmetic
(NumPy) over the documents a term matches: no per-document Python loop, which is what made
scoring through Whoosh's matchers slow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from indexer.analysis import stream, words
from indexer.longlists import ListFile
from indexer.postings import matcher_postings
from indexer.schema import TEXT, TITLE
from search.caching import BoundedCache
from search.grams import GramSegment, run_starts
from search.query import And, Near, Node, Not, Or, ParsedQuery, Term

# Whole-word matches count for more than substring matches; titles for more than text.
WORD_BOOST = 2.0
GRAM_BOOST = 1.0
TITLE_BOOST = 3.0
ALSO_SHARE = 0.5  # an article found only through an alias or reading scores under half the weakest typed match
BM25_K1 = 1.2
BM25_B = 0.75
# Postings held in memory per generation: 8 bytes each (a 32-bit document number and frequency),
# about 128 MB — the words of a query in most of a million articles, many queries over.
POSTINGS_CACHE_DOCS = 16_000_000
POSTINGS_CACHE_WORDS = 4096
# Intersections and unions over at least one document in DENSE_SHARE of those their numbers
# span mark them in arrays of the archive instead of sorting them; a union of at most DENSE_PARTS
# parts (see _marked_union).
DENSE_SHARE = 16
DENSE_PARTS = 8
FIRST_LOOK = 64  # occurrences of a string placed first when only asking whether a live article holds it

_NO_DOCS = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Matches:
    """Documents (ascending, distinct) and their scores.

    indirect marks the documents that meet some part of the query only through an alternative
    (an alias, a pinyin reading): they rank after every document that meets it as typed.
    """

    docs: np.ndarray
    scores: np.ndarray
    indirect: np.ndarray | None = None  # a bool per document; None: none is

    @staticmethod
    def empty() -> Matches:
        """No documents."""
        return Matches(_NO_DOCS, _NO_SCORES)

    def flags(self) -> np.ndarray:
        """indirect as an array, all false when None."""
        return self.indirect if self.indirect is not None else np.zeros(len(self.docs), dtype=bool)

    def take(self, keep: np.ndarray) -> Matches:
        """The documents selected by keep (a bool mask or an index array), with their scores."""
        return Matches(self.docs[keep], self.scores[keep], None if self.indirect is None else self.indirect[keep])


@dataclass(frozen=True, slots=True)
class Ranked:
    """A query's live matches: documents ascending, their scores, and which are found only through
    an alternative (None: none is). They are put in order as far as a page needs (search.ordering):
    found as typed first, then score descending, then document number."""

    docs: np.ndarray
    scores: np.ndarray
    indirect: np.ndarray | None = None


class Collection:
    """What queries over one generation need, shared by all threads: gram segments, lengths, postings."""

    def __init__(self, segments: Sequence[GramSegment], doc_count_all: int, live: np.ndarray,
                 lists: Mapping[int, ListFile] | None = None) -> None:
        self.segments = list(segments)
        self.lists = dict(lists or {})  # a segment's long posting lists as arrays, by its first document
        self.doc_count_all = doc_count_all
        self.live = live  # bool per document number: not deleted
        self.live_count = int(live.sum())
        lengths = np.zeros(2 * doc_count_all, dtype=np.float64)
        for segment in self.segments:
            field_lengths = segment.arrays.field_lengths()
            lengths[2 * segment.base : 2 * segment.base + len(field_lengths)] = field_lengths
        count = max(self.live_count, 1)
        by_field = {TITLE: lengths[0::2], TEXT: lengths[1::2]}
        self.average = {field: max(float(length[live].sum()) / count, 1.0) for field, length in by_field.items()}
        # BM25's length normalisation of every document, once per generation rather than per word.
        self.norm = {field: BM25_K1 * (1.0 - BM25_B + BM25_B * length / self.average[field])
                     for field, length in by_field.items()}
        self._postings: BoundedCache[tuple[np.ndarray, np.ndarray, int]] = BoundedCache(
            POSTINGS_CACHE_WORDS, POSTINGS_CACHE_DOCS, lambda entry: entry[2])

    def release(self) -> None:
        """Let go of the gram files' pages read so far (indexer.grams.GramArrays.release)."""
        for segment in self.segments:
            segment.arrays.release()

    # -- parts -------------------------------------------------------------------------------

    def field_counts(self, text_stream: str) -> tuple[np.ndarray, np.ndarray]:
        """Index-wide numbers of the fields holding text_stream (ascending) and its count in each."""
        found = [s.field_counts(text_stream) for s in self.segments]
        found = [f for f in found if len(f[0])]
        if not found:
            return _NO_DOCS, _NO_DOCS
        if len(found) == 1:
            return found[0]
        return np.concatenate([f for f, _ in found]), np.concatenate([c for _, c in found])

    def holds(self, text_stream: str) -> bool:
        """Whether a live document holds text_stream: segment by segment, its first occurrences
        first, so a common string is answered without placing all of them."""
        for segment in self.segments:
            found = segment.starts_of(text_stream)
            for part in (found[:FIRST_LOOK], found[FIRST_LOOK:]):
                if len(part) and self.live[(segment.fields_of(part) >> 1) + segment.base].any():
                    return True
        return False

    def read_postings(self, reader: Any, field: str, word: str) -> tuple[np.ndarray, np.ndarray]:
        """(live document numbers, weights) of a word in a field, read from every segment, made 32-bit
        as they are read (numbers fit 32 bits; frequencies are small whole numbers, exact in a float32)."""
        parts_ids: list[np.ndarray] = []
        parts_weights: list[np.ndarray] = []
        btext = word.encode("utf-8")
        for sub, base in reader.leaf_readers():
            lists = self.lists.get(base)
            found = lists.read(field, btext) if lists is not None else None
            if found is None:
                if (field, word) not in sub:
                    continue
                found = matcher_postings(sub.postings(field, word))
            ids, weights = found
            parts_ids.append(np.add(ids, base, out=np.empty(len(ids), dtype=np.int32), casting="unsafe"))
            parts_weights.append(weights.astype(np.float32))
        if not parts_ids:
            return _NO_DOCS, _NO_SCORES
        ids, weights = np.concatenate(parts_ids), np.concatenate(parts_weights)
        keep = self.live[ids]
        return ids[keep], weights[keep]

    def postings(self, reader: Any, field: str, word: str) -> tuple[np.ndarray, np.ndarray, int]:
        """(document numbers, term frequencies, document frequency) of a word in a field, cached."""
        key = (field, word)
        cached = self._postings.get(key)
        if cached is not None:
            return cached
        ids, tf = self.read_postings(reader, field, word)
        # Kept compact: document numbers fit 32 bits, and frequencies are small whole numbers.
        return self._postings.put(key, (ids.astype(np.int32, copy=False), tf.astype(np.float32, copy=False), len(ids)))

    def bm25(self, reader: Any, field: str, word: str, docs: np.ndarray, among: int | None = None) -> np.ndarray:
        """BM25 of word in field for each of docs (0 where it does not occur); among: how many
        documents docs were picked from, if not all of them — each is scored as it is among those."""
        ids, tf_all, df = self.postings(reader, field, word)
        if not df or not len(docs):
            return np.zeros(len(docs))
        if 32 * len(docs) > self.doc_count_all:
            # Many documents: look their frequencies up in a dense array instead of searching (of
            # the postings' own width: frequencies are small whole numbers, exact in either).
            dense = np.zeros(self.doc_count_all, dtype=tf_all.dtype)
            dense[ids] = tf_all
            tf = dense[docs].astype(np.float64)
        else:
            at = np.searchsorted(ids, docs)
            at[at == len(ids)] = len(ids) - 1
            tf = np.where(ids[at] == docs, tf_all[at], 0.0)
            if among is not None and 32 * among > self.doc_count_all:
                # As the dense lookup among all of them gives them: the same numbers, 64-bit, so
                # that the score is worked out in the same width to the last bit.
                tf = tf.astype(np.float64)
        return self._bm25(field, df, docs, tf)

    def _bm25(self, field: str, df: int, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """BM25 of a word found in df documents, for docs where it occurs tf times."""
        n = self.live_count
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        # idf × tf × (k1 + 1) / (tf + norm), in that order and those types (tf may be 32-bit: the
        # division is in 64), with two arrays rather than four: a common word's are millions of
        # bytes each, and new memory costs a page fault a page.
        score = idf * tf
        score *= BM25_K1 + 1.0
        below = self.norm[field][docs]
        below += tf
        return np.divide(score, below, out=below)

    def related(self, reader: Any, weighted: Sequence[tuple[str, float]], docnum: int, limit: int) -> list[int]:
        """The documents scoring best on weighted words of the text (BM25 × weight), docnum left out."""
        found, parts = [], []
        for word, weight in weighted:
            ids, tf, df = self.postings(reader, TEXT, word)
            if df:
                found.append(ids)
                parts.append(weight * self._bm25(TEXT, df, ids, tf))
        if not found:
            return []
        # Summed over the documents that have any of the words (not an array of the whole archive).
        candidates, which = np.unique(np.concatenate(found), return_inverse=True)
        scores = np.bincount(which, weights=np.concatenate(parts))
        keep = (candidates != docnum) & (scores > 0)
        candidates, scores = candidates[keep], scores[keep]
        order = np.lexsort((candidates, -scores))[:limit]
        return candidates[order].tolist()

    # -- evaluation --------------------------------------------------------------------------

    def term(self, reader: Any, term: Term) -> Matches:
        """The documents containing a typed term or one of its alternatives (Term.also), scored.

        Articles found only through an alternative are marked indirect (they rank below every
        article containing the typed text), and their scores, in their own order, are scaled under
        the typed text's lowest.
        """
        typed = self._exact(reader, term.text, term.field)
        if not term.also:
            return typed
        # Scored by their exact strings only: their order among themselves is all that counts.
        others = _minus(_union_all([self._exact(reader, alt, term.field, by_words=False) for alt in term.also]), typed)
        if not len(others.docs):
            return typed
        if len(typed.docs):
            scale = float(typed.scores.min()) * ALSO_SHARE / float(others.scores.max())
        else:
            scale = ALSO_SHARE
        others = Matches(others.docs, others.scores * scale, np.ones(len(others.docs), dtype=bool))
        return _disjoint_union(typed, others)

    def _exact(self, reader: Any, text: str, field: str | None, by_words: bool = True) -> Matches:
        """The documents containing text (in the title only when field is "title"), scored.

        by_words=False leaves out the word part of the score (see the module docstring).
        """
        docs, scores = self._found(text, field)
        return self._scored(reader, text, field, docs, scores, by_words)

    def _found(self, text: str, field: str | None) -> tuple[np.ndarray, np.ndarray]:
        """The documents containing text (in the title only when field is "title"), ascending, and
        the substring part of their scores."""
        text_stream = stream(text)
        field_numbers, counts = self.field_counts(text_stream)
        if field == "title":
            in_title = (field_numbers & 1) == 0
            field_numbers, counts = field_numbers[in_title], counts[in_title]
        if not len(field_numbers):
            return _NO_DOCS, _NO_SCORES
        in_title = (field_numbers & 1) == 0
        field_boost = np.where(in_title, TITLE_BOOST, 1.0)
        if len(text_stream) == 1:
            gram_scores = GRAM_BOOST * field_boost
        else:
            # (1 + ln n) × (length - 1) × GRAM_BOOST × field boost, in that order, in place.
            gram_scores = np.log(counts)
            gram_scores += 1.0
            gram_scores *= len(text_stream) - 1
            gram_scores *= GRAM_BOOST
            gram_scores *= field_boost
        documents = field_numbers >> 1
        starts = run_starts(documents)  # a document's title and text are neighbours
        return documents[starts], np.add.reduceat(gram_scores, starts)

    def _scored(self, reader: Any, text: str, field: str | None, docs: np.ndarray, scores: np.ndarray,
                by_words: bool = True, within: np.ndarray | None = None) -> Matches:
        """The documents _found holding text, with the word part of their scores added; within
        (ascending): only those among them, each scored as it is among all of docs."""
        among = None
        if within is not None:
            among = len(docs)
            keep = np.isin(docs, within, assume_unique=True)
            docs, scores = docs[keep], scores[keep]
        if not len(docs):
            return Matches(docs, scores)
        term_words = words(text) if by_words else []
        scoped = [(TITLE, TITLE_BOOST)] if field == "title" else [(TITLE, TITLE_BOOST), (TEXT, 1.0)]
        for field, boost in scoped:
            parts = [self.bm25(reader, field, w, docs, among) for w in term_words]
            if not parts:
                continue
            if len(parts) == 1:
                # A BM25 is positive exactly where its word occurs (and 0 elsewhere): one word is
                # every word wherever it scores.
                word_scores = parts[0]
            else:
                every = np.all([p > 0 for p in parts], axis=0)
                word_scores = np.where(every, np.sum(parts, axis=0), 0.0)
            scores = scores + word_scores * WORD_BOOST * boost
        return Matches(docs, scores)

    def _conjoined(self, reader: Any, items: Sequence[Node]) -> list[Matches]:
        """The matches of the positive items of an AND, rarest first (of equal ones, in order).

        Only the documents of the rarest can be in the AND's matches, so a plain term (no
        alternative, no proximity) among the others is scored on those of its documents only:
        the word part of a common word's score over hundreds of thousands of documents, of which
        a rare word's few dozen are kept, is left out. Each kept one scores as it would among all.
        """
        found: list[Matches | tuple[np.ndarray, np.ndarray]] = [
            self._found(item.text, item.field) if isinstance(item, Term) and not item.also
            else self.evaluate(reader, item) for item in items]
        sizes = [len(f.docs) if isinstance(f, Matches) else len(f[0]) for f in found]
        order = sorted(range(len(items)), key=lambda i: sizes[i])
        parts: list[Matches] = []
        for i in order:
            part = found[i]
            if not isinstance(part, Matches):
                item = items[i]
                assert isinstance(item, Term)
                within = None if not parts else parts[0].docs
                part = self._scored(reader, item.text, item.field, part[0], part[1], within=within)
            parts.append(part)
        return parts

    def near(self, reader: Any, node: Near) -> Matches:
        """The documents where node's words stand within its distance of each other in one field, scored as all of them."""
        parts = [self._exact(reader, t.text, t.field) for t in node.terms]
        parts.sort(key=lambda m: len(m.docs))
        found = parts[0]
        for part in parts[1:]:
            found = _intersection(found, part)
        if not len(found.docs):
            return found
        streams = [stream(t.text) for t in node.terms]
        titles_only = any(t.field == "title" for t in node.terms)
        near_docs = [segment.near_fields(streams, node.distance, titles_only) >> 1 for segment in self.segments]
        docs = np.unique(np.concatenate(near_docs)) if near_docs else _NO_DOCS
        return found.take(np.isin(found.docs, docs, assume_unique=True))

    def everything(self) -> Matches:
        """Every live document, unscored."""
        docs = np.flatnonzero(self.live).astype(np.int64)
        return Matches(docs, np.zeros(len(docs)))

    def evaluate(self, reader: Any, node: Node) -> Matches:
        """The documents a query tree matches, with summed scores (deleted documents included)."""
        if isinstance(node, Term):
            return self.term(reader, node)
        if isinstance(node, Near):
            return self.near(reader, node)
        if isinstance(node, Not):
            return _minus(self.everything(), self.evaluate(reader, node.item))
        if isinstance(node, Or):
            return _union_all([self.evaluate(reader, item) for item in node.items])
        assert isinstance(node, And)
        positives = [i for i in node.items if not isinstance(i, Not)]
        negatives = [i.item for i in node.items if isinstance(i, Not)]
        # Rarest first: every later intersection works on fewer documents.
        parts = self._conjoined(reader, positives)
        result = parts[0] if parts else self.everything()
        for part in parts[1:]:
            result = _intersection(result, part)
        for item in negatives:
            if not len(result.docs):
                break
            result = _minus(result, self.evaluate(reader, item))
        return result

    def rank(self, reader: Any, parsed: ParsedQuery) -> Ranked:
        """A query's live matches with their scores."""
        assert parsed.root is not None
        matches = self.evaluate(reader, parsed.root)
        live = matches.take(self.live[matches.docs])
        indirect = live.indirect if live.indirect is not None and live.indirect.any() else None
        return Ranked(live.docs.astype(np.int32), live.scores, indirect)  # kept compact in the match cache


def _marks(parts: Sequence[Matches]) -> int:
    """How long an array of marks per document must be to hold parts' documents (0 when they are
    too few for marking them to pay: see DENSE_SHARE)."""
    size = max(int(p.docs[-1]) for p in parts) + 1
    return size if DENSE_SHARE * sum(len(p.docs) for p in parts) >= size else 0


def _intersection(a: Matches, b: Matches) -> Matches:
    """Documents in both, scores added."""
    size = _marks((a, b)) if len(a.docs) and len(b.docs) else 0
    if size:
        # Each part's documents marked, and each looked up among the other's marks.
        in_a, in_b = np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
        in_a[a.docs], in_b[b.docs] = True, True
        ia, ib = np.flatnonzero(in_b[a.docs]), np.flatnonzero(in_a[b.docs])
        docs = a.docs[ia]
    else:
        docs, ia, ib = np.intersect1d(a.docs, b.docs, assume_unique=True, return_indices=True)
    indirect = None if a.indirect is None and b.indirect is None else a.flags()[ia] | b.flags()[ib]
    return Matches(docs, a.scores[ia] + b.scores[ib], indirect)


def _union_all(parts: Sequence[Matches]) -> Matches:
    """Documents in any of parts, scores added where several match."""
    parts = [p for p in parts if len(p.docs)]
    if len(parts) <= 1:
        return parts[0] if parts else Matches.empty()
    if len(parts) <= DENSE_PARTS and (size := _marks(parts)):
        return _marked_union(parts, size)
    docs = np.concatenate([p.docs for p in parts])
    scores = np.concatenate([p.scores for p in parts])
    order = np.argsort(docs, kind="stable")
    docs, scores = docs[order], scores[order]
    starts = np.flatnonzero(np.concatenate(([True], docs[1:] != docs[:-1])))
    indirect = None
    if any(p.indirect is not None for p in parts):
        # Indirect only where no part has the document as typed.
        direct = ~np.concatenate([p.flags() for p in parts])[order]
        indirect = ~np.logical_or.reduceat(direct, starts)
    return Matches(docs[starts], np.add.reduceat(scores, starts), indirect)


def _disjoint_union(a: Matches, b: Matches) -> Matches:
    """_union_all of two parts without a document in common: b's documents put in their places
    among a's (found by a binary search each), nothing to add up."""
    if not len(a.docs) or not len(b.docs):
        return _union_all((a, b))
    into = np.searchsorted(a.docs, b.docs) + np.arange(len(b.docs))  # b's places in the union
    from_a = np.ones(len(a.docs) + len(b.docs), dtype=bool)
    from_a[into] = False
    docs = np.empty(len(from_a), dtype=np.result_type(a.docs, b.docs))
    scores = np.empty(len(from_a), dtype=np.result_type(a.scores, b.scores))
    docs[from_a], docs[into] = a.docs, b.docs
    scores[from_a], scores[into] = a.scores, b.scores
    indirect = None
    if a.indirect is not None or b.indirect is not None:
        indirect = np.empty(len(from_a), dtype=bool)
        indirect[from_a], indirect[into] = a.flags(), b.flags()
    return Matches(docs, scores, indirect)


def _marked_union(parts: Sequence[Matches], size: int) -> Matches:
    """_union_all by marking the parts' documents in arrays of size documents, part after part.

    The scores add up exactly as _union_all's reduceat adds them, to the last bit (so that ties
    rank alike either way): a document's score in the first part having it, plus the sum from
    zero of its scores in the later ones, in order (NumPy sums a run of fewer than 8 one by one,
    hence DENSE_PARTS).
    """
    seen = np.zeros(size, dtype=bool)
    first = np.zeros(size)
    rest = np.zeros(size)
    direct = np.zeros(size, dtype=bool) if any(p.indirect is not None for p in parts) else None
    for part in parts:
        new = ~seen[part.docs]
        first[part.docs[new]] = part.scores[new]
        again = ~new
        rest[part.docs[again]] += part.scores[again]
        seen[part.docs] = True
        if direct is not None:
            direct[part.docs[~part.flags()]] = True
    docs = np.flatnonzero(seen).astype(parts[0].docs.dtype, copy=False)
    indirect = None if direct is None else ~direct[docs]
    return Matches(docs, first[docs] + rest[docs], indirect)


def _minus(a: Matches, b: Matches) -> Matches:
    """Documents of a not in b, with a's scores."""
    if not len(b.docs) or not len(a.docs):
        return a
    return a.take(~np.isin(a.docs, b.docs, assume_unique=True))
