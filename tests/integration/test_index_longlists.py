"""Long posting lists kept as plain arrays beside Whoosh's (indexer.longlists): written by segment
writers and merges, read by searches instead of Whoosh's blocks, with the same answers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from indexer import longlists, store
from indexer.build import update_index
from indexer.errors import IndexCorrupt
from indexer.longlists import ListFile, ListWriter, open_lists
from indexer.merging import MergePolicy
from indexer.pipeline import BuildSettings
from indexer.postings import matcher_postings
from search.model import SearchRequest
from search.service import SearchService
from tests.conftest import make_article


def _write(path, lists):
    writer = ListWriter(path)
    for field, term, docs, freqs in lists:
        writer.add(field, term.encode("utf-8"), np.asarray(docs, dtype=np.uint32), np.asarray(freqs, dtype=np.uint32))
    writer.close()


def test_lists_read_back_exactly_whatever_order_they_were_written_in(tmp_path, monkeypatch):
    monkeypatch.setattr(longlists, "MIN_POSTINGS", 3)
    path = tmp_path / "MAIN_x.lists"
    _write(path, [
        ("title", "援疆", [0, 4, 9], [1, 2, 1]),
        ("text", "援疆", [1, 2, 3, 7], [3, 255, 1, 1]),  # every frequency fits one byte
        ("text", "和田", [0, 5, 6], [1, 256, 70000]),  # one does not: four bytes each
        ("text", "喀", [2, 3], [1, 1]),  # too short: left to Whoosh
        ("region", "克拉玛依", [8, 9, 10], [1, 1, 1]),
    ])
    assert not (tmp_path / "MAIN_x.lists.tmp").exists()
    lists = ListFile(path)
    assert len(lists) == 4
    assert [k.decode("utf-8") for k in lists.keys] == ["region\x1f克拉玛依", "text\x1f和田", "text\x1f援疆", "title\x1f援疆"]
    docs, freqs = lists.read("text", "援疆".encode())
    assert (docs.tolist(), freqs.tolist(), freqs.dtype) == ([1, 2, 3, 7], [3, 255, 1, 1], np.uint8)
    docs, freqs = lists.read("text", "和田".encode())
    assert (docs.tolist(), freqs.tolist(), freqs.dtype.itemsize) == ([0, 5, 6], [1, 256, 70000], 4)
    assert lists.read("title", "援疆".encode())[0].tolist() == [0, 4, 9]
    assert lists.read("region", "克拉玛依".encode())[0].tolist() == [8, 9, 10]
    # Not kept here: too short, another field, a prefix, a key longer than any kept.
    assert lists.read("text", "喀".encode()) is None
    assert lists.read("title", "和田".encode()) is None
    assert lists.read("text", "援".encode()) is None
    assert lists.read("text", ("援疆" * 20).encode()) is None
    lists.close()


def test_a_segment_without_long_lists_has_a_file_that_says_so(tmp_path):
    _write(tmp_path / "MAIN_y.lists", [("text", "援疆", [0], [1])])
    lists = ListFile(tmp_path / "MAIN_y.lists")
    assert (len(lists), lists.read("text", "援疆".encode())) == (0, None)
    assert open_lists(tmp_path / "MAIN_z.lists") is None


@pytest.mark.parametrize("damage", ["truncated", "magic", "directory"])
def test_a_damaged_lists_file_is_refused_as_a_damaged_index(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(longlists, "MIN_POSTINGS", 1)
    path = tmp_path / "MAIN_d.lists"
    _write(path, [("text", "援疆", [0, 1], [1, 2])])
    data = path.read_bytes()
    if damage == "truncated":
        data = data[:-5]
    elif damage == "magic":
        data = b"XXXXXXXX" + data[8:]
    else:
        data = data[:-16] + (len(data)).to_bytes(8, "little") + data[-8:]  # the directory's offset past the end
    path.write_bytes(data)
    with pytest.raises(IndexCorrupt, match="long lists file MAIN_d.lists is damaged"):
        ListFile(path)


def _articles(count):
    # 援疆 in every article (twice in every third), 光伏 in every other one, one word of its own in each.
    return [make_article(f"a{i:03d}", f"第{i}篇报道" + ("援疆" if i % 4 == 0 else ""),
                         f"援疆干部第{i}次来到克拉玛依。" + ("援疆项目开工。" if i % 3 == 0 else "")
                         + ("光伏电站建成。" if i % 2 == 0 else "") + f"编号{i}号。") for i in range(count)]


def _ids_and_scores(service: SearchService, query: str) -> list[tuple[str, float]]:
    page = service.search(SearchRequest(query=query, per_page=100, collapse=False))
    return [(h.id, round(h.score, 9)) for h in page.hits]


def test_writers_and_merges_keep_long_lists_equal_to_whooshs_and_searches_answer_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(longlists, "MIN_POSTINGS", 4)
    index_dir = tmp_path / "ix"
    articles = _articles(40)
    # A segment every few articles, merged three at a time, by the writer process and the merging one.
    settings = BuildSettings(workers=1, buffer_mb=0, merge=MergePolicy(factor=3, floor_docs=2, max_docs=60))
    update_index(articles, index_dir, settings=settings)
    # Then an update: two articles gone, one changed (deleted documents stay in their segments' lists).
    changed = dataclasses.replace(articles[5], text="光伏援疆。")
    update_index(articles[:5] + [changed] + articles[6:38], index_dir, settings=settings)
    live = store.open_live(index_dir)
    checked = kept = 0
    with live.ix.reader() as reader:
        assert len(list(reader.leaf_readers())) > 1
        for sub, _ in reader.leaf_readers():
            lists = open_lists(live.path / longlists.file_name(sub.segment().segment_id()))
            assert lists is not None
            for field in ("title", "text", "region"):
                for btext in sub.lexicon(field):
                    expected_docs, expected_freqs = matcher_postings(sub.postings(field, btext))
                    found = lists.read(field, btext)
                    if len(expected_docs) < 4:
                        assert found is None, (field, btext)
                    else:
                        assert found is not None, (field, btext)
                        assert found[0].tolist() == expected_docs.tolist()
                        assert found[1].tolist() == expected_freqs.astype(int).tolist()
                        kept += 1
                    checked += 1
            lists.close()
    live.ix.close()
    assert checked > 100 and kept > 10

    with_lists = SearchService(index_dir)
    queries = ["援疆", "光伏", "援疆 光伏", "克拉玛依 -光伏", "第7次", "title:援疆"]
    answers = {q: _ids_and_scores(with_lists, q) for q in queries}
    assert sorted(i for i, _ in answers["援疆"]) == [f"a{i:03d}" for i in range(38)]
    assert sorted(i for i, _ in answers["光伏"]) == sorted([f"a{i:03d}" for i in range(0, 38, 2)] + ["a005"])
    with_lists.close()
    for path in (index_dir / store.generation_name(2)).glob("*.lists"):
        path.unlink()
    without = SearchService(index_dir)
    assert {q: _ids_and_scores(without, q) for q in queries} == answers
    without.close()
