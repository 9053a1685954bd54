"""Many-valued facets as (document, value) pairs: values per document, selections, counts under a mask."""

import numpy as np

from search.facets import ENTITY_FACET_SIZE, PairFacet, pair_counts
from search.model import FacetValue


def facet() -> PairFacet:
    return PairFacet([("李政", np.array([0, 3])), ("陈吉宁", np.array([1, 3, 4])), ("马兴瑞", np.array([3]))])


def test_values_of_a_document() -> None:
    pairs = facet()
    assert (pairs.of_document(3), pairs.of_document(1), pairs.of_document(2)) == (["李政", "陈吉宁", "马兴瑞"], ["陈吉宁"], [])


def test_documents_having_any_of_the_values() -> None:
    assert facet().documents(["李政", "马兴瑞", "无此人"]).tolist() == [0, 3]
    assert facet().documents(["无此人"]).tolist() == []
    # Document numbers, whatever was asked: they index arrays of documents.
    assert facet().documents(["李政"]).dtype == facet().documents(["无此人"]).dtype == np.int64


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


def test_a_many_valued_facet_lists_its_30_most_frequent_values_and_every_chosen_one() -> None:
    # Value i is named by 40 - i documents, so the first 30 are the most frequent.
    names = [f"人物{i:02d}" for i in range(34)]
    pairs = PairFacet([(name, np.arange(40 - i)) for i, name in enumerate(names)])
    listed = pair_counts(pairs, np.ones(40, dtype=bool), {"人物05", "人物32", "无此人"})
    assert ENTITY_FACET_SIZE == 30
    assert listed == (
        *(FacetValue(name, 40 - i, name == "人物05") for i, name in enumerate(names[:30])),
        FacetValue("人物32", 8, True),  # chosen, though not among the 30: listed after them
        FacetValue("无此人", 0, True),  # chosen, named by no document
    )


def test_a_many_valued_facet_counts_under_its_mask() -> None:
    pairs = facet()
    mask = np.array([False, True, False, False, True])
    assert pair_counts(pairs, mask, {"马兴瑞"}) == (FacetValue("陈吉宁", 2), FacetValue("马兴瑞", 0, True))
    assert pair_counts(pairs, mask, set()) == (FacetValue("陈吉宁", 2),)
