"""Combining the matches of a query's parts: documents, summed scores, and which were found only indirectly."""

import math

import numpy as np
import pytest

from indexer.grams import build_arrays, document_fields
from indexer.postings import generic_postings
from search import execution
from search.execution import TEXT, TITLE, Collection, Matches, _intersection, _minus, _union_all
from search.grams import GramSegment
from search.query import And, Not, Term

TYPED = Matches(np.array([1, 3, 5]), np.array([1.0, 2.0, 3.0]))
# Documents 3 and 7 were found only through an alias or a pinyin reading.
READ = Matches(np.array([3, 5, 7]), np.array([10.0, 20.0, 30.0]), np.array([True, False, True]))


def as_lists(matches: Matches):
    indirect = None if matches.indirect is None else matches.indirect.tolist()
    return matches.docs.tolist(), matches.scores.tolist(), indirect


def test_both_parts_add_their_scores_and_keep_what_was_found_indirectly() -> None:
    assert as_lists(_intersection(TYPED, READ)) == ([3, 5], [12.0, 23.0], [True, False])
    assert as_lists(_intersection(READ, TYPED)) == ([3, 5], [12.0, 23.0], [True, False])
    assert as_lists(_intersection(TYPED, TYPED)) == ([1, 3, 5], [2.0, 4.0, 6.0], None)


def test_either_part_is_indirect_only_where_no_part_has_the_document_as_typed() -> None:
    assert as_lists(_union_all([TYPED, READ])) == ([1, 3, 5, 7], [1.0, 12.0, 23.0, 30.0], [False, False, False, True])
    assert as_lists(_union_all([TYPED, Matches.empty()])) == ([1, 3, 5], [1.0, 2.0, 3.0], None)
    assert as_lists(_union_all([])) == ([], [], None)
    # Every part read indirectly: a document is indirect where each part that has it found it so.
    other = Matches(np.array([5, 7, 9]), np.array([1.0, 1.0, 1.0]), np.array([True, False, True]))
    assert as_lists(_union_all([READ, other])) == ([3, 5, 7, 9], [10.0, 21.0, 31.0, 1.0], [True, False, False, True])


def test_a_negated_part_removes_its_documents_and_keeps_the_scores() -> None:
    assert as_lists(_minus(TYPED, READ)) == ([1], [1.0], None)
    assert as_lists(_minus(READ, TYPED)) == ([7], [30.0], [True])
    assert as_lists(_minus(TYPED, Matches.empty())) == ([1, 3, 5], [1.0, 2.0, 3.0], None)


class _Postings:
    """A matcher over fixed postings, with the interface of Whoosh's matchers."""

    def __init__(self, postings):
        self.postings, self.at = postings, 0

    def is_active(self):
        return self.at < len(self.postings)

    def id(self):
        return self.postings[self.at][0]

    def weight(self):
        return self.postings[self.at][1]

    def next(self):
        self.at += 1


def test_any_matcher_s_postings_are_document_numbers_and_weights() -> None:
    ids, weights = generic_postings(_Postings([(2, 1.0), (9, 3.0)]))
    assert (ids.tolist(), weights.tolist(), ids.dtype, weights.dtype) == ([2, 9], [1.0, 3.0], np.int64, np.float64)
    ids, weights = generic_postings(_Postings([]))
    assert (ids.tolist(), weights.tolist(), ids.dtype, weights.dtype) == ([], [], np.int64, np.float64)


def test_the_average_field_lengths_are_over_the_live_documents() -> None:
    fields = document_fields([("援", "援疆"), ("援疆", "援"), ("援疆干部走进", "援疆干部走进社区")])
    collection = Collection([GramSegment(build_arrays(fields), 0)], 3, np.array([True, True, False]))
    assert collection.average == {TITLE: 1.5, TEXT: 1.5}
    one = Collection([GramSegment(build_arrays(fields), 0)], 3, np.array([False, False, True]))
    assert one.average == {TITLE: 6.0, TEXT: 8.0}


