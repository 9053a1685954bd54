"""WCAG 2.1 AA in a real browser: axe-core on every kind of page at desktop and phone widths, a focus
ring that shows on every background, filters a few Tabs away, and the focus kept where the user acts."""

from __future__ import annotations

import re

import pytest
from accessibility import axe_violations, focus_rings
from conftest import CHINESE_UI, open_page, serving
from playwright.sync_api import expect

from search.model import SearchRequest

pytestmark = pytest.mark.browser

# Every kind of page, by the URL that shows it on the bundled corpus ({article}: the first article
# found for 援疆), the status it answers with and an element only it shows. A new page is one line.
PAGE_KINDS = {
    "home": ("/", 200, "#intro-title"),
    "results": ("/?q=援疆", 200, ".hit"),
    "filtered results": ("/?q=援疆&region=和田&year=2023", 200, "a.chip"),
    "did you mean": ("/?q=克拉马依", 200, "p.did-you-mean"),
    "no results": ("/?q=不存在的说法&region=和田", 200, ".no-results"),
    "article": ("/articles/{article}?q=援疆", 200, "article.article"),
    "404": ("/articles/nope", 404, "h1.error-title"),
    "error page": ("/articles/{article}?page=0", 400, "p.notice.error"),
    "concordance": ("/concordance?q=援疆&width=12", 200, "table.kwic"),
    "trends": ("/trends?q=援疆&q=克拉玛依&interval=month", 200, "figure.trend-chart"),
}


@pytest.fixture(scope="module")
def visit(bundled_service):
    """Open a kind of page in a browser page and check it is that kind."""
    article = bundled_service.search(SearchRequest(query="援疆")).hits[0].id

    def go(page, kind: str) -> None:
        url, status, shown = PAGE_KINDS[kind]
        response = page.goto(url.format(article=article))
        assert response.status == status
        expect(page.locator(shown).first).to_be_visible()

    return go


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_serious_or_critical_axe_violation(sized_page, visit, kind):
    visit(sized_page, kind)
    assert axe_violations(sized_page) == []


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_the_focus_ring_contrasts_3_to_1_with_whatever_is_behind_it(page, visit, kind):
    visit(page, kind)
    rings = focus_rings(page)
    # Every control that shows was reached: links, buttons, fields, checkboxes, menus, summaries.
    assert len(rings) == page.evaluate("""[...document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, summary')].filter(e => e.checkVisibility()).length""")
    weak = [ring for ring in rings if ring["style"] == "none" or ring["width"] < 2 or ring["contrast"] < 3]
    assert weak == []


# Chromium's date field stops the Tab at its year, month and day and at its calendar button.
DATE_FIELD_STOPS = 4


def box(page, facet: str, value: str):
    """The checkbox of one facet value in the filters."""
    return page.locator(f"#filters input[type=checkbox][name={facet}][value='{value}']")


def first_region(service) -> str:
    """The most frequent region of the articles found for 援疆, the first in its list."""
    return service.search(SearchRequest(query="援疆")).facets["region"][0].value


