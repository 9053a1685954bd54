"""Gram files written in parts and merged: the same arrays as one build of the documents kept."""

import random

import numpy as np
import pytest

from indexer.arrayfile import ALIGN
from indexer.errors import IndexCorrupt
from indexer.grams import (
    GramFile,
    GramWriter,
    _aligned,
    build_arrays,
    document_fields,
    merge_grams,
    position_type,
    read_arrays,
    write_arrays,
)

_CHARS = "援疆干部克拉玛依和田喀什上海北京天津医疗教育产业𠀀a1"


def _documents(rng: random.Random, count: int) -> list[tuple[str, str]]:
    def text(low: int, high: int) -> str:
        return "".join(rng.choice(_CHARS + "，。 ") for _ in range(rng.randint(low, high)))

    return [(text(0, 6), text(0, 40)) for _ in range(count)]


def _same(found, expected) -> None:
    for name in ("keys", "offsets", "positions", "starts"):
        assert getattr(found, name).tolist() == getattr(expected, name).tolist(), name
        assert getattr(found, name).dtype == getattr(expected, name).dtype, name


def test_merging_segments_with_deletions_equals_building_the_kept_documents(tmp_path):
    rng = random.Random(7)
    segments = [_documents(rng, n) for n in (30, 1, 45, 12)]
    keep = [None, np.array([False]), np.array([rng.random() < 0.7 for _ in range(45)]), np.ones(12, dtype=bool)]
    sources = []
    for number, documents in enumerate(segments):
        write_arrays(tmp_path / f"s{number}.grams", build_arrays(document_fields(documents)))
        sources.append(GramFile(tmp_path / f"s{number}.grams"))
    # A tiny round size makes every input span several rounds.
    merge_grams(sources, keep, tmp_path / "merged.grams", chunk=17)
    kept = [doc for documents, mask in zip(segments, keep) for i, doc in enumerate(documents)
            if mask is None or mask[i]]
    _same(read_arrays(tmp_path / "merged.grams"), build_arrays(document_fields(kept)))


