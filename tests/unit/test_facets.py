"""Facet columns: each document's values, selections and counts over the documents a request chose."""

import numpy as np

import pytest

from indexer.doctable import FACET_FIELDS, DocTable, Rows
from search.facets import ENTITY_FACET_SIZE, FacetColumn, _top_values, combine
from search.model import FacetValue


def column() -> FacetColumn:
    # Documents 0–4: 李政 (0, 3), 陈吉宁 (1, 3, 4), 马兴瑞 (3); document 2 names nobody.
    return FacetColumn(["李政", "陈吉宁", "马兴瑞"], np.array([0, 1, 2, 2, 5, 6]), np.array([0, 1, 0, 1, 2, 1]))


def test_values_of_a_document() -> None:
    people = column()
    assert (people.of_document(3), people.of_document(1), people.of_document(2)) == (["李政", "陈吉宁", "马兴瑞"], ["陈吉宁"], [])


def test_documents_having_any_of_the_values() -> None:
    people = column()
    docs = np.array([4, 0, 2, 3])
    assert people.having(docs, ["李政", "马兴瑞", "无此人"]).tolist() == [False, True, False, True]
    assert people.having(docs, ["无此人"]).tolist() == [False] * 4


def test_counts_over_chosen_documents_most_first_ties_in_value_order() -> None:
    people = column()
    assert people.top(people.counts(np.arange(5)), 10) == [("陈吉宁", 3), ("李政", 2), ("马兴瑞", 1)]
    assert people.top(people.counts(np.array([0, 3])), 10) == [("李政", 2), ("陈吉宁", 1), ("马兴瑞", 1)]
    assert people.top(people.counts(np.array([3, 0])), 1) == [("李政", 2)]
    assert people.top(people.counts(np.array([], dtype=np.int64)), 10) == []


def test_an_empty_facet() -> None:
    # One document, naming nobody.
    nobody = FacetColumn([], np.array([0, 0]), np.array([], dtype=np.int32))
    docs = np.array([0])
    assert (nobody.of_document(0), nobody.having(docs, ["x"]).tolist(), nobody.top(nobody.counts(docs), 5)) == ([], [False], [])


def test_a_many_valued_facet_lists_its_30_most_frequent_values_and_every_chosen_one() -> None:
    # Value i is named by the documents 0 … 39 - i, so the first 30 are the most frequent.
    names = [f"人物{i:02d}" for i in range(34)]
    per_doc = [[i for i in range(34) if d < 40 - i] for d in range(40)]
    offsets = np.concatenate(([0], np.cumsum([len(v) for v in per_doc])))
    people = FacetColumn(names, offsets, np.array([i for v in per_doc for i in v], dtype=np.int32))
    listed = _top_values(people, people.counts(np.arange(40)), {"人物05", "人物32", "无此人"})
    assert ENTITY_FACET_SIZE == 30
    assert listed == (
        *(FacetValue(name, 40 - i, name == "人物05") for i, name in enumerate(names[:30])),
        FacetValue("人物32", 8, True),  # chosen, though not among the 30: listed after them
        FacetValue("无此人", 0, True),  # chosen, named by no document
    )


def test_a_many_valued_facet_counts_over_the_chosen_documents_only() -> None:
    people = column()
    counts = people.counts(np.array([1, 4]))
    assert _top_values(people, counts, {"马兴瑞"}) == (FacetValue("陈吉宁", 2), FacetValue("马兴瑞", 0, True))
    assert _top_values(people, counts, set()) == (FacetValue("陈吉宁", 2),)


def test_single_valued_columns_leave_documents_without_a_value_out() -> None:
    years = FacetColumn.single_valued(["2023", "2025"], np.array([1, -1, 0, 1]))
    assert [years.of_document(d) for d in range(4)] == [["2025"], [], ["2023"], ["2025"]]
    assert years.counts(np.arange(4)).tolist() == [1, 2]


