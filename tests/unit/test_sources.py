"""The outlet that wrote an article: 来源 lines, datelines, credits, bylines, mastheads, the page's paper."""

from __future__ import annotations

import pytest

from corpus.sources import infer_source, without_site_name


@pytest.mark.parametrize(
    ("text", "header", "source"),
    [
        ("正文。", ["2024-03-05 来源：解放日报 编辑：王明"], "解放日报"),
        ("正文。", ["來源: 天山網-新疆日報原創"], "天山网"),  # traditional, folded
        ("正文。", ["来源:上观新闻"], "解放日报"),  # another name of a known outlet
        ("正文。", ["来源：示例县融媒体中心"], "示例县融媒体中心"),  # unknown, but the line says it
        ("正文。", ["来源：示例援疆指挥部 作者：王明"], "示例援疆指挥部"),
        ("新华社乌鲁木齐3月5日电 正文。", ["来源：原创"], "新华社"),  # no answer: the dateline speaks
        ("正文。", ["本文转自【央视新闻】"], "央视"),
        ("正文。", ["河北日报记者 张明"], "河北日报"),  # a byline names its paper
        ("正文。", ["人民网"], "人民网"),  # the masthead alone on a line
        ("正文。", ["2025-09-28 21:24 新福建"], "新福建"),  # the name beside the date
        ("正文。\n图为活动现场。新京报记者 李明 摄", [], "新京报"),  # a reporter's credit
    ],
)
def test_where_the_page_names_its_source(text: str, header: list[str], source: str) -> None:
    assert infer_source(text, None, header) == source


def test_the_manifest_paper_is_used_when_the_text_names_none() -> None:
    assert infer_source("本报讯 正文。", "示例日报") == "示例日报"


def test_nothing_named_stays_unknown() -> None:
    assert infer_source("本报讯 正文。", None) == "未注明"
    assert infer_source("正文。", None, ["时间: 2024-09-19 来源:"]) == "未注明"


def test_outlets_named_by_a_known_dateline_a_photo_credit_or_a_breadcrumb() -> None:
    assert infer_source("编者按：敬请关注。\n金山网讯 今天凌晨，支教队抵达伊宁。", None) == "金山网"
    assert infer_source("新建的厂房。新华网王雄摄\n正文。", None) == "新华网"
    assert infer_source("正文。", None, ["新疆都市报 > 新闻 > 新疆新闻 >"]) == "新疆都市报"
    assert infer_source("正文。", None, ["来源：网络整理"]) == "未注明"


@pytest.mark.parametrize(
    ("value", "source"),
    [
        ("示例县融媒体中心新闻部门一二", "示例县融媒体中心新闻部门一二"),  # 14 characters: still a name
        ("示例县融媒体中心新闻部门一二三", "未注明"),  # 15: no name
        ("示例", "示例"),  # two Chinese characters are enough
        ("示", "未注明"),
        ("《示例报》", "示例报"),  # without its quotes
        ("示例:中心", "未注明"),
        ("上观新闻报道", "解放日报"),  # a known outlet's name starts it
        ("转载自人民网", "人民网"),  # or stands in it, three characters or more
    ],
)
def test_an_unknown_source_line_names_its_outlet_when_it_is_a_short_name(value: str, source: str) -> None:
    assert infer_source("正文。", None, ["来源：" + value]) == source


@pytest.mark.parametrize(
    ("header", "source"),
    [
        # A line that opens like a byline but reads on as a sentence names no source.
        (["河北日报记者走访了村庄，看望了种植户。"], "未注明"),
        # A byline's outlet: a known name it starts with, or a known outlet's other name.
        (["上观新闻记者 王明"], "解放日报"),
        # A trainee's byline names the outlet before 见习 or 实习.
        (["示例日报见习记者 王明"], "示例日报"),
        (["示例日报实习记者 王明"], "示例日报"),
        # A name that is itself a known outlet is that outlet, not the shorter one inside it.
        (["河北经济日报记者 王明"], "河北经济日报"),
        # An unknown outlet's name, up to 14 characters, is kept whole, whatever known name it holds.
        (["示例县经济日报记者 王明"], "示例县经济日报"),
        (["示例县示例镇示例村经济日报社记者 王明"], "示例县示例镇示例村经济日报社"),
    ],
)
def test_a_bylines_outlet(header: list[str], source: str) -> None:
    assert infer_source("正文。", None, header) == source


def test_a_name_beside_a_date_on_a_later_header_line() -> None:
    assert infer_source("正文。", None, ["援疆故事", "2025-09-28 21:24 新福建"]) == "新福建"


@pytest.mark.parametrize(
    "line",
    [
        "来源时间为:2022-01-24",  # a label before the date, no name
        "发稿时间：2023-05-06 09:00",
        "2016-03-07魏晔玲宋明晏",  # two reporters' names run together
        "2021-08-15 王雄",  # one reporter
        "2021-08-15 欧阳明",
    ],
)
def test_a_label_or_reporters_names_beside_a_date_name_no_outlet(line: str) -> None:
    assert infer_source("正文。", None, [line]) == "未注明"


