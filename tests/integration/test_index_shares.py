"""An incremental run over a source that can be read in shares: several processes read and look up,
and the run decides and writes exactly what one process reading the whole stream does."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from corpus.article import Article, Skipped
from indexer import lookup, store
from indexer.build import update_index
from indexer.ledger import Ledger
from search.model import SearchRequest
from search.service import SearchService
from tests.conftest import make_article


class Dealt:
    """A stream in chunks of `size` articles, dealt in turn to the shares (indexer.lookup.Shareable)."""

    def __init__(self, articles: list[Article], size: int = 7) -> None:
        self.chunks = [articles[at : at + size] for at in range(0, len(articles), size)]
        self.shared = 0  # shares asked for in this process (the reading processes ask in theirs)

    def __iter__(self) -> Iterator[Article]:
        return (article for chunk in self.chunks for article in chunk)

    def share(self, index: int, count: int) -> Iterator[list[Article]]:
        return iter(self.chunks[index::count])


class Unfair(Dealt):
    """Shares of which the first ends two chunks early: not the stream dealt in turn."""

    def share(self, index: int, count: int) -> Iterator[list[Article]]:
        chunks = self.chunks[index::count]
        return iter(chunks[:-2] if index == 0 else chunks)


def _articles(count: int) -> list[Article]:
    return [make_article(f"s{i:03d}", f"第{i}篇", f"援疆医生第{i}次到莎车县义诊，编号{i}号。", origin=f"feed.jsonl:{i + 1}")
            for i in range(count)]


def _update(articles: list[Article]) -> list[Article]:
    """Every fourth article changed, every tenth gone, two new ones, and repeated ids: one of a kept
    article (in another chunk than its first), one of a new article."""
    out = [dataclasses.replace(a, text=a.text + "新建光伏电站。") if i % 4 == 0 else a
           for i, a in enumerate(articles) if i % 10 != 3]
    new = [make_article("n1", "新篇", "援疆教师在喀什支教。", origin="feed.jsonl:900"),
           make_article("n2", "又一新篇", "援疆教师在和田支教。", origin="feed.jsonl:901")]
    out[20:20] = new
    out.append(dataclasses.replace(articles[5], text="重复的一篇。", origin="feed.jsonl:950"))
    out.append(dataclasses.replace(new[1], origin="feed.jsonl:951"))
    return out


@pytest.fixture
def small_shares(monkeypatch):
    """Shares read from a live index of 20 articles on."""
    monkeypatch.setattr(lookup, "SHARED_MIN_ARTICLES", 20)
    monkeypatch.setattr(lookup, "cores", lambda: 2)


def _ids(index_dir: Path, query: str) -> list[str]:
    service = SearchService(index_dir)
    try:
        found, page = [], 1
        while True:
            hits = service.search(SearchRequest(query=query, per_page=100, page=page)).hits
            found += [h.id for h in hits]
            if len(hits) < 100:
                return sorted(found)
            page += 1
    finally:
        service.close()


def _ledger(index_dir: Path) -> dict[str, np.ndarray]:
    with np.load(index_dir / store.generation_name(store.read_current(index_dir)) / store.LEDGER) as data:
        return {name: np.asarray(data[name]) for name in data.files}


def test_an_update_read_in_shares_decides_and_writes_what_one_reader_does(tmp_path, small_shares, caplog):
    articles = _articles(120)
    changed = _update(articles)
    reports = {}
    for how, source in (("one", lambda: iter(changed)), ("shares", lambda: Dealt(changed))):
        update_index(articles, tmp_path / how)
        caplog.clear()
        with caplog.at_level("INFO", logger="indexer.build"):
            reports[how] = update_index(source(), tmp_path / how)
        assert ("read and looked up by 2 processes" in caplog.text) == (how == "shares")
    one, shares = reports["one"], reports["shares"]
    assert (shares.added, shares.updated, shares.deleted, shares.unchanged) == (2, 30, 12, 78)
    assert (shares.added, shares.updated, shares.deleted, shares.unchanged) == (one.added, one.updated, one.deleted, one.unchanged)
    assert shares.skipped == one.skipped == (Skipped("feed.jsonl:950", "duplicate article id s005"),
                                             Skipped("feed.jsonl:951", "duplicate article id n2"))
    for query in ("光伏电站", "支教", "援疆医生", "重复"):
        assert _ids(tmp_path / "shares", query) == _ids(tmp_path / "one", query)
    assert _ids(tmp_path / "shares", "光伏电站") == sorted(a.id for i, a in enumerate(articles) if i % 4 == 0 and i % 10 != 3)
    assert _ids(tmp_path / "shares", "重复") == []
    one_ledger, shared_ledger = _ledger(tmp_path / "one"), _ledger(tmp_path / "shares")
    assert one_ledger.keys() == shared_ledger.keys()
    for name in one_ledger:
        assert np.array_equal(one_ledger[name], shared_ledger[name])


def test_an_update_that_changes_nothing_read_in_shares_writes_no_generation(tmp_path, small_shares):
    articles = _articles(60)
    update_index(articles, tmp_path / "ix")
    report = update_index(Dealt(articles, size=5), tmp_path / "ix")
    assert (report.changed, report.unchanged, report.generation) == (False, 60, 1)
    assert store.generations(tmp_path / "ix") == [1]


def test_shares_that_lose_a_chunk_fail_the_run_and_the_live_index_stays(tmp_path, small_shares):
    articles = _articles(60)
    update_index(articles, tmp_path / "ix")
    changed = [dataclasses.replace(a, text=a.text + "新建光伏电站。") for a in articles]
    with pytest.raises(ValueError, match="do not deal its chunks in turn"):
        update_index(Unfair(changed), tmp_path / "ix")
    assert store.read_current(tmp_path / "ix") == 1
    assert store.generations(tmp_path / "ix") == [1]
    assert _ids(tmp_path / "ix", "光伏电站") == []


def test_a_source_is_read_in_shares_only_for_an_update_of_a_large_live_index(tmp_path, small_shares):
    articles = _articles(30)
    ledger = Ledger.from_checksums({a.id: a.checksum for a in articles})
    assert lookup.readers_for(Dealt(articles), ledger, everything=False) == 2
    assert lookup.readers_for(Dealt(articles), ledger, everything=True) == 1  # a rebuild writes every article
    assert lookup.readers_for(iter(articles), ledger, everything=False) == 1  # a plain stream
    assert lookup.readers_for(Dealt(articles), None, everything=False) == 1  # no live index
    small = Ledger.from_checksums({a.id: a.checksum for a in articles[:19]})
    assert lookup.readers_for(Dealt(articles), small, everything=False) == 1
