"""The HTML pages over the inline test index: exact links, counts, marks and states."""

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from web_html import facet_boxes, facet_sets, links, select, text


STATIC = Path(__file__).resolve().parents[3] / "web" / "static"


def content_version(name):
    """The version a static file's URL should carry: the start of its content's SHA-256."""
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def q(value):
    """A value as it appears percent-encoded in our URLs."""
    return quote(value, safe="")


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "text/html; charset=utf-8"
    return response.get_data(as_text=True)


def test_empty_state_describes_the_corpus(client):
    page = get(client, "/")
    assert text(select(page, "h1", id="intro-title")[0]) == "检索 6 篇对口援疆报道"
    assert text(select(page, "p", "lead")[0]) == (
        "收录 2023-08-27 至 2025-04-02 间的报刊文章，来源：克拉玛依日报、和田日报、新疆日报、解放日报。"
        "每一段输入的文字都能找到包含它的全部文章。")
    assert links(page.split('class="examples"')[1].split("</ul>")[0]) == [
        ("/?q=" + q("克拉玛依"), "克拉玛依"),
        ("/?q=" + q('"对口支援"'), '"对口支援"'),
        ("/?q=" + q("上海 OR 天津"), "上海 OR 天津"),
        ("/?q=" + q("援疆 -上海"), "援疆 -上海"),
        ("/?q=" + q("title:和田"), "title:和田"),
        ("/?sort=date", "浏览全部文章（按日期）"),
    ]
    browse = [link for link in links(page) if link[0].startswith("/?region=")]
    assert browse == [("/?region=" + q("克拉玛依"), "克拉玛依 2"), ("/?region=" + q("和田"), "和田 2"),
                      ("/?region=" + q("喀什"), "喀什 1"), ("/?region=" + q("新疆"), "新疆 1")]
    assert [text(h) for h in select(page, "h2")] == ["试试这些搜索", "按地区浏览", "按领域浏览", "按援助方浏览"]
    assert "搜索语法" in page and "<code>title:和田</code>" in page
    assert select(page, "input", id="q")[0].attrs["value"] == ""


def test_results_show_count_marks_and_badges(client):
    page = get(client, "/?q=援疆")
    assert select(page, "input", id="q")[0].attrs["value"] == "援疆"
    summary = text(select(page, "p", "summary")[0])
    assert summary.startswith("找到 4 篇文章，第 1–4 篇（用时 ") and summary.endswith(" 毫秒）")
    titles = select(page, "h2", "hit-title")
    assert [t.inner for t in titles] == [
        f'<a href="/articles/tianjin?q={q("援疆")}">天津“组团式”<mark>援疆</mark></a>',
        f'<a href="/articles/kash-edu?q={q("援疆")}">上海<mark>援疆</mark>教师在喀什</a>',
        f'<a href="/articles/escape?q={q("援疆")}">&lt;script&gt;alert(1)&lt;/script&gt;<mark>援疆</mark>报道</a>',
        f'<a href="/articles/hotan-med?q={q("援疆")}">北京医疗队在和田</a>',
    ]
    assert [s.inner for s in select(page, "p", "snippet")] == [
        "天津<mark>援疆</mark>医疗队在策勒县开展组团式帮扶，<mark>援疆</mark>干部扎根基层。",
        "上海<mark>援疆</mark>教师在泽普县开展送教活动。 学生们在课堂上认真学习…",
        "正文含有&lt;b&gt;粗体&lt;/b&gt;与&amp;符号，<mark>援疆</mark>工作持续推进。",
        "北京<mark>援疆</mark>医疗队深入和田乡村，开展义诊服务。",
    ]
    first = select(page, "p", "meta")[0]
    assert text(first) == "2023-12-11和田日报 和田 医疗卫生教育"
    # escape is dated only to June 2024: shown as such, not as a made-up 1 June.
    assert [(t.attrs["datetime"], text(t)) for t in select(page, "time")] == [
        ("2023-12-11", "2023-12-11"), ("2023-08-27", "2023-08-27"), ("2024-06", "2024-06"), ("2023-12-08", "2023-12-08")]
    assert [text(b) for b in select(page, "span", "badge")][:3] == ["和田", "医疗卫生", "教育"]


