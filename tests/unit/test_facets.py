"""Many-valued facets as (document, value) pairs: values per document, selections, counts under a mask."""

import numpy as np

from search.facets import PairFacet


def facet() -> PairFacet:
    return PairFacet([("李政", np.array([0, 3])), ("陈吉宁", np.array([1, 3, 4])), ("马兴瑞", np.array([3]))])


def test_values_of_a_document() -> None:
    pairs = facet()
    assert (pairs.of_document(3), pairs.of_document(1), pairs.of_document(2)) == (["李政", "陈吉宁", "马兴瑞"], ["陈吉宁"], [])


def test_documents_having_any_of_the_values() -> None:
    assert facet().documents(["李政", "马兴瑞", "无此人"]).tolist() == [0, 3]
    assert facet().documents(["无此人"]).tolist() == []


def test_counts_under_a_mask_most_first_ties_in_value_order() -> None:
    pairs = facet()
    assert pairs.top(pairs.counts(), 10) == [("陈吉宁", 3), ("李政", 2), ("马兴瑞", 1)]
    mask = np.array([True, False, False, True, False])
    assert pairs.top(pairs.counts(mask), 10) == [("李政", 2), ("陈吉宁", 1), ("马兴瑞", 1)]
    assert pairs.top(pairs.counts(mask), 1) == [("李政", 2)]
    assert pairs.top(pairs.counts(np.zeros(5, dtype=bool)), 10) == []


def test_an_empty_facet() -> None:
    pairs = PairFacet([])
    assert (pairs.of_document(0), pairs.documents(["x"]).tolist(), pairs.top(pairs.counts(), 5)) == ([], [], [])
