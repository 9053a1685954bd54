"""Gram files written in parts and merged: the same arrays as one build of the documents kept."""

import random

import numpy as np
import pytest

from indexer.grams import GramFile, GramWriter, build_arrays, document_fields, merge_grams, read_arrays, write_arrays

_CHARS = "援疆干部克拉玛依和田喀什上海北京天津医疗教育产业𠀀a1"


def _documents(rng: random.Random, count: int) -> list[tuple[str, str]]:
    def text(low: int, high: int) -> str:
        return "".join(rng.choice(_CHARS + "，。 ") for _ in range(rng.randint(low, high)))

    return [(text(0, 6), text(0, 40)) for _ in range(count)]


def _same(found, expected) -> None:
    for name in ("keys", "offsets", "positions", "starts"):
        assert getattr(found, name).tolist() == getattr(expected, name).tolist(), name


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
    from indexer.errors import IndexCorrupt

    (tmp_path / "bad.grams").write_bytes(b"XJGRAMS1\x05\x00\x00\x00{oops")
    with pytest.raises(IndexCorrupt, match="bad.grams is damaged"):
        GramFile(tmp_path / "bad.grams")