def table(dates, regions, sources=None) -> DocTable:
    """A segment's document table: its dates, each document's regions and (optionally) sources."""
    def rows(per_doc):
        values = sorted({v for vs in per_doc for v in vs})
        offsets = np.concatenate(([0], np.cumsum([len(vs) for vs in per_doc]))).astype(np.int64)
        return Rows(tuple(values), offsets, np.array([values.index(v) for vs in per_doc for v in vs], dtype=np.int32))

    facets = {f: rows([[] for _ in dates]) for f in FACET_FIELDS}
    facets["region"] = rows(regions)
    if sources is not None:
        facets["source"] = rows(sources)
    return DocTable(np.array(dates, dtype=np.int32), facets)


def test_segment_tables_combine_into_one_column_per_facet_with_year_and_month_from_the_dates() -> None:
    first = table([20230827, 0], [["喀什"], ["和田", "喀什"]])
    second = table([20250402], [["克拉玛依"]])
    dates, columns = combine([first, second], 3)
    assert dates.tolist() == [20230827, 0, 20250402]
    assert [columns["region"].of_document(d) for d in range(3)] == [["喀什"], ["和田", "喀什"], ["克拉玛依"]]
    assert columns["region"].values == ["克拉玛依", "和田", "喀什"]
    # An undated article is in the year facet's 日期不详 bucket, and in no month.
    assert [columns["year"].of_document(d) for d in range(3)] == [["2023"], ["日期不详"], ["2025"]]
    assert [columns["month"].of_document(d) for d in range(3)] == [["2023-08"], [], ["2025-04"]]


def test_a_segment_without_values_of_a_facet_leaves_the_next_segments_values_in_place() -> None:
    # The first segment names no region and no source; the third again no source.
    first = table([20240101], [[]], [[]])
    second = table([20240202, 20240303], [["和田", "喀什"], ["阿克苏"]], [["新疆日报"], []])
    third = table([20240404], [["喀什"]], [[]])
    _, columns = combine([first, second, third], 4)
    regions, sources = columns["region"], columns["source"]
    assert [regions.of_document(d) for d in range(4)] == [[], ["和田", "喀什"], ["阿克苏"], ["喀什"]]
    assert regions.counts(np.arange(4)).tolist() == [1, 2, 1]
    assert [sources.of_document(d) for d in range(4)] == [[], ["新疆日报"], [], []]
    assert sources.single is not None and sources.single.tolist() == [-1, 0, -1, -1]
    assert sources.counts(np.arange(4)).tolist() == [1]


def test_the_undated_bucket_is_a_year_value_only_when_some_article_is_undated() -> None:
    _, dated = combine([table([20230827, 20250402], [[], []])], 2)
    assert (dated["year"].values, dated["month"].values) == (["2023", "2025"], ["2023-08", "2025-04"])
    _, undated = combine([table([0, 0], [[], []])], 2)
    assert (undated["year"].values, undated["month"].values) == (["日期不详"], [])
    assert [undated["year"].of_document(d) for d in range(2)] == [["日期不详"], ["日期不详"]]
    assert undated["year"].counts(np.arange(2)).tolist() == [2]


def test_a_generation_keeps_four_bytes_a_date_and_a_value_code() -> None:
    # The dates and codes of every article stay in memory while the server runs: int32, not int64 or float64.
    dates, columns = combine([table([20230827, 0], [["喀什"], ["和田", "喀什"]], [["新疆日报"], []])], 2)
    assert dates.dtype == np.int32
    assert {name: column.codes.dtype for name, column in columns.items()} == {name: np.int32 for name in columns}
    # Every facet but region (two regions in one article) has at most one value a document.
    assert {name: column.single.dtype for name, column in columns.items() if column.single is not None} == {
        name: np.int32 for name in columns if name != "region"}
    assert combine([], 0)[0].dtype == np.int32


def test_a_generation_without_segments_has_every_column_empty() -> None:
    dates, columns = combine([], 0)
    assert dates.tolist() == []
    assert sorted(columns) == sorted((*FACET_FIELDS, "year", "month"))
    for column in columns.values():
        assert (column.values, column.offsets.tolist(), column.codes.tolist()) == ([], [0], [])
        assert column.counts(np.zeros(0, dtype=np.int64)).tolist() == []


def test_tables_that_do_not_hold_the_index_s_documents_are_refused() -> None:
    with pytest.raises(ValueError, match="^document tables hold 0 documents, the index 1$"):
        combine([], 1)
    with pytest.raises(ValueError, match="^document tables hold 3 documents, the index 2$"):
        combine([table([20240101], [[]]), table([0, 0], [[], []])], 2)


