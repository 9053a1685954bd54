"""Proximity searches over a real index: the words within the distance, in either order, in one field."""

from __future__ import annotations

import pytest

from search.model import SearchRequest
from tests.conftest import make_article

ARTICLES = (
    make_article("joined", "援疆干部到达", "上海援疆干部到达喀什。"),
    make_article("apart", "年轻人", "援疆工作中，有一批来自上海的年轻干部。"),
    make_article("reversed", "光荣", "干部们说，援疆是光荣的。"),
    make_article("far", "远", "援疆" + "的" * 30 + "干部"),
    make_article("split", "援疆", "干部们到了。"),  # 援疆 in the title, 干部 in the text: never near
)


@pytest.fixture()
def service(service_of):
    return service_of(ARTICLES)


@pytest.mark.parametrize(
    "query, ids",
    [
        ('"援疆 干部"~0', ["joined"]),
        ('"援疆 干部"~5', ["joined", "reversed"]),
        ("援疆 NEAR/5 干部", ["joined", "reversed"]),
        ('"援疆 干部"~14', ["joined", "reversed", "apart"]),
        ('"援疆 干部"~30', ["joined", "reversed", "far", "apart"]),
        ('"援疆 干部 上海"~12', ["joined", "apart"]),
        ('"援疆 干部 上海"~2', ["joined"]),
        ('"援疆 干部"~30 -上海', ["reversed", "far"]),
        ('title:(援疆 NEAR/0 干部)', ["joined"]),
    ],
)
def test_proximity_finds_the_words_near_each_other(service, query, ids):
    assert sorted(h.id for h in service.search(SearchRequest(query=query)).hits) == sorted(ids)


def test_a_proximity_is_highlighted_as_one_match(service):
    hits = service.search(SearchRequest(query='"援疆 干部"~5')).hits
    assert {h.id: h.snippet for h in hits} == {
        "joined": "上海<mark>援疆干部</mark>到达喀什。",
        "reversed": "<mark>干部们说，援疆</mark>是光荣的。",
    }


def test_a_proximity_scores_as_all_of_its_words_in_its_field(service):
    def scores(query: str) -> dict[str, float]:
        return {h.id: h.score for h in service.search(SearchRequest(query=query)).hits}

    near, both = scores("援疆 NEAR/5 干部"), scores("援疆 干部")
    assert sorted(near) == ["joined", "reversed"] and near == {id: both[id] for id in near}
    assert scores('"援疆 干部 上海"~12') == {id: score for id, score in scores("援疆 干部 上海").items() if id in ("joined", "apart")}
    assert scores("title:(援疆 NEAR/0 干部)") == scores("title:(援疆 干部)")


def test_a_proximity_in_the_title_looks_only_at_titles(service_of):
    service = service_of((make_article("t", "援疆的一位年轻干部", "援疆干部到了。"),))
    assert [h.id for h in service.search(SearchRequest(query="title:(援疆 NEAR/0 干部)")).hits] == []
    assert [h.id for h in service.search(SearchRequest(query="title:(援疆 NEAR/5 干部)")).hits] == ["t"]