def test_facets_are_checkboxes_of_one_filter_form(client):
    page = get(client, "/?q=援疆")
    assert facet_boxes(page, "region") == [("和田", "和田2 篇", False), ("喀什", "喀什1 篇", False),
                                           ("新疆", "新疆1 篇", False)]
    assert [text(select(fs.inner, "legend")[0]) for fs in facet_sets(page).values()] == ["地区", "领域", "援助方", "来源"]
    form = select(page, "form", "filters")[0]
    assert (form.attrs["action"], form.attrs["method"]) == ("/", "get")
    # The query travels with the form; without JavaScript its button applies the ticks.
    assert form_fields(page, "filters") == [("q", "援疆")]
    assert [text(b) for b in select(form.inner, "button")] == ["应用", "应用筛选"]
    assert "hidden" in select(page, "p", "filter-hint")[0].attrs  # shown by the script, which applies ticks at once


def test_chosen_values_are_shown_and_removable_in_one_click(client):
    base = "/?q=" + q("援疆")
    page = get(client, f"{base}&region={q('和田')}&region={q('喀什')}&page=1")
    assert text(select(page, "p", "summary")[0]).startswith("找到 3 篇文章")
    assert facet_boxes(page, "region") == [("和田", "和田2 篇", True), ("喀什", "喀什1 篇", True),
                                           ("新疆", "新疆1 篇", False)]
    assert [e.attrs["class"] for e in select(page, "label", "facet-value")][:3] == [
        "facet-value selected", "facet-value selected", "facet-value"]
    assert links(page, "chip") == [
        (f"{base}&region={q('喀什')}", "地区：和田×（移除）"),
        (f"{base}&region={q('和田')}", "地区：喀什×（移除）"),
    ]
    assert links(page, "clear") == [(base, "清除全部筛选")]


def test_year_chart_and_month_chart(client):
    page = get(client, "/")  # the empty state has no chart
    assert select(page, "a", "bar") == []
    page = get(client, "/?q=援疆")
    # A bar is named by its own text, so the name holds what it shows: the year and the count.
    bars = [(e.attrs["href"], text(e), [c.attrs["class"] for c in e.children]) for e in select(page, "a", "bar")]
    base = "/?q=" + q("援疆")
    assert bars == [
        (f"{base}&year=2023", "2023年：3 篇", ["label", "sr-only", "n", "fill h100"]),
        (f"{base}&year=2024", "2024年：1 篇", ["label", "sr-only", "n", "fill h35"]),
    ]
    assert [e.attrs for e in select(page, "a", "bar") if "aria-label" in e.attrs] == []
    page = get(client, f"{base}&year=2023&month=2023-12")
    months = [(e.attrs["href"], text(e), "selected" in e.classes)
              for e in select(page, "a", "bar")][1:]
    assert months == [
        (f"{base}&year=2023&month=2023-12&month=2023-08", "2023年8月：1 篇", False),
        (f"{base}&year=2023", "2023年12月：2 篇（已选，点击取消）", True),
    ]
    # Unselecting the year drops its months too, in the chart and in the chips.
    assert select(page, "a", "bar")[0].attrs["href"] == base
    assert links(page, "chip")[0] == (base, "年份：2023年×（移除）")
    assert text(select(page, "h2", id="chart-months")[0]) == "2023年按月份"