def test_counts_and_selections_agree_with_each_documents_values_on_random_columns() -> None:
    # Columns of every shape: documents with no value, one, or several (repeated codes included),
    # counted over any documents in any order, repeated ones counted each time.
    rng = np.random.default_rng(7)
    for _ in range(200):
        documents = int(rng.integers(1, 30))
        most = int(rng.integers(1, 4))
        per_doc = [rng.integers(0, 5, int(rng.integers(0, most + 1))).tolist() for _ in range(documents)]
        offsets = np.concatenate(([0], np.cumsum([len(v) for v in per_doc]))).astype(np.int64)
        values = [f"值{i}" for i in range(5)]
        col = FacetColumn(values, offsets, np.array([c for v in per_doc for c in v], dtype=np.int32))
        assert (col.single is not None) == all(len(v) <= 1 for v in per_doc)
        docs = rng.integers(0, documents, int(rng.integers(0, 2 * documents)))
        expected = np.zeros(5, dtype=np.int64)
        for d in docs.tolist():
            for c in per_doc[d]:
                expected[c] += 1
        assert col.counts(docs).tolist() == expected.tolist()
        assert col.codes_of(docs).tolist() == [c for d in docs.tolist() for c in per_doc[d]]
        wanted = [values[i] for i in rng.choice(5, int(rng.integers(1, 3)), replace=False).tolist()]
        assert col.having(docs, wanted).tolist() == [any(values[c] in wanted for c in per_doc[d]) for d in docs.tolist()]


def test_facets_of_most_of_the_archive_are_counted_from_the_documents_left_out() -> None:
    from search.facets import Archive, count_facets
    from search.model import FACETS, SearchRequest

    # Six documents, 5 deleted; regions: 0 喀什, 1 和田+喀什, 2 喀什, 3 和田, 4 (none), 5 喀什 (deleted).
    regions = FacetColumn(["和田", "喀什"], np.array([0, 1, 3, 4, 5, 5, 6]), np.array([1, 0, 1, 1, 0, 1], dtype=np.int32))
    nothing = FacetColumn([], np.zeros(7, dtype=np.int64), np.zeros(0, dtype=np.int32))
    columns = {facet: regions if facet == "region" else nothing for facet in FACETS}
    live = np.array([True] * 5 + [False])
    archive = Archive(live, 5, {facet: columns[facet].counts(np.flatnonzero(live)) for facet in FACETS})
    assert archive.counts["region"].tolist() == [2, 3]
    for docs, expected in (([0, 1, 2, 3], (3, 2)), ([0, 2, 4], (2, 0)), ([1, 3], (1, 2)), ([0, 1, 2, 3, 4], (3, 2))):
        counted = {facet: np.array(docs) for facet in FACETS}
        found = count_facets(columns, SearchRequest(query="援疆"), counted, archive)["region"]
        assert {fv.value: fv.count for fv in found} == {v: n for v, n in zip(("喀什", "和田"), expected) if n}


def test_a_chosen_value_the_archive_lacks_is_listed_as_chosen_with_no_articles() -> None:
    from search.facets import Archive, count_facets
    from search.model import FACETS, SearchRequest

    # Three documents: 喀什, 和田 + 喀什, none.
    regions = FacetColumn(["和田", "喀什"], np.array([0, 1, 3, 3]), np.array([1, 0, 1], dtype=np.int32))
    nothing = FacetColumn([], np.zeros(4, dtype=np.int64), np.zeros(0, dtype=np.int32))
    columns = {facet: regions if facet == "region" else nothing for facet in FACETS}
    live = np.ones(3, dtype=bool)
    archive = Archive(live, 3, {facet: columns[facet].counts(np.arange(3)) for facet in FACETS})
    request = SearchRequest(query="援疆", regions=("塔城", "喀什"))
    found = count_facets(columns, request, {facet: np.array([0, 1]) for facet in FACETS}, archive)
    assert found["region"] == (FacetValue("喀什", 2, True), FacetValue("和田", 1), FacetValue("塔城", 0, True))


