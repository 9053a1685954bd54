"""The gram index finds exactly the occurrences a brute-force scan of every stream finds."""

import logging

import numpy as np
import pytest

from indexer import store
from indexer.analysis import stream
from indexer.build import update_index
from indexer.errors import IndexCorrupt
from indexer.grams import SUFFIX, build_arrays, document_fields, ensure_gram_files, read_arrays
from indexer.merging import MergePolicy
from indexer.pipeline import BuildSettings
from indexer.postings import generic_postings, matcher_postings
from search.grams import GramSegment
from search.model import SearchRequest
from search.service import SearchService


def overlapping(haystack: str, needle: str) -> int:
    """How many times needle occurs in haystack, overlaps included."""
    count, at = 0, haystack.find(needle)
    while at >= 0:
        count += 1
        at = haystack.find(needle, at + 1)
    return count


def brute_force(articles, needle: str) -> dict[int, int]:
    """Field number (2 × document, + 1 for the text) → occurrences of needle."""
    out = {}
    for d, field in enumerate(document_fields((a.title, a.text) for a in articles)):
        if count := overlapping(field, needle):
            out[d] = count
    return out


def counted(segment, needle: str) -> dict[int, int]:
    """Field number → occurrences, as the segment counts them."""
    fields, counts = segment.field_counts(needle)
    return dict(zip(fields.tolist(), counts.tolist()))


@pytest.fixture(scope="module")
def bundled_segment(bundled_articles):
    return GramSegment(build_arrays(document_fields((a.title, a.text) for a in bundled_articles)), 0)


@pytest.mark.parametrize("typed", ["克拉玛依", "对口支援", "援疆干部人才", "上海援克", "二十大", "136", "石油城市",
                                   "疆", "的", "3", "不存在的词语", "新疆新疆", "援疆援疆援疆"])
def test_occurrences_are_exactly_those_of_a_scan(bundled_segment, bundled_articles, typed):
    needle = stream(typed)
    fields, counts = bundled_segment.field_counts(needle)
    assert dict(zip(fields.tolist(), counts.tolist())) == brute_force(bundled_articles, needle)


def test_every_bigram_of_the_corpus_is_found_where_it_is(bundled_segment, bundled_articles):
    streams = document_fields((a.title, a.text) for a in bundled_articles)
    bigrams = sorted({s[i : i + 2] for s in streams for i in range(len(s) - 1)})
    assert len(bigrams) > 5000
    for bigram in bigrams[::7]:
        fields, counts = bundled_segment.field_counts(bigram)
        assert dict(zip(fields.tolist(), counts.tolist())) == {
            f: overlapping(s, bigram) for f, s in enumerate(streams) if bigram in s}, bigram


def test_repeated_grams_need_consecutive_positions():
    segment = GramSegment(build_arrays(["笑", "哈哈哈", "笑", "哈哈呵哈哈"]), 0)
    assert counted(segment, "哈哈哈") == {1: 1}
    assert counted(segment, "哈哈") == {1: 2, 3: 2}


def test_no_match_spans_two_fields_or_two_documents():
    segment = GramSegment(build_arrays(["天山", "南北", "甲", "乙丙"]), 0)
    assert counted(segment, "山南") == {}
    assert counted(segment, "北甲") == {}
    assert counted(segment, "甲乙") == {}
    assert counted(segment, "甲") == {2: 1}
    assert counted(segment, "丙") == {3: 1}


def test_the_arrays_of_a_tiny_segment():
    arrays = build_arrays(["ab", "ba", "", "a"])
    a, b = ord("a"), ord("b")
    assert arrays.keys.tolist() == [a << 21, a << 21 | b, b << 21, b << 21 | a]
    assert arrays.offsets.tolist() == [0, 2, 3, 4, 5]
    # "ab\0ba\0\0a\0": a· at 4 and 7, ab at 0, b· at 1, ba at 3.
    assert arrays.positions.tolist() == [4, 7, 0, 1, 3]
    assert arrays.starts.tolist() == [0, 3, 6, 7, 9]
    assert arrays.field_lengths().tolist() == [2, 2, 0, 1]
    assert arrays.documents == 2


def test_segment_bases_number_documents_index_wide():
    segment = GramSegment(build_arrays(["甲", "乙", "丙", "甲"]), 5)
    assert counted(segment, "甲") == {10: 1, 13: 1}