def test_month_chart_shows_at_once_when_every_result_is_of_one_year(client):
    base = "/?q=" + q("医疗队")  # hotan-med and tianjin, both of December 2023
    page = get(client, base)
    bars = [(e.attrs["href"], text(e), text(e.children[0]), "selected" in e.classes)
            for e in select(page, "a", "bar")]
    assert bars == [
        (f"{base}&year=2023", "2023年：2 篇", "2023年", False),
        (f"{base}&month=2023-12", "2023年12月：2 篇", "2023年12月", False),
    ]
    # 年 of a year is for screen readers; 月 is shown, under the month's number.
    assert [select(e.inner, "span", "unit") != [] for e in select(page, "a", "bar")] == [False, True]
    assert text(select(page, "h2", id="chart-months")[0]) == "2023年按月份"
    # Its bar filters by the month, stays in the chart chosen and removes the month when clicked again.
    page = get(client, f"{base}&month=2023-12")
    assert text(select(page, "p", "summary")[0]).startswith("找到 2 篇文章")
    assert [(e.attrs["href"], text(e), "selected" in e.classes) for e in select(page, "a", "bar")] == [
        (f"{base}&year=2023&month=2023-12", "2023年：2 篇", False),
        (base, "2023年12月：2 篇（已选，点击取消）", True),
    ]
    assert links(page, "chip") == [(base, "月份：2023年12月×（移除）")]
    # Results of two years show no month chart until a year is chosen.
    page = get(client, "/?q=" + q("援疆"))
    assert select(page, "h2", id="chart-months") == []


def test_date_range_filters_and_keeps_the_rest(client):
    page = get(client, "/?q=援疆&from=2023-12-01&to=2024-12-31&sort=date")
    assert [e.attrs["href"].split("?")[0] for e in select(page, "a") if e.attrs.get("href", "").startswith("/articles/")] == [
        "/articles/escape", "/articles/tianjin", "/articles/hotan-med"]
    assert select(page, "input", id="from")[0].attrs["value"] == "2023-12-01"
    assert select(page, "input", id="to")[0].attrs["value"] == "2024-12-31"
    assert form_fields(page, "filters") == [("q", "援疆"), ("sort", "date")]
    # The fields accept the corpus's first to last dates (and any date chosen outside them).
    assert [(e.attrs["min"], e.attrs["max"]) for e in select(page, "input", type="date")] == [
        ("2023-08-27", "2025-04-02")] * 2
    search_form = page.split('class="searchbar"')[1].split("</form>")[0]
    assert [(e.attrs["name"], e.attrs["value"]) for e in select(search_form, "input", type="hidden")] == [
        ("from", "2023-12-01"), ("to", "2024-12-31"), ("sort", "date")]
    assert [chip[1] for chip in links(page, "chip")] == ["起始日期：2023-12-01×（移除）", "结束日期：2024-12-31×（移除）"]
    page = get(client, "/?q=援疆&from=2020-01-01")
    assert [(e.attrs["min"], e.attrs["max"]) for e in select(page, "input", type="date")] == [
        ("2020-01-01", "2025-04-02")] * 2
    assert [(e.attrs["for"], text(e)) for e in select(page, "label") if e.attrs.get("for") in ("from", "to")] == [
        ("from", "起始日期"), ("to", "结束日期")]


def test_sort_links(client):
    page = get(client, "/?q=援疆&sort=date")
    sort = page.split('class="sort"')[1].split("</nav>")[0]
    assert links(sort) == [("/?q=" + q("援疆"), "相关度"), ("/?q=" + q("援疆") + "&sort=date", "日期")]
    assert select(sort, "a", "active")[0].attrs["aria-current"] == "true"
    assert text(select(sort, "a", "active")[0]) == "日期"


def test_browsing_without_a_query_has_no_relevance_to_sort_by(client):
    page = get(client, "/?region=和田")
    assert select(page, "nav", "sort") == []
    assert text(select(page, "p", "sort")[0]) == "按日期排列，最新的在前"
    assert hit_ids(page) == ["tianjin", "hotan-med"]


