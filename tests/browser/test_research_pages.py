"""The research pages in a real browser: reprints folded under a result, keyword in context, trends, proximity, feeds."""

from __future__ import annotations

import re

import pytest
from accessibility import axe_violations
from conftest import open_page, serving
from playwright.sync_api import expect

from indexer.build import update_index
from search.model import SearchRequest
from tests.reprint_corpus import reprint_corpus

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reprint_url(tmp_path_factory):
    """A server over stories each reprinted several times, among other articles."""
    stories, singles = reprint_corpus(stories=4, singles=6, seed=14)
    index_dir = tmp_path_factory.mktemp("reprints") / "index"
    update_index([a for s in stories for a in (s.original, *s.reprints)] + singles, index_dir)
    with serving(index_dir) as url:
        yield url, stories


def test_a_story_is_one_result_and_its_reprints_open_beneath_it(browser, reprint_url):
    url, stories = reprint_url
    story = stories[0]
    copies = sorted(story.ids, key=lambda i: ({a.id: a.date for a in (story.original, *story.reprints)}[i], i))
    with open_page(browser, url, {"width": 1200, "height": 900}) as page:
        page.goto("/?region=" + story.original.regions[0])
        hit = page.locator(".hit", has=page.locator(f"a[href^='/articles/{copies[0]}?']")).first
        toggle = hit.locator("details.reprints summary")
        expect(toggle).to_have_text(f"另有 {len(copies) - 1} 篇转载")
        expect(hit.locator("details.reprints li").first).not_to_be_visible()
        toggle.click()
        links = hit.locator("details.reprints li a")
        expect(links).to_have_count(len(copies) - 1)
        assert [href.split("?")[0] for href in links.evaluate_all("as => as.map(a => a.getAttribute('href'))")] == [
            f"/articles/{c}" for c in copies[1:]]
        assert axe_violations(page) == []
        # The toggle above the results lists every copy on its own.
        page.get_by_role("link", name=re.compile("逐篇显示全部")).click()
        expect(page).to_have_url(re.compile("collapse=false"))
        expect(page.locator(".reprints-toggle a")).to_have_text("合并转载")
        for copy in copies:
            expect(page.locator(f".hit-title a[href^='/articles/{copy}?']")).to_have_count(1)


def test_the_concordance_lines_up_each_occurrence_and_sorts_by_context(page, bundled_service, outside_requests):
    page.goto("/?q=援疆")
    page.get_by_role("link", name="上下文", exact=True).click()
    expect(page).to_have_url(re.compile(r"/concordance\?q="))
    result = bundled_service.concordance(SearchRequest(query="援疆", per_page=50), 20, "right")
    expect(page.locator(".summary")).to_contain_text(f"{result.total} 处，出自 {result.articles} 篇文章")
    page.locator("select#sort").select_option("right")
    page.get_by_label("每侧字数").fill("20")
    page.get_by_role("button", name="查看").click()
    rows = page.locator("table.kwic tbody tr")
    expect(rows).to_have_count(len(result.lines))
    expect(rows.first.locator("td.right")).to_have_text(result.lines[0].right)
    expect(rows.first.locator("td.match mark")).to_have_text("援疆")
    # The match column stands at the same place on every line.
    lefts = rows.locator("td.match").evaluate_all("cells => cells.map(c => Math.round(c.getBoundingClientRect().left))")
    assert len(set(lefts)) == 1
    assert outside_requests == []


def test_trends_draw_their_own_chart_with_gaps_and_print_it(browser, server_url, bundled_service):
    result = bundled_service.trends(SearchRequest(), ("援疆", "克拉玛依"), "month")
    gaps = [p for p, t in zip(result.periods, result.totals) if t == 0]
    assert gaps
    with open_page(browser, server_url, {"width": 1200, "height": 900}) as page:
        sent: list[str] = []
        page.on("request", lambda request: sent.append(request.url))
        page.goto("/trends?q=援疆&q=克拉玛依&interval=month")
        chart = page.locator("figure.trend-chart svg[role=img]")
        expect(chart).to_be_visible()
        expect(chart.locator("rect.gap")).to_have_count(len(gaps))
        expect(chart.locator("g.series")).to_have_count(2)
        expect(page.locator("table.trend-table tbody tr")).to_have_count(len(result.periods))
        expect(page.locator("table.trend-table tbody tr.gap")).to_have_count(len(gaps))
        assert page.locator("a[type='text/csv']").get_attribute("href").endswith("&interval=month&format=csv")
        # Only the page, its stylesheet and its script: the chart is drawn by the page itself.
        assert all(re.search(r"/(trends\?|static/)", url) for url in sent), sent
        page.emulate_media(media="print")
        expect(page.locator("form.trends-form")).to_be_hidden()
        expect(chart).to_be_visible()


def test_a_proximity_is_marked_as_one_match_on_the_results_page(page):
    page.goto('/?q="援疆 干部"~2')
    marks = page.locator(".hit .snippet mark")
    expect(marks.first).to_be_visible()
    texts = marks.all_inner_texts()
    assert texts and all(t.startswith(("援疆", "干部")) and t.endswith(("援疆", "干部")) and len(t) >= 4 for t in texts)


def test_the_results_page_names_its_feed_and_the_feed_is_atom(page):
    page.goto("/?q=援疆&region=和田")
    href = page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert response.text().startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"')
