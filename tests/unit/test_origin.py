"""Where an article came from, as the API, the exports and the article page show it."""

import pytest

from corpus.article import Article, Origin
from indexer.schema import stored_origin


@pytest.mark.parametrize(
    ("origin", "label", "link"),
    [
        (Origin("news/a.html", None, "https://example.org/a.html"), "https://example.org/a.html", "https://example.org/a.html"),
        (Origin("epaper.pdf", 2), "epaper.pdf#page=2", None),
        (Origin("page.txt"), "page.txt", None),
        (Origin("bad.html", None, "javascript:alert(1)"), "javascript:alert(1)", None),
    ],
)
def test_label_and_link(origin: Origin, label: str, link: str | None) -> None:
    assert (origin.label, origin.link) == (label, link)


def test_an_article_knows_its_file_page_and_url() -> None:
    article = Article("a", "标题", "正文。", "2024-03-12", "day", "未注明", (), (), (), "papers/epaper.pdf#3", page=2)
    assert article.where == Origin("papers/epaper.pdf", 2, None)
    assert article.where.to_json() == {"file": "papers/epaper.pdf", "page": 2, "url": None}


def test_an_older_index_stored_the_origin_as_a_string() -> None:
    assert stored_origin({"origin": "ready.jsonl:12"}) == Origin("ready.jsonl")
    assert stored_origin({"origin": {"file": "a.pdf", "page": 1, "url": None}}) == Origin("a.pdf", 1)
    assert stored_origin({}) == Origin("")