def test_an_outlet_beside_a_date_is_named_though_it_reads_like_a_persons_name() -> None:
    # 黄 is a surname: 黄河报 could be read as a name, but it ends like an outlet's.
    assert infer_source("正文。", None, ["2016-03-07 黄河报"]) == "黄河报"
    assert infer_source("正文。", None, ["2016-03-07 新福建"]) == "新福建"  # 新 is no surname
    assert infer_source("正文。", None, ["2016-03-07 石榴云"]) == "新疆日报"  # 石 is, but 石榴云 is known


@pytest.mark.parametrize(
    ("text", "header", "source"),
    [
        ("导航\n示例月刊 2016年1期\n正文。", [], "示例月刊"),  # among the text's first lines
        ("正文。", ["《示例》2023年第5期"], "示例"),
        ("正文。", ["示例 2023 年 第 12 期"], "示例"),
        ("正文。", ["2016-03-07魏晔玲宋明晏", "前线 2016年1期"], "前线"),  # the reporters are passed over
        # Not an issue line: the issue inside a sentence, or a day's date.
        ("正文。", ["本刊2016年1期刊登了这篇文章。"], "未注明"),
        ("正文。", ["示例 2016年1月5日"], "示例"),  # (a name beside a date, not an issue)
    ],
)
def test_a_periodicals_issue_line_names_it(text: str, header: list[str], source: str) -> None:
    assert infer_source(text, None, header) == source


def test_a_name_beside_a_date_that_starts_with_a_known_outlet_is_that_outlet() -> None:
    assert infer_source("正文。", None, ["2025-09-28 新疆日报编辑部"]) == "新疆日报"


def test_a_dateline_in_any_of_the_first_five_paragraphs() -> None:
    # Spaces inside a paragraph do not end it.
    assert infer_source("编者按 请 关注 下面 的 报道。\n金山网讯 今天，支教队抵达伊宁。", None) == "金山网"
    paragraphs = ["编者按。", "说明。", "金山网讯 今天，支教队抵达伊宁。", "四。", "五。", "六。", "七。", "八。"]
    assert infer_source("\n".join(paragraphs), None) == "金山网"


@pytest.mark.parametrize(
    ("header", "source"),
    [
        # A known outlet heading a line, set apart from what follows.
        (["上海援疆 | 首页"], "上海援疆"),
        # An unknown site's name set apart before the page's date.
        (["示例县门户网 www.example.cn 发布时间:2024-03-05"], "示例县门户网"),
        # A line of one unknown name is no masthead, even one ending like an outlet's.
        (["示例中心"], "未注明"),
        (["示例门户网"], "未注明"),
        # A blank header line is passed over.
        (["", "人民网"], "人民网"),
    ],
)
def test_a_masthead(header: list[str], source: str) -> None:
    assert infer_source("正文。", None, header) == source


def test_a_credit_naming_its_outlet_in_quotes() -> None:
    assert infer_source("正文。\n第二段。\n第三段。\n图为活动现场。《瞭望》新闻周刊记者 王明 摄", None) == "瞭望"


def test_only_the_first_three_lines_of_the_text_may_name_its_source() -> None:
    assert infer_source("示例 记者 王明\n来源：解放日报\n正文。", None) == "解放日报"
    assert infer_source("第一段。\n第二段。\n第三段。\n来源：解放日报", None) == "未注明"


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("山东援疆:让受援地处处都有新变化-新华网", "山东援疆:让受援地处处都有新变化"),  # a known outlet
        ("援疆干部在喀什_示例新闻网", "援疆干部在喀什"),  # a name that ends like an outlet's
        ("援疆医疗队 | 示例日报", "援疆医疗队"),
        ("援疆项目_新疆频道_新华网", "援疆项目_新疆频道"),  # only the site's name
        ("喀什-上海 双城记", "喀什-上海 双城记"),  # no name after the dash
        ("援疆-教育", "援疆-教育"),
        ("新闻-新华网", "新闻-新华网"),  # too little would be left
        ("援疆纪实——新华网", "援疆纪实——新华网"),  # a subtitle's dash is no separator
    ],
)
def test_a_headline_loses_the_site_name_its_page_title_adds(title: str, headline: str) -> None:
    assert without_site_name(title) == headline


def test_a_reporters_credit_names_a_known_outlet_split_by_quotes() -> None:
    # The credit is read without its quotes (“新京”报 → 新京报), and so is the text before any is tried.
    assert infer_source("正文。\n“新京”报记者 李明 摄", None) == "新京报"
    assert infer_source("正文。\n示例报记者 李明 摄", None) == "未注明"  # an unknown outlet's reporter