def test_both_ways_of_counting_per_field_agree():
    # Few occurrences are each located among the field starts; many, the other way round.
    segment = GramSegment(build_arrays(["甲乙", "甲乙甲乙甲乙", "丙", "甲乙丁"] * 50), 0)
    many = counted(segment, "甲乙")
    assert len(segment.starts_of("甲乙")) * 4 > len(segment.arrays.starts)
    assert many == {f: (1 if f % 4 == 0 else 3 if f % 4 == 1 else 1) for f in range(200) if f % 4 != 2}
    few = GramSegment(build_arrays(["甲乙", "丙丁"] + ["丙", "丁"] * 10 + ["戊", "甲乙甲乙"]), 0)
    assert len(few.starts_of("甲乙")) * 4 <= len(few.arrays.starts)
    assert counted(few, "甲乙") == {0: 1, 23: 2}


def test_every_segment_has_a_gram_file_and_vanished_ones_lose_theirs(tmp_path, article_factory):
    index_dir = tmp_path / "ix"
    update_index([article_factory("a", "甲", "甲乙丙")], index_dir)
    first = store.open_live(index_dir)
    first.ix.close()
    update_index([article_factory("a", "甲", "甲乙丙"), article_factory("b", "丁", "丙丁戊")], index_dir)
    live = store.open_live(index_dir)
    with live.ix.reader() as reader:
        segment_ids = {sub.segment().segment_id() for sub, _ in reader.leaf_readers()}
    live.ix.close()
    assert {p.name for p in live.path.glob("*" + SUFFIX)} == {s + SUFFIX for s in segment_ids}
    service = SearchService(index_dir)
    assert [h.id for h in service.search(SearchRequest(query="丙")).hits] == ["a", "b"]
    service.close()


def test_a_damaged_gram_file_names_the_next_step(tmp_path, article_factory):
    index_dir = tmp_path / "ix"
    update_index([article_factory("a", "甲", "甲乙丙")], index_dir)
    live = store.open_live(index_dir)
    live.ix.close()
    for path in live.path.glob("*" + SUFFIX):
        path.write_bytes(b"not a gram file")
    service = SearchService(index_dir)
    with pytest.raises(IndexCorrupt, match="xjsearch index --rebuild"):
        service.search(SearchRequest(query="甲"))


def test_block_reading_of_postings_equals_the_public_interface(bundled_index):
    live = store.open_live(bundled_index)
    with live.ix.reader() as reader:
        checked = 0
        for field in ("title", "text"):
            for word in list(reader.field_terms(field))[::11]:
                fast = matcher_postings(reader.postings(field, word))
                slow = generic_postings(reader.postings(field, word))
                assert fast[0].tolist() == slow[0].tolist() and fast[1].tolist() == slow[1].tolist(), word
                assert (fast[0].dtype, fast[1].dtype, slow[0].dtype, slow[1].dtype) == (
                    np.int64, np.float64, np.int64, np.float64)
                checked += 1
    live.ix.close()
    assert checked > 200


def test_merged_segments_get_their_own_gram_files(tmp_path, article_factory):
    index_dir = tmp_path / "ix"
    articles, segment_counts = [], []
    # Each run adds a segment of one article; three segments of a tier are merged into one.
    settings = BuildSettings(merge=MergePolicy(factor=3, floor_docs=1))
    for i in range(7):
        articles.append(article_factory(f"a{i}", f"标题{i}", f"援疆干部第{i}批抵达喀什"))
        update_index(articles, index_dir, settings=settings)
        live = store.open_live(index_dir)
        with live.ix.reader() as reader:
            segment_ids = {sub.segment().segment_id() for sub, _ in reader.leaf_readers()}
        live.ix.close()
        assert {p.name for p in live.path.glob("*" + SUFFIX)} == {s + SUFFIX for s in segment_ids}
        segment_counts.append(len(segment_ids))
    assert segment_counts == [1, 2, 1, 2, 3, 2, 3]
    service = SearchService(index_dir)
    assert sorted(h.id for h in service.search(SearchRequest(query="援疆干部", per_page=10)).hits) == [
        f"a{i}" for i in range(7)]
    assert [h.id for h in service.search(SearchRequest(query="第5批")).hits] == ["a5"]
    service.close()