def test_results_pages_have_a_heading_for_screen_readers(client):
    assert [(h.attrs["class"], text(h)) for h in select(get(client, "/?q=援疆"), "h1")] == [
        ("sr-only", "“援疆”的搜索结果")]
    assert [text(h) for h in select(get(client, "/?region=和田"), "h1")] == ["浏览文章"]


def test_the_help_explains_the_whole_query_syntax(client):
    page = get(client, "/")
    help_box = page.split('class="help"')[1].split("</details>")[0]
    assert [(text(dt), text(dd)) for dt, dd in zip(select(help_box, "dt"), select(help_box, "dd"))] == [
        ("援疆 教育", "多个词：文章须同时包含每个词"),
        ('"对口支援"、“对口支援”', "引号（英文或中文）：按完整短语查找"),
        ("上海 OR 天津", "OR：包含其中任意一个"),
        ("援疆 -上海、NOT 上海", "减号或 NOT：排除包含该词的文章"),
        ("(上海 OR 天津) 教育", "括号：先组合括号里的条件"),
        ("title:和田", "只在标题中查找"),
        ('"援疆 干部"~10、援疆 NEAR/10 干部', "邻近：几个词相隔不超过 10 个字（前后顺序不限），整段标出"),
    ]


def test_every_example_the_pages_give_finds_articles_in_the_bundled_corpus(bundled_index):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX": str(bundled_index)}).test_client()
    page = get(client, "/")
    help_box = page.split('class="help"')[1].split("</details>")[0]
    examples = [text(c) for c in select(help_box, "code")]
    examples += [text(e) for e in select(page.split('class="examples"')[1].split("</ul>")[0], "a")][:-1]
    examples.append(select(page, "input", id="q")[0].attrs["placeholder"].split("：")[1])
    assert len(examples) == 16
    for example in examples:
        response = client.get("/api/search", query_string={"q": example})
        assert response.status_code == 200 and response.get_json()["total"] > 0, example


def test_pagination(small_pages_client):
    page = get(small_pages_client, "/?sort=date&page=2")
    nav = page.split('class="pagination"')[1].split("</nav>")[0]
    assert links(nav) == [
        ("/?sort=date", "上一页"), ("/?sort=date", "1"), ("/?sort=date&page=2", "2"),
        ("/?sort=date&page=3", "3"), ("/?sort=date&page=3", "下一页"),
    ]
    assert select(nav, "a", "current")[0].attrs["aria-current"] == "page"
    assert text(select(page, "p", "summary")[0]).startswith("找到 6 篇文章，第 3–4 篇")
    assert select(page, "ol", "hits")[0].attrs["start"] == "3"


def test_a_page_past_the_end_says_so(small_pages_client):
    page = get(small_pages_client, "/?sort=date&page=9")
    assert "这一页没有结果了。" in page
    assert select(page, "li", "hit") == []
    assert links(page, "prev") == [("/?sort=date&page=3", "上一页")]
    assert links(page, "next") == []


def test_a_page_past_the_only_page_leads_back_to_page_one_of_the_same_search(small_pages_client):
    page = get(small_pages_client, "/?region=和田&sort=date&page=5")
    assert text(select(page, "p", "summary")[0]).startswith("找到 2 篇文章（用时 ")
    assert select(page, "nav", "pagination") == []
    assert links(page.split('class="notice"')[1].split("</p>")[0]) == [
        ("/?region=" + q("和田") + "&sort=date", "回到第一页")]


def test_no_results_state_suggests_what_to_try(client):
    page = get(client, "/?q=不存在的说法&region=和田")
    assert text(select(page, "p", "summary")[0]).startswith("没有找到文章")
    box = page.split('class="no-results"')[1].split("</div>")[0]
    assert text(select(box, "h2")[0]) == "没有找到与“不存在的说法”相符的文章"
    assert [text(li) for li in select(box, "li")] == [
        "减少关键词，或换一个说法（例如只保留地名）",
        "去掉一些筛选条件，或清除全部筛选",
        "检查引号是否成对，排除词（-词）是否排除了太多",
        "回到首页看看收录了哪些内容",
    ]
    assert links(box)[0] == ("/?q=" + q("不存在的说法"), "清除全部筛选")