def tabs_until(page, selector: str, limit: int = 100) -> int:
    """Press Tab until the focused element matches selector; the number of presses."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return count
    raise AssertionError(f"{limit} Tabs never reached {selector}")


def focused(page, selector: str) -> bool:
    """Whether the focused element matches selector."""
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def test_the_filters_are_two_tabs_and_an_enter_from_the_top_at_every_width(sized_page, bundled_service):
    page = sized_page
    page.goto("/?q=援疆")
    years = [fv for fv in bundled_service.search(SearchRequest(query="援疆")).facets["year"] if fv.count]
    assert tabs_until(page, "a.skip[href='#filters']") == 2
    expect(page.locator("a.skip[href='#filters']")).to_be_in_viewport()
    page.keyboard.press("Enter")
    # The first Tab after the skip link is the first year bar; then the bars, the two dates and
    # their button come before the first region.
    assert tabs_until(page, "#filters a.bar") == 1
    assert tabs_until(page, "input[name=region]") == len(years) - 1 + 2 * DATE_FIELD_STOPS + 1 + 1
    expect(box(page, "region", first_region(bundled_service))).to_be_in_viewport()


def test_space_ticks_a_region_and_the_focus_stays_on_it(page, bundled_service):
    page.goto("/?q=援疆")
    before = bundled_service.search(SearchRequest(query="援疆"))
    first, second = (fv.value for fv in before.facets["region"][:2])
    tabs_until(page, "a.skip[href='#filters']")
    page.keyboard.press("Enter")
    tabs_until(page, "input[name=region]")
    assert page.evaluate("document.activeElement.value") == first
    page.keyboard.press("Space")
    chosen = bundled_service.search(SearchRequest(query="援疆", regions=(first,)))
    expect(page.locator("#summary")).to_contain_text(f"找到 {chosen.total} 篇文章")
    ticked = box(page, "region", first)
    expect(ticked).to_be_focused()
    expect(ticked).to_be_checked()
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    # The next value is one Tab away, and Space adds it (OR within a facet).
    page.keyboard.press("Tab")
    expect(box(page, "region", second)).to_be_focused()
    page.keyboard.press("Space")
    both = bundled_service.search(SearchRequest(query="援疆", regions=(first, second)))
    expect(page.locator("#summary")).to_contain_text(f"找到 {both.total} 篇文章")
    expect(box(page, "region", second)).to_be_focused()
    # Space again takes it away.
    page.keyboard.press("Space")
    expect(page.locator("#summary")).to_contain_text(f"找到 {chosen.total} 篇文章")
    expect(box(page, "region", second)).to_be_focused()
    expect(box(page, "region", second)).not_to_be_checked()


def test_a_click_on_a_facet_keeps_the_place_without_a_focus_ring(page, bundled_service):
    page.goto("/?q=援疆")
    region = bundled_service.search(SearchRequest(query="援疆")).facets["region"][0].value
    page.locator("label.facet-value", has_text=region).first.click()
    ticked = box(page, "region", region)
    expect(ticked).to_be_checked()
    expect(ticked).to_be_focused()
    assert not page.evaluate("document.activeElement.matches(':focus-visible')")


def test_a_year_bar_keeps_the_focus_after_it_is_chosen(page, bundled_service):
    page.goto("/?q=援疆")
    tabs_until(page, "#chart-years ~ .bars a.bar")
    year = page.evaluate("document.activeElement.dataset.focusKey")
    page.keyboard.press("Enter")
    expect(page.locator("a.chip")).to_have_count(1)
    expect(page.locator(f"a.bar[data-focus-key='{year}']")).to_be_focused()


def test_the_date_range_keeps_the_focus_in_the_field_enter_was_pressed_in(page, bundled_service):
    page.goto("/?q=援疆")
    page.get_by_label("起始日期").fill("2023-12-01")
    page.get_by_label("结束日期").fill("2023-12-31")
    page.get_by_label("结束日期").press("Enter")
    result = bundled_service.search(SearchRequest(query="援疆", date_from="2023-12-01", date_to="2023-12-31"))
    expect(page.locator("#summary")).to_contain_text(f"找到 {result.total} 篇文章")
    expect(page.get_by_label("结束日期")).to_be_focused()
    expect(page.get_by_label("结束日期")).to_have_value("2023-12-31")


def test_the_next_page_link_keeps_the_focus_until_the_last_page(page, bundled_service):
    total = bundled_service.search(SearchRequest(sort="date")).total
    assert 20 < total <= 30
    page.goto("/?sort=date")
    tabs_until(page, ".pagination a.next")
    page.keyboard.press("Enter")
    expect(page.locator("#summary")).to_contain_text("第 11–20 篇")
    expect(page.locator(".pagination a.next")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#summary")).to_contain_text(f"第 21–{total} 篇")
    # The last page has no next link: the focus is on the current page's number.
    expect(page.locator(".pagination a[aria-current=page]")).to_be_focused()
    expect(page.locator(".pagination a[aria-current=page]")).to_have_text("3")


def test_date_fields_are_bounded_by_the_corpus_and_read_typed_digits(page, bundled_service):
    stats = bundled_service.stats()
    page.goto("/?q=援疆")
    start = page.get_by_label("起始日期")
    expect(start).to_have_attribute("min", stats.date_min)
    expect(start).to_have_attribute("max", stats.date_max)
    if not CHINESE_UI.exists():
        pytest.skip("date fields are typed as a Chinese chromium shows them: apt-get install chromium-l10n")
    # A Chinese date field reads year, month, day: the year takes four digits and moves on.
    start.focus()
    page.keyboard.type("20231201")
    expect(start).to_have_value("2023-12-01")
    # A date before the corpus is refused in the browser, in Chinese, before anything is sent.
    page.get_by_label("结束日期").focus()
    page.keyboard.type("20200101")
    expect(page.get_by_label("结束日期")).to_have_value("2020-01-01")
    page.get_by_label("结束日期").press("Enter")
    message = page.evaluate("document.getElementById('to').validationMessage")
    assert re.search(r"不得早于\s*" + stats.date_min.replace("-", "/"), message), message
    expect(page).to_have_url(re.compile(r"/\?q=%E6%8F%B4%E7%96%86$"))


def test_without_javascript_ticks_are_applied_by_the_button(browser, server_url, bundled_service):
    result = bundled_service.search(SearchRequest(query="援疆"))
    first, second = (fv.value for fv in result.facets["region"][:2])
    with open_page(browser, server_url, {"width": 1280, "height": 900}, java_script_enabled=False) as page:
        page.goto("/?q=援疆")
        expect(page.locator(".filter-hint")).to_be_hidden()
        box(page, "region", first).check()
        box(page, "region", second).check()
        expect(page).to_have_url(re.compile(r"/\?q=%E6%8F%B4%E7%96%86$"))  # nothing happens until the button
        page.get_by_role("button", name="应用筛选").click()
        both = bundled_service.search(SearchRequest(query="援疆", regions=(first, second)))
        expect(page.locator("#summary")).to_contain_text(f"找到 {both.total} 篇文章")
        expect(page.locator("a.chip")).to_have_text([f"地区：{first}×（移除）", f"地区：{second}×（移除）"])


# Written for this test: one article for each month of 2023, so the month chart has twelve bars.
MONTHS = ["一月，援疆医生在泽普县举办义诊。", "二月，援疆教师在喀什开设书法课。", "三月，克拉玛依举办油画展。",
          "四月，和田的红枣树开花。", "五月，上海援疆干部走访牧民。", "六月，天津援疆医疗队到达策勒县。",
          "七月，喀什举办农产品交易会。", "八月，援疆教师组织夏令营。", "九月，和田的新学校开学。",
          "十月，泽普县红枣进入采摘期。", "十一月，援疆医生开展冬季义诊。", "十二月，克拉玛依举行冰雪节。"]


@pytest.fixture(scope="module")
def twelve_months_url(tmp_path_factory):
    """A server of an index holding one article in each month of 2023."""
    from indexer.build import update_index
    from tests.conftest import make_article

    articles = [make_article(f"m{n:02d}", text[:text.index("，")] + "的消息", text, date=f"2023-{n:02d}-15")
                for n, text in enumerate(MONTHS, start=1)]
    index_dir = tmp_path_factory.mktemp("months") / "index"
    update_index(articles, index_dir)
    with serving(index_dir) as url:
        yield url


@pytest.mark.parametrize("width", [1280, 390])
def test_twelve_month_labels_fit_the_chart_uncut(browser, twelve_months_url, width):
    with open_page(browser, twelve_months_url, {"width": width, "height": 900}) as page:
        page.goto("/?year=2023")
        labels = page.locator("#chart-months ~ .bars .label")
        expect(labels).to_have_count(12)
        # What shows (the year is there for screen readers only): the number, and 月 under it.
        shown = page.evaluate("""() => [...document.querySelectorAll('#chart-months ~ .bars .label')].map(l => {
            const copy = l.cloneNode(true);
            copy.querySelectorAll('.sr-only').forEach(e => e.remove());
            return copy.textContent; })""")
        assert shown == [f"{n}月" for n in range(1, 13)]
        assert labels.all_inner_texts() == [f"2023年\n{n}\n月" for n in range(1, 13)]
        cut = page.evaluate("""() => [...document.querySelectorAll('#chart-months ~ .bars .label')]
            .filter(l => l.scrollWidth > l.clientWidth || l.scrollHeight > l.clientHeight + 1)
            .map(l => l.innerText)""")
        assert cut == []
        boxes = [label.bounding_box() for label in labels.all()]
        assert all(left["x"] + left["width"] <= right["x"] for left, right in zip(boxes, boxes[1:]))
        assert axe_violations(page) == []
