"""Combining the matches of a query's parts: documents, summed scores, and which were found only indirectly."""

import numpy as np

from indexer.grams import build_arrays, document_fields
from indexer.postings import generic_postings
from search.execution import TEXT, TITLE, Collection, Matches, _intersection, _minus, _union_all
from search.grams import GramSegment

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