def hit_ids(page):
    """The article ids the result titles link to, in order."""
    return [h.children[0].attrs["href"].split("?")[0].removeprefix("/articles/")
            for h in select(page, "h2", "hit-title")]


def form_fields(page, form_class, kind="hidden"):
    """(name, value) of a form's inputs of one type."""
    form = page.split(f'class="{form_class}"')[1].split("</form>")[0]
    return [(e.attrs["name"], e.attrs["value"]) for e in select(form, "input", type=kind)]


@pytest.mark.parametrize(
    "url, message, ids",
    [
        ("/?q=援疆&region=和田&page=0", "page 必须是 1 到 1000 之间的整数（收到：0）", ["tianjin", "hotan-med"]),
        ("/?q=援疆&region=和田&from=2023-02-30", "起始日期必须是形如 2023-01-01 的日期（收到：2023-02-30）",
         ["tianjin", "hotan-med"]),
        ("/?q=援疆&region=和田&sort=best", "sort 只能是 relevance 或 date（收到：best）", ["tianjin", "hotan-med"]),
        ("/?q=援疆&region=和田&from=2024-01-02&to=2024-01-01", "起始日期 2024-01-02 晚于结束日期 2024-01-01",
         ["tianjin", "hotan-med"]),
        ("/?q=援疆&region=和田&year=twenty&year=2023", "year 必须是 YYYY 格式（收到：twenty）",
         ["tianjin", "hotan-med"]),
    ],
)
def test_a_bad_parameter_is_named_above_what_the_rest_of_the_url_asks_for(client, url, message, ids):
    page = get(client, url, 400)
    assert [text(e) for e in select(page, "p", "error")] == [message]
    # The parameter at fault is dropped (a wrong date range both its dates); the rest still apply.
    assert hit_ids(page) == ids
    assert select(page, "input", id="q")[0].attrs["value"] == "援疆"
    assert form_fields(page, "searchbar") == [("region", "和田")]
    assert links(page, "chip") == [("/?q=" + q("援疆"), "地区：和田×（移除）")]
    assert "open" in select(page, "details", "help")[0].attrs  # the syntax help is shown
    # The message comes first, where it is seen, above the help.
    assert page.index('class="notice error"') < page.index('class="help"')


def test_a_bad_parameter_alone_shows_the_message_over_the_empty_state(client):
    page = get(client, "/?page=0", 400)
    assert [text(e) for e in select(page, "p", "error")] == ["page 必须是 1 到 1000 之间的整数（收到：0）"]
    assert text(select(page, "h1", id="intro-title")[0]) == "检索 6 篇对口援疆报道"


@pytest.mark.parametrize(
    "url, message, box, removal",
    [
        # A query the service cannot read stays in the links; one too long or with a NUL is dropped.
        ("/?q=援疆 OR&region=和田&sort=date", "OR 的前后都要有搜索词，例如：教育 OR 医疗",
         "援疆 OR", "q=%E6%8F%B4%E7%96%86+OR"),
        ("/?q=" + "援" * 501 + "&region=和田&sort=date", "搜索词太长：最多 500 个字符，收到 501 个", "援" * 501, ""),
        ("/?q=援%00疆&region=和田&sort=date", "搜索词不能包含控制字符（收到 U+0000）", "援疆", ""),
    ],
)
def test_a_bad_query_keeps_the_box_and_the_filters_but_shows_no_results(client, url, message, box, removal):
    page = get(client, url, 400)
    assert [text(e) for e in select(page, "p", "error")] == [message]
    # The query stays in the box to be corrected (without the NUL, which HTML cannot carry).
    assert select(page, "input", id="q")[0].attrs["value"] == box
    assert "\x00" not in page
    assert form_fields(page, "searchbar") == [("region", "和田"), ("sort", "date")]
    assert select(page, "li", "hit") == [] and select(page, "section", "intro") == []
    assert "open" in select(page, "details", "help")[0].attrs
    # The filters stay in view, each removable, and can all be cleared at once.
    assert links(page, "chip") == [("/?" + "&".join(filter(None, [removal, "sort=date"])), "地区：和田×（移除）")]
    assert links(page, "clear") == [("/?" + removal if removal else "/", "清除全部筛选")]
    assert page.index('class="notice error"') < page.index('class="chips"') < page.index('class="help"')


