"""The search UI in a real browser: query, facets, date chart, article marks, pagination, back."""

from __future__ import annotations

import re

import pytest
from conftest import SCREENSHOTS
from playwright.sync_api import expect

from search.model import SearchRequest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def expected(bundled_service):
    """What the service answers for the requests these tests make, to compare the pages with."""
    return lambda **kwargs: bundled_service.search(SearchRequest(**kwargs))


def number(locator) -> int:
    """The count an element shows (before the 篇 said to screen readers)."""
    return int(re.match(r"[0-9]+", locator.inner_text()).group())


def summary_count(page) -> int:
    """The total the results summary states."""
    text = page.locator("#summary").inner_text()
    match = re.search(r"找到 (\d+) 篇文章", text)
    return int(match.group(1)) if match else 0


def test_type_a_query_and_see_marked_results(page, expected):
    page.goto("/")
    expect(page.locator("#intro-title")).to_have_text(re.compile(r"检索 \d+ 篇对口援疆报道"))
    page.get_by_label("搜索词").fill("克拉玛依")
    page.keyboard.press("Enter")
    result = expected(query="克拉玛依")
    expect(page.locator("#summary")).to_contain_text(f"找到 {result.total} 篇文章")
    expect(page).to_have_url(re.compile(r"/\?q=%E5%85%8B%E6%8B%89%E7%8E%9B%E4%BE%9D$"))
    titles = page.locator(".hit-title a")
    expect(titles).to_have_count(min(result.total, 10))
    assert titles.all_inner_texts() == [hit.title for hit in result.hits]
    marks = page.locator(".snippet mark")
    assert marks.count() > 0
    assert set(marks.all_inner_texts()) == {"克拉玛依"}
    expect(page.get_by_label("搜索词")).to_have_value("克拉玛依")


def test_slash_focuses_the_search_box(page):
    page.goto("/?q=援疆")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    expect(page.get_by_label("搜索词")).to_be_focused()


def test_click_a_facet_value_then_remove_it(page, expected):
    page.goto("/?q=援疆")
    before = expected(query="援疆")
    hotan = page.locator("#filters label.facet-value", has=page.locator("input[name=region][value='和田']"))
    count = number(hotan.locator(".count"))
    assert count == next(fv.count for fv in before.facets["region"] if fv.value == "和田")
    hotan.click()
    expect(page.locator("#summary")).to_contain_text(f"找到 {count} 篇文章")
    assert summary_count(page) != before.total
    metas = page.locator(".hit .meta").all_inner_texts()
    assert len(metas) == len(expected(query="援疆", regions=("和田",)).hits) > 0  # every hit shown is checked
    for meta in metas:
        assert "和田" in meta
    chip = page.locator("a.chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text("地区：和田")
    expect(page.locator("#filters input[type=checkbox][name=region]:checked")).to_have_count(1)
    # A second value of the same facet widens the search (OR).
    kashgar = page.locator("#filters label.facet-value", has=page.locator("input[name=region][value='喀什']"))
    kashgar.click()
    both = expected(query="援疆", regions=("和田", "喀什"))
    expect(page.locator("#summary")).to_contain_text(f"找到 {both.total} 篇文章")
    expect(page.locator("a.chip")).to_have_count(2)
    page.locator("a.chip", has_text="和田").click()
    page.locator("a.chip", has_text="喀什").click()
    expect(page.locator("#summary")).to_contain_text(f"找到 {before.total} 篇文章")
    expect(page.locator("a.chip")).to_have_count(0)


def test_the_date_chart_filters_by_year_then_month(page, expected):
    page.goto("/?q=援疆")
    bar = page.locator("#chart-years ~ .bars a.bar", has_text="2023")
    year_count = number(bar.locator(".n"))
    assert year_count == next(fv.count for fv in expected(query="援疆").facets["year"] if fv.value == "2023")
    bar.click()
    expect(page.locator("#summary")).to_contain_text(f"找到 {year_count} 篇文章")
    dates = page.locator(".hit time").all_inner_texts()
    assert len(dates) == len(expected(query="援疆", years=("2023",)).hits) > 0
    for date in dates:
        assert date.startswith("2023-")
    months = page.locator("#chart-months ~ .bars a.bar")
    result = expected(query="援疆", years=("2023",))
    assert months.count() == len([fv for fv in result.facets["month"] if fv.count])
    first = months.first
    month_count = number(first.locator(".n"))
    label = first.inner_text().replace("\n", "")  # 2023年12月：2 篇
    first.click()
    expect(page.locator("#summary")).to_contain_text(f"找到 {month_count} 篇文章")
    expect(page.locator("a.chip", has_text=label.split("：")[0][5:])).to_have_count(1)
    # Clicking the chosen year again removes it with its month.
    page.locator("#chart-years ~ .bars a.bar.selected").click()
    expect(page.locator("a.chip")).to_have_count(0)


def test_the_month_chart_shows_without_a_click_when_every_result_is_of_one_year(page, expected):
    result = expected(query="交易会")
    assert [fv.value for fv in result.facets["year"]] == ["2023"]
    page.goto("/?q=交易会")
    expect(page.locator("#chart-months")).to_have_text("2023年按月份")
    months = page.locator("#chart-months ~ .bars a.bar")
    assert months.all_inner_texts() == [f"2023年\n{int(fv.value[5:])}\n月\n：\n{fv.count}\n篇"
                                        for fv in result.facets["month"]]
    months.first.click()
    month = result.facets["month"][0]
    expect(page.locator("#summary")).to_contain_text(f"找到 {month.count} 篇文章")
    expect(page.locator("a.chip")).to_have_text([f"月份：{month.value[:4]}年{int(month.value[5:])}月×（移除）"])


def test_the_date_range_form(page, expected):
    page.goto("/?q=援疆")
    page.get_by_label("起始日期").fill("2023-12-01")
    page.get_by_label("结束日期").fill("2023-12-31")
    page.get_by_role("button", name="应用", exact=True).click()
    result = expected(query="援疆", date_from="2023-12-01", date_to="2023-12-31")
    expect(page.locator("#summary")).to_contain_text(f"找到 {result.total} 篇文章")
    expect(page.locator("a.chip")).to_have_text(["起始日期：2023-12-01×（移除）", "结束日期：2023-12-31×（移除）"])
    expect(page.get_by_label("搜索词")).to_have_value("援疆")


def test_open_an_article_see_its_marks_and_go_back(page, expected, bundled_service):
    page.goto("/?q=援疆")
    first = expected(query="援疆").hits[0]
    page.locator(".hit-title a").first.click()
    expect(page.locator("h1")).to_have_text(first.title)
    view = bundled_service.article(first.id, query="援疆")
    marks = page.locator(".text mark")
    expect(marks).to_have_count(view.matches)
    assert set(marks.all_inner_texts()) == {"援疆"}
    expect(page.locator(".matches")).to_have_text(f"“援疆”在本文中标出 {view.matches} 处")
    expect(page.locator(".text p")).to_have_count(view.html.count("<p>"))
    expect(page.locator(".related li")).to_have_count(len(view.related))
    page.get_by_role("link", name="← 返回“援疆”的搜索结果").click()
    expect(page).to_have_url(re.compile(r"/\?q=%E6%8F%B4%E7%96%86$"))
    expect(page.locator(".hit-title a").first).to_have_text(first.title)


def test_paginate_and_go_back(page, expected):
    page.goto("/?sort=date")
    result = expected(sort="date")
    assert result.total > 20
    expect(page.locator("#summary")).to_contain_text(f"找到 {result.total} 篇文章，第 1–10 篇")
    page.get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"/\?sort=date&page=2$"))
    expect(page.locator("#summary")).to_contain_text("第 11–20 篇")
    second = expected(sort="date", page=2)
    assert page.locator(".hit-title a").all_inner_texts() == [hit.title for hit in second.hits]
    expect(page.locator(".pagination a.current")).to_have_text("2")
    page.get_by_role("link", name="第 3 页").click()
    expect(page.locator("#summary")).to_contain_text(f"第 21–{result.total} 篇")
    page.go_back()
    expect(page.locator("#summary")).to_contain_text("第 11–20 篇")
    page.go_back()
    expect(page.locator("#summary")).to_contain_text("第 1–10 篇")


