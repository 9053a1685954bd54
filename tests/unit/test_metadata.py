"""Metadata inference from text and the data files."""

import pytest

from corpus.metadata import PageInfo, infer_aid_from, infer_date, infer_regions, infer_sectors, infer_source, parse_date


def test_parse_date_precisions() -> None:
    assert parse_date("2025-04-03") == ("2025-04-03", "day")
    assert parse_date("2023-07") == ("2023-07-01", "month")
    assert parse_date("2025") == ("2025-01-01", "year")
    with pytest.raises(ValueError, match="not a date"):
        parse_date("April 2025")


def test_dateline_date_takes_the_page_year() -> None:
    page = PageInfo("和田日报", "2024-01-05", "day", "和田")
    assert infer_date("地区融媒讯（记者张亚辉）12月6日，地委书记", page, 2020) == ("2023-12-06", "day")
    assert infer_date("本报讯近日，活动举行。", page, 2020) == ("2024-01-05", "day")
    assert infer_date("2019年3月2日，开幕。", page, 2020) == ("2019-03-02", "day")
    assert infer_date("今年5月，2021年以来。", None, 2030) == ("2021-01-01", "year")


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
    assert infer_sectors("", "没有任何关键词") == ("产业经济",)


def test_source_credit_overrides_the_page_paper() -> None:
    assert infer_source("新疆日报阿克苏12月10日讯石榴云", "和田日报") == "新疆日报"
    assert infer_source("正文。\n(图文均据新华社)", "克拉玛依日报") == "新华社"
    assert infer_source("本报讯正文。", "解放日报") == "解放日报"
    assert infer_source("正文。", None) == "未注明"