@pytest.mark.parametrize("common_share", [1, 4, 10**6])
def test_counting_marked_documents_from_each_value_s_documents_agrees_with_their_codes(monkeypatch, common_share) -> None:
    # Bitsets for every value (1), for some (4), for none (10**6): the counts are those of the codes,
    # and the documents holding some values those whose codes say so.
    from search import facets
    from search.facets import Marks

    monkeypatch.setattr(facets, "COMMON_SHARE", common_share)
    rng = np.random.default_rng(common_share)
    for _ in range(100):
        documents = int(rng.integers(1, 150))
        per_doc = [rng.choice(6, int(rng.integers(0, 4)), replace=False).tolist() for _ in range(documents)]
        offsets = np.concatenate(([0], np.cumsum([len(v) for v in per_doc]))).astype(np.int64)
        col = FacetColumn([f"值{i}" for i in range(6)], offsets, np.array([c for v in per_doc for c in v], dtype=np.int32))
        sets = col.value_sets()
        if col.single is not None:
            assert sets is None
            continue
        assert sets is not None
        docs = np.unique(rng.integers(0, documents, int(rng.integers(0, documents + 1))))
        assert sets.counts(Marks.of(docs, documents)).tolist() == col.counts(docs).tolist()
        wanted = rng.choice(6, int(rng.integers(1, 4)), replace=False).tolist()
        assert sets.holding(wanted)[:documents].tolist() == [any(c in wanted for c in v) for v in per_doc]
        assert not sets.holding(wanted)[documents:].any()


def test_a_column_listing_a_value_twice_for_a_document_is_counted_from_its_codes() -> None:
    # Document 1 lists 和田 twice: counted twice, as its codes say; the value sets would count it once.
    regions = FacetColumn(["和田", "喀什"], np.array([0, 2, 4, 5]), np.array([0, 1, 0, 0, 1], dtype=np.int32))
    assert regions.value_sets() is None
    assert regions.counts(np.arange(3)).tolist() == [3, 2]


def test_facets_of_many_documents_are_counted_from_the_values_documents(monkeypatch) -> None:
    from search import facets
    from search.facets import Archive, count_facets
    from search.model import FACETS, SearchRequest

    monkeypatch.setattr(facets, "COMMON_SHARE", 4)
    rng = np.random.default_rng(3)
    documents = 400
    per_doc = [rng.choice(8, int(rng.integers(0, 4)), replace=False).tolist() for _ in range(documents)]
    offsets = np.concatenate(([0], np.cumsum([len(v) for v in per_doc]))).astype(np.int64)
    people = FacetColumn([f"人物{i}" for i in range(8)], offsets, np.array([c for v in per_doc for c in v], dtype=np.int32))
    years = FacetColumn.single_valued(["2023", "2024"], rng.integers(-1, 2, documents))
    nothing = FacetColumn([], np.zeros(documents + 1, dtype=np.int64), np.zeros(0, dtype=np.int32))
    columns = {facet: {"person": people, "year": years}.get(facet, nothing) for facet in FACETS}
    live = rng.random(documents) < 0.9
    archive = Archive(live, int(live.sum()), {facet: columns[facet].counts(np.flatnonzero(live)) for facet in FACETS})
    for share in (0.02, 0.3, 0.7):
        docs = np.flatnonzero(live & (rng.random(documents) < share))
        counted = {facet: docs for facet in FACETS}
        monkeypatch.setattr(facets, "MARK_SHARE", 16)  # 1 in 16 of 400: from 25 documents on
        found = count_facets(columns, SearchRequest(query="援疆"), counted, archive)
        held = people.having(docs, ["人物1", "人物6", "无此人"])
        monkeypatch.setattr(facets, "MARK_SHARE", 0)  # never
        assert count_facets(columns, SearchRequest(query="援疆"), counted, archive) == found
        assert people.having(docs, ["人物1", "人物6", "无此人"]).tolist() == held.tolist() == [
            bool({1, 6} & set(per_doc[d])) for d in docs.tolist()]
        assert {fv.value: fv.count for fv in found["person"]} == {
            f"人物{i}": n for i, n in enumerate(np.bincount([c for d in docs.tolist() for c in per_doc[d]], minlength=8).tolist()) if n}