def test_a_phone_width_screen_has_no_sideways_scroll(browser, server_url, bundled_service):
    context = browser.new_context(locale="zh-CN", base_url=server_url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    article = bundled_service.search(SearchRequest(query="援疆")).hits[0].id
    for url in ("/", "/?q=援疆&region=和田&year=2023", f"/articles/{article}?q=援疆", "/?q=不存在的说法&region=和田",
                "/?q=援疆 OR", "/articles/nope"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
    page.goto("/?q=援疆&region=和田&year=2023")
    page.get_by_role("link", name="筛选与日期图表 ↓").click()
    expect(page.locator("#filters")).to_be_in_viewport()
    context.close()


def test_screenshots_of_the_search_and_article_pages(page, screenshots, expected, image_difference):
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto("/?q=援疆&year=2023")
    expect(page.locator(".hit").first).to_be_visible()
    # The time taken differs on every run; blanking it keeps the picture the same from run to run.
    page.screenshot(path=str(screenshots / "search.png"), full_page=True,
                    mask=[page.locator(".took")], mask_color="#ffffff")
    first = expected(query="援疆", years=("2023",)).hits[0]
    page.locator(".hit-title a").first.click()
    expect(page.locator("h1")).to_have_text(first.title)
    page.screenshot(path=str(screenshots / "article.png"), full_page=False)
    # The pages look as the README's pictures show them (REFRESH_SCREENSHOTS=1 retakes those).
    for name in ("search.png", "article.png"):
        assert (screenshots / name).stat().st_size > 20_000
        assert image_difference(screenshots / name, SCREENSHOTS / name) <= 0.005, name


def tab_to(page, selector: str, limit: int = 80, key: str = "Tab"):
    """Press Tab (or key) until the focused element matches selector; fail if it is never reached."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return page.locator(":focus")
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_use(page, expected):
    page.goto("/")
    # The empty page starts in the search box: type and press Enter.
    expect(page.get_by_label("搜索词")).to_be_focused()
    page.keyboard.type("援疆")
    page.keyboard.press("Enter")
    total = expected(query="援疆").total
    expect(page.locator("#summary")).to_contain_text(f"找到 {total} 篇文章")
    # The first Tab shows the skip link; following it, the next Tab is in the search box.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip[href='#main']")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("搜索词")).to_be_focused()
    # Tab to a facet value and tick it with Space, then go back to its chip and remove it.
    facet = tab_to(page, "#filters input[type=checkbox][name=region]")
    name = facet.get_attribute("value")
    page.keyboard.press("Space")
    expect(page.locator("a.chip")).to_have_text([f"地区：{name}×（移除）"])
    tab_to(page, "a.chip", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#summary")).to_contain_text(f"找到 {total} 篇文章")
    expect(page.locator("a.chip")).to_have_count(0)
    # The date chart's bars are reachable and work from the keyboard too.
    bar = tab_to(page, "#chart-years ~ .bars a.bar")
    year = bar.get_attribute("data-focus-key").removeprefix("year:")
    page.keyboard.press("Enter")
    expect(page.locator("a.chip")).to_have_text([f"年份：{year}年×（移除）"])
