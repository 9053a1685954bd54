"""Forgiving input and entities through the web, over the bundled corpus: suggest, did you mean, facets."""

from urllib.parse import quote

import pytest
from web_html import facet_boxes, facet_sets, links, select, text

from web import create_app


def q(value):
    """A value as it appears percent-encoded in our URLs."""
    return quote(value, safe="")


@pytest.fixture()
def bundled_client(bundled_index):
    return create_app({"TESTING": True, "INDEX": str(bundled_index)}).test_client()


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_suggest_api(bundled_client):
    response = bundled_client.get("/api/suggest?q=" + q("克拉"))
    assert response.status_code == 200
    assert response.get_json() == {
        "query": "克拉",
        "suggestions": ["克拉玛依", "克拉玛依市", "克拉玛依区", "克拉玛依科技馆", "克拉玛依市中心医院", "克拉玛依碳和网络科技有限公司"],
    }
    assert bundled_client.get("/api/suggest?q=klm").get_json()["suggestions"][0] == "克拉玛依"
    assert bundled_client.get("/api/suggest").get_json() == {"query": "", "suggestions": []}


def test_suggest_api_refuses_an_overlong_prefix(bundled_client):
    response = bundled_client.get("/api/suggest?q=" + "克" * 501)
    assert response.status_code == 400
    assert response.get_json() == {"error": "q 太长：最多 500 个字符，收到 501 个", "status": 400}


def test_search_api_did_you_mean_and_explanations(bundled_client):
    body = bundled_client.get("/api/search?q=" + q("克拉马依")).get_json()
    assert (body["total"], body["did_you_mean"], body["explanations"]) == (0, "克拉玛依", [])
    body = bundled_client.get("/api/search?q=klmy").get_json()
    assert (body["total"], body["did_you_mean"], body["explanations"]) == (9, None, ["按拼音 klmy 匹配：克拉玛依"])


def test_the_page_offers_the_correction_keeping_the_filters(bundled_client):
    html = page(bundled_client, "/?q=" + q("克拉马依") + "&sector=" + q("教育"))
    offer = select(html, "p", "did-you-mean")
    assert [text(p) for p in offer] == ["您是不是要找：克拉玛依"]
    assert links(offer[0].inner) == [("/?q=" + q("克拉玛依") + "&sector=" + q("教育"), "克拉玛依")]
    assert select(page(bundled_client, "/?q=" + q("克拉玛依")), "p", "did-you-mean") == []


def test_the_page_explains_a_pinyin_reading(bundled_client):
    html = page(bundled_client, "/?q=kelamayi")
    assert [text(p) for p in select(html, "p", "explanation")] == ["按拼音 kelamayi 匹配：克拉玛依"]
    assert "找到 9 篇文章" in text(select(html, "p", "summary")[0])


def test_people_and_organisations_are_facets_filterable_like_the_others(bundled_client):
    body = bundled_client.get("/api/search?q=" + q("陈吉宁")).get_json()
    people = {fv["value"]: fv["count"] for fv in body["facets"]["person"]}
    assert people["陈吉宁"] == 2
    assert body["facets"]["org"][0] == {"value": "上海市委", "count": 2, "selected": False}
    chosen = bundled_client.get("/api/search?person=" + q("陈吉宁")).get_json()
    assert chosen["total"] == 2
    assert {h["id"] for h in chosen["hits"]} == {h["id"] for h in body["hits"]}
    assert all("陈吉宁" in h["people"] for h in chosen["hits"])
    html = page(bundled_client, "/?q=" + q("陈吉宁"))
    facet = facet_sets(html)["person"]
    assert text(select(facet.inner, "legend")[0]) == "人物"
    assert ("陈吉宁", "陈吉宁2 篇", False) in facet_boxes(html, "person")


def test_a_long_facet_keeps_its_rarer_values_behind_more(bundled_client):
    html = page(bundled_client, "/?sort=date")
    facet = facet_sets(html)["person"]
    shown = facet_boxes(facet.inner.split("<details")[0], "person")
    more = select(facet.inner, "details", "more")
    assert len(shown) == 10
    assert text(select(more[0].inner, "summary")[0]).startswith("更多人物（")
    assert len(shown) + len(facet_boxes(more[0].inner, "person")) == len(
        bundled_client.get("/api/search?sort=date").get_json()["facets"]["person"])


def test_the_article_page_links_its_people_organisations_and_key_terms(bundled_client):
    first = bundled_client.get("/api/search?q=" + q("陈吉宁")).get_json()["hits"][0]
    article = bundled_client.get(f"/api/articles/{first['id']}").get_json()
    assert article["people"][:3] == ["陈吉宁", "马兴瑞", "艾尔肯·吐尼亚孜"]
    html = page(bundled_client, f"/articles/{first['id']}")
    assert links(html, "person")[:2] == [("/?person=" + q("陈吉宁"), "陈吉宁"), ("/?person=" + q("马兴瑞"), "马兴瑞")]
    assert [label for _, label in links(html, "org")] == article["orgs"]
    assert links(html, "tag") == [("/?q=" + q(term), term) for term in article["key_terms"]]
    assert len(article["key_terms"]) == 8
