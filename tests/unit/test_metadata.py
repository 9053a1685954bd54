"""Metadata inference from text and the data files."""

import pytest

from corpus.metadata import (
    Metadata,
    PageInfo,
    canonical_regions,
    describe,
    infer_aid_from,
    infer_date,
    infer_entities,
    infer_regions,
    infer_sectors,
    infer_source,
    parse_date,
    tagged_orgs,
    tagged_people,
)


def test_parse_date_precisions() -> None:
    assert parse_date("2025-04-03") == ("2025-04-03", "day")
    assert parse_date("2023-07") == ("2023-07-01", "month")
    assert parse_date("2025") == ("2025-01-01", "year")
    with pytest.raises(ValueError, match="not a date"):
        parse_date("April 2025")


def test_dateline_date_takes_the_page_year() -> None:
    page = PageInfo("和田日报", "2024-01-05", "day", "和田")
    assert infer_date("地区融媒讯（记者张亚辉）12月6日，地委书记", page) == ("2023-12-06", "day")
    assert infer_date("本报讯近日，活动举行。", page) == ("2024-01-05", "day")
    assert infer_date("2019年3月2日，开幕。", page) == ("2019-03-02", "day")


def test_a_date_the_text_does_not_state_stays_unknown() -> None:
    # The years a story mentions are no publication date, nor is a yearless dateline without a page.
    assert infer_date("今年5月，2021年以来。", None) == (None, "unknown")
    assert infer_date("新华社乌鲁木齐3月5日电 记者走访了村庄。", None) == (None, "unknown")


@pytest.mark.parametrize(
    ("title", "text", "home", "regions"),
    [
        ("", "泽普县、莎车县和喀什市的学校。莎车县。", None, ("喀什",)),
        ("", "白碱滩区和独山子区的社区。", None, ("克拉玛依",)),
        ("", "上海援克干部到援克一线。", None, ("克拉玛依",)),
        ("", "地委书记主持召开研讨会。", "和田", ("和田",)),
        ("", "新疆各园区建设，自治区工业和信息化厅。", "和田", ("新疆",)),
        ("", "带来了哈密瓜、苹果。", "和田", ("和田",)),
        ("", "和田市、喀什市、阿克苏市、和田县、喀什地区、阿克苏地区。", None, ("新疆", "和田", "喀什", "阿克苏")),
        # Named once each, no region is named often: the first named stands for the article.
        ("", "莎车县的学校。和田市的医院。", None, ("喀什",)),
        # The 兵团's regiments go by their numbers.
        ("", "第二二四团和224团的职工。喀什市。", None, ("兵团",)),
    ],
)
def test_regions(title: str, text: str, home: str | None, regions: tuple[str, ...]) -> None:
    assert infer_regions(title, text, home) == regions


@pytest.mark.parametrize(
    ("text", "aiders"),
    [
        ("上海市援克前方指挥部", ("上海",)),
        ("沪克两地合作", ("上海",)),
        ("和田地区第二中学开设“津和示范班”", ("天津",)),
        ("北京援疆和田前方指挥部副指挥长", ("北京",)),
        ("赣克两地一家亲", ("江西",)),
        ("2023新疆名优特农产品上海交易会，上海市民争相购买", ()),
        ("天津市对口支援新疆工作前方指挥部；上海援疆干部；天津援疆教师", ("天津", "上海")),
    ],
)
def test_aid_from(text: str, aiders: tuple[str, ...]) -> None:
    assert infer_aid_from("", text) == aiders


def test_sectors_score_keywords_with_title_weight() -> None:
    assert infer_sectors("地区水利学会成立", "推动智慧水利发展，服务会员。") == ("生态水利",)
    assert infer_sectors("", "没有任何关键词") == ()


def test_source_credit_overrides_the_page_paper() -> None:
    assert infer_source("新疆日报阿克苏12月10日讯石榴云", "和田日报") == "新疆日报"
    assert infer_source("正文。\n(图文均据新华社)", "克拉玛依日报") == "新华社"
    assert infer_source("本报讯正文。", "解放日报") == "解放日报"
    assert infer_source("正文。", None) == "未注明"


def tagged(*pairs: str) -> list[tuple[str, str]]:
    """A tag sequence from "word/tag" strings."""
    return [tuple(pair.rsplit("/", 1)) for pair in pairs]  # type: ignore[misc]


@pytest.mark.parametrize(
    ("tags", "people"),
    [
        # A title before (the word before ends with it) or a speech or action word after confirms.
        (tagged("党委书记/n", "王建国/nr", "，/x"), ("王建国",)),
        (tagged("，/x", "李文华/nr", "表示/v"), ("李文华",)),
        (tagged("。/x", "习近平/nrfg", "总书记/n"), ("习近平",)),
        (tagged("诗人/n", "艾青/nr", "笔下/n"), ("艾青",)),
        # Each condition can fail on its own.
        (tagged("和/c", "李文华/nr", "的/uj"), ()),
        (tagged("书记/n", "王建国/n", "说/v"), ()),
        (tagged("书记/n", "王/nr", "说/v"), ()),
        (tagged("书记/n", "王建国民/nr", "说/v"), ()),
        (tagged("主任/n", "智慧/nr", "说/v"), ()),
        (tagged("书记/n", "于田县/nr", "说/v"), ()),
        (tagged("总书记/n", "殷殷/nr", "嘱托/v"), ()),
        (tagged("主席/n", "艾尔肯/nr", "·/x", "吐尼亚孜/nr"), ()),
        (tagged("·/x", "亚森/nr", "说/v"), ()),
        # In order of first appearance, each once.
        (tagged("记者/n", "张建军/nr", "、/x", "通讯员/n", "刘小红/nr", "；/x", "张建军/nr", "摄/v"), ("张建军", "刘小红")),
    ],
)
def test_tagged_people(tags: list[tuple[str, str]], people: tuple[str, ...]) -> None:
    assert tagged_people(tags) == people


