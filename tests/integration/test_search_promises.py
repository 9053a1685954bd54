"""What the README promises of corrections and the person/org facets, on an index of inline articles.

Did you mean is offered only to a query finding fewer than three articles, and not by a server that
has not read its vocabulary yet; the person and org facets count each value with the other facets'
choices applied (not their own), and the web's person and org parameters filter.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import search.service
from indexer.build import update_index
from search.model import FacetValue, SearchRequest
from search.service import SearchService
from tests.conftest import make_article
from web import create_app

KELAMAYI = "克拉玛依"


def _article(id: str, text: str, date: str, people: tuple[str, ...] = (), orgs: tuple[str, ...] = ()):
    return make_article(id, text[:8], text, date=date, regions=("克拉玛依",), sectors=("教育",), people=people,
                        orgs=orgs)


# Written for these tests. Seven articles spell 克拉玛依 right; two misspell it 克拉马依 (2023), three
# 克拉玛衣 (two in 2024, one in 2025). Names are given as a names.tsv entry would give them.
ARTICLES = (
    _article("right-1", "克拉玛依第一所新建学校今年秋季开学。", "2024-03-01", ("王建国",), ("克拉玛依市教育局",)),
    _article("right-2", "克拉玛依的职业院校开设了新专业。", "2024-04-02", ("王建国",), ("克拉玛依职业技术学院",)),
    _article("right-3", "克拉玛依的老师们到上海参加培训。", "2024-05-03", ("王建国", "李秀英")),
    _article("right-4", "克拉玛依的图书馆延长了开放时间。", "2024-06-04", ("李秀英",), ("克拉玛依市教育局",)),
    _article("right-5", "克拉玛依的孩子们在操场上踢足球。", "2024-07-05"),
    _article("right-6", "克拉玛依的社区举办了读书节。", "2024-08-06"),
    _article("right-7", "克拉玛依的夜市在夏天格外热闹。", "2024-09-07"),
    _article("typo-a1", "克拉马依的公园里种满了树。", "2023-05-01"),
    _article("typo-a2", "克拉马依的博物馆来了很多参观者。", "2023-06-01"),
    _article("typo-b1", "克拉玛衣的幼儿园添置了新玩具。", "2024-10-01"),
    _article("typo-b2", "克拉玛衣的医院开设了夜间门诊。", "2024-11-01"),
    _article("typo-b3", "克拉玛衣的体育馆迎来了篮球比赛。", "2025-01-01"),
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("promises") / "index"
    update_index(ARTICLES, index_dir)
    return index_dir


@pytest.fixture()
def service(index: Path) -> Iterator[SearchService]:
    opened = SearchService(index)
    yield opened
    opened.close()


def answer(service: SearchService, query: str, **filters) -> tuple[int, str | None]:
    result = service.search(SearchRequest(query=query, **filters))
    return result.total, result.did_you_mean


def test_did_you_mean_is_offered_below_three_articles_only(service: SearchService) -> None:
    assert answer(service, KELAMAYI) == (7, None)
    assert answer(service, "克拉马依") == (2, KELAMAYI)
    assert answer(service, "克拉马依", years=("2023",)) == (2, None)  # the correction finds none of 2023
    assert answer(service, "克拉玛衣", years=("2025",)) == (1, None)
    assert answer(service, "克拉玛衣", years=("2024",)) == (2, KELAMAYI)  # 7 of 2024 spell it right
    # Three articles are enough: no correction, though the same one would find more.
    assert answer(service, "克拉玛衣") == (3, None)
    assert answer(service, "克拉玛衣", years=("2024", "2025")) == (3, None)


def test_a_server_that_has_not_read_its_vocabulary_offers_no_correction(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A warmed server reads the vocabulary in the background, after its first answer; until then a
    # search does not wait for it.
    monkeypatch.setattr(search.service, "READ_AHEAD_WAIT_S", 600.0)
    warmed = SearchService(index)
    try:
        warmed.warm()
        assert answer(warmed, "克拉马依") == (2, None)
    finally:
        warmed.close()
    cold = SearchService(index)  # not warmed: a correction reads the vocabulary when it needs it
    try:
        assert answer(cold, "克拉马依") == (2, KELAMAYI)
    finally:
        cold.close()


def facet(result, name: str) -> list[tuple[str, int, bool]]:
    return [(fv.value, fv.count, fv.selected) for fv in result.facets[name]]


def test_a_chosen_person_or_org_leaves_its_own_facet_counted_without_it(service: SearchService) -> None:
    everyone = service.search(SearchRequest(query=KELAMAYI))
    assert facet(everyone, "person") == [("王建国", 3, False), ("李秀英", 2, False)]
    assert facet(everyone, "org") == [("克拉玛依市教育局", 2, False), ("克拉玛依职业技术学院", 1, False)]

    chosen = service.search(SearchRequest(query=KELAMAYI, people=("王建国",)))
    assert (chosen.total, sorted(hit.id for hit in chosen.hits)) == (3, ["right-1", "right-2", "right-3"])
    # The person facet as without the choice (李秀英 still 2, so choosing her too widens the search) ...
    assert facet(chosen, "person") == [("王建国", 3, True), ("李秀英", 2, False)]
    # ... every other facet under it.
    assert facet(chosen, "org") == [("克拉玛依市教育局", 1, False), ("克拉玛依职业技术学院", 1, False)]
    assert chosen.facets["year"] == (FacetValue("2024", 3),)

    both = service.search(SearchRequest(query=KELAMAYI, people=("王建国", "李秀英")))
    assert both.total == 4
    org = service.search(SearchRequest(query=KELAMAYI, orgs=("克拉玛依职业技术学院",)))
    assert facet(org, "org") == [("克拉玛依市教育局", 2, False), ("克拉玛依职业技术学院", 1, True)]
    assert facet(org, "person") == [("王建国", 1, False)]


@pytest.mark.parametrize(
    ("params", "ids"),
    [
        ("person=李秀英", ["right-3", "right-4"]),
        ("org=克拉玛依职业技术学院", ["right-2"]),
        ("org=克拉玛依市教育局&person=李秀英", ["right-4"]),
        ("org=克拉玛依市教育局&org=克拉玛依职业技术学院", ["right-1", "right-2", "right-4"]),
    ],
)
def test_the_person_and_org_parameters_filter_on_the_web(index: Path, params: str, ids: list[str]) -> None:
    client = create_app({"TESTING": True, "INDEX": str(index)}).test_client()
    for path in ("/api/search?q=", "/api/search?"):
        body = client.get(f"{path}{KELAMAYI}&{params}" if path.endswith("=") else f"{path}{params}").get_json()
        assert (body["total"], sorted(hit["id"] for hit in body["hits"])) == (len(ids), ids)
    page = client.get(f"/?{params}").get_data(as_text=True)
    assert f"找到 <strong>{len(ids)}</strong> 篇文章" in page
