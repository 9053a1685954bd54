"""The search box's suggestions in a real browser: the ARIA combobox, its keys, IME input, no outside requests."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from accessibility import axe_violations
from playwright.sync_api import expect

from search.model import SearchRequest

pytestmark = pytest.mark.browser

# What /api/suggest offers on the bundled corpus for 克拉, kelamayi and klm alike.
KELAMAYI = ["克拉玛依", "克拉玛依市", "克拉玛依区", "克拉玛依科技馆", "克拉玛依市中心医院",
            "克拉玛依碳和网络科技有限公司"]
# The URL of a search for 克拉玛依, and nothing else.
KELAMAYI_URL = re.compile(r"/\?q=%E5%85%8B%E6%8B%89%E7%8E%9B%E4%BE%9D$")


@pytest.fixture(scope="module")
def expected(bundled_service):
    """What the service answers for a search, to compare the pages with."""
    return lambda **kwargs: bundled_service.search(SearchRequest(**kwargs))


@pytest.fixture()
def suggest_queries(page):
    """The q of every /api/suggest request the page sends, in order."""
    sent: list[str] = []

    def record(request):
        url = urlsplit(request.url)
        if url.path == "/api/suggest":
            sent.append(parse_qs(url.query, keep_blank_values=True).get("q", [""])[0])

    page.on("request", record)
    return sent


def box(page):
    """The search box, found by its combobox role."""
    return page.get_by_role("combobox", name="搜索词")


def listbox(page):
    """The list of suggestions under the search box."""
    return page.get_by_role("listbox", name="搜索建议")


def options(page):
    """The options the list shows."""
    return listbox(page).get_by_role("option")


def type_and_wait(page, text: str, shown: list[str]):
    """Type text into the search box key by key and wait until the list shows exactly shown."""
    box(page).press_sequentially(text)
    expect(options(page)).to_have_text(shown)
    expect(box(page)).to_have_attribute("aria-expanded", "true")


def highlighted(page) -> list[str]:
    """The texts of the options marked aria-selected (the highlighted one, if any)."""
    return listbox(page).locator('[role="option"][aria-selected="true"]').all_inner_texts()


def test_the_box_is_a_combobox_controlling_a_closed_listbox(page):
    page.goto("/")
    combobox = box(page)
    expect(combobox).to_have_attribute("aria-autocomplete", "list")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(combobox).to_have_attribute("aria-controls", "q-suggestions")
    expect(page.locator("#q-suggestions")).to_have_attribute("role", "listbox")
    expect(page.locator("#q-suggestions")).to_be_hidden()


def test_type_a_prefix_highlight_the_first_suggestion_and_search_it(page, expected, outside_requests):
    page.goto("/")
    type_and_wait(page, "克拉", KELAMAYI)
    # The typed prefix is bold, the rest plain; nothing is highlighted before an arrow key.
    expect(options(page).locator("b")).to_have_text(["克拉"] * len(KELAMAYI))
    assert highlighted(page) == []
    assert box(page).get_attribute("aria-activedescendant") is None
    assert box(page).input_value() == "克拉"

    page.keyboard.press("ArrowDown")
    first = options(page).first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box(page)).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    assert highlighted(page) == ["克拉玛依"]
    expect(box(page)).to_be_focused()
    # Highlighted by a frame, not by colour alone.
    assert first.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    # The open list, one option highlighted, breaks no rule axe-core checks.
    assert axe_violations(page) == []

    page.keyboard.press("Enter")
    expect(page).to_have_url(KELAMAYI_URL)
    total = expected(query="克拉玛依").total
    assert total > 0
    expect(page.locator("#summary")).to_contain_text(f"找到 {total} 篇文章")
    expect(box(page)).to_have_value("克拉玛依")
    expect(page.locator("#q-suggestions")).to_be_hidden()
    assert outside_requests == []


@pytest.mark.parametrize("typed", ["kelamayi", "klm"])
def test_pinyin_and_its_initials_offer_the_characters(page, typed, outside_requests):
    page.goto("/")
    type_and_wait(page, typed, KELAMAYI)
    expect(options(page).locator("b")).to_have_count(0)  # the typed letters are not in the texts
    assert outside_requests == []


def test_the_arrows_wrap_and_typing_drops_the_highlight(page):
    page.goto("/")
    type_and_wait(page, "克拉", KELAMAYI)
    page.keyboard.press("ArrowUp")
    assert highlighted(page) == [KELAMAYI[-1]]
    page.keyboard.press("ArrowDown")
    assert highlighted(page) == [KELAMAYI[0]]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert highlighted(page) == [KELAMAYI[2]]
    expect(box(page)).to_have_attribute("aria-activedescendant", options(page).nth(2).get_attribute("id"))
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert highlighted(page) == [KELAMAYI[-1]]
    # The arrows never change the text; typing does, and leaves nothing highlighted.
    assert box(page).input_value() == "克拉"
    page.keyboard.type("玛")
    assert highlighted(page) == []
    assert box(page).get_attribute("aria-activedescendant") is None
    expect(options(page).locator("b")).to_have_text(["克拉玛"] * len(KELAMAYI))


def test_escape_closes_the_list_and_a_second_escape_leaves_the_box(page, suggest_queries):
    page.goto("/")
    type_and_wait(page, "克拉", KELAMAYI)
    # Typed slowly (a loaded machine), 克 may have been asked for first; 克拉 was asked for last.
    asked = list(suggest_queries)
    assert asked[-1] == "克拉"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(box(page)).to_have_attribute("aria-expanded", "false")
    expect(listbox(page)).to_be_hidden()
    assert box(page).get_attribute("aria-activedescendant") is None
    expect(box(page)).to_have_value("克拉")
    expect(box(page)).to_be_focused()
    # ArrowDown opens the closed list again without asking the server again.
    page.keyboard.press("ArrowDown")
    expect(box(page)).to_have_attribute("aria-expanded", "true")
    assert highlighted(page) == [KELAMAYI[0]]
    assert suggest_queries == asked
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(box(page)).not_to_be_focused()
    expect(page).to_have_url(re.compile(r"/$"))


def test_tab_closes_the_list_without_choosing(page):
    page.goto("/")
    type_and_wait(page, "克拉", KELAMAYI)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(box(page)).to_have_attribute("aria-expanded", "false")
    expect(box(page)).to_have_value("克拉")
    expect(page.get_by_role("button", name="搜索")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/$"))


def test_enter_with_nothing_highlighted_searches_what_was_typed(page, expected):
    page.goto("/")
    type_and_wait(page, "克拉", KELAMAYI)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?q=%E5%85%8B%E6%8B%89$"))
    expect(page.locator("#summary")).to_contain_text(f"找到 {expected(query='克拉').total} 篇文章")


def test_click_a_suggestion_to_search_it_with_the_filters_kept(page, expected, outside_requests):
    page.goto("/?q=援疆&year=2023")
    box(page).fill("")
    type_and_wait(page, "克拉", KELAMAYI)
    options(page).get_by_text("克拉玛依市", exact=True).click()
    expect(page).to_have_url(re.compile(r"/\?q=%E5%85%8B%E6%8B%89%E7%8E%9B%E4%BE%9D%E5%B8%82&year=2023$"))
    filtered = expected(query="克拉玛依市", years=("2023",)).total
    assert 0 < filtered < expected(query="克拉玛依市").total
    expect(page.locator("#summary")).to_contain_text(f"找到 {filtered} 篇文章")
    expect(page.locator("a.chip")).to_have_text(["年份：2023年×（移除）"])
    assert outside_requests == []


def test_leaving_the_box_closes_the_list(page):
    page.goto("/")
    type_and_wait(page, "克拉", KELAMAYI)
    page.locator("footer.site").click()  # away from the box, and not under the open list
    expect(box(page)).to_have_attribute("aria-expanded", "false")
    expect(listbox(page)).to_be_hidden()
    expect(box(page)).to_have_value("克拉")


def test_an_empty_box_asks_for_nothing(page, suggest_queries):
    page.goto("/")
    type_and_wait(page, "克", KELAMAYI)
    page.keyboard.press("Backspace")
    expect(listbox(page)).to_be_hidden()
    page.keyboard.type("  ")
    page.wait_for_timeout(400)  # well past the debounce: a request for the blanks would have gone
    expect(listbox(page)).to_be_hidden()
    assert suggest_queries == ["克"]


def test_typing_through_an_ime_asks_only_for_the_finished_text(page, suggest_queries):
    page.goto("/")
    expect(box(page)).to_be_focused()
    ime = page.context.new_cdp_session(page)
    for pinyin in ("k", "ke", "kel", "kela"):
        end = len(pinyin)
        ime.send("Input.imeSetComposition", {"text": pinyin, "selectionStart": end, "selectionEnd": end})
    page.wait_for_timeout(400)  # well past the debounce: unfinished pinyin must not be sent
    expect(box(page)).to_have_value("kela")
    assert suggest_queries == []
    expect(listbox(page)).to_be_hidden()
    ime.send("Input.insertText", {"text": "克拉"})  # the user picks 克拉 from the IME's candidates
    expect(options(page)).to_have_text(KELAMAYI)
    assert suggest_queries == ["克拉"]


def test_an_overtaken_answer_is_dropped(page, suggest_queries):
    held = []

    def hold_the_first(route):
        if parse_qs(urlsplit(route.request.url).query)["q"] == ["克"] and not held:
            held.append(route)
        else:
            route.continue_()

    page.route(lambda url: urlsplit(url).path == "/api/suggest", hold_the_first)
    page.goto("/")
    with page.expect_request(lambda request: urlsplit(request.url).path == "/api/suggest"):
        box(page).press_sequentially("克")
    for _ in range(100):  # the route handler runs just after the request event
        if held:
            break
        page.wait_for_timeout(10)
    assert len(held) == 1
    box(page).press_sequentially("拉")
    expect(options(page)).to_have_text(KELAMAYI)
    # The answer for 克 arrives last; it must not replace the list for 克拉.
    stale = {"query": "克", "suggestions": ["克孜勒苏"]}
    held[0].fulfill(status=200, content_type="application/json", body=json.dumps(stale, ensure_ascii=False))
    page.wait_for_timeout(300)
    expect(options(page)).to_have_text(KELAMAYI)
    expect(options(page).locator("b")).to_have_text(["克拉"] * len(KELAMAYI))
    assert suggest_queries == ["克", "克拉"]


def test_the_open_list_fits_a_phone_screen(browser, server_url):
    context = browser.new_context(locale="zh-CN", base_url=server_url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto("/?q=援疆")
    box(page).fill("")
    type_and_wait(page, "克拉", KELAMAYI)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    field = box(page).bounding_box()
    shown = listbox(page).bounding_box()
    assert shown["y"] >= field["y"] + field["height"]  # under the box, not over it
    assert shown["x"] == pytest.approx(field["x"], abs=1)
    assert shown["width"] == pytest.approx(field["width"], abs=1)
    shown_options = options(page).all()
    assert len(shown_options) == len(KELAMAYI)
    for option in shown_options:
        assert option.bounding_box()["height"] >= 40  # a finger can hit each one
    # The results stay under the list rather than pushing it aside.
    expect(page.locator("#summary")).to_be_visible()
    context.close()


def test_without_javascript_the_form_searches_as_before(browser, server_url, expected):
    context = browser.new_context(locale="zh-CN", base_url=server_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    field = page.get_by_label("搜索词")
    assert field.get_attribute("role") is None
    expect(page.locator("#q-suggestions")).to_be_hidden()
    field.fill("克拉玛依")
    field.press("Enter")
    expect(page).to_have_url(KELAMAYI_URL)
    expect(page.locator("#summary")).to_contain_text(f"找到 {expected(query='克拉玛依').total} 篇文章")
    context.close()
