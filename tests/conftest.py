"""Shared fixtures: inline articles, a small index built from them, the bundled corpus indexed once."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from corpus.article import Article
from indexer.build import update_index

ArticleFactory = Callable[..., Article]


def make_article(id: str, title: str, text: str, **fields: Any) -> Article:
    """An Article with sensible defaults for the fields a test does not care about."""
    defaults: dict[str, Any] = {
        "date": "2023-08-27",
        "date_precision": "day",
        "source": "解放日报",
        "regions": ("喀什",),
        "sectors": ("党建政务",),
        "aid_from": ("上海",),
        "origin": f"inline#{id}",
    }
    defaults.update(fields)
    return Article(id=id, title=title, text=text, **defaults)


# Each article exists to exercise one of the known failures of a stock jieba index.
SAMPLE_ARTICLES: tuple[Article, ...] = (
    make_article(
        "kly-city",
        "上海对口支援克拉玛依市",
        "自2015年中组部确定上海对口支援克拉玛依市以来，先后有4批109名上海干部人才投身边疆。\n"
        "马克思主义理论学习持续深入。",
        date="2023-07-01",
        source="克拉玛依日报",
        regions=("克拉玛依",),
        sectors=("教育", "产业经济"),
    ),
    make_article(
        "kly-word",
        "沙漠美人",
        "克拉玛依，你是沙漠美人。克拉\n\n玛依的石油工人艰苦奋斗。",
        date="2025-04-03",
        source="克拉玛依日报",
        regions=("克拉玛依",),
        sectors=("文化旅游",),
        aid_from=(),
    ),
    make_article(
        "chen",
        "陈吉宁率团考察",
        "8月27日至28日，上海市委书记陈吉宁率上海市代表团在新疆喀什地区学习考察，共商对口支援大计。",
        date="2023-08-29",
    ),
    make_article(
        "iov",
        "智能网联汽车",
        "氢能、智能网联、数字经济3大产业集群加快成长。Hello World, 5G and AI.",
        date="2025-04-02",
        source="克拉玛依日报",
        regions=("克拉玛依",),
        sectors=("数字科技", "产业经济"),
    ),
    make_article(
        "trad",
        "援疆幹部在和田",
        "北京援疆幹部深入和田地区的鄉村，開展醫療服務。\r\n群眾稱讚不已。",
        date="2023-12-08",
        source="和田日报",
        regions=("和田",),
        sectors=("医疗卫生",),
        aid_from=("北京",),
    ),
    make_article(
        "tianjin",
        "天津“组团式”援疆",
        "天津援疆医疗队在策勒县开展“组团式”帮扶，援疆干部人才扎根基层。",
        date="2023-12-11",
        source="和田日报",
        regions=("和田",),
        sectors=("医疗卫生", "教育"),
        aid_from=("天津",),
    ),
)


@pytest.fixture()
def article_factory() -> ArticleFactory:
    """make_article, for tests that build their own articles."""
    return make_article


@pytest.fixture()
def sample_articles() -> tuple[Article, ...]:
    """The inline sample articles."""
    return SAMPLE_ARTICLES


@pytest.fixture()
def sample_index(tmp_path: Path) -> Path:
    """An index of the sample articles in a fresh temporary directory."""
    index_dir = tmp_path / "index"
    update_index(SAMPLE_ARTICLES, index_dir)
    return index_dir


@pytest.fixture()
def sample_service(sample_index: Path) -> Iterator[Any]:
    """A SearchService over sample_index."""
    from search.service import SearchService

    service = SearchService(sample_index)
    yield service
    service.close()


@pytest.fixture()
def service_of(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """A function indexing articles in a fresh directory and returning a SearchService over it."""
    from search.service import SearchService

    services: list[Any] = []

    def make(articles: Sequence[Article]) -> Any:
        index_dir = tmp_path / f"index-{len(services)}"
        update_index(articles, index_dir)
        services.append(SearchService(index_dir))
        return services[-1]

    yield make
    for service in services:
        service.close()


@pytest.fixture(scope="session")
def bundled_articles() -> tuple[Article, ...]:
    """The articles of the bundled corpus (loaded once per session)."""
    from corpus.loader import load_corpus

    return load_corpus().articles


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory, bundled_articles: tuple[Article, ...]) -> Path:
    """An index of the bundled corpus, built once per session; tests must not modify it."""
    index_dir = tmp_path_factory.mktemp("bundled") / "index"
    update_index(bundled_articles, index_dir, corpus_label="bundled")
    return index_dir


@pytest.fixture(scope="session")
def bundled_service(bundled_index: Path) -> Iterator[Any]:
    """A SearchService over the bundled index, shared by the session."""
    from search.service import SearchService

    service = SearchService(bundled_index)
    yield service
    service.close()
