"""What the results page says about the query in a real browser: did you mean, and how pinyin was read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from search.model import SearchRequest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def expected(bundled_service):
    """What the service answers for a search, to compare the pages with."""
    return lambda **kwargs: bundled_service.search(SearchRequest(**kwargs))


def test_a_misspelt_name_offers_the_right_one_and_its_link_finds_articles(page, expected, outside_requests):
    page.goto("/?q=克拉马依")
    offer = page.locator("p.did-you-mean")
    expect(offer).to_have_text("您是不是要找：克拉玛依")
    offer.get_by_role("link", name="克拉玛依").click()
    expect(page).to_have_url(re.compile(r"/\?q=%E5%85%8B%E6%8B%89%E7%8E%9B%E4%BE%9D$"))
    total = expected(query="克拉玛依").total
    assert total > 0
    expect(page.locator("#summary")).to_contain_text(f"找到 {total} 篇文章")
    expect(page.locator(".hit")).to_have_count(min(total, 10))
    expect(page.get_by_label("搜索词")).to_have_value("克拉玛依")
    expect(page.locator("p.did-you-mean")).to_have_count(0)
    assert outside_requests == []


def test_a_pinyin_query_says_which_characters_it_matched(page, expected):
    page.goto("/?q=kelamayi")
    expect(page.locator("p.explanation")).to_have_text(["按拼音 kelamayi 匹配：克拉玛依"])
    total = expected(query="kelamayi").total
    assert total == expected(query="克拉玛依").total > 0
    expect(page.locator("#summary")).to_contain_text(f"找到 {total} 篇文章")
    expect(page.locator("p.did-you-mean")).to_have_count(0)