def test_bm25_of_one_occurrence_in_a_document_of_average_length_is_the_idf() -> None:
    # Two documents with texts of the same length; the word is in one: idf = log(1 + 1.5 / 1.5).
    collection = Collection([GramSegment(build_arrays(document_fields([("", "援疆"), ("", "干部")])), 0)], 2,
                            np.array([True, True]))
    assert collection._bm25(TEXT, 1, np.array([0]), np.array([1.0])).tolist() == pytest.approx([math.log(2)], rel=1e-12)
    # Twice: tf (k1 + 1) / (tf + k1) of it, k1 = 1.2.
    assert collection._bm25(TEXT, 1, np.array([0]), np.array([2.0])).tolist() == pytest.approx(
        [math.log(2) * 2 * 2.2 / 3.2], rel=1e-12)


def test_bm25_of_a_few_documents_searches_their_frequencies_as_many_look_them_up() -> None:
    collection = Collection([GramSegment(build_arrays([""] * 400), 0)], 200, np.ones(200, dtype=bool))
    collection.postings = lambda reader, field, word: (np.array([3, 10, 39]), np.array([1.0, 2.0, 1.0]), 3)
    few = collection.bm25(None, TEXT, "援疆", np.array([3, 5, 10, 45, 199]))  # 5 of 200: searched
    many = collection.bm25(None, TEXT, "援疆", np.arange(200))  # looked up in a dense array
    idf = math.log(1 + (200 - 3 + 0.5) / (3 + 0.5))
    norm = 1.2 * (1 - 0.75)  # empty fields, average length 1
    assert few.tolist() == pytest.approx([idf * 2.2 / (1 + norm), 0.0, idf * 2 * 2.2 / (2 + norm), 0.0, 0.0], rel=1e-12)
    assert many[[3, 5, 10, 45, 199]].tolist() == few.tolist()
    assert collection.bm25(None, TEXT, "援疆", np.array([], dtype=np.int64)).tolist() == []


def test_postings_are_read_once_and_the_least_recently_used_leave_past_the_cache_size(monkeypatch) -> None:
    monkeypatch.setattr(execution, "POSTINGS_CACHE_DOCS", 7)
    collection = Collection([], 0, np.zeros(0, dtype=bool))
    reads: list[str] = []
    sizes = {"甲": 3, "乙": 4, "丙": 2}

    def read(reader, field, word):
        reads.append(word)
        return np.arange(sizes[word]), np.ones(sizes[word])

    collection.read_postings = read
    ids, tf, df = collection.postings(None, TEXT, "甲")
    assert (ids.tolist(), tf.tolist(), df) == ([0, 1, 2], [1.0, 1.0, 1.0], 3)
    for word in ["乙", "甲", "丙", "甲", "乙", "甲", "丙"]:
        collection.postings(None, TEXT, word)
    # 丙 brought the cache past 7 postings: 乙, least recently used, left it; 乙 again: 丙 left.
    assert reads == ["甲", "乙", "丙", "乙", "丙"]
    collection.postings(None, TEXT, "乙")  # 丙 again pushed 乙 out
    assert reads[5:] == ["乙"]


def test_a_cache_past_its_size_keeps_the_last_word_read_alone(monkeypatch) -> None:
    monkeypatch.setattr(execution, "POSTINGS_CACHE_DOCS", 4)
    collection = Collection([], 0, np.zeros(0, dtype=bool))
    reads: list[str] = []

    def read(reader, field, word):
        reads.append(word)
        return np.arange(5), np.ones(5)

    collection.read_postings = read
    for word in ["甲", "甲", "乙", "乙", "甲"]:
        collection.postings(None, TEXT, word)
    assert reads == ["甲", "乙", "甲"]


class _Segment:
    """A segment reader holding fixed postings."""

    def __init__(self, postings):
        self.held = postings

    def __contains__(self, key):
        return key in self.held

    def postings(self, field, word):
        return _Postings(self.held[(field, word)])


class _Reader:
    def __init__(self, leaves):
        self.leaves = leaves

    def leaf_readers(self):
        return self.leaves


def test_postings_are_read_from_every_segment_that_has_the_word_without_deleted_documents() -> None:
    collection = Collection([], 8, np.array([True] * 6 + [False, True]))
    reader = _Reader([(_Segment({}), 0), (_Segment({(TEXT, "援疆"): [(1, 2.0), (2, 1.0)]}), 5)])
    ids, tf = collection.read_postings(reader, TEXT, "援疆")
    assert (ids.tolist(), tf.tolist()) == ([7], [1.0])
    ids, tf = collection.read_postings(reader, TEXT, "干部")
    assert (ids.tolist(), tf.tolist()) == ([], [])