def test_query_box_limits_its_length_and_help_starts_closed(client):
    page = get(client, "/?q=援疆")
    assert select(page, "input", id="q")[0].attrs["maxlength"] == "500"
    assert select(page, "input", id="q")[0].attrs["enterkeyhint"] == "search"  # a phone keyboard says 搜索
    assert "open" not in select(page, "details", "help")[0].attrs


def test_everything_is_escaped(client):
    page = get(client, "/?q=<script>x</script>&region=<i>")
    assert "<script>x" not in page and "<i>" not in page
    assert select(page, "input", id="q")[0].attrs["value"] == "<script>x</script>"
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in page
    assert "<h2>没有找到与“&lt;script&gt;x&lt;/script&gt;”相符的文章</h2>" in page
    assert "<script" not in re.sub(r'<script src="/static/app\.js\?v=[0-9a-f]{12}" defer></script>', "", page)


def test_article_page(client):
    page = get(client, "/articles/kash-edu?q=援疆&region=喀什&page=1")
    assert select(page, "h1")[0].inner == "上海<mark>援疆</mark>教师在喀什"
    assert [text(d) for d in select(page, "div") if d.children and d.children[0].tag == "dt"] == [
        "日期2023-08-27", "来源解放日报", "原文https://news.example.org/kash-edu.html", "地区喀什", "领域教育", "援助方上海"]
    [link] = select(page, "a", "origin")
    assert (link.attrs["href"], link.attrs["rel"]) == ("https://news.example.org/kash-edu.html", "noopener noreferrer")
    assert select(page, "div", "text")[0].inner == (
        "<p>上海<mark>援疆</mark>教师在泽普县开展送教活动。</p><p>学生们在课堂上认真学习。</p>")
    assert text(select(page, "p", "matches")[0]) == "“援疆”在本文中标出 1 处"
    back = f"/?q={q('援疆')}&region={q('喀什')}"
    assert links(page.split('class="back"')[1].split("</p>")[0]) == [(back, "← 返回“援疆”的搜索结果")]
    related = page.split('class="related"')[1].split("</section>")[0]
    suffix = f"?q={q('援疆')}&region={q('喀什')}"
    assert links(related) == [
        (f"/articles/kly-aid{suffix}", "上海对口支援克拉玛依"),
        (f"/articles/tianjin{suffix}", "天津“组团式”援疆"),
        (f"/articles/hotan-med{suffix}", "北京医疗队在和田"),
        (f"/articles/escape{suffix}", "<script>alert(1)</script>援疆报道"),
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;援疆报道" in related
    assert [(t.attrs["datetime"], text(t)) for t in select(related, "time")] == [
        ("2025-04-02", "2025-04-02"), ("2023-12-11", "2023-12-11"), ("2023-12-08", "2023-12-08"),
        ("2024-06", "2024-06")]
    assert links(page, "badge") == [("/?region=" + q("喀什"), "喀什"), ("/?sector=" + q("教育"), "教育"),
                                     ("/?aid_from=" + q("上海"), "上海")]


def test_article_page_escapes_the_text(client):
    page = get(client, "/articles/escape")
    assert [text(d) for d in select(page, "div") if d.children and d.children[0].tag == "dt"][0] == (
        "日期2024-06（精确到月）")
    assert select(page, "h1")[0].inner == "&lt;script&gt;alert(1)&lt;/script&gt;援疆报道"
    assert select(page, "div", "text")[0].inner == "<p>正文含有&lt;b&gt;粗体&lt;/b&gt;与&amp;符号，援疆工作持续推进。</p>"
    assert select(page, "p", "matches") == []
    assert links(page.split('class="back"')[1].split("</p>")[0]) == [("/", "← 返回搜索结果")]


@pytest.mark.parametrize("url, message", [
    ("/articles/nope", "没有编号为 nope 的文章"),
    ("/articles/" + "y" * 300, "没有编号为 " + "y" * 200 + " 的文章"),
    ("/articles/", "没有这个页面"),
    ("/nowhere", "没有这个页面"),
])
def test_unknown_pages_are_404(client, url, message):
    page = get(client, url, 404)
    assert text(select(page, "h1")[0]) == "404 页面不存在"
    assert [text(e) for e in select(page, "p", "error")] == [message]


def test_pages_use_only_local_assets(client):
    page = get(client, "/?q=援疆")
    # Each file's URL carries its content version, so a changed file is a new URL.
    css = [e.attrs["href"] for e in select(page, "link", rel="stylesheet")]
    js = [e.attrs["src"] for e in select(page, "script")]
    assert css == ["/static/style.css?v=" + content_version("style.css")]
    assert js == ["/static/app.js?v=" + content_version("app.js")]
    assert client.get(css[0]).status_code == 200
    assert client.get(js[0]).status_code == 200


def test_accessibility_landmarks_and_labels(client):
    page = get(client, "/?q=援疆")
    assert select(page, "html")[0].attrs["lang"] == "zh-CN"
    assert select(page, "label", for_="q")[0].text == "搜索词"
    assert select(page, "form", role="search")
    assert select(page, "a", "skip")[0].attrs["href"] == "#main"
    assert select(page, "main")[0].attrs["id"] == "main"
    assert select(page, "nav", "sort")[0].attrs["aria-label"] == "排序"
    assert select(page, "aside")[0].attrs["aria-label"] == "筛选"


def test_an_empty_index_says_how_to_fill_it(tmp_path):
    from indexer.build import update_index
    from web import create_app

    update_index((), tmp_path / "index")
    page = get(create_app({"TESTING": True, "INDEX": str(tmp_path / "index")}).test_client(), "/")
    assert text(select(page, "h1", id="intro-title")[0]) == "索引里还没有文章"
    assert select(page, "p", "lead")[0].inner == (
        "运行 <code>xjsearch index</code> 从语料建立索引，完成后刷新本页即可检索。")
    assert select(page, "ul", "examples") == []


@pytest.mark.parametrize("precision, shown", [("month", "2025-06（精确到月）"), ("year", "2025（精确到年）"),
                                              ("day", "2025-06-01")])
def test_an_article_date_is_shown_to_its_precision(tmp_path, precision, shown):
    from dataclasses import replace

    from indexer.build import update_index
    from web import create_app
    from web_articles import WEB_ARTICLES

    update_index((replace(WEB_ARTICLES[0], date="2025-06-01", date_precision=precision),), tmp_path / "index")
    page = get(create_app({"TESTING": True, "INDEX": str(tmp_path / "index")}).test_client(),
               "/articles/kash-edu")
    date = next(d for d in select(page, "div") if d.children and text(d.children[0]) == "日期")
    assert text(date) == "日期" + shown
    assert select(page, "time")[0].attrs["datetime"] == shown.split("（")[0]


def test_an_article_from_a_pdf_shows_its_file_and_page(client):
    page = get(client, "/articles/escape")
    [origin] = [text(d) for d in select(page, "div") if d.children and d.children[0].tag == "dt" and text(d).startswith("原文")]
    assert origin == "原文epaper.pdf 第2页"
    assert select(page, "a", "origin") == []