@pytest.mark.parametrize(
    ("tags", "orgs"),
    [
        (tagged("在/p", "复旦大学/nt", "、/x", "中国移动集团/nt", "、/x", "复旦大学/nt"), ("复旦大学", "中国移动集团")),
        (tagged("上海市委/nt", "书记/n"), ("上海市委",)),
        (tagged("复旦大学/n"), ()),
        (tagged("医学院/nt"), ()),
        (tagged("东方航空/nt"), ()),
        (tagged("高级中学/nt"), ()),
        (tagged("人民政府/nt"), ()),
    ],
)
def test_tagged_orgs(tags: list[tuple[str, str]], orgs: tuple[str, ...]) -> None:
    assert tagged_orgs(tags) == orgs


def test_entities_join_known_and_tagged_names_in_order_of_appearance() -> None:
    tags = tagged("复旦大学/nt", "校长/n", "王建国/nr", "会见/v", "陈吉宁/", "，/x", "刘琛/", "主持/v")
    people, orgs = infer_entities(tags, people=("陈吉宁", "刘琛", "不在文中"), orgs=("上海戏剧学院",))
    assert people == ("王建国", "陈吉宁", "刘琛", "不在文中")
    assert orgs == ("复旦大学", "上海戏剧学院")


def test_entities_take_a_tagged_part_of_a_known_name_for_that_person() -> None:
    tags = tagged("的/uj", "艾力江/nr", "说/v", "，/x", "华宁/nr", "介绍/v")
    people, _ = infer_entities(tags, people=("艾力江·阿不都艾尼",), orgs=("华宁",))
    assert people == ("艾力江·阿不都艾尼",)


KASHGAR_PAGE = PageInfo(source="解放日报", date="2023-08-28", precision="day", home_region="喀什")
KARAMAY_PAGE = PageInfo(source="克拉玛依日报", date="2025-04-01", precision="month", home_region="克拉玛依")


@pytest.mark.parametrize(
    ("title", "text", "page", "header", "metadata"),
    [
        # The text's dateline date (the page's year), the page's paper, the places, sector, aider and person named.
        ("上海援疆医疗队在喀什开展义诊", "本报讯 8月27日，上海援疆医疗队的医生们在莎车县开展义诊，为群众看病。上海市委书记陈吉宁看望了医疗队。",
         KASHGAR_PAGE, (),
         Metadata("2023-08-27", "day", "解放日报", ("喀什",), ("医疗卫生",), ("上海",), ("陈吉宁",), ())),
        # A web page's header lines give the date and source; a pinyin gloss does not cut 对口支援.
        ("克拉玛依的新学校", "上海對(duì)口支援克拉玛依以来，学校越来越多。", None, ("2024-03-05 来源：克拉玛依日报",),
         Metadata("2024-03-05", "day", "克拉玛依日报", ("克拉玛依",), ("教育",), ("上海",), (), ())),
        # What the text does not say, the page does: its date, paper and home region ...
        ("一所学校", "孩子们在操场上踢足球。", KARAMAY_PAGE, (),
         Metadata("2025-04-01", "month", "克拉玛依日报", ("克拉玛依",), ("教育",), (), (), ())),
        # ... and without a page it stays unknown.
        ("一所学校", "孩子们在操场上踢足球。", None, (),
         Metadata(None, "unknown", "未注明", (), ("教育",), (), (), ())),
    ],
)
def test_describe_reads_every_field_from_the_text_the_page_and_the_header(title, text, page, header, metadata) -> None:
    assert describe(title, text, page, header) == metadata


@pytest.mark.parametrize(
    ("title", "text", "sectors"),
    [
        ("", "学校 学校 医院", ("教育", "医疗卫生")),  # 医疗卫生 scores half of 教育's: still listed
        ("", "学校 学校 学校 医院", ("教育",)),  # under half: left out
        ("", "学校 教师 学生 医院", ("教育",)),  # each keyword of a sector adds to its score
        ("医院", "学校 学校 学校 学校", ("教育", "医疗卫生")),  # a title hit counts three times
        ("", "孩子们在操场上踢足球。", ()),
    ],
)
def test_sectors_are_those_scoring_at_least_half_the_best(title: str, text: str, sectors: tuple[str, ...]) -> None:
    assert infer_sectors(title, text) == sectors


def test_regions_given_by_a_user_become_the_region_facet_s_names() -> None:
    # A county is its region, blanks are trimmed, repeats and blanks dropped, an unknown name kept as given.
    assert canonical_regions(["莎车县", " 喀什 ", "", "克拉玛依", "未知地", "喀什地区"]) == ("喀什", "克拉玛依", "未知地")
    assert canonical_regions(["-", "和田"]) == ("和田",)  # "-" is the gazetteer's mark of no region