def test_a_writer_with_small_parts_equals_one_build(tmp_path):
    documents = _documents(random.Random(3), 80)
    writer = GramWriter(tmp_path / "seg.grams", chunk_chars=50)
    for title, text in documents:
        writer.add(title, text)
    writer.finish()
    _same(read_arrays(tmp_path / "seg.grams"), build_arrays(document_fields(documents)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seg.grams"]


def test_merging_nothing_kept_gives_an_empty_file(tmp_path):
    write_arrays(tmp_path / "a.grams", build_arrays(document_fields([("援疆", "干部")])))
    merge_grams([GramFile(tmp_path / "a.grams")], [np.array([False])], tmp_path / "m.grams")
    merged = read_arrays(tmp_path / "m.grams")
    assert (merged.keys.tolist(), merged.offsets.tolist(), merged.starts.tolist(), merged.documents) == ([], [0], [0], 0)


def test_a_damaged_gram_file_is_reported(tmp_path):
    (tmp_path / "bad.grams").write_bytes(b"XJGRAMS1\x05\x00\x00\x00{oops")
    with pytest.raises(IndexCorrupt, match="bad.grams is damaged"):
        GramFile(tmp_path / "bad.grams")


def test_a_file_that_is_no_gram_file_or_lacks_an_array_is_reported_with_its_folder(tmp_path):
    (tmp_path / "other.grams").write_bytes(b"XJOTHER1\x00\x00\x00\x00")
    with pytest.raises(IndexCorrupt, match=r"\(gram file other.grams is damaged: not a gram file\)") as caught:
        GramFile(tmp_path / "other.grams")
    assert caught.value.path == tmp_path
    head = b'{"keys": {"dtype": "<u8", "count": 0, "offset": 0}}'
    (tmp_path / "short.grams").write_bytes(b"XJGRAMS1" + len(head).to_bytes(4, "little") + head)
    with pytest.raises(IndexCorrupt, match=r"\(gram file short.grams is damaged: 'starts'\)") as caught:
        GramFile(tmp_path / "short.grams")
    assert caught.value.path == tmp_path


def test_the_arrays_have_the_types_the_file_format_names():
    arrays = build_arrays(document_fields([("援疆", "干部走进社区")]))
    assert [getattr(arrays, name).dtype for name in ("keys", "offsets", "positions", "starts")] == [
        np.uint64, np.int64, np.uint32, np.int64]
    assert arrays.starts.tolist() == [0, 3, 10]
    assert (position_type(2**32 - 1), position_type(2**32)) == (np.uint32, np.uint64)


def test_fields_come_in_pairs():
    with pytest.raises(ValueError, match=r"^fields come in \(title, text\) pairs$"):
        build_arrays(["援疆"])


def test_arrays_start_on_a_multiple_of_the_alignment():
    assert [_aligned(size) for size in (0, 1, ALIGN - 1, ALIGN, ALIGN + 1)] == [0, ALIGN, ALIGN, ALIGN, 2 * ALIGN]


def test_a_writer_counts_the_characters_it_holds_and_spills_them_at_its_chunk_size(tmp_path):
    writer = GramWriter(tmp_path / "seg.grams", chunk_chars=12)
    writer.add("援疆", "干部")  # two streams of 2 characters, each with its separator: 6
    assert (writer.nbytes, sorted(p.name for p in tmp_path.iterdir())) == (24, [])
    writer.add("援疆", "干部")  # 12: a part is written and the writer holds nothing
    assert (writer.nbytes, sorted(p.name for p in tmp_path.iterdir())) == (0, ["seg.grams.part0"])
    writer.add("喀什", "")
    writer.finish()
    _same(read_arrays(tmp_path / "seg.grams"), build_arrays(document_fields([("援疆", "干部")] * 2 + [("喀什", "")])))


def test_discarding_a_writer_twice_or_after_its_part_vanished_is_harmless(tmp_path):
    writer = GramWriter(tmp_path / "seg.grams", chunk_chars=1)
    writer.add("援疆", "干部")
    (tmp_path / "seg.grams.part0").unlink()
    writer.discard()
    writer.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_merged_file_merges_again(tmp_path):
    rng = random.Random(11)
    segments = [_documents(rng, n) for n in (20, 15, 9)]
    for number, documents in enumerate(segments):
        write_arrays(tmp_path / f"s{number}.grams", build_arrays(document_fields(documents)))
    first = [GramFile(tmp_path / "s0.grams"), GramFile(tmp_path / "s1.grams")]
    merge_grams(first, [None, None], tmp_path / "m1.grams", chunk=13)
    second = [GramFile(tmp_path / "m1.grams"), GramFile(tmp_path / "s2.grams")]
    merge_grams(second, [None, None], tmp_path / "m2.grams", chunk=13)
    _same(read_arrays(tmp_path / "m2.grams"), build_arrays(document_fields([d for s in segments for d in s])))


def test_scratch_files_a_killed_merge_left_are_replaced_and_removed(tmp_path):
    write_arrays(tmp_path / "a.grams", build_arrays(document_fields([("援疆", "干部")])))
    for leftover in ("m.grams.tmp", "m.grams.keys.tmp", "m.grams.offsets.tmp"):
        (tmp_path / leftover).write_bytes(b"half written")
    merge_grams([GramFile(tmp_path / "a.grams")], [None], tmp_path / "m.grams")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.grams", "m.grams"]
    _same(read_arrays(tmp_path / "m.grams"), read_arrays(tmp_path / "a.grams"))


def test_a_segment_without_documents_has_empty_arrays(tmp_path):
    arrays = build_arrays([])
    assert [getattr(arrays, name).tolist() for name in ("keys", "offsets", "positions", "starts")] == [[], [0], [], [0]]
    assert [getattr(arrays, name).dtype for name in ("keys", "offsets", "positions", "starts")] == [
        np.uint64, np.int64, np.uint32, np.int64]


def test_a_gram_file_that_cannot_be_mapped_is_named_as_one(tmp_path):
    (tmp_path / "bad.grams").write_bytes(b"not a gram file at all")
    with pytest.raises(IndexCorrupt, match=r"\(gram file bad.grams"):
        read_arrays(tmp_path / "bad.grams")