def test_a_segment_found_without_its_gram_file_gets_it_from_its_stored_title_and_text(tmp_path, article_factory, caplog):
    index_dir = tmp_path / "ix"
    update_index([article_factory("a", "援疆干部", "援疆干部走进社区"), article_factory("b", "喀什", "喀什的果园")], index_dir)
    live = store.open_live(index_dir)
    [gram_file] = live.path.glob("*" + SUFFIX)
    built = gram_file.read_bytes()
    gram_file.unlink()
    (live.path / ("gone" + SUFFIX)).write_bytes(b"a segment that no longer exists")
    with caplog.at_level(logging.INFO, logger="indexer.grams"):
        assert ensure_gram_files(live.ix, live.path) == 1
    live.ix.close()
    assert [record.getMessage() for record in caplog.records if record.name == "indexer.grams"] == [
        "gram files: 1 built, 1 segments"]
    assert [p.name for p in live.path.glob("*" + SUFFIX)] == [gram_file.name]
    assert gram_file.read_bytes() == built
    assert read_arrays(gram_file).documents == 2


def test_positions_are_placed_in_their_fields_whatever_the_fields_lengths():
    rng = np.random.default_rng(11)
    for _ in range(50):
        # Fields of 1 to 400 characters (a few short titles in a row, long texts spanning blocks).
        lengths = rng.choice([1, 2, 3, 5, 20, 127, 128, 129, 400], int(rng.integers(1, 300)))
        fields = ["甲" * (n - 1) for n in lengths.tolist()]
        segment = GramSegment(build_arrays(fields if len(fields) % 2 == 0 else fields + [""]), 0)
        starts = segment.arrays.starts
        found = np.sort(rng.choice(int(starts[-1]), int(rng.integers(1, 200))))
        assert segment.fields_of(found).tolist() == (np.searchsorted(starts, found, side="right") - 1).tolist()


def test_positions_are_found_among_others_alike_by_searching_and_by_merging():
    from search.grams import MERGE_RATIO, among

    rng = np.random.default_rng(5)
    for size, dtype in [(0, np.uint32), (1, np.uint32), (50, np.uint32), (3000, np.uint32), (3000, np.uint64)]:
        positions = np.unique(rng.integers(0, 10_000, size)).astype(dtype)
        for wanted_size in [1, 10, len(positions) // (2 * MERGE_RATIO) + 1, len(positions), 2 * len(positions) + 5]:
            # Wanted starts may stand before the first position of the segment, or past any stored width.
            pool = np.concatenate([positions.astype(np.int64), rng.integers(-3, 12_000, wanted_size),
                                   [2**32 + 7, -1]])
            wanted = np.unique(rng.choice(pool, wanted_size))
            expected = [w in set(positions.tolist()) for w in wanted.tolist()]
            assert among(wanted, positions).tolist() == expected


def test_a_string_whose_bigrams_are_all_as_common_is_found_by_merging_their_positions():
    # Every 乙 follows 甲 and precedes 丙: the three bigram lists are of one size, so they are merged.
    fields = ["甲乙丙丁" * 3, "乙丙丁甲乙丙", "丙丁甲乙", "甲乙丙"]
    segment = GramSegment(build_arrays(fields), 0)
    for needle in ["甲乙丙丁", "乙丙丁甲", "丁甲乙丙", "甲乙丙"]:
        expected = {d: n for d, field in enumerate(fields) if (n := overlapping(field, needle))}
        assert counted(segment, needle) == expected


def test_every_other_bigram_with_the_first_and_last_holds_every_character():
    from search.grams import covering

    assert covering(0, 1) == [0]
    assert covering(0, 3) == [0, 2]  # 克拉玛依: 克拉, 玛依
    assert covering(1, 3) == [0, 1, 2]
    assert covering(2, 6) == [0, 2, 4, 5]
    for count in range(1, 12):
        for first in range(count):
            offsets = covering(first, count)
            assert first in offsets
            assert {c for o in offsets for c in (o, o + 1)} == set(range(count + 1))


def test_a_string_is_found_only_where_all_of_it_stands_though_every_other_bigram_is_probed():
    # Each probed bigram (甲乙, 丙丁) occurs without the one between them (乙丙) in the first field.
    fields = ["甲乙丁丙丁甲乙", "甲乙丙丁", "丙丁甲乙丙丁", "甲乙\u3000丙丁"]
    segment = GramSegment(build_arrays(fields), 0)
    for needle in ["甲乙丙丁", "乙丙丁", "甲乙丙", "丁甲乙丙丁"]:
        expected = {d: n for d, field in enumerate(fields) if (n := overlapping(field, needle))}
        assert counted(segment, needle) == expected
