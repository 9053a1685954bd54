"""Atom feeds of searches: valid Atom (RFC 4287, read by feedparser), newest first, filters kept, stable ids."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import feedparser

from web_html import select

ATOM = "{http://www.w3.org/2005/Atom}"
Q = "%E6%8F%B4%E7%96%86"  # 援疆


def _feed(client, query):
    response = client.get("/feed?" + query)
    assert response.status_code == 200
    assert response.content_type == "application/atom+xml; charset=utf-8"
    return response.get_data()


def test_a_feed_is_valid_atom_that_a_feed_reader_reads(client):
    body = _feed(client, f"q={Q}")
    parsed = feedparser.parse(body)
    assert (parsed.bozo, parsed.version) == (False, "atom10")
    assert parsed.feed.title == "援疆报刊检索：援疆"
    assert [(e.title, e.updated, e.link) for e in parsed.entries] == [
        ("<script>alert(1)</script>援疆报道", "2024-06-01T00:00:00Z", f"http://localhost/articles/escape?q={Q}"),
        ("天津“组团式”援疆", "2023-12-11T00:00:00Z", f"http://localhost/articles/tianjin?q={Q}"),
        ("北京医疗队在和田", "2023-12-08T00:00:00Z", f"http://localhost/articles/hotan-med?q={Q}"),
        ("上海援疆教师在喀什", "2023-08-27T00:00:00Z", f"http://localhost/articles/kash-edu?q={Q}"),
    ]
    assert parsed.entries[1].summary == "天津援疆医疗队在策勒县开展组团式帮扶，援疆干部扎根基层。"
    assert parsed.entries[1].author == "和田日报"


def test_a_feed_meets_what_rfc_4287_requires(client):
    root = ET.fromstring(_feed(client, f"q={Q}&region=%E5%92%8C%E7%94%B0"))
    assert root.tag == ATOM + "feed"
    # atom:feed has exactly one id, title and updated, an author (or one in every entry) and a self link.
    for tag in ("id", "title", "updated", "author"):
        assert len(root.findall(ATOM + tag)) == 1, tag
    assert root.find(f"{ATOM}author/{ATOM}name").text == "xjsearch"
    assert {(link.get("rel"), link.get("href")) for link in root.findall(ATOM + "link")} == {
        ("self", "http://localhost/feed?q=%E6%8F%B4%E7%96%86&region=%E5%92%8C%E7%94%B0"),
        ("alternate", "http://localhost/?q=%E6%8F%B4%E7%96%86&region=%E5%92%8C%E7%94%B0"),
    }
    entries = root.findall(ATOM + "entry")
    assert len(entries) == 2  # the region filter is kept
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(ATOM + tag)) == 1, tag
        assert entry.find(ATOM + "id").text.startswith("urn:uuid:")
        assert entry.find(ATOM + "link").get("rel") == "alternate"
    assert len({e.find(ATOM + "id").text for e in entries}) == 2


def test_entry_ids_are_the_same_in_every_feed_and_after_a_reindex(client, tmp_path):
    from indexer.build import update_index
    from web import create_app
    from web_articles import WEB_ARTICLES, article

    ids = {e.link: e.id for e in feedparser.parse(_feed(client, f"q={Q}")).entries}
    other = {e.link: e.id for e in feedparser.parse(_feed(client, "region=%E5%92%8C%E7%94%B0")).entries}
    assert other["http://localhost/articles/tianjin"] == ids[f"http://localhost/articles/tianjin?q={Q}"]
    # Another index with one article more: the same articles keep their ids, the new one comes first.
    new = article("new", "援疆新闻", "新的援疆报道。", "2025-06-01", "新疆日报", ("新疆",), ("党建政务",))
    update_index((*WEB_ARTICLES, new), tmp_path / "index")
    again = create_app({"TESTING": True, "INDEX": str(tmp_path / "index")}).test_client()
    entries = feedparser.parse(_feed(again, f"q={Q}")).entries
    assert entries[0].link == f"http://localhost/articles/new?q={Q}"
    assert {e.link: e.id for e in entries[1:]} == ids


def test_the_results_page_links_its_feed(client):
    page = client.get(f"/?q={Q}&region=%E5%92%8C%E7%94%B0&sort=date").get_data(as_text=True)
    links = select(page, "link", rel="alternate")
    assert [(link.attrs["type"], link.attrs["href"]) for link in links] == [
        ("application/atom+xml", f"/feed?q={Q}&region=%E5%92%8C%E7%94%B0")]


def test_a_bad_feed_request_is_a_400_page(client):
    response = client.get("/feed?from=2023-02-30")
    assert response.status_code == 400