def _collection_answering(matches: dict[str, Matches], size: int = 4) -> tuple[Collection, list]:
    """A collection of size live documents whose terms match as given; the calls it got."""
    collection = Collection([], size, np.ones(size, dtype=bool))
    calls: list = []

    def term(reader, node):
        calls.append((reader, node.text))
        return matches[node.text]

    def found(text, field):  # a plain term of an AND: found first, scored once the rarest part is known
        calls.append(("found", text))
        return matches[text].docs, matches[text].scores

    def scored(reader, text, field, docs, scores, by_words=True, within=None):
        keep = np.ones(len(docs), dtype=bool) if within is None else np.isin(docs, within)
        return Matches(docs[keep], scores[keep])

    collection.term, collection._found, collection._scored = term, found, scored
    return collection, calls


def test_a_negation_alone_or_negations_only_match_every_other_document() -> None:
    collection, calls = _collection_answering({"北京": Matches(np.array([1]), np.array([1.0])),
                                               "天津": Matches(np.array([2]), np.array([1.0]))})
    assert as_lists(collection.evaluate("reader", Not(Term("北京")))) == ([0, 2, 3], [0.0, 0.0, 0.0], None)
    assert calls == [("reader", "北京")]
    found = collection.evaluate("reader", And((Not(Term("北京")), Not(Term("天津")))))
    assert as_lists(found) == ([0, 3], [0.0, 0.0], None)


def test_negations_are_not_evaluated_once_nothing_is_left() -> None:
    collection, calls = _collection_answering({"无": Matches.empty(), "北京": Matches(np.array([1]), np.array([1.0]))})
    assert as_lists(collection.evaluate("reader", And((Term("无"), Not(Term("北京")))))) == ([], [], None)
    assert calls == [("found", "无")]


def test_articles_found_only_through_an_alternative_score_under_half_the_weakest_typed_match() -> None:
    collection = Collection([], 4, np.ones(4, dtype=bool))
    calls: list = []
    found = {"援疆": Matches(np.array([0, 1]), np.array([4.0, 2.0])),
             "援建": Matches(np.array([1, 2, 3]), np.array([10.0, 5.0, 1.0]))}

    def exact(reader, text, field, by_words=True):
        calls.append((reader, text, field, by_words))
        return found[text]

    collection._exact = exact
    matches = collection.term("reader", Term("援疆", field="title", also=("援建",)))
    # 援建's own order (5 over 1) scaled so that its best is half of 援疆's weakest (2).
    assert as_lists(matches) == ([0, 1, 2, 3], [4.0, 2.0, 1.0, 0.2], [False, False, True, True])
    # An alternative is scored by its string alone, not by its words.
    assert calls == [("reader", "援疆", "title", True), ("reader", "援建", "title", False)]


def test_a_terms_score_is_its_gram_score_and_its_words_bm25_where_all_of_them_are() -> None:
    fields = document_fields([("援疆干部", "援疆干部走进社区"), ("", "干部")])
    collection = Collection([GramSegment(build_arrays(fields), 0)], 2, np.array([True, True]))
    postings = {(TITLE, "援疆"): [0], (TITLE, "干部"): [0], (TEXT, "援疆"): [0], (TEXT, "干部"): [0, 1]}

    def stub(reader, field, word):
        ids = np.array(postings.get((field, word), []), dtype=np.int64)
        return ids, np.ones(len(ids)), len(ids)

    collection.postings = stub

    def bm25(field, word, doc):
        return float(collection.bm25(None, field, word, np.array([doc]))[0])

    # 援疆干部 once in doc 0's title (×3) and once in its text: 3 pairs' worth of grams each.
    grams = 3 * 3.0 + 3 * 1.0
    title_words = bm25(TITLE, "援疆", 0) + bm25(TITLE, "干部", 0)
    text_words = bm25(TEXT, "援疆", 0) + bm25(TEXT, "干部", 0)
    assert as_lists(collection._exact(None, "援疆干部", None)) == (
        [0], [pytest.approx(grams + title_words * 2.0 * 3.0 + text_words * 2.0)], None)
    assert as_lists(collection._exact(None, "援疆干部", None, by_words=False)) == ([0], [grams], None)
    assert as_lists(collection._exact(None, "援疆干部", "title")) == ([0], [pytest.approx(9.0 + title_words * 6.0)], None)
    # 干部 in doc 1's text only: no title words there, and each document its own word scores.
    assert as_lists(collection._exact(None, "干部", None)) == ([0, 1], [
        pytest.approx(3.0 + 1.0 + bm25(TITLE, "干部", 0) * 6.0 + bm25(TEXT, "干部", 0) * 2.0),
        pytest.approx(1.0 + bm25(TEXT, "干部", 1) * 2.0)], None)
    postings[(TITLE, "干部")] = []  # 援疆 alone in the title: the title's words are not all there
    assert as_lists(collection._exact(None, "援疆干部", None)) == ([0], [pytest.approx(grams + text_words * 2.0)], None)


def _random_matches(rng: np.random.Generator, size: int, flagged: bool) -> Matches:
    docs = np.unique(rng.integers(0, size, int(rng.integers(1, size))))
    scores = rng.random(len(docs)) * 10.0 ** rng.uniform(-3, 3, len(docs))
    return Matches(docs, scores, rng.random(len(docs)) < 0.3 if flagged else None)


@pytest.mark.parametrize("count", [2, 3, 5, 8, 9])
def test_marking_documents_combines_parts_exactly_as_sorting_them(monkeypatch, count) -> None:
    # To the last bit of every score: ties must rank alike whichever way the parts were combined.
    rng = np.random.default_rng(count)
    for _ in range(30):
        parts = [_random_matches(rng, 300, flagged=bool(rng.integers(2))) for _ in range(count)]
        monkeypatch.setattr(execution, "DENSE_SHARE", 10**6)  # every combination marks
        marked = as_lists(_union_all(parts)), as_lists(_intersection(parts[0], parts[1]))
        monkeypatch.setattr(execution, "DENSE_SHARE", 0)  # every combination sorts
        assert (as_lists(_union_all(parts)), as_lists(_intersection(parts[0], parts[1]))) == marked


def test_many_documents_are_marked_and_few_sorted(monkeypatch) -> None:
    marked: list[int] = []
    real = execution._marked_union
    monkeypatch.setattr(execution, "_marked_union", lambda parts, size: marked.append(size) or real(parts, size))
    few = [Matches(np.array([0, 1000]), np.ones(2)), Matches(np.array([5]), np.ones(1))]
    many = [Matches(np.arange(0, 1000, 10), np.ones(100)), Matches(np.array([999]), np.ones(1))]
    too_many_parts = [Matches(np.arange(i, 100, 9), np.ones(len(range(i, 100, 9)))) for i in range(9)]
    for parts in (few, many, too_many_parts):
        _union_all(parts)
    assert marked == [1000]


def test_a_term_scores_its_exact_string_and_its_words_where_all_of_them_occur() -> None:
    from indexer.analysis import stream, words

    articles = [("援疆干部", "援疆干部援疆"), ("干部", "援疆的干部"), ("援疆", "干部援疆干部"), ("天山", "天山")]
    fields = document_fields(articles)
    collection = Collection([GramSegment(build_arrays(fields), 0)], 4, np.ones(4, dtype=bool))
    # Word frequencies per document and field, as the postings would give them.
    frequencies = {(TITLE, "援疆"): {0: 1, 2: 1}, (TITLE, "干部"): {0: 1, 1: 1}, (TEXT, "援疆"): {0: 2, 1: 1, 2: 1},
                   (TEXT, "干部"): {0: 1, 1: 1, 2: 2}}

    def postings(reader, field, word):
        found = frequencies.get((field, word), {})
        return np.array(sorted(found), dtype=np.int32), np.array([found[d] for d in sorted(found)], np.float32), len(found)

    collection.postings = postings

    def expected(text: str) -> dict[int, float]:
        # The module docstring's sums, document by document.
        needle, out = stream(text), {}
        for doc in range(4):
            score, found = 0.0, False
            for field, boost, at in ((TITLE, execution.TITLE_BOOST, 2 * doc), (TEXT, 1.0, 2 * doc + 1)):
                count = sum(fields[at].startswith(needle, i) for i in range(len(fields[at])))
                if count:
                    found = True
                    score += (1 + math.log(count)) * (len(needle) - 1) * execution.GRAM_BOOST * boost
                tf = [frequencies.get((field, w), {}).get(doc, 0) for w in words(text)]
                if all(tf):
                    for w, n in zip(words(text), tf):
                        df = len(frequencies[(field, w)])
                        idf = math.log(1 + (4 - df + 0.5) / (df + 0.5))
                        score += idf * n * 2.2 / (n + collection.norm[field][doc]) * execution.WORD_BOOST * boost
            if found:
                out[doc] = score
        return out

    assert words("援疆干部") == ["援疆", "干部"]
    for text in ["援疆", "干部", "援疆干部"]:
        found = collection._exact(None, text, None)
        assert dict(zip(found.docs.tolist(), found.scores.tolist())) == pytest.approx(expected(text), rel=1e-12)


def test_parts_without_a_document_in_common_are_put_together_as_any_union_would() -> None:
    from search.execution import _disjoint_union

    rng = np.random.default_rng(2)
    for _ in range(100):
        both = _random_matches(rng, 60, flagged=bool(rng.integers(2)))
        in_b = rng.random(len(both.docs)) < rng.random()
        a, b = both.take(~in_b), both.take(in_b)
        if rng.integers(2):
            b = Matches(b.docs, b.scores, np.ones(len(b.docs), dtype=bool))
        assert as_lists(_disjoint_union(a, b)) == as_lists(_union_all([a, b]))


@pytest.mark.parametrize("width", [np.float32, np.float64])
def test_bm25_is_the_plain_formula_to_the_last_bit_whatever_the_width_of_the_frequencies(width) -> None:
    # Frequencies come 32-bit from the postings cache: the formula's own promotions must hold.
    rng = np.random.default_rng(1)
    collection = Collection([GramSegment(build_arrays([""] * 2000), 0)], 1000, np.ones(1000, dtype=bool))
    collection.norm = {TEXT: rng.random(1000) * 3 + 0.3}
    docs = np.sort(rng.choice(1000, 300, replace=False))
    tf = rng.integers(0, 20, 300).astype(width)
    for df in (1, 37, 999):
        idf = math.log(1.0 + (1000 - df + 0.5) / (df + 0.5))
        plain = idf * tf * (execution.BM25_K1 + 1.0) / (tf + collection.norm[TEXT][docs])
        found = collection._bm25(TEXT, df, docs, tf)
        assert (found.dtype, found.tobytes()) == (plain.dtype, plain.tobytes())


def test_the_plain_terms_of_an_and_score_on_the_rarest_part_s_documents_as_among_all_of_theirs() -> None:
    # 200 documents: 甲乙 in 40 of them (looked up densely among all 40, 64-bit), 丙丁 in 3; of 甲乙's
    # only those 3 are scored (searched for, then widened as the dense lookup would have them).
    from search.query import Or

    texts = [("甲乙" if d % 5 == 0 else "") + ("丙丁" if d in (10, 55, 120) else "") + "戊" for d in range(200)]
    collection = Collection([GramSegment(build_arrays(document_fields([("", t) for t in texts])), 0)], 200,
                            np.ones(200, dtype=bool))
    rng = np.random.default_rng(4)
    postings = {(TEXT, w): [d for d, t in enumerate(texts) if w in t] for w in ("甲乙", "丙丁", "戊")}
    frequencies = {key: rng.integers(1, 9, len(docs)).astype(np.float32) for key, docs in postings.items()}

    def cached(reader, field, word):
        docs = postings.get((field, word), [])
        return np.array(docs, dtype=np.int32), frequencies.get((field, word), np.zeros(0, np.float32)), len(docs)

    collection.postings = cached
    for node in (And((Term("甲乙"), Term("丙丁"))), And((Term("丙丁"), Term("甲乙"), Term("戊"))),
                 And((Or((Term("甲乙"), Term("戊"))), Term("丙丁")))):
        parts = sorted((collection.evaluate(None, item) for item in node.items), key=lambda m: len(m.docs))
        expected = parts[0]
        for part in parts[1:]:
            expected = _intersection(expected, part)
        found = collection.evaluate(None, node)
        assert found.docs.tolist() == [10, 55, 120] == expected.docs.tolist()
        assert found.scores.tobytes() == expected.scores.tobytes()
